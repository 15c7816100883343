"""Public figures: a month's complaints received and resolved, and the resolution rate
against its target, per province and per district, counted as the head's dashboard
counts (workflows.selectors), with nobody's name on the page."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Complaint
from citizens.figures import selectors
from citizens.figures.views import NO_DATA, band
from tests.case_fixtures import intake_data
from tests.workflows.helpers import closed_case
from workflows.selectors import RESOLUTION_TARGET, resolution_rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures():
    cache.clear()
    yield
    cache.clear()


def this_month() -> selectors.Month:
    return selectors.recent_months()[0]


def row(content: str, code: str) -> list[str]:
    """The cells of the table row of area ``code``: name, received, resolved, closed, rate."""
    found = re.search(rf'<tr data-testid="area-row" data-code="{code}">(.*?)</tr>', content, flags=re.S)
    assert found, f"no row for {code}"
    return [
        re.sub(r"<[^>]+>", " ", cell).split()[0]
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found[1], flags=re.S)
    ]


def test_a_provinces_figures_are_the_dashboards_figures(alice, harry, tom, team, bob, kim):
    # given: in Ratchaburi (70) two resolved, one not resolvable, one withdrawn, and one open
    # in Ban Pong; in Kanchanaburi (71) one open case
    for outcome in ("resolved", "resolved", "not_resolvable"):
        closed_case(officer=alice, head=harry, team=team, member=tom, outcome=outcome)
    withdrawn, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    services.case_withdraw(actor=alice, case=withdrawn, reason="ผู้ร้องขอถอน")
    services.case_intake(actor=bob, district=bob.district, data=intake_data())
    services.case_intake(actor=kim, district=kim.district, data=intake_data())

    figures = {f.area.code: f for f in selectors.area_figures("province", this_month())}

    since, until = this_month().bounds()
    dashboard = resolution_rate(Complaint.objects.filter(province_id="70"), since=since, until=until)
    assert figures["70"].rate == dashboard
    assert (figures["70"].received, figures["70"].rate.resolved, figures["70"].rate.closed) == (5, 2, 3)
    assert round(figures["70"].rate.percent, 1) == 66.7 and figures["70"].rate.meets_target is False
    assert (figures["71"].received, figures["71"].rate.closed, figures["71"].rate.percent) == (1, 0, None)
    # every province is listed, with zeros where nothing happened
    assert len(figures) == 77 and figures["10"].received == 0


def test_the_country_page_shows_each_province_and_the_total(client, alice, harry, tom, team, kim):
    closed_case(officer=alice, head=harry, team=team, member=tom, outcome="resolved")
    services.case_intake(actor=kim, district=kim.district, data=intake_data())

    response = client.get(reverse("public:figures"))
    content = response.content.decode()

    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert row(content, "70")[1:4] == ["1", "1", "1"]
    assert row(content, "71")[1:4] == ["1", "0", "0"]
    assert re.search(r'data-testid="received">\s*2<', content)
    # the map's data: each province's colour by its rate, and its page
    data = json.loads(re.search(r'<script id="figures-map-data" type="application/json">(.*?)</script>', content)[1])
    assert data["colours"]["70"] == band(100.0) and data["colours"]["71"] == NO_DATA
    assert data["links"]["70"] == reverse("public:figures_province", args=["70"])
    assert data["geojson"] == reverse("public:figures_map_provinces")


def test_a_province_page_lists_its_districts_and_a_district_page_its_year(client, alice, harry, tom, team, bob):
    case = closed_case(officer=alice, head=harry, team=team, member=tom, outcome="not_resolvable")
    services.case_intake(actor=bob, district=bob.district, data=intake_data())

    province = client.get(reverse("public:figures_province", args=["70"])).content.decode()
    assert row(province, "7001")[1:4] == ["1", "0", "1"]
    assert row(province, "7005")[1:4] == ["1", "0", "0"]
    assert 'data-code="7101"' not in province

    district = client.get(reverse("public:figures_district", args=["7001"]))
    content = district.content.decode()
    assert district.status_code == 200
    assert content.count("<tr") == 1 + selectors.MONTHS_SHOWN
    assert "0.0%" in content and "ต่ำกว่าเป้าหมาย" in content
    # nobody's name, number or words reach the public page
    for private in (
        case.subject,
        case.complainants.first().first_name,
        alice.first_name,
        harry.first_name,
        case.number,
    ):
        assert private not in content and private not in province


def test_an_earlier_month_is_chosen_and_an_unknown_one_is_this_month(client):
    months = selectors.recent_months()
    earlier = client.get(reverse("public:figures"), {"month": months[3].key}).content.decode()
    assert f'<option value="{months[3].key}" selected>' in earlier
    unknown = client.get(reverse("public:figures"), {"month": "1999-01"}).content.decode()
    assert f'<option value="{months[0].key}" selected>' in unknown


def test_a_case_closed_last_month_counts_in_last_month(alice, harry, tom, team):
    case = closed_case(officer=alice, head=harry, team=team, member=tom, outcome="resolved")
    last_month = selectors.recent_months()[1]
    Complaint.objects.filter(pk=case.pk).update(
        closed_at=timezone.make_aware(dt.datetime.combine(last_month.first, dt.time(10))),
        received_on=last_month.first,
    )

    now = {f.area.code: f for f in selectors.area_figures("province", this_month())}["70"]
    then = {f.area.code: f for f in selectors.area_figures("province", last_month)}["70"]

    assert (now.received, now.rate.closed) == (0, 0)
    assert (then.received, then.rate.resolved, then.rate.closed) == (1, 1, 1)


def test_a_figures_page_is_kept_whole_and_its_copy_runs_under_a_new_policy(client, alice):
    first = client.get(reverse("public:figures"))
    services.case_intake(actor=alice, district=alice.district, data=intake_data())
    again = client.get(reverse("public:figures"))

    # the copy is served (the new case shows when it expires), its scripts files of the site
    assert again.content == first.content
    scripts = re.findall(r"<script[^>]*>", again.content.decode())
    assert 'nonce="' not in again.content.decode()
    assert all(tag.startswith('<script src="/static/') or 'type="application/json"' in tag for tag in scripts)
    assert "'self'" in again["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_unknown_areas_are_not_found(client):
    assert client.get(reverse("public:figures_province", args=["99"])).status_code == 404
    assert client.get(reverse("public:figures_district", args=["9999"])).status_code == 404
    assert client.get(reverse("public:figures_map_province", args=["99"])).status_code == 404


def test_the_maps_boundaries(client, geography):
    country = json.loads(client.get(reverse("public:figures_map_provinces")).content)
    assert len(country["features"]) == 77
    assert set(country["features"][0]["properties"]) == {"code"}
    ratchaburi = client.get(reverse("public:figures_map_province", args=["70"]))
    assert ratchaburi["Content-Type"] == "application/geo+json"
    codes = {f["properties"]["code"] for f in json.loads(ratchaburi.content)["features"]}
    assert len(codes) == 10 and {"7001", "7005"} <= codes and all(code.startswith("70") for code in codes)


def test_the_bands_meet_the_target_where_the_target_is_met():
    assert band(None) == NO_DATA
    assert band(RESOLUTION_TARGET) != band(RESOLUTION_TARGET - 0.1)
    assert band(0) == band(59.9) != band(60)
