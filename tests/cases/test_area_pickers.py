"""Where a case happened, goes or is shared, and which area a list shows, chosen
province → district (issue 10): a page carries one province's districts, never
the country's 928 or its 1,854 teams, and a district outside the chosen province
is refused in Thai."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Complaint, Status, Team
from core.models import District, Subdistrict
from core.thai import format_be_input
from tests.cases.test_case_list import record
from tests.cases.test_intake import form_data

pytestmark = pytest.mark.django_db

# What a page may weigh with its pickers (the intake form was 107 KB, 77 KB of it districts;
# 44 KB with the ID-card button and the repeat check's panel, which ship their own words).
PAGE_BUDGET = 48_000


def options(html: str, name: str) -> list[str]:
    """The option values of the <select name=``name``> in ``html`` ([] if there is none)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, flags=re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(1)) if select else []


def selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, flags=re.S)
    return re.findall(r'<option value="([^"]*)" selected', select.group(1)) if select else []


def districts_of(province: str) -> set[str]:
    return set(District.objects.filter(province_id=province).values_list("code", flat=True))


# --- The intake form ------------------------------------------------------------------------


def test_intake_opens_at_the_officers_own_district_and_province(signed_in, alice):
    response = signed_in(alice).get(reverse("cases:intake"))

    html = response.content.decode()
    assert selected(html, "incident_district_province") == ["70"]
    assert selected(html, "incident_district") == ["7001"]
    assert set(options(html, "incident_district")) == {""} | districts_of("70")
    assert len(options(html, "incident_district_province")) == 1 + 77
    assert "700101" in options(html, "incident_subdistrict")
    assert len(response.content) < PAGE_BUDGET, len(response.content)


def test_intake_with_the_province_chosen_records_the_case(signed_in, alice):
    response = signed_in(alice).post(
        reverse("cases:intake"),
        form_data(incident_district_province="70", incident_district="7005", incident_subdistrict="700501"),
    )

    assert response.status_code == 302
    assert Complaint.objects.get().incident_subdistrict_id == "700501"


def test_intake_refuses_a_district_outside_the_chosen_province(signed_in, alice):
    response = signed_in(alice).post(
        reverse("cases:intake"),
        form_data(incident_district_province="71", incident_district="7005", incident_subdistrict="700501"),
    )

    assert response.status_code == 400
    assert "อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()
    assert not Complaint.objects.exists()


def test_intake_with_a_new_province_and_no_district_yet_shows_its_districts(signed_in, alice):
    # Without JavaScript: the officer picks Kanchanaburi and submits to get its districts.
    response = signed_in(alice).post(
        reverse("cases:intake"),
        form_data(incident_district_province="71", incident_district="", incident_subdistrict=""),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "กรุณาเลือกอำเภอในจังหวัดที่เลือก" in html
    assert selected(html, "incident_district_province") == ["71"]
    assert set(options(html, "incident_district")) == {""} | districts_of("71")
    assert not Complaint.objects.exists()


# --- The transfer form ----------------------------------------------------------------------


def transfer_url(case):
    return reverse("cases:action", args=[case.pk, "transfer"])


def test_transfer_suggests_the_incidents_district(signed_in, alice, harry):
    case = record(alice, subdistrict="700501")  # happened in Ban Pong

    html = signed_in(harry).get(transfer_url(case)).content.decode()

    assert selected(html, "district_province") == ["70"]
    assert selected(html, "district") == ["7005"]
    assert set(options(html, "district")) == {""} | districts_of("70")


def test_transfer_without_a_suggestion_opens_at_the_cases_province(signed_in, alice, harry):
    case = record(alice)

    response = signed_in(harry).get(transfer_url(case))

    html = response.content.decode()
    assert selected(html, "district_province") == ["70"]
    assert selected(html, "district") == [""]
    assert len(response.content) < PAGE_BUDGET, len(response.content)


def test_transfer_refuses_a_district_outside_the_chosen_province(signed_in, alice, harry):
    case = record(alice)

    response = signed_in(harry).post(
        transfer_url(case),
        {"expected_status": Status.RECEIVED, "district_province": "71", "district": "7005", "reason": "เหตุเกิดที่อื่น"},
    )

    assert response.status_code == 400
    assert "อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()
    assert Complaint.objects.get(pk=case.pk).district_id == "7001"


def test_transfer_to_another_province(signed_in, alice, harry):
    case = record(alice)

    response = signed_in(harry).post(
        transfer_url(case),
        {"expected_status": Status.RECEIVED, "district_province": "71", "district": "7101", "reason": "เหตุเกิดที่กาญจนบุรี"},
    )

    assert response.status_code == 302
    assert Complaint.objects.get(pk=case.pk).district_id == "7101"


# --- The share form -------------------------------------------------------------------------


def share(client, case, **data):
    until = format_be_input(timezone.localdate() + dt.timedelta(days=7))
    values = {"district_province": "", "district": "", "national_id": "", "reason": "ประสานงาน", "expires_on": until}
    return client.post(reverse("cases:share", args=[case.pk]), {**values, **data})


def test_share_opens_at_the_cases_province(signed_in, new_case, harry):
    response = signed_in(harry).get(reverse("cases:share", args=[new_case.pk]))

    html = response.content.decode()
    assert selected(html, "district_province") == ["70"]
    assert set(options(html, "district")) == {""} | districts_of("70")
    assert len(response.content) < PAGE_BUDGET, len(response.content)


def test_share_refuses_a_district_outside_the_chosen_province(signed_in, new_case, harry):
    response = share(signed_in(harry), new_case, district_province="71", district="7005")

    assert response.status_code == 400
    assert "อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()
    assert not new_case.shares.exists()


def test_share_with_an_officer_leaves_the_province_alone(signed_in, new_case, harry, bob):
    # The province select opened at Ratchaburi; Harry types Bob's ID instead of a district.
    client = signed_in(harry)
    response = share(client, new_case, district_province="70", national_id=bob.national_id)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert new_case.shares.get().user == bob


def test_share_with_a_province_only_asks_for_a_district_or_an_officer(signed_in, new_case, harry):
    response = share(signed_in(harry), new_case, district_province="71")

    assert response.status_code == 400
    html = response.content.decode()
    assert "อย่างใดอย่างหนึ่ง" in html
    assert set(options(html, "district")) == {""} | districts_of("71")


# --- The case list's area filters ----------------------------------------------------------


@pytest.fixture
def three_districts(alice, bob, kim):
    """Cases in Mueang Ratchaburi and Ban Pong (province 70) and in Mueang Kanchanaburi (71)."""
    kanchanaburi = Subdistrict.objects.filter(district_id="7101").order_by("code").first().code
    return {
        "7001": {record(alice).pk, record(alice).pk},
        "7005": {record(bob).pk},
        "7101": {record(kim, subdistrict=kanchanaburi).pk},
    }


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {case.pk for case in response.context["page"].items}


def test_a_national_user_filters_a_province(signed_in, carol, three_districts):
    client = signed_in(carol)

    assert (
        listed(client.get(reverse("cases:list"), {"district_province": "70"}))
        == three_districts["7001"] | three_districts["7005"]
    )
    assert listed(client.get(reverse("cases:list"), {"district_province": "71"})) == three_districts["7101"]
    assert listed(client.get(reverse("cases:list"))) == set().union(*three_districts.values())


def test_a_national_user_filters_a_district(signed_in, carol, three_districts):
    response = signed_in(carol).get(reverse("cases:list"), {"district_province": "70", "district": "7005"})

    assert listed(response) == three_districts["7005"]


def test_a_national_user_picks_a_district_before_a_team(signed_in, carol, three_districts, team, ban_pong_team):
    client = signed_in(carol)

    html = client.get(reverse("cases:list")).content.decode()
    assert options(html, "district_province")[0] == "" and len(options(html, "district_province")) == 1 + 77
    assert options(html, "district") == [""]  # ทุกอำเภอ, until a province is chosen
    assert re.search(r'<select name="team"[^>]*disabled', html)
    assert "เลือกอำเภอแล้วกดค้นหา" in html

    html = client.get(reverse("cases:list"), {"district_province": "70", "district": "7005"}).content.decode()
    assert options(html, "team") == ["", str(ban_pong_team.pk)]


def test_a_national_user_sees_each_cases_district_and_province(signed_in, carol, three_districts):
    html = signed_in(carol).get(reverse("cases:list")).content.decode()

    cells = re.findall(r'data-testid="district">(.*?)</td>', html, flags=re.S)
    assert len(cells) == 4
    assert any("บ้านโป่ง" in cell and "(ราชบุรี)" in cell for cell in cells)
    assert any("เมืองกาญจนบุรี" in cell and "(กาญจนบุรี)" in cell for cell in cells)


def test_a_province_user_filters_a_district_of_the_province(signed_in, paula, three_districts, ban_pong_team):
    client = signed_in(paula)

    html = client.get(reverse("cases:list")).content.decode()
    assert set(options(html, "district")) == {""} | districts_of("70")
    assert options(html, "district_province") == []  # her province is given
    assert "(ราชบุรี)" not in html  # the district column without the province
    assert len(re.findall(r'data-testid="district"', html)) == 3

    response = client.get(reverse("cases:list"), {"district": "7005"})
    assert listed(response) == three_districts["7005"]
    assert options(response.content.decode(), "team") == ["", str(ban_pong_team.pk)]


@pytest.mark.parametrize("query", [{"district": "7101"}, {"district_province": "71", "district": "7101"}])
def test_a_province_user_cannot_widen_the_list_with_another_provinces_district(
    signed_in, paula, three_districts, query
):
    response = signed_in(paula).get(reverse("cases:list"), query)

    shown = listed(response)
    assert "อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()
    assert shown <= set(Complaint.objects.visible_to(paula).values_list("pk", flat=True))
    assert shown == three_districts["7001"] | three_districts["7005"]
    assert not shown & three_districts["7101"]


def test_a_district_user_has_no_area_filter_and_the_own_teams(signed_in, alice, three_districts, team, ban_pong_team):
    html = signed_in(alice).get(reverse("cases:list")).content.decode()

    assert options(html, "district") == [] and options(html, "district_province") == []
    assert 'data-testid="district"' not in html
    assert options(html, "team") == ["", str(team.pk)]


def test_a_district_user_passing_another_district_still_sees_only_the_own(signed_in, alice, three_districts):
    response = signed_in(alice).get(reverse("cases:list"), {"district_province": "70", "district": "7005"})

    assert listed(response) == three_districts["7001"]


def test_the_csv_export_honours_the_area_filter(signed_in, carol, three_districts, export_file):
    response = export_file(signed_in(carol), reverse("cases:list_csv"), {"district_province": "71"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {Complaint.objects.get(pk=pk).number for pk in three_districts["7101"]}


def test_a_national_users_list_does_not_carry_the_countrys_teams(signed_in, carol, three_districts):
    # given the country's teams: the benchmark has 1,854, which made the page 182 KB
    subdistricts = Subdistrict.objects.order_by("code")[:1854]
    Team.objects.bulk_create(
        Team(subdistrict=s, district_id=s.district_id, name=f"ชปต. {s.name_th}") for s in subdistricts
    )

    # when the central officer opens the list
    response = signed_in(carol).get(reverse("cases:list"))

    # then it carries neither the teams nor the districts, only the 77 provinces. (Each row
    # of cases adds some 1.2 KB: a full page of 25 is about 30 KB of rows.)
    html = response.content.decode()
    assert options(html, "team") == [""]
    assert options(html, "district") == [""]
    assert len(response.content) < PAGE_BUDGET, len(response.content)
    form = re.search(r'<form method="get".*?</form>', html, flags=re.S).group(0)
    assert len(form.encode()) < 16_000, len(form.encode())
