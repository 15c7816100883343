"""Asking the owning center for access to a case seen on a minimal card (issue 11 §2).

Alice, recording in Mueang Ratchaburi, is shown Bob's case of Ban Pong as a possible
repeat. She asks for access with a reason; Hank, Ban Pong's head, finds the request in his
inbox and grants it until a date he chooses (a share: the case opens to her), or refuses
it with a reason she reads. She may withdraw it while it waits. Each step is an audit row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from cases.models import Complaint
from cases.services import RespondentData, case_escalate, case_intake
from core.thai import format_be_input
from permissions import services as sharing
from permissions.models import AccessRequest, CaseShare
from repeats import access, display
from tests.case_fixtures import intake_data
from tests.factories import UserFactory
from workflows.models import Notification
from workflows.notify import notices_for

pytestmark = pytest.mark.django_db

REASON = "ผู้ร้องรายเดียวกันร้องเรื่องเดิมที่อำเภอเมือง ขอดูผลการดำเนินการ"


@pytest.fixture
def bobs_case(bob, hank):
    case, _ = case_intake(actor=bob, district=bob.district, data=intake_data(subject="ถนนชำรุดหน้าวัดหนองกบ"))
    return case


def visible(user, case) -> bool:
    return Complaint.objects.visible_to(user).filter(pk=case.pk).exists()


@pytest.fixture
def asked(alice, bobs_case, django_capture_on_commit_callbacks):
    """Alice's request for Bob's case, its notices sent (the outbox relays on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return sharing.request_access(actor=alice, case=bobs_case, reason=REASON)


def ask(client, user, case, reason=REASON, **headers):
    token = display.access_token(user, case.pk)
    return client.post(reverse("repeats:ask_access"), {"token": token, "reason": reason}, **headers)


FROM_THE_CARD = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


# --- Asking ---------------------------------------------------------------------------------------


def test_alice_asks_from_the_card_and_hank_is_told(
    signed_in, alice, hank, bob, bobs_case, django_capture_on_commit_callbacks
):
    client = signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, alice, bobs_case, **FROM_THE_CARD)

    assert response.status_code == 200
    assert "ส่งคำขอเข้าถึงเรื่องแล้ว" in response.content.decode()
    request = AccessRequest.objects.get()
    assert (request.complaint, request.requested_by, request.reason, request.state) == (
        bobs_case, alice, REASON, AccessRequest.State.PENDING,
    )  # fmt: skip
    # Hank, who may share the case, is told; Bob, an officer, is not.
    notice = Notification.objects.get()
    assert (notice.recipient, notice.complaint, notice.kind) == (hank, bobs_case, "access_request")
    assert "อลิส" in notices_for(hank)[0].text and "รอคุณพิจารณา" in notices_for(hank)[0].text
    row = AuditEvent.objects.filter(kind=Kind.TRANSITION, complaint_id=bobs_case.pk).last()
    assert row.actor_id == alice.pk and row.detail.startswith(f"access request {request.pk}: pending")
    assert row.after["state"] == "pending"
    # Asking does not open the case.
    assert not visible(alice, bobs_case)


def test_without_the_script_the_ask_lands_on_the_request(signed_in, alice, bobs_case):
    response = ask(signed_in(alice), alice, bobs_case)
    assert response.status_code == 302
    assert response["Location"] == reverse("repeats:access_request", args=[AccessRequest.objects.get().pk])


def test_a_reason_is_required(signed_in, alice, bobs_case):
    response = ask(signed_in(alice), alice, bobs_case, reason="  ", **FROM_THE_CARD)
    assert response.status_code == 400
    assert "กรุณาระบุเหตุผลที่ขอเข้าถึงเรื่องนี้" in response.content.decode()
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", "other officer"])
def test_only_a_card_shown_to_her_names_the_case(signed_in, alice, amy, bobs_case, token):
    if token == "other officer":
        token = display.access_token(amy, bobs_case.pk)
    response = signed_in(alice).post(reverse("repeats:ask_access"), {"token": token, "reason": REASON}, **FROM_THE_CARD)
    assert response.status_code == 400
    assert not AccessRequest.objects.exists()


def test_one_request_waits_per_officer_and_case(signed_in, alice, bobs_case, asked):
    response = ask(signed_in(alice), alice, bobs_case, **FROM_THE_CARD)
    assert response.status_code == 409
    assert "รอการพิจารณา" in response.content.decode()
    assert AccessRequest.objects.count() == 1


def test_no_request_for_a_case_already_in_sight(alice, harry):
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    with pytest.raises(sharing.AccessRefused, match="เข้าถึงเรื่องนี้ได้อยู่แล้ว"):
        sharing.request_access(actor=alice, case=case, reason=REASON)


def test_a_team_member_or_an_official_named_in_the_case_cannot_ask(tina, bob, bobs_case):
    with pytest.raises(sharing.AccessRefused):
        sharing.request_access(actor=UserFactory(roles=["team_member"], district="7001"), case=bobs_case, reason=REASON)
    named = UserFactory(roles=["district_officer"], district="7001")
    case, _ = case_intake(
        actor=bob, district=bob.district,
        data=intake_data(respondents=[RespondentData(kind="official", name="ปลัด", national_id=named.national_id)]),
    )  # fmt: skip
    with pytest.raises(sharing.AccessRefused, match="ขอเข้าถึงเรื่องนี้ไม่ได้"):
        sharing.request_access(actor=named, case=case, reason=REASON)


# --- Granting --------------------------------------------------------------------------------------


def test_hank_grants_and_the_case_opens_to_alice(
    signed_in, alice, hank, bobs_case, asked, django_capture_on_commit_callbacks
):
    alice_client = signed_in(alice)
    assert alice_client.get(bobs_case.get_absolute_url()).status_code == 404
    # Hank finds it in his inbox.
    head = signed_in(hank)
    inbox = head.get(reverse("workflows:inbox")).content.decode()
    assert 'data-testid="access-requests-box"' in inbox and bobs_case.number in inbox
    page = head.get(reverse("repeats:access_request", args=[asked.pk])).content.decode()
    assert REASON in page and 'data-testid="grant-form"' in page
    until = timezone.localdate() + dt.timedelta(days=14)

    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(
            reverse("repeats:grant_access", args=[asked.pk]), {"expires_on": format_be_input(until), "note": "ตามขอ"}
        )

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.state == AccessRequest.State.GRANTED and asked.decided_by == hank
    share = CaseShare.objects.get()
    assert asked.share == share and share.user == alice and share.expires_at.date() == until
    assert visible(alice, bobs_case)
    alice_client = signed_in(alice)
    assert alice_client.get(bobs_case.get_absolute_url()).status_code == 200
    # Alice is told, and the notice opens the case.
    notice = notices_for(alice)[0]
    assert notice.kind == "access_request_answer" and notice.case_visible and "ได้รับอนุญาต" in notice.text
    # Audited: the share (a permission granted) and the request's answer.
    assert AuditEvent.objects.filter(kind=Kind.PERMISSION_GRANT, complaint_id=bobs_case.pk).exists()
    answer = AuditEvent.objects.filter(kind=Kind.TRANSITION, complaint_id=bobs_case.pk).last()
    assert answer.actor_id == hank.pk and answer.before["state"] == "pending" and answer.after["state"] == "granted"
    # The box is empty now.
    assert 'data-testid="access-requests-box"' not in signed_in(hank).get(reverse("workflows:inbox")).content.decode()


def test_the_expiry_defaults_to_thirty_days_and_keeps_the_sharing_limits(signed_in, hank, asked):
    head = signed_in(hank)
    page = head.get(reverse("repeats:access_request", args=[asked.pk])).content.decode()
    assert format_be_input(timezone.localdate() + dt.timedelta(days=30)) in page
    too_far = format_be_input(timezone.localdate() + dt.timedelta(days=sharing.MAX_SHARE_DAYS + 1))
    response = head.post(reverse("repeats:grant_access", args=[asked.pk]), {"expires_on": too_far})
    assert response.status_code == 400 and "แชร์ได้ไม่เกิน" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == AccessRequest.State.PENDING and not CaseShare.objects.exists()


@pytest.mark.parametrize("who", ["bob", "harry", "pete", "alice"])
def test_only_a_head_who_may_share_the_case_answers(request, signed_in, asked, who):
    client = signed_in(request.getfixturevalue(who))
    until = format_be_input(timezone.localdate() + dt.timedelta(days=5))
    response = client.post(reverse("repeats:grant_access", args=[asked.pk]), {"expires_on": until})
    # Bob and Pete see the case but do not share it; Harry does not see it; Alice asked.
    assert response.status_code in (403, 404)
    assert client.post(reverse("repeats:refuse_access", args=[asked.pk]), {"note": "ไม่"}).status_code in (403, 404)
    asked.refresh_from_db()
    assert asked.state == AccessRequest.State.PENDING


def test_an_escalated_cases_requests_are_the_province_heads(pete, hank, bob, bobs_case, asked):
    assert access.waiting_for(pete) == ([], 0)
    case_escalate(actor=hank, case=bobs_case, reason="เกินอำนาจอำเภอ")
    assert access.waiting_for(pete) == ([asked], 1)
    until = timezone.localdate() + dt.timedelta(days=7)
    sharing.grant_access(actor=pete, access_request=asked, expires_on=until)
    assert asked.state == AccessRequest.State.GRANTED


# --- Refusing, withdrawing -------------------------------------------------------------------------


def test_hank_refuses_with_a_reason_alice_reads(
    signed_in, alice, hank, bobs_case, asked, django_capture_on_commit_callbacks
):
    head = signed_in(hank)
    assert head.post(reverse("repeats:refuse_access", args=[asked.pk]), {"note": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(reverse("repeats:refuse_access", args=[asked.pk]), {"note": "เป็นเรื่องคนละกรณี"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.state == AccessRequest.State.REFUSED and asked.decision_note == "เป็นเรื่องคนละกรณี"
    assert not visible(alice, bobs_case) and not CaseShare.objects.exists()
    notice = notices_for(alice)[0]
    assert "ไม่ได้รับอนุญาต" in notice.text and "เป็นเรื่องคนละกรณี" in notice.text and not notice.case_visible
    # Her own page of the request: the number and the answer, nothing of the case's text.
    page = signed_in(alice).get(reverse("repeats:access_request", args=[asked.pk])).content.decode()
    assert bobs_case.number in page and "เป็นเรื่องคนละกรณี" in page and bobs_case.subject not in page
    answer = AuditEvent.objects.filter(kind=Kind.TRANSITION, complaint_id=bobs_case.pk).last()
    assert answer.after["state"] == "refused" and "เป็นเรื่องคนละกรณี" in answer.detail
    # A decided request is not decided again.
    with pytest.raises(sharing.AccessRefused):
        sharing.grant_access(actor=hank, access_request=asked, expires_on=timezone.localdate() + dt.timedelta(days=3))


def test_alice_withdraws_and_may_ask_again(signed_in, alice, amy, bobs_case, asked):
    assert signed_in(amy).post(reverse("repeats:withdraw_access", args=[asked.pk])).status_code == 404
    client = signed_in(alice)
    assert client.post(reverse("repeats:withdraw_access", args=[asked.pk])).status_code == 302
    asked.refresh_from_db()
    assert asked.state == AccessRequest.State.WITHDRAWN
    row = AuditEvent.objects.filter(kind=Kind.TRANSITION, complaint_id=bobs_case.pk).last()
    assert row.after["state"] == "withdrawn" and row.actor_id == alice.pk
    with pytest.raises(sharing.AccessRefused):
        sharing.withdraw_access(actor=alice, access_request=asked)
    again = sharing.request_access(actor=alice, case=bobs_case, reason="ขอใหม่")
    assert again.pk != asked.pk


def test_the_refusal_reason_is_required_by_the_service(hank, asked):
    with pytest.raises(ValidationError):
        sharing.refuse_access(actor=hank, access_request=asked, note=" ")


# --- Who reads the requests ------------------------------------------------------------------------


def test_the_list_shows_a_head_what_waits_and_an_officer_her_own(signed_in, alice, hank, bobs_case, asked):
    for_hank = signed_in(hank).get(reverse("repeats:access_requests")).content.decode()
    assert 'data-testid="waiting"' in for_hank and bobs_case.number in for_hank
    for_alice = signed_in(alice).get(reverse("repeats:access_requests")).content.decode()
    assert 'data-testid="waiting"' not in for_alice and 'data-testid="mine"' in for_alice
    assert bobs_case.number in for_alice and bobs_case.subject not in for_alice


def test_an_officer_who_neither_asked_nor_sees_the_case_reads_nothing(signed_in, kim, asked):
    client = signed_in(kim)
    assert client.get(reverse("repeats:access_request", args=[asked.pk])).status_code == 404
    assert asked.complaint.number not in client.get(reverse("repeats:access_requests")).content.decode()


def test_the_start_page_shows_the_head_what_waits(signed_in, hank, asked):
    assert asked.complaint.number in signed_in(hank).get(reverse("home")).content.decode()
