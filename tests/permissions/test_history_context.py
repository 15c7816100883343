"""History rows name who acted, whether from a page, a Celery task or a command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Complaint
from workflows import sla
from workflows.tasks import check_sla

pytestmark = pytest.mark.django_db


def test_a_web_request_records_the_signed_in_officer(signed_in, new_case, harry):
    client = signed_in(harry)
    client.post(
        reverse("cases:action", args=[new_case.pk, "reject"]),
        {"expected_status": "received", "reason": "ไม่ใช่เรื่องร้องเรียน"},
    )
    latest = Complaint.history.filter(id=new_case.pk).latest("history_date")
    assert latest.history_user == harry and latest.history_change_reason == "reject"


def test_a_celery_task_records_the_system(new_case, settings):
    Complaint.objects.filter(pk=new_case.pk).update(due_on=new_case.received_on - dt.timedelta(days=60))
    check_sla.delay().get()
    latest = Complaint.history.filter(id=new_case.pk).latest("history_date")
    assert latest.history_change_reason == "escalate"
    assert latest.history_user is None  # the system, not whoever happened to be signed in
    assert sla  # imported for the task's registration


def test_a_command_records_the_officer_given_with_as(geography, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo_cases", "--as", "1700100000021", verbosity=0)
    from cases.models import Team

    # What the command itself creates is recorded as the officer named with --as ...
    teams = Team.history.filter(history_type="+")
    assert teams.exists()
    assert {row.history_user.national_id for row in teams} == {"1700100000021"}
    # ... while a service acting for a named officer records that officer.
    intake = Complaint.history.filter(history_type="+").first()
    assert intake.history_user == intake.instance.recorded_by
