"""Small helpers the workflow tests share."""

import datetime as dt

from django.utils import timezone
from viewflow.workflow.status import STATUS

from cases import services
from cases.models import Complaint
from workflows.engine import node_name
from workflows.models import CaseTask


def fresh(case) -> Complaint:
    return Complaint.objects.get(pk=case.pk)


def open_tasks(case) -> list[CaseTask]:
    return list(CaseTask.objects.filter(complaint_id=case.pk, status=STATUS.NEW).order_by("pk"))


def the_open_task(case) -> CaseTask:
    tasks = open_tasks(case)
    assert len(tasks) == 1, [(node_name(t), t.queue) for t in tasks]
    return tasks[0]


def closed_case(*, officer, head, team, member, outcome="resolved") -> Complaint:
    """A case taken through the whole district path to closure, through the services."""
    from tests.case_fixtures import intake_data

    case, _ = services.case_intake(actor=officer, district=officer.district, data=intake_data())
    services.case_propose_assignment(actor=officer, case=case, team=team)
    services.case_approve_assignment(actor=head, case=case)
    services.case_accept(actor=member, case=case)
    services.case_propose_resolution(actor=member, case=case, outcome=outcome, summary="ไกล่เกลี่ยแล้ว")
    services.case_approve_closure(actor=head, case=case)
    return fresh(case)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
