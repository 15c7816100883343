"""Inbox queries: scoped by jurisdiction, backed by the partial indexes on
CaseTask, keyset-paginated on (created, id), never a COUNT over the table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from cases.models import LONG_TEXTS, OPEN_STATUSES, Complaint, Outcome, Status
from core.keyset import decode_cursor, encode_cursor
from core.memo import once
from core.models import attach_users
from core.roles import Role, ScopeLevel
from permissions.rules import team_ids
from permissions.scoping import exceptions, named_as_respondent, visibility
from workflows.models import CaseTask, Notification

PAGE_SIZE = 25
COUNT_CAP = 100  # badges say "99+" rather than count a whole province's queue


@dataclass(frozen=True)
class TaskPage:
    items: list
    next_cursor: str | None


def _encode(moment: dt.datetime, pk: int) -> str:
    return encode_cursor(moment.isoformat(), pk)


def _decode(cursor: str):
    return decode_cursor(cursor, dt.datetime.fromisoformat)


def queue_filter(user) -> Q:
    """The tasks in ``user``'s queues: ``permissions.rules.may_hold`` as one query.

    A role's queue holds the tasks of cases where the role's rule holds for him
    (``rules.QUEUE_HOLDERS``: his district, his teams, his province), read on the
    case's district, team and province that the engine copies onto each task, so
    that each queue is one scan of its partial index; and, as in ``visible_to``,
    never a case naming him as respondent (one NOT EXISTS). The inbox tests check
    that this selects exactly the tasks ``workflows.engine.may_take`` allows.
    """
    allowed = Q(pk__in=[])
    if not user.is_active:
        return allowed
    roles = user.role_codes
    if user.scope_level == ScopeLevel.DISTRICT and user.district_id:
        for role in roles & {Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD}:
            allowed |= Q(queue=role, district_id=user.district_id)
    if Role.TEAM_MEMBER in roles and (teams := team_ids(user)):
        allowed |= Q(queue=Role.TEAM_MEMBER, team_id__in=teams)
    if user.scope_level == ScopeLevel.PROVINCE and user.province_id:
        for role in roles & {Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD}:
            allowed |= Q(queue=role, province_id=user.province_id)
    if exceptions(user).respondent:
        allowed &= ~named_as_respondent(user, "complaint__")
    return allowed


def _tasks():
    """Tasks with what their lists show: the case and its main category (not the owner
    nor the sub-category, which no list shows: a row's cost is mostly its model
    instances, about 0.5 ms a task with them, bench/pages)."""
    return CaseTask.objects.select_related("complaint__main_category").defer(
        *(f"complaint__{name}" for name in LONG_TEXTS)
    )


def my_tasks(user):
    """The open tasks ``user`` holds, while they are in his queues (not after he moved
    to another district or left the team)."""
    return _tasks().filter(queue_filter(user), status=STATUS.NEW, owner=user)


def queue_tasks(user):
    return _tasks().filter(queue_filter(user), status=STATUS.NEW, owner__isnull=True)


def _done_by(user):
    return _tasks().filter(status=STATUS.DONE, owner=user)


TABS = ("mine", "queue", "done")


def inbox_page(user, tab: str, *, after: str = "", size: int = PAGE_SIZE) -> TaskPage:
    """One page of an inbox tab (``TABS``), newest first."""
    if tab == "mine":
        return page(my_tasks(user), after=after, size=size)
    if tab == "queue":
        return page(queue_tasks(user), after=after, size=size)
    if tab == "done":
        # A case transferred away since stays out of sight, its finished tasks too.
        # The tasks he finished walk their own index in order, and each one's case
        # is checked as it comes (visible=): the planner, asked for the two at once,
        # read the whole district's or team's cases first, as many as the data holds.
        return page(_done_by(user), after=after, size=size, field="finished", visible=visibility(user, "complaint__"))
    raise ValueError(tab)


def _after(queryset, field: str, moment, pk: int):
    return queryset.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))


def _rows(queryset, ids, order):
    """The tasks ``ids`` (a list or a subquery) with what ``queryset`` selects and defers.
    The query is by id alone: repeating the filters there let PostgreSQL join the
    whole queue before applying the id list (province queue at 1M)."""
    outer = queryset.model._default_manager.filter(pk__in=ids)
    outer.query.select_related = queryset.query.select_related
    outer.query.deferred_loading = queryset.query.deferred_loading
    return outer.order_by(*order)


def first(queryset, order: tuple, n: int) -> list:
    """The first ``n`` rows of ``queryset`` in ``order``: their ids picked on the task
    table alone in a LIMITed subquery, then the case and category joined for those
    rows only (joined first, PostgreSQL read a whole queue's cases to sort it)."""
    return list(_rows(queryset, Subquery(queryset.order_by(*order).values("pk")[:n]), order))


def first_visible(queryset, visible: Q, order: tuple, n: int) -> list:
    """The first ``n`` rows of ``queryset`` in ``order`` that also meet ``visible``.

    The queryset's rows are read in order on its own index a window at a time, a page
    long and then four times longer while too few pass, and only each window's rows
    are checked against ``visible`` (their cases, by key). Given both at once,
    PostgreSQL gathered every case the condition allows first, as many as the data
    holds, then sorted."""
    rows, start, window = [], 0, n
    while len(rows) < n:
        ids = list(queryset.order_by(*order).values_list("pk", flat=True)[start : start + window])
        if ids:
            rows += _rows(queryset, ids, order).filter(visible)[: n - len(rows)]
        if len(ids) < window:
            break
        start, window = start + window, window * 4
    return rows


def page(
    queryset, *, after: str = "", size: int = PAGE_SIZE, field: str = "created", visible: Q | None = None
) -> TaskPage:
    """A page of ``queryset`` newest first on ``field``, after the cursor ``after``.

    ``visible`` is a condition the rows must also meet (``first_visible``: an officer
    moved to another district no longer sees his earlier tasks there)."""
    cursor = _decode(after) if after else None
    if cursor:
        queryset = _after(queryset, field, *cursor)
    # Pick the page's ids on the task table alone, then join the case and its
    # category for those rows only: a queue that ORs teams or roles cannot read
    # its index in order, and sorting its whole backlog joined grew with the data
    # (bench/results: team queue p95 x1.70 from 100k to 1M cases; x1.00 this way).
    order = (f"-{field}", "-pk")
    wanted = size + 1
    if visible is None:
        rows = first(queryset, order, wanted)
    else:
        rows = first_visible(queryset, visible, order, wanted)
    more = len(rows) > size
    rows = rows[:size]
    return TaskPage(items=rows, next_cursor=_encode(getattr(rows[-1], field), rows[-1].pk) if more and rows else None)


def capped_count(queryset) -> int:
    return queryset.order_by()[:COUNT_CAP].count()


def inbox_counts(user) -> dict[str, int]:
    return {"mine": capped_count(my_tasks(user)), "queue": capped_count(queue_tasks(user))}


def page_counts(user) -> dict[str, int]:
    """``inbox_counts`` of a page's user (``request.user``, which lives as long as the
    request), counted once per page: the menu's badge, the inbox's tabs and the home
    page's boxes all show them."""
    return once(user, "_inbox_counts", lambda: inbox_counts(user))


def unread_count(user) -> int:
    return capped_count(Notification.objects.filter(recipient=user, read_at__isnull=True))


# --- Overdue, and the resolution rate: each defined once -----------------------------------


def overdue(tasks, *, now: dt.datetime | None = None):
    """The overdue ones of ``tasks``: open, past their due time.

    "Overdue" (เกินกำหนด) means this, and only this, wherever it is shown or
    counted: the inbox's marks, the case page's task, the head's dashboard, the SLA
    notices (``CaseTask.is_overdue`` is the same test on one loaded row). Each
    task's clock starts when the work came to its holders (``engine.due_at``). The
    case's closure deadline is another fact, shown by its own name
    ("เกินกำหนดยุติเรื่อง"), on which the SLA check escalates the case.
    """
    return tasks.filter(status=STATUS.NEW, due_at__lt=now or timezone.now())


RESOLUTION_TARGET = 80  # per cent: the centres' key indicator (ร้อยละของการแก้ไขปัญหา)


@dataclass(frozen=True)
class ResolutionRate:
    """Resolved ÷ closed over a period, both shown. A case the complainant withdrew
    was not closed by the center's work, so it counts in neither. Nor does a case
    merged into another (repeats): the grievance counts once, as the case kept for it,
    and a merge is not a resolution."""

    resolved: int
    closed: int
    withdrawn: int

    @property
    def percent(self) -> float | None:
        return 100 * self.resolved / self.closed if self.closed else None

    @property
    def meets_target(self) -> bool | None:
        return None if self.percent is None else self.percent >= RESOLUTION_TARGET


def resolution_counts() -> dict:
    """The counts a ``ResolutionRate`` is made of, as aggregates over closed cases: for
    ``aggregate()`` (one figure) or ``values(...).annotate()`` (a figure per area)."""
    return {
        "closed": Count("pk", filter=~Q(outcome__in=[Outcome.WITHDRAWN, Outcome.MERGED])),
        "resolved": Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
        "withdrawn": Count("pk", filter=Q(outcome=Outcome.WITHDRAWN)),
    }


def closed_in(cases, *, since: dt.datetime, until: dt.datetime | None = None):
    """The cases of ``cases`` closed from ``since`` (until ``until``, exclusive)."""
    cases = cases.filter(status=Status.CLOSED, closed_at__gte=since)
    return cases.filter(closed_at__lt=until) if until else cases


def resolution_rate(cases, *, since: dt.datetime, until: dt.datetime | None = None) -> ResolutionRate:
    """The resolution rate of ``cases`` closed in the period (one query)."""
    return ResolutionRate(**closed_in(cases, since=since, until=until).aggregate(**resolution_counts()))


# --- The district head's dashboard ------------------------------------------------------


DASHBOARD_SHOWN = 20  # of each list; its count says how many there are, the inbox lists them all


@dataclass(frozen=True)
class Dashboard:
    approvals: list
    approvals_count: int
    overdue: list
    overdue_count: int
    per_team: list
    rate: ResolutionRate


def district_dashboard(user, *, today: dt.date | None = None, now: dt.datetime | None = None) -> Dashboard:
    """The head's view of his district: every figure over the cases ``user`` may
    see (``Complaint.objects.visible_to``), so a case he may not see (one naming
    him as respondent) is neither counted nor listed."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cases = Complaint.objects.visible_to(user).filter(district_id=user.district_id)
    # The district copied onto each task lets its index answer alone. A head sees every
    # case of his district (shares add other districts' cases, never tasks of his) but
    # one naming him as respondent: the same condition as his inbox's (queue_filter),
    # on the task's own columns, with the cases joined only for that exclusion. (Checked
    # through the cases, each count joined the district's every case: 3 ms at 1M.)
    tasks = _tasks().filter(district_id=user.district_id)
    if exceptions(user).respondent:
        tasks = tasks.exclude(named_as_respondent(user, "complaint__"))
    # His decisions waiting: the head's queue as his inbox reads it (queue_filter).
    waiting = tasks.filter(queue_filter(user), status=STATUS.NEW, queue=Role.DISTRICT_HEAD)
    approvals = first(waiting, ("created", "pk"), DASHBOARD_SHOWN)
    # The district's work: an escalated case's tasks are the province's.
    late = overdue(tasks.exclude(queue__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD]), now=now)
    per_team = list(
        cases.filter(status__in=OPEN_STATUSES, team__isnull=False)
        .values("team__name")
        .annotate(open_cases=Count("pk"))
        .order_by("team__name")
    )
    month_start = dt.datetime.combine(today.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    return Dashboard(
        approvals=approvals,
        approvals_count=capped_count(waiting),
        overdue=first(late, ("due_at", "pk"), DASHBOARD_SHOWN),
        overdue_count=capped_count(late),
        per_team=per_team,
        rate=resolution_rate(cases, since=month_start),
    )


@dataclass(frozen=True)
class TaskStep:
    task: str
    what: str
    who: str
    at: dt.datetime


def workflow_history(case) -> list[TaskStep]:
    """Each task of the case created, claimed, released, reassigned and finished: by whom, when."""
    tasks = {t.pk: t for t in CaseTask.objects.filter(complaint=case)}
    steps: list[TaskStep] = []
    history = list(CaseTask.history.filter(id__in=tasks).order_by("history_date", "history_id"))
    attach_users([*tasks.values(), *history], "owner")  # by key, not joined: core.models.attach_users
    attach_users(history, "history_user")
    seen_done: set[int] = set()
    reasons = {"claim": _("รับงาน"), "release": _("คืนงาน"), "reassign": _("มอบหมายงาน")}
    for row in history:
        label = tasks[row.id].label
        who = row.history_user.get_full_name() if row.history_user else ""
        if row.history_type == "+":
            steps.append(TaskStep(label, _("สร้างงาน"), _("ระบบ"), row.history_date))
        elif row.history_change_reason in reasons:
            owner = row.owner.get_full_name() if row.owner_id else ""
            what = reasons[row.history_change_reason] + (
                f" → {owner}" if row.history_change_reason == "reassign" else ""
            )
            steps.append(TaskStep(label, what, who or owner, row.history_date))
        elif row.status == STATUS.DONE and row.id not in seen_done:
            seen_done.add(row.id)
            done_by = tasks[row.id].owner.get_full_name() if tasks[row.id].owner_id else (who or _("ระบบ"))
            steps.append(TaskStep(label, _("งานเสร็จ"), done_by, row.finished or row.history_date))
    return steps
