"""Moving a case's workflow: start it, run its open task, keep tasks' jurisdiction
and due times, claim and release. ``cases.services`` is the only caller of
``start``/``perform``; the inbox pages call ``claim``/``release``/``reassign``.

Locks are always taken in one order: the complaint row (by the case service),
then the process row (viewflow's select_for_update lock), then task rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS

from audit import events as audit_events
from cases.actions import ACTIONS
from cases.hooks import WorkflowError
from cases.models import Complaint
from core.models import User
from core.roles import Role, ScopeLevel
from permissions import rules
from workflows import process
from workflows.flows import START_ACTIONS, CaseFlow
from workflows.models import CaseTask

LOCK_ATTEMPTS = 3

PROVINCE_QUEUES = frozenset({Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD})


def node_name(task: CaseTask) -> str:
    return task.flow_task.name if task.flow_task else ""


def _content_type() -> ContentType:
    return ContentType.objects.get_for_model(Complaint)


def open_tasks(case: Complaint):
    return CaseTask.objects.filter(complaint=case, status=STATUS.NEW)


def current_process(case: Complaint) -> Process | None:
    return (
        Process.objects.filter(artifact_content_type=_content_type(), artifact_object_id=case.pk, finished__isnull=True)
        .order_by("-pk")
        .first()
    )


# --- Moving the flow --------------------------------------------------------------------


def start(case: Complaint) -> None:
    """Open the case's process; its first task follows from the case's state."""
    CaseFlow.start.run(complaint=case)
    _stamp_new_tasks(case)


def perform(case: Complaint, *, action: str, actor: User | None, apply: Callable[[], object]) -> object:
    """Run ``apply`` (the case transition ``action``) as the work of the case's open task.

    The task completes, its switch opens the next one for the new state (or ends
    the process), and the new task gets the case's jurisdiction and due time. A
    transition out of a closed case (reopening) is a start node of the flow: it
    runs there and opens a new process. A case made before its workflow existed
    gets a process after the transition.
    """
    task = open_tasks(case).order_by("pk").first() or _unstamped_open_task(case)
    if task is None:
        if action in START_ACTIONS and current_process(case) is None:
            getattr(CaseFlow, action).run(complaint=case, apply=apply)
            _stamp_new_tasks(case)
            return case
        result = apply()
        if case.is_open:
            start(case)
        return result
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                result = task.flow_task.run(task, apply=apply)
            break
        except FlowLockFailed:
            # Another request holds the process row; it is about to release it.
            if attempt == LOCK_ATTEMPTS:
                raise WorkflowError(_("มีผู้อื่นกำลังทำรายการกับเรื่องนี้อยู่ กรุณาลองใหม่อีกครั้ง"), code="busy") from None
    if actor is not None:
        # "Done by me" lists the tasks a person completed, claimed or not.
        CaseTask.objects.filter(pk=task.pk).update(owner=actor)
    _stamp_new_tasks(case)
    if actor is not None:
        _keep_with_actor(case, actor, step=node_name(task))
    return result


def _keep_with_actor(case: Complaint, actor, *, step: str) -> None:
    """Give the actor the step's next task when the step goes on: accepting an
    assigned case completes one investigation task and opens the next, and that
    one is the accepting member's work, not the queue's."""
    for task in open_tasks(case).filter(owner__isnull=True):
        if node_name(task) == step and may_take(actor, task):
            claim(task, actor)


def opening_action(user, task: CaseTask, *, in_his_queue: bool = False):
    """The case action by which ``user`` takes ``task``, when taking it is an action
    (``HumanTask.taken_by``: accepting an assigned case; the investigation is then
    his, see _keep_with_actor). ``in_his_queue``: the task comes from his queue
    (``selectors.queue_tasks``, which is ``may_take`` as a query), so that is not
    asked again."""
    case = task.complaint
    if case is None or (kind := process.BY_NAME.get(node_name(task))) is None:
        return None
    name = dict(kind.taken_by).get(case.status)
    if name and (in_his_queue or may_take(user, task)) and ACTIONS[name].rule(user, case):
        return ACTIONS[name]
    return None


def opening_actions(user, tasks: list[CaseTask]) -> list:
    """``opening_action`` of each task of a page of ``user``'s queue, with the
    officials named in their cases read in one query, not one per row."""
    rules.read_named_officials([task.complaint for task in tasks if task.complaint is not None])
    return [opening_action(user, task, in_his_queue=True) for task in tasks]


def _unstamped_open_task(case: Complaint) -> CaseTask | None:
    flow_process = current_process(case)
    if flow_process is None:
        return None
    return CaseTask.objects.filter(process=flow_process, status=STATUS.NEW).order_by("pk").first()


def _stamp_new_tasks(case: Complaint) -> None:
    """Copy the case's jurisdiction and due time onto the tasks the flow just opened."""
    flow_process = current_process(case)
    if flow_process is None:
        return
    case = Complaint.objects.select_related("main_category", "district").get(pk=case.pk)
    for task in CaseTask.objects.filter(process=flow_process, status=STATUS.NEW, complaint__isnull=True):
        name = node_name(task)
        came_back = name == "triage" and _came_back(case, task)
        CaseTask.objects.filter(pk=task.pk).update(
            complaint=case, **stamp(name, case, task.created, came_back=came_back)
        )


def stamp(name: str, case: Complaint, created: dt.datetime, *, came_back: bool = False) -> dict:
    """What a task ``name`` of ``case`` opened at ``created`` carries: the case's
    jurisdiction, the queue it sits in and when it is due (the fields of CaseTask)."""
    queue = queue_for(name, case)
    return {
        "district_id": case.district_id,
        "province_id": case.province_id,
        "team_id": case.team_id if queue == Role.TEAM_MEMBER else None,
        "queue": queue,
        "due_at": due_at(name, case, created, came_back=came_back),
    }


def _came_back(case: Complaint, task: CaseTask) -> bool:
    """Whether a triage task opens for a case coming (back) to a district: returned
    by the province, transferred in, or reopened. Its first-reply clock starts then;
    new, or sent back by the head (the district's own round trip), the clock runs
    from the day the case was received."""
    previous = (
        CaseTask.objects.filter(complaint=case, status=STATUS.DONE)
        .exclude(pk=task.pk)
        .order_by("-finished", "-pk")
        .first()
    )
    if previous is None:
        return False
    return not (node_name(previous) == "approve_assignment" and previous.district_id == case.district_id)


def queue_for(name: str, case: Complaint) -> str:
    """The role whose queue holds the task ``name`` of ``case`` (``workflows.process``)."""
    kind = process.BY_NAME.get(name)
    return kind.queue(case) if kind else ""


def due_at(name: str, case: Complaint, created: dt.datetime, *, came_back: bool = False) -> dt.datetime | None:
    """When the task ``name`` opened at ``created`` is due (``HumanTask.due``)."""
    return process.BY_NAME[name].due(case, created, came_back)


def progress_reported(case: Complaint) -> None:
    """A progress report restarts the progress clock of the investigation task."""
    for task in open_tasks(case):
        if node_name(task) == "investigate":
            CaseTask.objects.filter(pk=task.pk).update(due_at=due_at("investigate", case, task.created))


# --- Claiming ---------------------------------------------------------------------------


def may_take(user, task: CaseTask) -> bool:
    """Whether ``user`` may hold ``task``, be offered it or be told of it: the rule of the
    task's queue on its case, for someone who sees the case (``rules.may_hold``)."""
    return task.complaint_id is not None and rules.may_hold(user, task.complaint, task.queue)


def _people_in_role(role: str, case: Complaint):
    """The active holders of ``role`` where ``case`` is: a narrowing query (not every
    holder of the role in the country); ``rules.may_hold`` decides who of them counts."""
    people = User.objects.with_role(role)
    if role == Role.TEAM_MEMBER:
        people = people.filter(team_memberships__team_id=case.team_id)
    elif role in PROVINCE_QUEUES:
        people = people.filter(scope_level=ScopeLevel.PROVINCE, province_id=case.province_id)
    else:
        people = people.filter(scope_level=ScopeLevel.DISTRICT, district_id=case.district_id)
    return people.distinct().order_by("first_name", "pk")


def eligible(case: Complaint | None, role: str) -> list[User]:
    """Everyone who may hold a task of ``case`` in ``role``'s queue: the one answer to
    "who may be offered, handed or told of this work". The rule of the role on the
    case, for someone who sees the case (``rules.may_hold``), so an official named as
    respondent is never among them. The task lists (``workflows.selectors.queue_filter``,
    tested to select the same), the assignee list, the notices and the SLA reminders
    all come here."""
    if case is None:
        return []
    return [user for user in _people_in_role(role, case) if rules.may_hold(user, case, role)]


def eligible_people(task: CaseTask) -> list[User]:
    """Whom a head may hand ``task`` to: the people of its queue."""
    return eligible(task.complaint, task.queue)


def holders(task: CaseTask) -> list[User]:
    """Whose move ``task`` is: its holder while he may hold it, else its whole queue."""
    if task.owner_id is not None and may_take(task.owner, task):
        return [task.owner]
    return eligible_people(task)


def overseer_role(task: CaseTask) -> str:
    """The head over the queue a task sits in: the province head over the province's
    work (an escalated case, or one whose district head is the respondent), else the
    district head."""
    if task.queue in PROVINCE_QUEUES or (task.complaint_id is not None and rules.head_is_respondent(task.complaint)):
        return Role.PROVINCE_HEAD
    return Role.DISTRICT_HEAD


def overseers(task: CaseTask) -> list[User]:
    """The heads over ``task`` who may see its case (never one named as respondent)."""
    return eligible(task.complaint, overseer_role(task))


def next_actors(case: Complaint) -> list[User]:
    """The people whose move it is on ``case`` now: whom the write path tells of a step."""
    task = open_tasks(case).select_related("owner", "complaint").order_by("pk").first()
    return holders(task) if task is not None else []


def may_reassign(user, task: CaseTask) -> bool:
    """Heads hand the tasks they oversee to someone else."""
    return task.complaint_id is not None and rules.may_hold(user, task.complaint, overseer_role(task))


def _locked(task_pk: int) -> CaseTask:
    task = CaseTask.objects.select_for_update().filter(pk=task_pk).first()
    if task is None or task.status != STATUS.NEW:
        raise WorkflowError(_("งานนี้เสร็จหรือถูกปิดไปแล้ว"), code="closed")
    return task


@transaction.atomic
def claim(task: CaseTask, user) -> CaseTask:
    task = _locked(task.pk)
    if task.owner_id == user.pk:
        return task
    if task.owner_id is not None:
        raise WorkflowError(_("%(name)s รับงานนี้ไปแล้ว") % {"name": task.owner.get_full_name()}, code="taken")
    if not may_take(user, task):
        raise WorkflowError(_("งานนี้ไม่อยู่ในคิวงานของคุณ"), code="forbidden")
    task.owner, task.assigned = user, timezone.now()
    task._history_user, task._change_reason = user, "claim"
    task.save(update_fields=["owner", "assigned"])
    audit_events.task_claimed(user, task)
    return task


@transaction.atomic
def release(task: CaseTask, user) -> CaseTask:
    task = _locked(task.pk)
    if task.owner_id != user.pk:
        raise WorkflowError(_("คืนได้เฉพาะงานที่คุณรับไว้"), code="not_owner")
    task.owner, task.assigned = None, None
    task._history_user, task._change_reason = user, "release"
    task.save(update_fields=["owner", "assigned"])
    audit_events.task_released(user, task)
    return task


@transaction.atomic
def return_to_queue(task: CaseTask, *, by, why: str) -> CaseTask:
    """Give a claimed task back to its queue without its holder: his account or his scope
    ended (accounts.services.end_scope). ``by`` did it (None: the system); the audit row
    names the officer the task was taken from."""
    task = _locked(task.pk)
    if task.owner_id is None:
        return task
    from_user_id = task.owner_id
    task.owner, task.assigned = None, None
    task._history_user, task._change_reason = by, why[:100]
    task.save(update_fields=["owner", "assigned"])
    audit_events.task_released(by, task, from_user_id=from_user_id)
    return task


@transaction.atomic
def reassign(task: CaseTask, head, to_user) -> CaseTask:
    task = _locked(task.pk)
    if not may_reassign(head, task):
        raise WorkflowError(_("คุณไม่มีสิทธิ์มอบหมายงานนี้ให้ผู้อื่น"), code="forbidden")
    if not may_take(to_user, task):
        raise WorkflowError(
            _("%(name)s ไม่อยู่ในคิวงานนี้ จึงรับงานนี้ไม่ได้") % {"name": to_user.get_full_name()}, code="not_eligible"
        )
    from_user_id = task.owner_id
    task.owner, task.assigned = to_user, timezone.now()
    task._history_user, task._change_reason = head, "reassign"
    task.save(update_fields=["owner", "assigned"])
    audit_events.task_reassigned(head, task, from_user_id=from_user_id, to_user=to_user)
    return task


# --- The invariant ----------------------------------------------------------------------


def expected_task(case: Complaint) -> str | None:
    kind = process.task_for(case.status)
    return kind.name if kind else None


def check_case(case: Complaint) -> list[str]:
    """Return what is wrong with the case's tasks (empty when all is well).

    An open case has exactly one open task, the one its state implies, in the
    right queue; a closed or rejected case has none.
    """
    problems = []
    tasks = list(
        CaseTask.objects.filter(
            process__artifact_object_id=case.pk, process__artifact_content_type=_content_type(), status=STATUS.NEW
        )
    )
    expected = expected_task(case)
    if expected is None:
        if tasks:
            problems.append(f"{case.number}: {case.status} but {len(tasks)} open task(s)")
        return problems
    if len(tasks) != 1:
        problems.append(f"{case.number}: {case.status} has {len(tasks)} open tasks, expected 1 ({expected})")
        return problems
    task = tasks[0]
    if node_name(task) != expected:
        problems.append(f"{case.number}: {case.status} has task {node_name(task)}, expected {expected}")
    if task.complaint_id != case.pk or task.district_id != case.district_id:
        problems.append(f"{case.number}: task {task.pk} carries the wrong case or district")
    if task.queue != queue_for(expected, case):
        problems.append(f"{case.number}: task {task.pk} in queue {task.queue}, expected {queue_for(expected, case)}")
    if task.queue == Role.TEAM_MEMBER and task.team_id != case.team_id:
        problems.append(f"{case.number}: task {task.pk} for team {task.team_id}, case team {case.team_id}")
    return problems
