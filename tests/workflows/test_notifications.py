"""Notifications: a notice is the case event it tells of, worded in the reader's
language when read; it names the case once, with its subject; the actor is never
told of her own action; and once the case is closed, or taken out of the reader's
sight, its notices are settled (marked read)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.actions import LABELS as ACTION_LABELS
from cases.models import CaseEvent, Status
from core import outbox
from core.models import District
from tests.case_fixtures import intake_data
from tests.workflows.helpers import fresh
from workflows import notify
from workflows.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(alice, amy, harry, django_capture_on_commit_callbacks):
    """A case Alice has just recorded; its notices have gone out."""
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    return case


def notice_list(client) -> str:
    html = client.get(reverse("workflows:notifications")).content.decode()
    return re.search(r'<ul class="list-group" data-testid="notifications">(.*?)</ul>', html, re.S).group(1)


def test_the_officer_is_not_told_of_her_own_intake(recorded, alice, amy):
    assert not Notification.objects.filter(recipient=alice).exists()
    notice = Notification.objects.get(recipient=amy)
    assert notice.event == CaseEvent.objects.get(complaint=recorded, action="intake")
    assert notice.kind == "intake" and notice.message == ""  # the event is stored, not a sentence


def test_each_notice_tells_of_its_own_event_when_two_actions_come_quickly(
    new_case, alice, harry, tom, team, django_capture_on_commit_callbacks
):
    # given two actions before any worker ran
    with django_capture_on_commit_callbacks(execute=False):
        services.case_propose_assignment(actor=alice, case=new_case, team=team)
        services.case_approve_assignment(actor=harry, case=fresh(new_case))

    # when the relay sends them
    outbox.relay()

    # then each person is told of the event that made it their move
    propose, approve = CaseEvent.objects.filter(complaint=new_case).exclude(action="intake").order_by("pk")
    assert Notification.objects.get(recipient=harry).event == propose
    assert Notification.objects.get(recipient=tom).event == approve
    with translation.override("th"):
        assert str(ACTION_LABELS["propose_assignment"]) in notify.render(Notification.objects.get(recipient=harry))


def test_the_page_names_the_case_once_with_its_subject(recorded, amy, alice, signed_in):
    items = notice_list(signed_in(amy))

    assert items.count(recorded.number) == 1
    assert recorded.subject in items
    assert f'href="{recorded.get_absolute_url()}"' in items
    with translation.override("th"):
        assert f"{ACTION_LABELS['intake']} โดย {alice.get_full_name()}" in items


def test_a_notice_reads_in_the_readers_language(recorded, amy, alice, signed_in):
    client = signed_in(amy)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    items = notice_list(client)

    with translation.override("en"):
        english = (
            f"{ACTION_LABELS['intake']} by {alice.get_full_name()} — your turn to act (status: {Status.RECEIVED.label})"
        )
    assert english in items
    assert "ถึงคราวของคุณ" not in items


def test_the_email_names_the_case_and_its_subject(alice, amy, mailoutbox, django_capture_on_commit_callbacks):
    amy.email = "amy@example.go.th"
    amy.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())

    [mail] = mailoutbox
    assert mail.to == ["amy@example.go.th"]
    assert mail.subject.startswith(f"{case.number}: ") and mail.subject.count(case.number) == 1
    assert case.subject in mail.body and reverse("cases:detail", args=[case.pk]) in mail.body
    with translation.override(settings.LANGUAGE_CODE):
        assert str(ACTION_LABELS["intake"]) in mail.subject  # the recipient's language, not the actor's


def test_a_closed_case_settles_its_notices(recorded, amy, harry, django_capture_on_commit_callbacks):
    assert Notification.objects.get(recipient=amy).read_at is None

    with django_capture_on_commit_callbacks(execute=True):
        services.case_reject(actor=harry, case=recorded, reason="ไม่ใช่เรื่องร้องเรียน")

    assert Notification.objects.get(recipient=amy).read_at is not None


def test_a_transfer_settles_the_notices_of_those_who_no_longer_see_the_case(
    recorded, amy, harry, bob, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transfer(
            actor=harry, case=recorded, district=District.objects.get(code="7005"), reason="เหตุเกิดที่บ้านโป่ง"
        )

    assert Notification.objects.get(recipient=amy).read_at is not None
    told = Notification.objects.get(recipient=bob)  # the new district's officer
    assert told.read_at is None and told.event.action == "transfer"

    items = notice_list(signed_in(amy))
    assert recorded.number in items and "เรื่องนี้ไม่อยู่ในความรับผิดชอบของคุณแล้ว" in items
    assert recorded.subject not in items and recorded.get_absolute_url() not in items


def test_a_task_delivered_twice_tells_each_person_once(recorded, amy, mailoutbox, django_capture_on_commit_callbacks):
    from workflows.tasks import notify_case_event

    event = CaseEvent.objects.get(complaint=recorded, action="intake")
    with django_capture_on_commit_callbacks(execute=True):
        again = notify_case_event(event_id=event.pk, recipient_ids=[amy.pk])

    assert again == 0
    assert Notification.objects.filter(recipient=amy).count() == 1
