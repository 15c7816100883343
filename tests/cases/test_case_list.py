"""The case list: only what the user may see, filtered, searched inside unspaced
Thai, and paged by keyset cursors that neither skip nor repeat a case."""

import base64
import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.models import Category, Complaint, Status
from cases.selectors import CaseFilters
from cases.services import ComplainantData, case_intake
from core.models import Subdistrict
from core.thai import format_be_input
from tests.case_fixtures import intake_data

DESCRIPTION = "มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง ทำให้น้ำระบายไม่ได้"


@pytest.fixture
def as_user(client, signed_in):
    """Sign the test client in as ``user`` (signing the previous one out: the
    login page does not switch a signed-in user)."""

    def switch(user):
        client.logout()
        return signed_in(user)

    return switch


def record(actor, *, days_ago=0, subdistrict=None, **overrides):
    """Record a complaint at ``actor``'s center through the intake service."""
    if subdistrict is None:
        subdistrict = "700101" if actor.district_id == "7001" else "700501"
    data = intake_data(
        received_on=timezone.localdate() - dt.timedelta(days=days_ago),
        incident_subdistrict=Subdistrict.objects.get(code=subdistrict),
        **overrides,
    )
    case, created = case_intake(actor=actor, district=actor.district, data=data)
    assert created
    return case


def noise(**overrides):
    """The fields of a complaint about something else entirely."""
    sub = Category.objects.get(name_th="เสียงดัง")
    return {
        "main_category": sub.parent,
        "category": sub,
        "subject": "ร้านคาราโอเกะเปิดเพลงเสียงดังทั้งคืน",
        "description": "ผู้ร้องนอนไม่หลับเพราะเสียงเพลงจากร้านข้างบ้านจนถึงตีสาม",
        "complainants": [ComplainantData(title="นาย", first_name="ประเสริฐ", last_name="นอนน้อย")],
        "respondents": [],
        **overrides,
    }


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [case.pk for case in response.context["page"].items]


def get_list(client, **params):
    return client.get(reverse("cases:list"), params)


# --- Who sees what ----------------------------------------------------------------------


@pytest.fixture
def two_districts(alice, bob):
    return {
        "7001": [record(alice), record(alice, **noise())],
        "7005": [record(bob), record(bob, **noise())],
    }


def pks(cases):
    return sorted(case.pk for case in cases)


def test_district_officers_see_their_own_district(two_districts, alice, bob, as_user):
    alice_list = get_list(as_user(alice))
    assert sorted(listed(alice_list)) == pks(two_districts["7001"])
    html = alice_list.content.decode()
    assert all(case.number in html for case in two_districts["7001"])
    assert not any(case.number in html for case in two_districts["7005"])

    assert sorted(listed(get_list(as_user(bob)))) == pks(two_districts["7005"])


def test_province_officer_sees_the_whole_province(two_districts, paula, signed_in):
    assert sorted(listed(get_list(signed_in(paula)))) == pks(two_districts["7001"] + two_districts["7005"])


def test_team_member_sees_only_the_team_cases(two_districts, case_in, tom, signed_in):
    assigned = case_in(Status.ASSIGNED)
    investigating = case_in(Status.INVESTIGATING)

    assert sorted(listed(get_list(signed_in(tom)))) == pks([assigned, investigating])


def test_signed_out_visitor_is_sent_to_sign_in(client, geography, db):
    response = get_list(client)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_case_page_of_another_district_is_not_found(two_districts, alice, signed_in):
    client = signed_in(alice)
    theirs, ours = two_districts["7005"][0], two_districts["7001"][0]

    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[ours.pk])).status_code == 200


def test_empty_list_says_so(alice, signed_in):
    response = get_list(signed_in(alice))

    assert listed(response) == []
    assert "ไม่พบเรื่องร้องเรียนตามเงื่อนไขนี้" in response.content.decode()


# --- Filters ----------------------------------------------------------------------------


def test_filter_by_status(case_in, alice, signed_in):
    received = case_in(Status.RECEIVED)
    assigned = case_in(Status.ASSIGNED)
    closed = case_in(Status.CLOSED)
    client = signed_in(alice)

    assert listed(get_list(client, status="received")) == [received.pk]
    assert listed(get_list(client, status="assigned")) == [assigned.pk]
    assert listed(get_list(client, status="closed")) == [closed.pk]
    assert sorted(listed(get_list(client, status=""))) == pks([received, assigned, closed])


def test_filter_by_main_or_sub_category(alice, signed_in):
    land = record(alice)
    loud = record(alice, **noise())
    debt_sub = Category.objects.get(name_th="หนี้นอกระบบ")
    debt = record(alice, main_category=debt_sub.parent, category=debt_sub)
    client = signed_in(alice)

    assert listed(get_list(client, category=land.main_category_id)) == [land.pk]
    assert listed(get_list(client, category=land.category_id)) == [land.pk]
    assert listed(get_list(client, category=loud.main_category_id)) == [loud.pk]
    assert listed(get_list(client, category=debt_sub.pk)) == [debt.pk]
    other_sub = Category.objects.get(name_th="ข้อพิพาทแนวเขตที่ดิน")  # land, but not this sub-category
    assert listed(get_list(client, category=other_sub.pk)) == []


def test_filter_by_team(case_in, alice, team, signed_in):
    assigned = case_in(Status.ASSIGNED)
    case_in(Status.RECEIVED)

    assert listed(get_list(signed_in(alice), team=team.pk)) == [assigned.pk]


def test_filter_by_received_date_in_buddhist_era(alice, signed_in):
    today = timezone.localdate()
    recent = record(alice, days_ago=2)
    middle = record(alice, days_ago=10)
    old = record(alice, days_ago=40)
    client = signed_in(alice)

    def between(start, end):
        params = {}
        if start is not None:
            params["received_from"] = format_be_input(today - dt.timedelta(days=start))
        if end is not None:
            params["received_to"] = format_be_input(today - dt.timedelta(days=end))
        return listed(get_list(client, **params))

    assert between(15, 5) == [middle.pk]
    assert between(10, 10) == [middle.pk]  # both ends included
    assert between(10, None) == [recent.pk, middle.pk]
    assert between(None, 11) == [old.pk]
    assert between(40, 0) == [recent.pk, middle.pk, old.pk]
    # The filter form shows the dates back in the Buddhist era.
    html = get_list(client, received_from=format_be_input(today - dt.timedelta(days=15))).content.decode()
    assert f'value="{format_be_input(today - dt.timedelta(days=15))}"' in html


def test_filter_overdue(alice, case_in, signed_in):
    late = record(alice)
    on_time = record(alice)
    closed_late = case_in(Status.CLOSED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Complaint.objects.filter(pk__in=[late.pk, closed_late.pk]).update(due_on=yesterday)
    client = signed_in(alice)

    response = get_list(client, overdue="on")

    assert listed(response) == [late.pk]
    assert "เกินกำหนด" in response.content.decode()
    assert sorted(listed(get_list(client))) == pks([late, on_time, closed_late])


def test_a_filter_typed_wrong_shows_its_error_and_the_others_still_apply(alice, signed_in):
    land = record(alice)
    loud = record(alice, **noise())
    client = signed_in(alice)

    response = get_list(client, q="รุกล้ำ", received_from="26/11/2026")

    assert "กรุณากรอกปีเป็นพุทธศักราช" in response.content.decode()
    assert listed(response) == [land.pk]
    assert listed(get_list(client, status="no-such-status", q="คาราโอเกะ")) == [loud.pk]
    assert len(listed(get_list(client, status="no-such-status"))) == 2


def test_filters_combine(case_in, alice, signed_in):
    assigned = case_in(Status.ASSIGNED)
    case_in(Status.RECEIVED)
    record(alice, **noise())
    client = signed_in(alice)

    assert listed(get_list(client, status="assigned", category=assigned.main_category_id)) == [assigned.pk]
    assert listed(get_list(client, status="assigned", category=Category.objects.get(name_th="เสียงดัง").pk)) == []


# --- Thai search ------------------------------------------------------------------------


@pytest.fixture
def searchable(alice, bob):
    return {
        "land": record(alice, subject="ร้องเรียนการบุกรุกที่ดิน", description=DESCRIPTION),
        "noise": record(alice, **noise()),
        "bob": record(bob, **noise()),
    }


@pytest.mark.parametrize(
    "query",
    ["รุกล้ำ", "ริมคลอง", "เพิงพัก", "ทองดี", "สมใจ", "ใจร้าย", "  รุกล้ำ   ริมคลอง ", "น้ำระบาย"],
)
def test_search_finds_a_word_inside_unspaced_thai(searchable, alice, signed_in, query):
    assert listed(get_list(signed_in(alice), q=query)) == [searchable["land"].pk]


def test_search_by_case_number(searchable, alice, signed_in):
    client = signed_in(alice)
    land, loud = searchable["land"], searchable["noise"]

    assert listed(get_list(client, q=land.number)) == [land.pk]
    assert listed(get_list(client, q=loud.number)) == [loud.pk]


def test_search_for_a_word_not_there_finds_nothing(searchable, alice, signed_in):
    client = signed_in(alice)

    assert listed(get_list(client, q="ยาเสพติด")) == []
    assert listed(get_list(client, q="รุกล้ำ คาราโอเกะ")) == []  # every word must be there


def test_search_in_thai_digits_and_other_spellings(searchable, alice, signed_in):
    client = signed_in(alice)
    land = searchable["land"]
    from core.thai import to_thai_digits

    assert listed(get_list(client, q=to_thai_digits(land.number))) == [land.pk]
    assert listed(get_list(client, q="0812345678")) == [land.pk]


def test_search_respects_visibility(searchable, alice, bob, paula, as_user):
    assert listed(get_list(as_user(bob), q="รุกล้ำ")) == []
    assert listed(get_list(as_user(bob), q="คาราโอเกะ")) == [searchable["bob"].pk]
    assert listed(get_list(as_user(alice), q="คาราโอเกะ")) == [searchable["noise"].pk]
    assert sorted(listed(get_list(as_user(paula), q="คาราโอเกะ"))) == pks([searchable["noise"], searchable["bob"]])


def test_search_combines_with_a_filter(searchable, alice, signed_in):
    client = signed_in(alice)

    assert listed(get_list(client, q="ริมคลอง", status="received")) == [searchable["land"].pk]
    assert listed(get_list(client, q="ริมคลอง", status="closed")) == []


# --- Keyset pagination ------------------------------------------------------------------

SIZE = 25


@pytest.fixture
def sixty(alice):
    """Sixty cases over twenty days, three a day, recorded in no date order."""
    days = [(i * 7) % 20 for i in range(60)]  # each of 0..19 three times, shuffled
    for index, days_ago in enumerate(days):
        record(alice, days_ago=days_ago, subject=f"เรื่องทดสอบลำดับที่ {index}")
    newest_first = list(Complaint.objects.order_by("-received_on", "-id").values_list("pk", flat=True))
    assert len(newest_first) == 60
    return newest_first


def walk_forward(user, filters, size=SIZE):
    pages, cursor = [], ""
    while True:
        page = selectors.case_list(user, filters, after=cursor, size=size)
        pages.append(page)
        assert len(pages) < 10, "the cursors do not end"
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def ids(page):
    return [case.pk for case in page.items]


def test_walking_forward_shows_every_case_once_newest_first(sixty, alice):
    pages = walk_forward(alice, CaseFilters())

    assert [len(page.items) for page in pages] == [25, 25, 10]
    assert [pk for page in pages for pk in ids(page)] == sixty
    assert pages[0].prev_cursor is None
    assert all(page.prev_cursor for page in pages[1:])
    keys = [(case.received_on, case.pk) for page in pages for case in page.items]
    assert keys == sorted(keys, reverse=True)


def test_walking_back_gives_the_same_pages(sixty, alice):
    forward = walk_forward(alice, CaseFilters())

    backward, cursor = [forward[-1]], forward[-1].prev_cursor
    while cursor:
        page = selectors.case_list(alice, CaseFilters(), before=cursor, size=SIZE)
        backward.insert(0, page)
        cursor = page.prev_cursor
        assert len(backward) < 10

    assert [ids(page) for page in backward] == [ids(page) for page in forward]
    assert backward[0].prev_cursor is None
    # From a page reached backwards, "next" leads forward again to the same page.
    again = selectors.case_list(alice, CaseFilters(), after=backward[0].next_cursor, size=SIZE)
    assert ids(again) == ids(forward[1])


def test_oldest_first_reverses_the_order(sixty, alice):
    pages = walk_forward(alice, CaseFilters(sort="oldest"))

    assert [pk for page in pages for pk in ids(page)] == list(reversed(sixty))

    back = selectors.case_list(alice, CaseFilters(sort="oldest"), before=pages[-1].prev_cursor, size=SIZE)
    assert ids(back) == ids(pages[-2])


def test_paging_with_a_filter_on(sixty, alice):
    cutoff = timezone.localdate() - dt.timedelta(days=9)
    expected = list(
        Complaint.objects.filter(received_on__gte=cutoff).order_by("-received_on", "-id").values_list("pk", flat=True)
    )
    assert len(expected) == 30

    pages = walk_forward(alice, CaseFilters(received_from=cutoff), size=7)

    assert [pk for page in pages for pk in ids(page)] == expected


def test_paging_through_the_page(sixty, alice, signed_in):
    client = signed_in(alice)

    first = get_list(client)
    assert listed(first) == sixty[:25]
    html = first.content.decode()
    assert 'rel="next"' in html and 'rel="prev"' not in html

    cursor = first.context["page"].next_cursor
    assert f"after={cursor}" in html
    second = get_list(client, after=cursor)
    assert listed(second) == sixty[25:50]
    third = get_list(client, after=second.context["page"].next_cursor)
    assert listed(third) == sixty[50:]
    assert 'rel="next"' not in third.content.decode()

    back = get_list(client, before=third.context["page"].prev_cursor)
    assert listed(back) == sixty[25:50]

    oldest = get_list(client, sort="oldest")
    assert listed(oldest) == list(reversed(sixty))[:25]
    # The page links keep the filters.
    assert "sort=oldest" in oldest.content.decode().split('rel="next"')[1].split(">")[0]
    oldest_next = get_list(client, sort="oldest", after=oldest.context["page"].next_cursor)
    assert listed(oldest_next) == list(reversed(sixty))[25:50]


def _b64(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


GARBAGE = [
    "garbage",
    "!!!",
    "%%%",
    "a",
    _b64(b"\xff\xfe\x00"),
    _b64(None),
    _b64(5),
    _b64([1, 2]),
    _b64(["2026-13-45", 1]),
    _b64(["2026-01-01", "x"]),
    _b64(["2026-01-01", 1, 2]),
    _b64({"a": 1}),
    _b64(b'["2026-01-01", 1e400]'),
    _b64(["2026-01-01", 10**30]),
]


@pytest.mark.parametrize("cursor", GARBAGE)
def test_a_garbage_cursor_gives_the_first_page(sixty, alice, cursor):
    for direction in ("after", "before"):
        page = selectors.case_list(alice, CaseFilters(), size=SIZE, **{direction: cursor})
        assert ids(page) == sixty[:25], direction
        assert page.prev_cursor is None


def test_a_garbage_cursor_on_the_page_is_ignored(sixty, alice, signed_in):
    client = signed_in(alice)

    for cursor in ("garbage", _b64(["2026-01-01", 10**30]), _b64(b'["2026-01-01", 1e400]')):
        assert listed(get_list(client, after=cursor)) == sixty[:25]
        assert listed(get_list(client, before=cursor)) == sixty[:25]


def test_a_cursor_past_the_end_gives_an_empty_page(sixty, alice):
    oldest = Complaint.objects.order_by("received_on", "id").first()
    past_the_end = selectors._encode(oldest)

    page = selectors.case_list(alice, CaseFilters(), after=past_the_end, size=SIZE)

    assert page.items == [] and page.next_cursor is None


def test_transferred_case_leaves_the_old_district_list(alice, harry, bob, ban_pong, as_user):
    case = record(alice, subdistrict="700501")
    services.case_transfer(actor=harry, case=case, district=ban_pong, reason="เหตุเกิดในเขตบ้านโป่ง")

    assert listed(get_list(as_user(alice))) == []
    assert listed(get_list(as_user(bob))) == [case.pk]
