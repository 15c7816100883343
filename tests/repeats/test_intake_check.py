"""The live repeat check at intake (issue 11 §2): Alice types a complaint; the panel
"อาจเป็นเรื่องซ้ำ" shows the cases it may repeat. Her district's cases as whole cards,
another district's as minimal cards (center, number, date, status, relation: no name, no
text), each shown outside her sight an audit row.

Most stories here give the engine's answer themselves (``engine_finds``), so that they
tell what the panel shows for a known answer; the last ones ask the real engine."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent, Kind
from audit.verify import verify
from cases.services import ComplainantData, RespondentData, case_intake
from core.thai import format_date, format_national_id, make_national_id, to_thai_digits
from repeats import display, matching
from tests.case_fixtures import intake_data
from tests.cases.test_intake import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHECK = "/repeats/check/"
SOMCHAI_ID = make_national_id("310050012345")


def record(officer, **overrides):
    case, _ = case_intake(actor=officer, district=officer.district, data=intake_data(**overrides))
    return case


@pytest.fixture
def ban_pong_case(bob):
    """Bob's case in Ban Pong: outside Alice's sight."""
    return record(
        bob,
        subject="ถนนลูกรังชำรุดเป็นหลุมบ่อหน้าวัดหนองกบ",
        description="ฝนตกแล้วน้ำขังเป็นแอ่ง รถจักรยานยนต์ล้มบ่อยครั้ง ขอให้ซ่อมถนน",
        incident_subdistrict=bob.district.subdistricts.first(),
        complainants=[ComplainantData(title="นาย", first_name="สมชาย", last_name="ใจดี", national_id=SOMCHAI_ID)],
        respondents=[RespondentData(kind="agency", name="องค์การบริหารส่วนตำบลหนองกบ")],
    )


@pytest.fixture
def mueang_case(alice):
    """Alice's own earlier case: in her sight."""
    return record(alice)


def candidate(case, relation, score, *reasons, phrases=()):
    return matching.Candidate(
        complaint_id=case.pk, relation=relation, score=score,
        reasons=[matching.Reason(code, label, detail) for code, label, detail in reasons],
        shared_phrases=list(phrases),
    )  # fmt: skip


@pytest.fixture
def engine_finds(monkeypatch):
    """Make the engine answer ``candidates`` (whatever the draft); return the drafts it was asked about."""
    asked = []

    def answer(*candidates):
        def find_candidates(draft, *, exclude_ids=(), limit=20):
            asked.append((draft, tuple(exclude_ids)))
            return [c for c in candidates if c.complaint_id not in exclude_ids]

        monkeypatch.setattr(matching, "find_candidates", find_candidates)
        return asked

    return answer


def check(client, **overrides):
    return client.post(CHECK, form_data(**overrides))


# --- Who may check -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tom", "harry", "paula", "pete", "carol", "audrey"])
def test_only_an_officer_who_may_open_intake_checks(request, signed_in, who, engine_finds):
    asked = engine_finds()
    response = check(signed_in(request.getfixturevalue(who)))
    assert response.status_code == 403
    assert asked == []


def test_a_respondent_official_on_a_team_cannot_check(signed_in, tom, engine_finds):
    # Tom is the sub-district official complained about in a case: a team member all the same.
    record(UserFactory(roles=["district_officer"], district="7001"),
           respondents=[RespondentData(kind="official", name="ทอม", national_id=tom.national_id)])  # fmt: skip
    assert check(signed_in(tom)).status_code == 403


def test_signed_out_and_get_are_refused(client, signed_in, alice):
    assert client.post(CHECK, form_data()).status_code == 302  # to the login page
    assert signed_in(alice).get(CHECK).status_code == 405


def test_the_check_needs_the_csrf_token(alice, engine_finds):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(CHECK, form_data()).status_code == 403


# --- What the panel shows ----------------------------------------------------------------------


def test_a_case_in_sight_is_a_whole_card_linking_to_the_case(signed_in, alice, mueang_case, engine_finds):
    engine_finds(
        candidate(mueang_case, "complainant", 0.97, ("similar_name", "ชื่อคล้ายกัน", "สมใจ ทองดี ~ สมใจ ทองดี")),
        candidate(mueang_case, "grievance", 0.81, ("similar_text", "ข้อความคล้ายกัน", ""), phrases=["ที่สาธารณะ"]),
    )
    html = check(signed_in(alice)).content.decode()

    assert f'href="{mueang_case.get_absolute_url()}"' in html
    assert "บุกรุก<mark>ที่สาธารณะ</mark>ริมคลองหนองหว้า" in html  # the subject, its shared phrase marked
    assert "ผู้ร้องรายเดิม" in html and "เรื่องเดียวกัน" in html  # the relations
    assert "สมใจ ทองดี ~ สมใจ ทองดี" in html  # why: the names compared
    assert "97%" in html and "81%" in html
    assert 'data-in-scope="1"' in html and "ขอเข้าถึงเรื่อง" not in html
    assert not AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW).exists()  # nothing crossed a border


def test_a_case_outside_is_a_minimal_card_without_names_or_text(signed_in, alice, ban_pong_case, engine_finds):
    engine_finds(
        candidate(ban_pong_case, "complainant", 1.0, ("same_id", "เลขประจำตัวประชาชนตรงกัน", "สมชาย ใจดี")),
        candidate(ban_pong_case, "grievance", 0.7, ("similar_text", "ข้อความคล้ายกัน", "ถนนลูกรังชำรุด"),
                  phrases=["ถนนลูกรังชำรุด", "หลุมบ่อ"]),
        candidate(ban_pong_case, "respondent", 0.9,
                  ("similar_respondent_name", "ชื่อผู้ถูกร้องคล้ายกัน", "องค์การบริหารส่วนตำบลหนองกบ")),
    )  # fmt: skip
    html = check(signed_in(alice)).content.decode()

    # What the card says: center, number, received date, status, relations.
    assert ban_pong_case.number in html
    assert "ศูนย์ดำรงธรรมอำเภอบ้านโป่ง" in html
    assert "รับเรื่องแล้ว" in html
    assert format_date(ban_pong_case.received_on) in html
    assert "ผู้ร้องรายเดิม" in html and "ผู้ถูกร้องรายเดิม" in html and "เรื่องเดียวกัน" in html
    assert "ขอเข้าถึงเรื่อง" in html and 'data-in-scope="0"' in html
    # What it never says: names, the subject, the description, the shared phrases, a link.
    for secret in ("สมชาย", "ใจดี", SOMCHAI_ID, "ถนนลูกรัง", "หลุมบ่อ", "หนองกบ", "ซ่อมถนน", "<mark>",
                   ban_pong_case.get_absolute_url()):  # fmt: skip
        assert secret not in html, secret


def test_each_case_shown_outside_is_one_audit_row_per_check(signed_in, alice, ban_pong_case, mueang_case, engine_finds):
    engine_finds(
        candidate(ban_pong_case, "complainant", 1.0, ("same_id", "เลขประจำตัวประชาชนตรงกัน", "")),
        candidate(ban_pong_case, "grievance", 0.7, ("similar_text", "ข้อความคล้ายกัน", "")),
        candidate(mueang_case, "respondent", 0.9, ("same_respondent_id", "เลขผู้ถูกร้องตรงกัน", "")),
    )
    client = signed_in(alice)
    check(client)
    check(client, subject="บุกรุกที่สาธารณะริมคลอง อีกครั้ง")

    rows = AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW).order_by("id")
    assert rows.count() == 2  # Bob's case, once per check; Alice's own case never
    row = rows.first()
    assert (row.actor_id, row.complaint_id, row.case_number) == (alice.pk, ban_pong_case.pk, ban_pong_case.number)
    assert row.after == {"relations": ["complainant", "grievance"], "where": "intake"}
    assert row.detail == "repeat-candidate:intake complainant, grievance"
    # Nothing personal in the row beyond the case's id and number.
    assert "สมชาย" not in str(row.after) + row.detail and SOMCHAI_ID not in row.detail
    # The rows join the chain like every other.
    assert verify().breaks == []


def test_the_cards_come_best_first_and_at_most_ten(signed_in, alice, engine_finds):
    cases = [record(alice, subject=f"เรื่องที่ {n}") for n in range(12)]
    engine_finds(*[candidate(case, "grievance", 0.5 + n / 100) for n, case in enumerate(cases)])
    html = check(signed_in(alice)).content.decode()
    numbers = [case.number for case in reversed(cases)]
    shown = [number for number in numbers if number in html]
    assert shown == numbers[:10]
    assert [html.index(number) for number in shown] == sorted(html.index(number) for number in shown)


def test_a_confidential_complainant_is_not_named_to_a_colleague_not_handling_the_case(
    signed_in, alice, amy, engine_finds
):
    secret = record(alice, complainants=[ComplainantData(first_name="ลับเฉพาะ", last_name="ผู้ร้อง", is_confidential=True)])
    engine_finds(candidate(secret, "complainant", 0.95, ("similar_name", "ชื่อคล้ายกัน", "ลับเฉพาะ ผู้ร้อง ~ ลับเฉพาะ ผู้ร้อง")))

    for_amy = check(signed_in(amy)).content.decode()
    assert secret.number in for_amy and "ลับเฉพาะ" not in for_amy
    assert "ปกปิดข้อมูลผู้ร้อง" in for_amy
    # Alice recorded it: she handles it, and reads the name.
    assert "ลับเฉพาะ" in check(signed_in(alice)).content.decode()


def test_a_case_naming_the_officer_as_respondent_is_never_shown_to_him(signed_in, bob, engine_finds):
    named = UserFactory(first_name="ถูกร้อง", roles=["district_officer"], district="7001")
    about_him = record(
        UserFactory(roles=["district_officer"], district="7005"),
        respondents=[RespondentData(kind="official", name="ปลัด", national_id=named.national_id)],
    )
    other = record(bob)
    engine_finds(candidate(about_him, "respondent", 1.0), candidate(other, "grievance", 0.8))

    html = check(signed_in(named)).content.decode()
    assert about_him.number not in html and other.number in html
    assert not AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, complaint_id=about_him.pk).exists()


def test_a_request_already_waiting_shows_on_the_card(signed_in, alice, ban_pong_case, engine_finds):
    from permissions.services import request_access

    request_access(actor=alice, case=ban_pong_case, reason="ผู้ร้องรายเดียวกัน")
    engine_finds(candidate(ban_pong_case, "complainant", 1.0))
    html = check(signed_in(alice)).content.decode()
    assert "คุณขอเข้าถึงเรื่องนี้แล้ว" in html and 'data-testid="repeat-ask-open"' not in html


def test_nothing_found_says_so(signed_in, alice, engine_finds):
    engine_finds()
    html = check(signed_in(alice)).content.decode()
    assert "ไม่พบเรื่องที่อาจซ้ำ" in html


# --- What the check reads from the form --------------------------------------------------------


def test_the_draft_is_read_from_the_intake_form_as_typed(signed_in, alice, engine_finds):
    asked = engine_finds()
    check(
        signed_in(alice),
        **{
            "complainant-TOTAL_FORMS": "2",
            "complainant-0-national_id": to_thai_digits(format_national_id(SOMCHAI_ID)),  # ๓-๑๐๐๕-...
            "complainant-1-national_id": "31005",  # still being typed: no ID yet
            "complainant-1-first_name": "สมศรี",
            "respondent-0-kind": "company",
            "respondent-0-name": "บจก. ทดสอบ",
            "main_category": "not-a-number",
        },
    )
    ((draft, excluded),) = asked
    assert [c.national_id for c in draft.complainants] == [SOMCHAI_ID, ""]
    assert draft.complainants[1].first_name == "สมศรี"
    assert [(r.kind, r.name) for r in draft.respondents] == [("company", "บจก. ทดสอบ")]
    assert draft.subject.startswith("บุกรุกที่สาธารณะ") and draft.description
    assert draft.incident_subdistrict_id == "700101" and draft.main_category_id is None
    assert excluded == ()


def test_an_empty_form_asks_the_engine_nothing(signed_in, alice, engine_finds):
    asked = engine_finds()
    empty = {key: "" for key in form_data() if key.startswith(("complainant-0-", "respondent-0-"))}
    response = check(signed_in(alice), subject="", description="", **empty)
    assert response.status_code == 200 and asked == []
    assert 'data-testid="repeat-hint"' in response.content.decode()


def test_a_claimed_party_count_beyond_the_limit_reads_at_most_twenty(signed_in, alice, engine_finds):
    asked = engine_finds()
    check(signed_in(alice), **{"complainant-TOTAL_FORMS": "1000000"})
    ((draft, _excluded),) = asked
    assert len(draft.complainants) == 1


# --- Cost: a fixed number of queries, whatever the number of candidates ------------------------


def test_the_check_costs_the_same_queries_for_two_candidates_or_ten(signed_in, alice, bob, engine_finds):
    client = signed_in(alice)
    mine = [record(alice, subject=f"เรื่องในเขต {n}") for n in range(5)]
    theirs = [record(bob, subject=f"เรื่องนอกเขต {n}") for n in range(5)]

    def queries(cases):
        engine_finds(*[candidate(case, "grievance", 0.9, ("similar_text", "ข้อความคล้ายกัน", "")) for case in cases])
        check(client)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert check(client).status_code == 200
        return len(captured)

    few, many = queries([mine[0], theirs[0]]), queries(mine + theirs)
    print(f"repeat check: {few} queries for 2 candidates, {many} for 10")
    assert few == many


# --- On save: the saved case's candidates, for its page ----------------------------------------


def test_the_candidates_of_a_saved_case_leave_the_case_itself_out(alice, mueang_case, ban_pong_case, engine_finds):
    asked = engine_finds(candidate(mueang_case, "grievance", 1.0), candidate(ban_pong_case, "complainant", 0.9))
    cards = display.candidates_for_case(alice, mueang_case)
    assert [card.number for card in cards] == [ban_pong_case.number]
    assert asked[0][1] == (mueang_case.pk,)
    assert not cards[0].in_scope and cards[0].access_token
    shown = AuditEvent.objects.get(kind=Kind.PERSONAL_DATA_VIEW)
    assert shown.after["where"] == f"case:{mueang_case.pk}"


# --- With the real engine ----------------------------------------------------------------------


def test_the_real_engine_finds_a_complainant_elsewhere_and_a_grievance_here(
    signed_in, alice, ban_pong_case, mueang_case
):
    # Alice records Somchai (his ID typed with dashes) about the encroachment she already has on file.
    html = check(
        signed_in(alice),
        **{
            "complainant-0-national_id": format_national_id(SOMCHAI_ID),
            "complainant-0-title": "นาย",
            "complainant-0-first_name": "สมชาย",
            "complainant-0-last_name": "ใจดี",
        },
    ).content.decode()
    cards = html.split('data-testid="repeat-card"')[1:]
    outside = next(card for card in cards if ban_pong_case.number in card)
    inside = next(card for card in cards if mueang_case.number in card)
    assert 'data-in-scope="0"' in outside and 'data-relation="complainant"' in outside
    assert "ใจดี" not in outside
    assert 'data-in-scope="1"' in inside and 'data-relation="grievance"' in inside
    assert mueang_case.get_absolute_url() in inside


def test_the_token_of_a_card_names_the_case_for_its_reader_for_a_day(alice, amy, ban_pong_case):
    token = display.access_token(alice, ban_pong_case.pk)
    assert display.case_id_from_token(alice, token) == ban_pong_case.pk
    assert display.case_id_from_token(amy, token) is None  # another officer's card
    assert display.case_id_from_token(alice, token[:-2] + "xx") is None
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert display.case_id_from_token(alice, token) is None
