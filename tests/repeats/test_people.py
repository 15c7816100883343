"""People and parties over time (issue 11 §4).

Somjai Thongdee has complained twice at Mueang Ratchaburi and once at Ban Pong, each time
about Mr Sommai Jairai. On each of her cases' pages Harry reads how many other cases she
has, nationally, and opens those of his district; of Ban Pong's he learns only that there is
one. Harry's page of people lists her among the complainants who had to complain again this
fiscal year, in his district; Pete's, the province head's, counts her three cases.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.services import ComplainantData, RespondentData, case_intake
from core.thai import fiscal_year_be, fiscal_year_start
from repeats import selectors
from repeats.models import Relation
from tests.case_fixtures import intake_data
from tests.repeats.conftest import case_page

pytestmark = pytest.mark.django_db

OTHER_TEXT = dict(subject="ไฟฟ้าดับบ่อยในหมู่บ้าน", description="ไฟฟ้าดับเกือบทุกคืน อุปกรณ์ไฟฟ้าเสียหาย")


@pytest.fixture
def somjais(alice, bob):
    """Somjai's three cases: two in Mueang Ratchaburi, one in Ban Pong."""
    first, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    second, _ = case_intake(actor=alice, district=alice.district, data=intake_data(**OTHER_TEXT))
    third, _ = case_intake(
        actor=bob, district=bob.district, data=intake_data(subject="น้ำประปาไม่ไหล", description="น้ำไม่ไหลสามวัน")
    )
    return first, second, third


def test_the_case_page_counts_a_persons_cases_nationally_and_shows_those_in_sight(signed_in, harry, somjais):
    first, second, third = somjais
    people, parties = selectors.people_history(harry, first)
    assert (people.relation, people.total, people.outside) == (Relation.COMPLAINANT, 2, 1)
    assert [case.pk for case in people.in_sight] == [second.pk]
    assert (parties.relation, parties.total, parties.outside) == (Relation.RESPONDENT, 2, 1)
    page = case_page(signed_in(harry), first)
    assert "ผู้ร้องรายนี้มีเรื่องอื่นอีก 2 เรื่องทั่วประเทศ" in page
    assert "ผู้ถูกร้องรายนี้ถูกร้องเรียนในเรื่องอื่นอีก 2 ครั้งทั่วประเทศ" in page
    history = page.split("ผู้ร้องและผู้ถูกร้องในเรื่องอื่น")[1]
    assert second.number in history and 'data-testid="history-outside"' in history
    # Ban Pong's case is counted there, never named (the panel's candidates show it as a minimal card).
    assert third.number not in history and third.subject not in page


def test_an_anonymous_complainant_has_no_history(harry, alice, somjais):
    case, _ = case_intake(
        actor=alice, district=alice.district, data=intake_data(complainants=[ComplainantData(is_anonymous=True)])
    )
    people, parties = selectors.people_history(harry, case)
    assert people is None and parties.total == 3


def test_the_people_page_lists_who_complains_again_in_the_heads_district(signed_in, harry, somjais):
    first, second, third = somjais
    page = signed_in(harry).get(reverse("repeats:people")).content.decode()
    assert "ผู้ร้องที่ร้องเรียนหลายครั้ง — อาจเป็นผู้ที่ยังไม่ได้รับการแก้ไขปัญหา" in page
    assert "นางสมใจ ทองดี" in page and "นายสมหมาย ใจร้าย" in page
    assert first.number in page and second.number in page and third.number not in page
    data = selectors.people_page(harry)
    assert [(p.name, p.count, p.open_count) for p in data.complainants] == [("นางสมใจ ทองดี", 2, 2)]
    assert [(p.name, p.count, p.kind) for p in data.respondents] == [("นายสมหมาย ใจร้าย", 2, "บุคคล")]


def test_the_province_counts_its_districts_together(pete, paula, hank, somjais):
    for reader in (pete, paula):
        (person,) = selectors.people_page(reader).complainants
        assert person.count == 3
    # Ban Pong's head has one of her cases: nobody complained twice there.
    data = selectors.people_page(hank)
    assert data.complainants == [] and data.respondents == []


def test_the_page_is_for_heads_and_the_province(signed_in, alice, tom, carol, audrey, harry, pete, paula):
    for person in (alice, tom, carol, audrey):
        assert signed_in(person).get(reverse("repeats:people")).status_code == 403
    for person in (harry, pete, paula):
        client = signed_in(person)
        assert client.get(reverse("repeats:people")).status_code == 200
        assert 'href="/repeats/people/"' in client.get(reverse("home")).content.decode()  # in the menu
    assert 'href="/repeats/people/"' not in signed_in(alice).get(reverse("home")).content.decode()


def test_people_are_grouped_as_the_matching_groups_them(harry, alice):
    others = iter(["นายเอก หนึ่ง", "นายโท สอง", "นายตรี สาม", "นายจัตวา สี่", "นายเบญจ ห้า", "นายฉ หก"])

    def record(person=None, respondent=None):
        # Whoever is not the point of a record is someone else each time.
        case_intake(
            actor=alice, district=alice.district,
            data=intake_data(
                complainants=[person or ComplainantData(first_name=next(others), last_name="ครั้งเดียว")],
                respondents=[respondent or RespondentData(kind="person", name=next(others))],
            ),
        )  # fmt: skip

    # The same man, his name spelt two ways, with his phone; with his ID (Thai digits) and without.
    record(ComplainantData(title="นาย", first_name="สมชาย", last_name="ใจดี", phone="081-111-2222"))
    record(
        ComplainantData(
            title="นาย", first_name="สมชัย", last_name="ใจดี", phone="0811112222", national_id="1101700230708"
        )
    )
    record(ComplainantData(title="นาย", first_name="สมชาย", last_name="ใจดี", national_id="๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘"))
    # Two women of the same name in other places, no phone: two people, once each.
    record(ComplainantData(first_name="มาลี", last_name="ดีงาม", subdistrict=None))
    # A company written short and long.
    record(respondent=RespondentData(kind="company", name="บจก. ก้าวหน้าก่อสร้าง"))
    record(respondent=RespondentData(kind="company", name="บริษัท ก้าวหน้าก่อสร้าง จำกัด (สำนักงานใหญ่)"))
    data = selectors.people_page(harry)
    assert [(p.count, p.name) for p in data.complainants] == [(3, "นายสมชาย ใจดี")]
    assert [(p.count, p.kind) for p in data.respondents] == [(2, "บริษัท/ห้างร้าน")]


def test_a_confidential_complainant_is_counted_not_named(signed_in, harry, alice):
    secret = ComplainantData(title="นาง", first_name="ลับ", last_name="ซ่อนนาม", phone="0899990000", is_confidential=True)
    for _ in range(2):
        case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[secret]))
    (person,) = selectors.people_page(harry).complainants
    assert person.masked and person.count == 2
    page = signed_in(harry).get(reverse("repeats:people")).content.decode()
    assert "ผู้ร้องที่ขอปกปิดข้อมูล" in page and "ซ่อนนาม" not in page and "0899990000" not in page


def test_only_this_fiscal_years_cases_count(harry, alice):
    today = timezone.localdate()
    last_year = fiscal_year_start(fiscal_year_be(today)) - timezone.timedelta(days=1)
    case_intake(actor=alice, district=alice.district, data=intake_data(received_on=last_year))
    case_intake(actor=alice, district=alice.district, data=intake_data())
    assert selectors.people_page(harry).complainants == []


def test_the_page_is_made_once_for_a_few_minutes_and_says_when(
    signed_in, harry, somjais, django_assert_max_num_queries
):
    client = signed_in(harry)
    first = client.get(reverse("repeats:people")).content.decode()
    assert "ข้อมูล ณ เวลา" in first and "สมใจ" in first
    # A case recorded since is counted at the next making (FRESH_SECONDS), not on every view:
    # the second view reads no party of the fiscal year (session, user, menu, and that is all).
    with django_assert_max_num_queries(8):
        again = client.get(reverse("repeats:people")).content.decode()
    made_at = re.compile(r"ข้อมูล ณ เวลา [^<]*")
    assert made_at.findall(again) == made_at.findall(first) and "สมใจ" in again


def test_without_its_cache_the_page_is_made_all_the_same(signed_in, harry, somjais, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = signed_in(harry).get(reverse("repeats:people"))
    assert response.status_code == 200 and "สมใจ" in response.content.decode()
