"""Who acts next on a case: the one table of state → human task → whose queue.

Each open state of a complaint implies one human task (``TASKS``); the task sits in
the queue of one role, which for two tasks depends on the case (the head's decisions
go to the province head once escalated or when the district head is the respondent;
an investigation with no team is the district officers'). The viewflow graph
(``workflows.flows``), the engine's stamping and invariant (``workflows.engine``),
the inbox labels, the SLA clocks and the bench generator all read this table; who
of a role's people may hold a task is ``workflows.engine.eligible``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Complaint, Status
from core.roles import Role
from permissions import rules


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


# --- Queues: the role whose people hold the task of a case ------------------------------


def district_officers(case: Complaint) -> str:
    return Role.DISTRICT_OFFICER


def deciding_head(case: Complaint) -> str:
    """The head's decisions are the province head's once escalated, or when the district
    head is named as respondent (``permissions.rules.decided_by_province``)."""
    return Role.PROVINCE_HEAD if rules.decided_by_province(case) else Role.DISTRICT_HEAD


def investigators(case: Complaint) -> str:
    """The assigned team; the district's officers when no team was ever assigned
    (forwarded straight from intake and back from the agency)."""
    return Role.TEAM_MEMBER if case.team_id is not None else Role.DISTRICT_OFFICER


def province_officers(case: Complaint) -> str:
    return Role.PROVINCE_OFFICER


# --- Clocks: when a task opened at ``created`` is due (SLA) -------------------------------
# Each clock starts when the work came to the task's holders, never earlier: a case
# returned by the province, transferred or reopened (``came_back``) gets the first-reply
# days from then, and an investigation opened again (sent back, or assigned anew after a
# return) its progress days from its opening, not from a report made long before.


def first_reply_due(case: Complaint, created: dt.datetime, came_back: bool) -> dt.datetime:
    since = max(case.received_on, timezone.localtime(created).date()) if came_back else case.received_on
    return _end_of(since + dt.timedelta(days=case.main_category.first_reply_days))


def progress_due(case: Complaint, created: dt.datetime, came_back: bool) -> dt.datetime:
    since = max(case.last_progress_at, created) if case.last_progress_at else created
    return since + dt.timedelta(days=case.main_category.progress_days)


def approval_due(case: Complaint, created: dt.datetime, came_back: bool) -> dt.datetime:
    return created + dt.timedelta(days=settings.SLA_APPROVAL_DAYS)


def agency_reply_due(case: Complaint, created: dt.datetime, came_back: bool) -> dt.datetime:
    return created + dt.timedelta(days=settings.SLA_AGENCY_REPLY_DAYS)


def escalation_due(case: Complaint, created: dt.datetime, came_back: bool) -> dt.datetime:
    return created + dt.timedelta(days=settings.SLA_ESCALATION_DAYS)


@dataclass(frozen=True)
class HumanTask:
    name: str  # the flow node's name
    label: Promise
    states: tuple[str, ...]  # the case states in which this task is open
    queue: Callable[[Complaint], str]  # the role whose queue holds it
    due: Callable[[Complaint, dt.datetime, bool], dt.datetime]
    # The case actions by which a person takes the task, per state: taking it is that
    # action (a team member accepts an assigned case, and the investigation is then
    # his), so the inbox and the case page offer the action and no separate claim.
    taken_by: tuple[tuple[str, str], ...] = ()


TASKS: tuple[HumanTask, ...] = (
    HumanTask("triage", _("พิจารณาเรื่องใหม่"), (Status.RECEIVED,), district_officers, first_reply_due),
    HumanTask(
        "approve_assignment", _("อนุมัติการมอบหมายชุดปฏิบัติการ"), (Status.ASSIGNMENT_PENDING,), deciding_head,
        approval_due,
    ),
    HumanTask(
        "investigate", _("ตรวจสอบข้อเท็จจริงและไกล่เกลี่ย"), (Status.ASSIGNED, Status.INVESTIGATING), investigators,
        progress_due, taken_by=((Status.ASSIGNED, "accept"),),
    ),
    HumanTask("approve_closure", _("อนุมัติยุติเรื่อง"), (Status.RESOLUTION_PENDING,), deciding_head, approval_due),
    HumanTask("await_agency", _("ติดตามผลจากหน่วยงาน"), (Status.FORWARDED,), district_officers, agency_reply_due),
    HumanTask(
        "handle_escalation", _("พิจารณาเรื่องที่อำเภอส่งถึงจังหวัด"), (Status.ESCALATED,), province_officers,
        escalation_due,
    ),
)  # fmt: skip

BY_NAME: dict[str, HumanTask] = {task.name: task for task in TASKS}
BY_STATE: dict[str, HumanTask] = {state: task for task in TASKS for state in task.states}
LABELS: dict[str, Promise] = {task.name: task.label for task in TASKS}


def task_for(status: str) -> HumanTask | None:
    """The task a case in ``status`` awaits; None for a closed or rejected case."""
    return BY_STATE.get(status)


def label(name: str) -> str:
    return str(LABELS.get(name, ""))
