""" "Is it really fixed?": นางสมใจ says on the tracking page that the problem of her closed
case is not solved. The request reaches Harry, the head of Mueang Ratchaburi (a notice,
his inbox, the case page), who reopens the case or declines with a reason written for
her; both are on the audit log and on her tracking page. Nobody else decides, and
nobody outside the district sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import CaseEvent, Complaint, Status
from citizens.models import ReopenRequest, Satisfaction
from citizens.tracking import services as tracking
from tests.public.tracking_story import closed_case, one_window, own_cache, track_url  # noqa: F401 - autouse fixtures
from workflows.models import Notification

pytestmark = pytest.mark.django_db

REASON = "เพิงพักยังอยู่ที่เดิม น้ำยังท่วมขังหน้าบ้าน"
DECLINE = "ศูนย์ฯ ตรวจพื้นที่เมื่อวันที่ 2 แล้ว เพิงพักถูกรื้อแล้ว น้ำขังเกิดจากฝนตกหนัก ได้แจ้งเทศบาลให้ลอกท่อแล้ว"


@pytest.fixture
def case(alice, harry, tom, team):
    return closed_case(alice, harry, tom, team)


def ask(client, case, reason=REASON):
    return client.post(f"/follow/{case.tracking_code}/not-solved/", {"reason": reason})


def decide(client, item, decision, note=""):
    return client.post(reverse("public:reopen_request", args=[item.pk]), {"decision": decision, "note": note})


def request_rows(case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(complaint_id=case.pk, detail__startswith="reopen request").order_by("id"))


def test_the_request_reaches_the_head(client, case, harry, hank, alice, django_capture_on_commit_callbacks):
    page = client.get(track_url(case)).content.decode()
    assert 'data-testid="not-solved-button"' in page
    assert 'data-testid="not-solved-form"' in client.get(f"/follow/{case.tracking_code}/not-solved/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, case)
    assert response.status_code == 302
    assert response["Location"] == f"/follow/{case.tracking_code}/?done=asked#feedback"
    item = ReopenRequest.objects.get(complaint=case)
    assert (item.state, item.reason) == ("pending", REASON)

    # The citizen's page says it waits; the form is gone.
    page = client.get(response["Location"]).content.decode()
    assert "ส่งคำขอให้เปิดเรื่องใหม่แล้ว" in page and 'data-testid="request-pending"' in page
    assert 'data-testid="not-solved-button"' not in page
    assert "ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข และขอให้เปิดเรื่องใหม่" in page
    assert REASON not in page  # her words are for the center, not for whoever holds the code

    # On the audit log: made by the citizen (no account), from her address.
    (made,) = request_rows(case)
    assert made.actor_id is None and made.after == {"reopen_request": item.pk, "state": "pending"}

    # Harry is told (in the app), Hank of Ban Pong and Alice are not.
    notices = Notification.objects.filter(complaint=case, kind="reopen_request")
    assert [n.recipient for n in notices] == [harry]
    from workflows.notify import render

    assert "ขอให้เปิดเรื่องใหม่" in render(notices.get())

    # His inbox and the case page show it; Alice's inbox does not.
    client.force_login(harry)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert 'data-testid="reopen-requests-box"' in inbox and case.number in inbox
    detail = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="citizen-reopen-request"' in detail and REASON in detail
    client.force_login(alice)
    assert 'data-testid="reopen-requests-box"' not in client.get(reverse("workflows:inbox")).content.decode()


def test_a_second_request_while_one_waits_is_told_politely(client, case):
    ask(client, case)
    again = ask(client, case, "ยังไม่แก้")
    assert again["Location"].endswith("?done=already_asked#feedback")
    assert "รอศูนย์ฯ พิจารณาอยู่แล้ว" in client.get(again["Location"]).content.decode()
    assert ReopenRequest.objects.filter(complaint=case).count() == 1


def test_a_request_needs_a_reason(client, case):
    response = ask(client, case, "  ")
    assert response.status_code == 400
    assert "กรุณาเล่าว่าปัญหาใดยังไม่ได้รับการแก้ไข" in response.content.decode()
    assert not ReopenRequest.objects.exists()


def test_a_request_outside_the_window_is_refused(client, case, settings):
    Complaint.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=settings.CASE_REOPEN_DAYS + 1)
    )
    page = client.get(track_url(case)).content.decode()
    assert 'data-testid="not-solved-button"' not in page
    assert "ติดต่อศูนย์ดำรงธรรมตามหมายเลขด้านบน" in page
    assert client.get(f"/follow/{case.tracking_code}/not-solved/").status_code == 409
    response = ask(client, case)
    assert response.status_code == 409
    assert "ภายในระยะเวลาที่กำหนดหลังยุติเรื่อง" in response.content.decode()
    assert not ReopenRequest.objects.exists()


def test_an_open_case_takes_no_request(client, alice):
    from tests.public.tracking_story import record

    open_case = record(alice)
    assert ask(client, open_case).status_code == 409
    assert not ReopenRequest.objects.exists()


def test_the_head_reopens_the_case(client, case, harry):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    client.force_login(harry)
    page = client.get(reverse("public:reopen_request", args=[item.pk])).content.decode()
    assert 'data-testid="decision-form"' in page and REASON in page
    assert "ข้อความนี้จะแสดงต่อผู้ร้อง" in page  # he is told who reads his reason

    response = decide(client, item, "reopen", "ให้ชุดเดิมลงพื้นที่อีกครั้ง")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    item.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert (item.state, item.decided_by, item.decision_note) == ("reopened", harry, "ให้ชุดเดิมลงพื้นที่อีกครั้ง")
    reopened = CaseEvent.objects.get(complaint=case, action="reopen")
    assert REASON in reopened.note and "ให้ชุดเดิมลงพื้นที่อีกครั้ง" in reopened.note
    assert reopened.actor == harry

    made, decided = request_rows(case)
    assert decided.actor_id == harry.pk
    assert decided.before == {"reopen_request": item.pk, "state": "pending"}
    assert decided.after == {"reopen_request": item.pk, "state": "reopened"}
    assert AuditEvent.objects.filter(complaint_id=case.pk, kind="transition", action="reopen").exists()

    client.logout()
    page = client.get(track_url(case)).content.decode()
    assert "ศูนย์ฯ เปิดเรื่องใหม่แล้ว" in page
    assert "ให้ชุดเดิมลงพื้นที่อีกครั้ง" not in page  # his note on reopening is the officers'


def test_the_head_declines_with_a_reason_the_citizen_reads(client, case, harry):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    client.force_login(harry)

    missing = decide(client, item, "decline", "")
    assert missing.status_code == 400 and "กรุณาเขียนเหตุผลที่ไม่เปิดเรื่องใหม่ถึงผู้ร้อง" in missing.content.decode()

    assert decide(client, item, "decline", DECLINE).status_code == 302
    item.refresh_from_db()
    case.refresh_from_db()
    assert (item.state, item.decided_by) == ("declined", harry) and case.status == Status.CLOSED
    made, decided = request_rows(case)
    assert decided.after["state"] == "declined" and DECLINE in decided.detail

    client.logout()
    page = client.get(track_url(case)).content.decode()
    assert f"ศูนย์ฯ พิจารณาแล้ว ไม่เปิดเรื่องใหม่ เพราะ {DECLINE}" in page
    # Declined, she may ask again while the window lasts.
    assert 'data-testid="not-solved-button"' in page

    # Decided once: a second decision (another tab) is refused.
    client.force_login(harry)
    assert decide(client, item, "reopen").status_code == 403


def test_a_case_reopened_from_its_page_meanwhile_answers_the_request(client, case, harry):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    services.case_reopen(actor=harry, case=case, reason="ผู้ร้องโทรมาแจ้ง")
    client.force_login(harry)
    assert decide(client, item, "reopen").status_code == 302
    item.refresh_from_db()
    assert item.state == "reopened"
    assert CaseEvent.objects.filter(complaint=case, action="reopen").count() == 1


def test_after_the_window_the_head_may_decline_but_not_reopen(client, case, harry, settings):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    Complaint.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=settings.CASE_REOPEN_DAYS + 1)
    )
    client.force_login(harry)
    page = client.get(reverse("public:reopen_request", args=[item.pk])).content.decode()
    assert "พ้นระยะเวลาที่เปิดเรื่องใหม่ได้แล้ว" in page
    refused = decide(client, item, "reopen")
    assert refused.status_code == 302
    item.refresh_from_db()
    assert item.state == "pending"
    assert decide(client, item, "decline", DECLINE).status_code == 302
    item.refresh_from_db()
    assert item.state == "declined"


def test_another_districts_officers_neither_see_nor_decide(client, case, hank, bob, kim):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    for outsider in (hank, bob, kim):
        client.force_login(outsider)
        assert client.get(reverse("public:reopen_request", args=[item.pk])).status_code == 404
        assert decide(client, item, "reopen").status_code == 404
        listing = client.get(reverse("public:reopen_requests")).content.decode()
        assert case.number not in listing
        assert case.number not in client.get(reverse("workflows:inbox")).content.decode()
    item.refresh_from_db()
    assert item.state == "pending"


def test_colleagues_see_the_request_but_only_the_head_decides(client, case, alice, paula, harry):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    for colleague in (alice, paula):
        client.force_login(colleague)
        page = client.get(reverse("public:reopen_request", args=[item.pk])).content.decode()
        assert case.number in page and 'data-testid="decision-form"' not in page
        assert 'data-testid="request-waiting"' in page
        assert decide(client, item, "reopen").status_code == 403
        assert case.number in client.get(reverse("public:reopen_requests")).content.decode()
    with pytest.raises(services.ActionRefused):
        tracking.decide_reopen_request(actor=alice, reopen_request=item, reopen=True)
    client.force_login(harry)
    listing = client.get(reverse("public:reopen_requests")).content.decode()
    assert 'data-testid="waiting"' in listing and case.number in listing


def test_the_case_page_shows_the_rating(signed_in, case, harry):
    Satisfaction.objects.create(complaint=case, rating=3, comment="ช้าไปหน่อย")
    page = signed_in(harry).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="citizen-rating"' in page and "3/5" in page and "ช้าไปหน่อย" in page


def test_the_request_pages_need_an_account(client, case):
    ask(client, case)
    item = ReopenRequest.objects.get(complaint=case)
    for url in (reverse("public:reopen_requests"), reverse("public:reopen_request", args=[item.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
