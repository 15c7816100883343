"""Service levels: overdue work is told once to the people concerned, cases long
past their closure target go to the province on their own, by the hourly check."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseEvent, Complaint, Status
from core.roles import Role
from core.thai import format_date
from tests.case_fixtures import intake_data
from tests.factories import UserFactory
from tests.workflows.helpers import fresh, the_open_task
from workflows import engine, notify, sla
from workflows.models import CaseTask, Notification

pytestmark = pytest.mark.django_db


def local_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=timezone.get_current_timezone())


def recipients(**filters) -> list:
    return sorted(Notification.objects.filter(**filters).values_list("recipient_id", flat=True))


@pytest.fixture
def cast(alice, amy, harry, bob, tom, paula, pete):
    """Everyone who might be told, so that the tests see who is not."""


# --- Overdue notices -----------------------------------------------------------------------


def overdue_key(task) -> str:
    return f"overdue:{task.pk}:{task.due_at.isoformat()}"


def test_nothing_is_told_before_the_task_is_due(new_case, cast):
    task = the_open_task(new_case)
    result = sla.check(now=task.due_at - dt.timedelta(minutes=1))
    assert (result.overdue_tasks, result.notices, result.escalated) == (0, 0, 0)
    assert not Notification.objects.exists()


def test_an_overdue_triage_task_tells_the_queue_and_the_head_once_each(new_case, cast, alice, amy, harry):
    task = the_open_task(new_case)
    later = task.due_at + dt.timedelta(hours=1)
    assert later.date() < new_case.due_on  # far from the closure target: no escalation here

    result = sla.check(now=later)

    assert (result.overdue_tasks, result.notices, result.escalated) == (1, 3, 0)
    assert recipients() == sorted([alice.pk, amy.pk, harry.pk])
    notice = Notification.objects.get(recipient=alice)
    assert notice.kind == "overdue" and notice.key == f"overdue:{task.pk}:{task.due_at.isoformat()}"
    assert notice.complaint_id == new_case.pk
    due = timezone.localtime(task.due_at)
    # Stored as facts (item 22), worded when read: workflows.notify.render.
    assert notice.data == {"task": "triage", "due": due.date().isoformat()} and notice.message == ""
    assert "พิจารณาเรื่องใหม่" in notify.render(notice) and new_case.number not in notify.render(notice)
    assert format_date(due.date()) in notify.render(notice)
    assert notice.read_at is None

    again = sla.check(now=later + dt.timedelta(hours=1))
    assert (again.overdue_tasks, again.notices) == (0, 0)  # that deadline was reported already
    assert Notification.objects.count() == 3
    assert fresh(new_case).status == Status.RECEIVED


def test_a_claimed_overdue_task_tells_its_owner_and_the_head_only(new_case, cast, alice, harry):
    task = the_open_task(new_case)
    engine.claim(task, alice)
    result = sla.check(now=task.due_at + dt.timedelta(days=1))
    assert result.notices == 2
    assert recipients() == sorted([alice.pk, harry.pk])


def test_an_overdue_investigation_tells_the_team_and_the_head(new_case, cast, alice, harry, tom, team):
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    services.case_approve_assignment(actor=harry, case=new_case)
    services.case_accept(actor=tom, case=new_case)
    task = the_open_task(new_case)
    sla.check(now=task.due_at + dt.timedelta(minutes=1))
    assert recipients() == sorted([tom.pk, harry.pk])


def test_each_overdue_task_is_told_once_even_when_the_case_has_had_several(new_case, cast, alice, harry, team):
    triage = the_open_task(new_case)
    CaseTask.objects.filter(pk=triage.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    sla.check()
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    approval = the_open_task(new_case)
    sla.check(now=approval.due_at + dt.timedelta(minutes=1))
    # Harry hears of the triage and, as the approver, of his own approval.
    assert Notification.objects.filter(recipient=harry).count() == 2
    triage.refresh_from_db()
    assert set(Notification.objects.values_list("key", flat=True)) == {overdue_key(triage), overdue_key(approval)}
    assert Notification.objects.filter(recipient=alice).count() == 1


# --- Automatic escalation --------------------------------------------------------------------


def grace() -> dt.timedelta:
    return dt.timedelta(days=settings.SLA_ESCALATION_GRACE_DAYS)


def test_a_case_past_its_target_and_the_grace_period_goes_to_the_province(
    new_case, cast, paula, django_capture_on_commit_callbacks
):
    moment = local_noon(new_case.due_on + grace() + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        result = sla.check(now=moment)

    assert result.escalated == 1
    case = fresh(new_case)
    assert case.status == Status.ESCALATED and case.is_escalated
    event = case.events.get(action="escalate")
    assert event.actor is None and event.data == {"automatic": True}
    assert event.actor_name == "ระบบ (ตรวจกำหนดเวลา)"
    assert event.from_status == Status.RECEIVED and event.to_status == Status.ESCALATED
    task = the_open_task(case)
    assert engine.node_name(task) == "handle_escalation"
    assert (task.queue, task.province_id) == (Role.PROVINCE_OFFICER, "70")
    assert engine.check_case(case) == []
    # The province is told that the case is now theirs.
    assert Notification.objects.filter(recipient=paula, kind="escalate", complaint=case).count() == 1

    again = sla.check(now=moment + dt.timedelta(hours=1))
    assert again.escalated == 0
    assert CaseEvent.objects.filter(complaint=case, action="escalate").count() == 1
    assert the_open_task(case).pk == task.pk


def test_a_case_not_yet_past_the_grace_period_stays(new_case, cast):
    last_day = local_noon(new_case.due_on + grace())
    assert sla.check(now=last_day).escalated == 0
    assert fresh(new_case).status == Status.RECEIVED and not fresh(new_case).is_escalated
    assert sla.check(now=last_day + dt.timedelta(days=1)).escalated == 1


def test_escalation_looks_only_at_the_states_a_district_works_in(cast, alice, harry, tom, team):
    def intake():
        case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
        return case

    investigating, pending, forwarded, already = intake(), intake(), intake(), intake()
    for case in (investigating, pending):
        services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=investigating)
    services.case_accept(actor=tom, case=investigating)
    services.case_forward(
        actor=alice, case=forwarded, agency="อบต.", letter_number="1", letter_date=timezone.localdate()
    )
    services.case_escalate(actor=harry, case=already, reason="เกินอำนาจ")

    result = sla.check(now=local_noon(investigating.due_on + grace() + dt.timedelta(days=2)))

    assert result.escalated == 2
    assert fresh(investigating).status == fresh(forwarded).status == Status.ESCALATED
    assert fresh(pending).status == Status.ASSIGNMENT_PENDING  # waiting for the head: he is told, not bypassed
    assert already.events.filter(action="escalate").count() == 1
    for case in (investigating, pending, forwarded, already):
        assert engine.check_case(fresh(case)) == []


def test_the_escalation_service_refuses_a_case_not_due(new_case):
    with pytest.raises(services.ActionRefused) as refused:
        services.case_escalate_overdue(case=new_case, today=new_case.due_on + grace())
    assert refused.value.code == "not_due"


# --- E-mail and the notifications page ---------------------------------------------------------


def test_notices_are_emailed_to_those_with_an_address(
    new_case, cast, alice, amy, harry, mailoutbox, django_capture_on_commit_callbacks
):
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    task = the_open_task(new_case)

    with django_capture_on_commit_callbacks(execute=True):
        sla.check(now=task.due_at + dt.timedelta(hours=1))

    assert [message.to for message in mailoutbox] == [["alice@example.org"]]
    message = mailoutbox[0]
    assert new_case.number in message.subject
    assert settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[new_case.pk]) in message.body
    assert Notification.objects.get(recipient=alice).emailed_at is not None
    assert Notification.objects.get(recipient=amy).emailed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        sla.check(now=task.due_at + dt.timedelta(hours=2))
    assert len(mailoutbox) == 1  # told once


def test_the_notifications_page_and_mark_all_read(signed_in, new_case, cast, alice, amy):
    task = the_open_task(new_case)
    sla.check(now=task.due_at + dt.timedelta(hours=1))
    client = signed_in(alice)

    response = client.get(reverse("workflows:notifications"))
    content = response.content.decode()
    assert response.status_code == 200
    assert notify.render(Notification.objects.get(recipient=alice)) in content
    assert 'data-testid="badge-bell">1<' in content
    assert "ยังไม่อ่าน" in content

    response = client.post(reverse("workflows:notifications_read"), follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("workflows:notifications")
    assert 'data-testid="badge-bell"' not in content
    assert "ยังไม่อ่าน" not in content
    assert Notification.objects.get(recipient=alice).read_at is not None
    assert Notification.objects.get(recipient=amy).read_at is None  # only one's own
    assert client.get(reverse("workflows:notifications_read")).status_code == 405


def test_the_unread_badge_counts_and_caps(signed_in, alice, new_case):
    for n in range(120):
        Notification.objects.create(
            recipient=alice, complaint=new_case, kind="test", message=f"ข้อความ {n}", key=f"t{n}"
        )
    content = signed_in(alice).get(reverse("workflows:notifications")).content.decode()
    assert 'data-testid="badge-bell">99+<' in content
    assert content.count("ข้อความ ") == 100  # the page shows the latest hundred


# --- The Celery task ----------------------------------------------------------------------------


def test_the_celery_task_runs_the_check_and_returns_the_counts(new_case, cast):
    from workflows.tasks import check_sla

    CaseTask.objects.filter(pk=the_open_task(new_case).pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert check_sla.delay().get() == {"overdue_tasks": 1, "notices": 3, "escalated": 0}
    # Run again: that deadline was reported already, so there is nothing new to look at.
    assert check_sla.delay().get() == {"overdue_tasks": 0, "notices": 0, "escalated": 0}


def test_celery_beat_runs_the_check_hourly():
    from workflows.tasks import check_sla

    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == check_sla.name]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    seconds = schedule.total_seconds() if isinstance(schedule, dt.timedelta) else schedule
    assert 0 < seconds <= 60 * 60


def test_the_sla_check_makes_no_notice_for_a_case_everyone_left(new_case, harry):
    services.case_reject(actor=harry, case=new_case, reason="ไม่รับ")
    assert sla.check(now=timezone.now() + dt.timedelta(days=400)).overdue_tasks == 0
    assert Complaint.objects.get(pk=new_case.pk).status == Status.REJECTED


def test_overdue_province_work_tells_the_province_officers_and_head(new_case, cast, harry, paula, pete):
    services.case_escalate(actor=harry, case=new_case, reason="เกินอำนาจอำเภอ")
    handling = the_open_task(new_case)
    sla.check(now=handling.due_at + dt.timedelta(minutes=1))
    # The case is the province's now: its head oversees it, not the district's.
    assert recipients(key=overdue_key(handling)) == sorted([paula.pk, pete.pk])

    services.case_propose_resolution(actor=paula, case=new_case, outcome="resolved", summary="ประสานแล้ว")
    closure = the_open_task(new_case)
    sla.check(now=closure.due_at + dt.timedelta(minutes=1))
    assert recipients(key=overdue_key(closure)) == [pete.pk]


def test_the_check_does_not_look_at_everyone_in_the_country(new_case, cast):
    task = the_open_task(new_case)
    moment = task.due_at + dt.timedelta(hours=1)
    with CaptureQueriesContext(connection) as few:
        sla.check(now=moment)
    for district in ("7002", "7003", "7004", "7005", "7006"):
        for _ in range(4):
            UserFactory(roles=["district_officer"], district=district)
    Notification.objects.all().delete()
    CaseTask.objects.filter(pk=task.pk).update(overdue_notified_for=None)  # as if never reported
    with CaptureQueriesContext(connection) as many:
        sla.check(now=moment)
    assert len(many) == len(few)  # twenty officers elsewhere cost nothing


def test_a_new_deadline_missed_after_a_progress_report_is_reported_again(new_case, alice, harry, tom, team):
    case = new_case
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)
    services.case_accept(actor=tom, case=case)
    task = the_open_task(case)
    first = sla.check(now=task.due_at + dt.timedelta(hours=1))
    assert first.notices >= 1
    assert sla.check(now=task.due_at + dt.timedelta(hours=2)).notices == 0  # same deadline: once
    services.case_report_progress(actor=tom, case=case, text="ลงพื้นที่อีกครั้ง")
    task.refresh_from_db()
    second = sla.check(now=task.due_at + dt.timedelta(hours=1))
    assert second.notices >= 1  # the new deadline lapsed too: told again
