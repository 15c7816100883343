"""Following a complaint on the citizens' site (/follow/): นางสมใจ types the code from her
receipt, or scans its QR code, and reads in plain Thai what happened to her complaint,
who handles it and what comes next; never a name, a note or an internal step."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import actions, services
from cases import public_wording as timeline
from cases.codes import format_tracking_code
from cases.models import Complaint, Outcome, Status
from citizens.models import CenterContact, Satisfaction
from citizens.tracking import limits
from citizens.tracking.selectors import satisfaction_summary
from core.models import Province
from tests.public.tracking_story import (
    COMPLAINANT,
    DESCRIPTION,
    PROGRESS_NOTE,
    RESPONDENT,
    SUBJECT,
    SUMMARY,
    close,
    closed_case,
    investigate,
    one_window,  # noqa: F401 - autouse fixture
    own_cache,  # noqa: F401 - autouse fixture
    record,
    track_url,
)

pytestmark = pytest.mark.django_db

CODE = "0TFHTC5ACESESYXYGK7V9QHBP1"  # 0, 1 and no look-alike letters: typed with O, I and L below


def page_of(client, case) -> str:
    response = client.get(track_url(case))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def steps_of(client, case) -> list[str]:
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'data-testid="tracking-step">(.*?)</span>', page_of(client, case), re.S)
    ]


def status_of(client, case) -> str:
    return re.search(r'data-testid="tracking-status">(.*?)</p>', page_of(client, case), re.S).group(1).strip()


# --- The wording is one table, checked against the actions ---------------------------------


def test_the_public_wording_names_every_step_of_cases_actions():
    """A new action must be worded (or hidden) here before a citizen sees anything of it."""
    assert set(timeline.PUBLIC_STEPS) == set(actions.LABELS)


def test_every_status_and_outcome_has_a_public_wording():
    assert set(timeline.STATUS_WORDING) == set(Status.values)
    assert set(timeline.NEXT_STEP) == set(Status.values)
    assert set(timeline.OUTCOME_WORDING) == set(Outcome.values)


def test_a_step_the_table_does_not_know_is_not_shown():
    now = timezone.now()
    events = [
        {"action": "intake", "at": now, "data": {}},
        {"action": "a_new_internal_step", "at": now, "data": {"note": "ภายใน"}},
    ]
    assert [s.text for s in timeline.steps(events, [], {})] == ["ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว"]


# --- The timeline, step by step --------------------------------------------------------------


def test_the_timeline_follows_the_officers_steps_in_plain_thai(client, alice, harry, tom, team):
    case = record(alice)
    assert steps_of(client, case) == ["ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว"]
    assert status_of(client, case) == "ศูนย์ฯ ได้รับเรื่องแล้ว อยู่ระหว่างพิจารณา"

    # Alice proposes Tom's team: the proposal waits for Harry, which is the officers' business.
    services.case_propose_assignment(actor=alice, case=case, team=team)
    assert steps_of(client, case) == ["ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว"]
    assert status_of(client, case) == "ศูนย์ฯ ได้รับเรื่องแล้ว อยู่ระหว่างพิจารณา"

    services.case_approve_assignment(actor=harry, case=case)
    services.case_accept(actor=tom, case=case)
    services.case_report_progress(actor=tom, case=case, text=PROGRESS_NOTE)
    services.case_propose_resolution(actor=tom, case=case, outcome="resolved", summary=SUMMARY)
    assert status_of(client, case) == "อยู่ระหว่างตรวจสอบและแก้ไขปัญหา"  # the proposal folds into the work
    services.case_approve_closure(actor=harry, case=case)

    assert steps_of(client, case) == [
        "ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว",
        "ส่งเรื่องให้ชุดปฏิบัติการประจำตำบลตรวจสอบในพื้นที่",
        "ชุดปฏิบัติการประจำตำบลรับเรื่องและเริ่มตรวจสอบข้อเท็จจริง",
        "มีความคืบหน้าในการตรวจสอบและแก้ไขปัญหา",
        "ยุติเรื่องแล้ว: แก้ไขปัญหาเรียบร้อยแล้ว",
    ]
    assert status_of(client, case) == "ยุติเรื่องแล้ว: แก้ไขปัญหาเรียบร้อยแล้ว"


def test_sent_back_steps_are_folded_into_the_public_step(client, alice, harry, tom, team):
    case = record(alice)
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_send_back_assignment(actor=harry, case=case, reason="ชุดนี้ติดภารกิจ")
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)
    services.case_accept(actor=tom, case=case)
    services.case_propose_resolution(actor=tom, case=case, outcome="resolved", summary=SUMMARY)
    services.case_send_back_resolution(actor=harry, case=case, reason="ขอภาพถ่ายหลังรื้อถอน")
    page = page_of(client, case)
    assert steps_of(client, case) == [
        "ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว",
        "ส่งเรื่องให้ชุดปฏิบัติการประจำตำบลตรวจสอบในพื้นที่",
        "ชุดปฏิบัติการประจำตำบลรับเรื่องและเริ่มตรวจสอบข้อเท็จจริง",
    ]
    assert "ชุดนี้ติดภารกิจ" not in page and "ขอภาพถ่ายหลังรื้อถอน" not in page


def test_an_agency_the_province_and_another_district(client, alice, harry, paula, hank, ban_pong):
    case = record(alice)
    today = timezone.localdate()
    services.case_forward(
        actor=alice, case=case, agency="สำนักงานที่ดินจังหวัดราชบุรี", letter_number="รบ 0018/9", letter_date=today
    )
    assert status_of(client, case) == "ส่งเรื่องให้หน่วยงานที่เกี่ยวข้องพิจารณา รอผล"
    services.case_agency_replied(actor=alice, case=case, reply="ตรวจสอบแล้วเป็นที่สาธารณะ", replied_on=today)
    services.case_escalate(actor=harry, case=case, reason="เกินอำนาจอำเภอ")
    page = page_of(client, case)
    assert "ศูนย์ดำรงธรรมจังหวัดราชบุรี" in page  # the province's center handles it now
    services.case_return_to_district(actor=paula, case=case, instructions="ให้อำเภอดำเนินการต่อ")
    services.case_transfer(actor=harry, case=case, district=ban_pong, reason="เหตุเกิดในเขตบ้านโป่ง")

    page = page_of(client, case)
    assert steps_of(client, case) == [
        "ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว",
        "ส่งเรื่องให้หน่วยงานที่เกี่ยวข้องพิจารณา",
        "หน่วยงานที่เกี่ยวข้องแจ้งผลการพิจารณาแล้ว ศูนย์ฯ ดำเนินการต่อ",
        "ส่งเรื่องให้ศูนย์ดำรงธรรมจังหวัดดูแล",
        "ศูนย์ดำรงธรรมจังหวัดส่งเรื่องให้ศูนย์ฯ อำเภอดำเนินการต่อ",
        "โอนเรื่องไปยังศูนย์ดำรงธรรมอำเภอบ้านโป่ง จังหวัดราชบุรี ซึ่งดูแลพื้นที่ที่เกิดเหตุ",
    ]
    assert "ศูนย์ดำรงธรรมอำเภอบ้านโป่ง จังหวัดราชบุรี" in re.search(
        r'data-testid="tracking-center">(.*?)</dd>', page, re.S
    ).group(1)
    for internal in ("สำนักงานที่ดิน", "รบ 0018/9", "เป็นที่สาธารณะ", "เกินอำนาจอำเภอ", "ให้อำเภอดำเนินการต่อ", "เหตุเกิดในเขต"):
        assert internal not in page, internal


def test_rejected_withdrawn_and_reopened(client, alice, harry):
    rejected = record(alice)
    services.case_reject(actor=harry, case=rejected, reason="ผู้ร้องให้ข้อมูลเท็จ")
    page = page_of(client, rejected)
    assert status_of(client, rejected) == "ไม่รับเรื่องไว้ดำเนินการ"
    assert "ศูนย์ฯ พิจารณาแล้ว ไม่รับเรื่องนี้ไว้ดำเนินการ สอบถามเหตุผลได้ที่ศูนย์ฯ" in page
    assert "ข้อมูลเท็จ" not in page

    withdrawn = record(alice)
    services.case_withdraw(actor=alice, case=withdrawn, reason="ผู้ร้องตกลงกันเองได้")
    assert steps_of(client, withdrawn)[-1] == "ยุติเรื่องตามที่ผู้ร้องขอถอนเรื่อง"
    services.case_reopen(actor=harry, case=withdrawn, reason="ผู้ร้องขอให้ดำเนินการต่อ")
    assert steps_of(client, withdrawn)[-1] == "ศูนย์ฯ เปิดเรื่องใหม่แล้ว"
    assert status_of(client, withdrawn) == "ศูนย์ฯ ได้รับเรื่องแล้ว อยู่ระหว่างพิจารณา"


# --- What comes next, and whom to call ------------------------------------------------------


def test_the_next_step_is_the_open_tasks_due_date(client, alice):
    case = record(alice)
    task = case.tasks.get(status="NEW")
    due = timezone.now() + dt.timedelta(days=3)
    type(task).objects.filter(pk=task.pk).update(due_at=due)
    page = page_of(client, case)
    next_step = re.search(r'data-testid="tracking-next">(.*?)</dd>', page, re.S).group(1)
    assert "ศูนย์ฯ พิจารณาเรื่องและมอบหมายผู้รับผิดชอบ" in next_step
    assert f"ภายในวันที่ {timeline_date(due)}" in next_step
    assert "กำหนดแล้วเสร็จ" in page  # the closure target too


def test_a_late_next_step_says_so(client, alice):
    case = record(alice)
    case.tasks.filter(status="NEW").update(due_at=timezone.now() - dt.timedelta(days=2))
    assert "ล่าช้ากว่ากำหนด" in page_of(client, case)


def timeline_date(moment) -> str:
    from core.thai import format_date

    return format_date(timezone.localdate(moment), long=True)


def test_the_center_phone_the_districts_else_the_provinces_else_1567(client, alice):
    case = record(alice)
    phone = re.compile(r'data-testid="tracking-phone">(.*?)</a>')
    assert phone.search(page_of(client, case)).group(1) == "1567"
    CenterContact.objects.create(province=Province.objects.get(code="70"), phone="032 321 000")
    assert phone.search(page_of(client, case)).group(1) == "032 321 000"
    CenterContact.objects.create(
        province_id="70", district_id="7001", phone="032 337 123", office_hours="08:30–16:30 น."
    )
    page = page_of(client, case)
    assert phone.search(page).group(1) == "032 337 123"
    assert 'href="tel:032337123"' in page and "08:30–16:30 น." in page


# --- Typing the code ------------------------------------------------------------------------


@pytest.fixture
def known_code(alice):
    case = record(alice)
    Complaint.objects.filter(pk=case.pk).update(tracking_code=CODE)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    "typed",
    [
        CODE,
        format_tracking_code(CODE),  # as printed: 0TFHT-C5ACE-SESYX-YGK7V-9QHBP1
        format_tracking_code(CODE).lower(),
        " ".join(format_tracking_code(CODE).split("-")),
        "OTFHT-C5ACE-SESYX-YGK7V-9QHBPI",  # O for 0, I for 1
        "otfht c5ace sesyx ygk7v 9qhbpl",  # and l for 1
        "๐TFHT-C5ACE-SESYX-YGK๗V-๙QHBP๑",  # Thai digits
    ],
)
def test_a_code_typed_as_people_type_it_finds_the_case(client, known_code, typed):
    response = client.get("/follow/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/follow/{CODE}/"
    assert "csrftoken" not in response.cookies


def test_a_code_in_the_address_is_put_right_too(client, known_code):
    response = client.get("/follow/otfht-c5ace-sesyx-ygk7v-9qhbpl/")
    assert response.status_code == 302 and response["Location"] == f"/follow/{CODE}/"


def test_a_u_gets_its_own_hint(client, known_code):
    """Crockford's base32 leaves U out without mapping it: we do not guess V (a wrong
    guess would lead to another case); the citizen is told to look again."""
    response = client.get("/follow/", {"code": CODE[:10] + "U" + CODE[11:]})
    assert response.status_code == 400
    assert "ไม่มีตัวอักษร U" in response.content.decode()


def test_a_code_of_the_wrong_length_says_how_long_a_code_is(client):
    response = client.get("/follow/", {"code": "0TFHT-C5ACE"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "26 ตัวอักษร" in page and "10 ตัว" in page
    assert response["Cache-Control"] == "no-store"


def test_a_wrong_code_gets_a_helpful_message(client, known_code):
    wrong = "1" + CODE[1:]
    response = client.get(f"/follow/{wrong}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    assert "ไม่พบเรื่องที่มีรหัสนี้" in page
    assert "26 ตัวอักษร" in page and "1567" in page
    assert f'value="{wrong}"' in page  # the form keeps what was typed, to correct it


def test_the_form_page_sets_no_cookie(client):
    response = client.get("/follow/")
    assert response.status_code == 200
    assert not response.cookies
    assert 'method="get"' in response.content.decode()


# --- Guessing codes is cut off ----------------------------------------------------------------


def wrong_codes(prefix: str = "ABCDE"):
    for n in range(1000):
        yield f"{prefix}{n:021d}"


def test_the_21st_wrong_code_in_a_minute_from_one_address_is_refused(client, known_code):
    guesses = wrong_codes()
    for _ in range(limits.MISSES_PER_ADDRESS):
        assert client.get(f"/follow/{next(guesses)}/", REMOTE_ADDR="203.0.113.7").status_code == 404
    refused = client.get(f"/follow/{next(guesses)}/", REMOTE_ADDR="203.0.113.7")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "กรอกรหัสติดตามเรื่องผิดหลายครั้งเกินไป" in page and "1567" in page
    assert refused["Cache-Control"] == "no-store" and 1 <= int(refused["Retry-After"]) <= 60
    # Even the right code: an answer that still told right from wrong would keep the guessing going.
    assert client.get(track_url(known_code), REMOTE_ADDR="203.0.113.7").status_code == 429
    # Someone else, elsewhere, is not held up.
    assert client.get(track_url(known_code), REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_window_passes(client, known_code, monkeypatch):
    request = type("R", (), {"META": {"REMOTE_ADDR": "203.0.113.7"}})()
    start = 1_800_000_000.0
    for n in range(limits.MISSES_PER_ADDRESS):
        limits.count_miss(request, f"Z{n:025d}", now=start)
    assert limits.refused(request, CODE, now=start + 1)
    assert not limits.refused(request, CODE, now=start + limits.WINDOW_SECONDS)


def test_right_codes_are_not_counted(client, known_code):
    for _ in range(limits.MISSES_PER_ADDRESS + 5):
        assert client.get(track_url(known_code), REMOTE_ADDR="203.0.113.7").status_code == 200


def test_the_per_prefix_limit_holds_across_addresses(client, known_code):
    """Finishing a code half seen (its first groups on a photo) from many addresses."""
    guesses = wrong_codes(prefix=CODE[: limits.PREFIX_LENGTH])
    for n in range(limits.MISSES_PER_PREFIX):
        assert client.get(f"/follow/{next(guesses)}/", REMOTE_ADDR=f"203.0.113.{n + 1}").status_code == 404
    assert client.get(f"/follow/{next(guesses)}/", REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.get(track_url(known_code), REMOTE_ADDR="198.51.100.2").status_code == 429
    # Other prefixes are not held up.
    assert client.get(f"/follow/{next(wrong_codes('QQQQQ'))}/", REMOTE_ADDR="198.51.100.3").status_code == 404


def test_behind_a_proxy_each_citizen_counts_alone(client, known_code, settings):
    """AXES_PROXY_COUNT=1: the address nginx saw, the last of X-Forwarded-For, not the
    proxy's own (everyone's) and not the entries the client wrote itself."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    guesses = wrong_codes()
    for n in range(limits.MISSES_PER_ADDRESS):
        spoofed = f"10.9.9.{n}, 203.0.113.7"  # a new made-up address in front each time
        assert (
            client.get(f"/follow/{next(guesses)}/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=spoofed).status_code
            == 404
        )
    blocked = client.get(track_url(known_code), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7")
    assert blocked.status_code == 429
    other = client.get(track_url(known_code), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 200


def test_an_ipv6_client_counts_by_its_64(client, known_code):
    guesses = wrong_codes()
    for n in range(limits.MISSES_PER_ADDRESS):
        client.get(f"/follow/{next(guesses)}/", REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    assert client.get(track_url(known_code), REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert client.get(track_url(known_code), REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


# --- Nothing personal, nothing internal ------------------------------------------------------


def test_no_personal_data_and_no_internal_notes_on_the_page(client, alice, harry, tom, team):
    case = closed_case(alice, harry, tom, team)
    Satisfaction.objects.create(complaint=case, rating=2, comment="เจ้าหน้าที่ชื่อสมชายพูดไม่สุภาพ")
    page = page_of(client, case)
    secrets = [
        COMPLAINANT.first_name, COMPLAINANT.last_name, COMPLAINANT.national_id, COMPLAINANT.phone, COMPLAINANT.email,
        COMPLAINANT.address, RESPONDENT.name, RESPONDENT.phone, RESPONDENT.address, SUBJECT, DESCRIPTION, PROGRESS_NOTE,
        SUMMARY, "ส่งชุดหน้าเมือง", "อนุมัติ เร่งด่วน", "รับทราบ", team.name, case.number,
        alice.get_full_name(), harry.get_full_name(), tom.get_full_name(), alice.first_name, harry.first_name,
        tom.first_name, alice.national_id, "สมชาย",
    ]  # fmt: skip
    leaked = [secret for secret in secrets if secret and secret in page]
    assert not leaked, leaked
    assert case.main_category.name_th in page  # the category and the received date instead of the subject
    assert case.tracking_code_display in page


# --- Fast, and cached as it should be --------------------------------------------------------


@pytest.mark.parametrize("state, queries", [("open", 5), ("closed", 4)])
def test_the_page_takes_a_fixed_handful_of_queries(client, alice, harry, tom, team, state, queries):
    case = record(alice)
    investigate(case, alice=alice, harry=harry, tom=tom, team=team)
    if state == "closed":
        close(case, harry=harry, tom=tom)
    client.get(track_url(case))  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(track_url(case))
    assert response.status_code == 200
    print(f"tracking page, {state} case: {len(captured)} queries")
    # The case (with its district, category and rating), its steps, its requests to
    # reopen, the center's contacts, and (open) the open task's due time.
    assert len(captured) == queries, [q["sql"][:120] for q in captured]


def test_caching_headers_and_cookies(client, alice, harry, tom, team):
    open_case = record(alice)
    response = client.get(track_url(open_case))
    assert response["Cache-Control"] == "private, max-age=60"
    assert not response.cookies
    closed = closed_case(alice, harry, tom, team)
    response = client.get(track_url(closed))
    assert response["Cache-Control"] == "private, max-age=60"
    assert not response.cookies  # its forms are pages of their own, opened by a button
    form = client.get(f"/follow/{closed.tracking_code}/rate/")
    assert "csrftoken" in form.cookies  # the citizen chose to rate: the form's cookie comes with it
    assert form["Cache-Control"] == "no-store"
    assert client.get("/follow/ABCDE/")["Cache-Control"] == "no-store"


def test_the_page_works_without_javascript_and_is_not_indexed(client, alice):
    case = record(alice)
    page = page_of(client, case)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    # The code is in the address: it never goes to another site as the Referer.
    assert client.get(track_url(case))["Referrer-Policy"] == "same-origin"
    assert "<script" not in page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_menu_has_tracking(client):
    page = client.get("/public/").content.decode()
    assert 'href="/follow/"' in page and "ติดตามเรื่อง" in page


# --- Rating the handling, once -----------------------------------------------------------------


def test_the_complainant_rates_a_closed_case_once(client, alice, harry, tom, team):
    case = closed_case(alice, harry, tom, team)
    rate = f"/follow/{case.tracking_code}/rate/"
    page = page_of(client, case)
    assert 'data-testid="rate-button"' in page and f'action="{rate}"' in page
    form = client.get(rate).content.decode()
    assert 'data-testid="rating-form"' in form and 'name="csrfmiddlewaretoken"' in form

    response = client.post(rate, {"rating": "4", "comment": "ขอบคุณที่ช่วยเหลือ"})
    assert response.status_code == 302
    assert response["Location"] == f"/follow/{case.tracking_code}/?done=rated#feedback"
    assert (case.satisfaction.rating, case.satisfaction.comment) == (4, "ขอบคุณที่ช่วยเหลือ")
    page = client.get(response["Location"]).content.decode()
    assert "ขอบคุณที่ให้คะแนน" in page
    assert 'data-testid="rate-button"' not in page and 'data-testid="rated"' in page
    assert "ขอบคุณที่ช่วยเหลือ" not in page  # her comment is for the center

    # A second try (the form kept open in another tab) is told politely; nothing changes.
    again = client.post(rate, {"rating": "1"})
    assert again["Location"] == f"/follow/{case.tracking_code}/?done=already_rated#feedback"
    assert "ให้คะแนนได้ครั้งเดียวต่อเรื่อง" in client.get(again["Location"]).content.decode()
    assert client.get(rate)["Location"].endswith("?done=already_rated#feedback")
    assert Satisfaction.objects.get(complaint=case).rating == 4


def test_a_rating_needs_a_level_and_an_ended_case(client, alice, harry, tom, team):
    case = closed_case(alice, harry, tom, team)
    response = client.post(f"/follow/{case.tracking_code}/rate/", {"rating": "", "comment": "x"})
    assert response.status_code == 400 and "กรุณาเลือกระดับความพึงพอใจ" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert client.post(f"/follow/{case.tracking_code}/rate/", {"rating": "9"}).status_code == 400

    open_case = record(alice)
    assert 'data-testid="rate-button"' not in page_of(client, open_case)
    for response in (
        client.get(f"/follow/{open_case.tracking_code}/rate/"),
        client.post(f"/follow/{open_case.tracking_code}/rate/", {"rating": "5"}),
    ):
        assert response.status_code == 409 and "ให้คะแนนได้เมื่อศูนย์ฯ ยุติเรื่องแล้ว" in response.content.decode()
    assert not Satisfaction.objects.filter(complaint=open_case).exists()


def test_a_wrong_code_cannot_rate(client):
    assert client.post(f"/follow/{'A' * 26}/rate/", {"rating": "5"}).status_code == 404


# --- The ratings in the reports -----------------------------------------------------------------


def test_satisfaction_summary_per_center(alice, harry, tom, team, bob):
    rated_5, rated_2, unrated = (closed_case(alice, harry, tom, team) for _ in range(3))
    Satisfaction.objects.create(complaint=rated_5, rating=5)
    Satisfaction.objects.create(complaint=rated_2, rating=2)
    record(alice)  # open: not among the closed
    rejected = record(alice)
    services.case_reject(actor=harry, case=rejected, reason="ไม่อยู่ในอำนาจ")

    summary = satisfaction_summary(Complaint.objects.filter(district_id="7001"))
    assert (summary.closed, summary.count, summary.average) == (4, 2, 3.5)
    assert summary.share_answered == pytest.approx(0.5)
    assert unrated.pk  # closed, not rated: counted among the closed

    ban_pong = satisfaction_summary(Complaint.objects.filter(district_id="7005"))
    assert (ban_pong.closed, ban_pong.count, ban_pong.average, ban_pong.share_answered) == (0, 0, None, None)


# --- The receipt's QR code ----------------------------------------------------------------------


def test_the_receipt_prints_the_tracking_link_and_its_qr_code(signed_in, alice, settings):
    settings.PUBLIC_SITE_URL = "https://damrongdhama.example.go.th"
    case = record(alice)
    page = signed_in(alice).get(f"/cases/{case.pk}/receipt/").content.decode()
    url = f"https://damrongdhama.example.go.th/follow/{case.tracking_code}/"
    assert f'data-testid="receipt-tracking-url">{url}<' in page
    svg = re.search(r'<div class="receipt-qr[^>]*>(<svg.*?</svg>)</div>', page, re.S).group(1)
    assert 'role="img"' in svg and "<title>" in svg and "<script" not in svg
    # The symbol is the URL's: segno draws the same modules for the same text.
    expected = segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, lineclass=None, omitsize=True)
    assert re.search(r' d="([^"]+)"', svg).group(1) == re.search(r' d="([^"]+)"', expected).group(1)


def test_without_a_public_address_the_receipt_uses_the_host_it_was_asked_on(signed_in, alice, settings):
    settings.PUBLIC_SITE_URL = ""
    case = record(alice)
    page = signed_in(alice).get(f"/cases/{case.pk}/receipt/", HTTP_HOST="127.0.0.1").content.decode()
    assert f"http://127.0.0.1/follow/{case.tracking_code}/" in page


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL; CI (.ci/run) always sets it")
def test_the_counters_work_on_redis(settings):
    """Production counts in Redis, shared by every web worker: add and incr as there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"dd-test-{uuid.uuid4()}",
        }
    }
    request = type("R", (), {"META": {"REMOTE_ADDR": "203.0.113.77"}})()
    now = 1_800_000_000.0
    for n in range(limits.MISSES_PER_ADDRESS - 1):
        limits.count_miss(request, f"R{n:025d}", now=now)
    assert not limits.refused(request, CODE, now=now)
    limits.count_miss(request, "R" * 26, now=now)
    assert limits.refused(request, CODE, now=now)
