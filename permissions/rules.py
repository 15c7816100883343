"""Who may do what to a case: one ``can_<action>(user, case)`` per action.

These answer "may this person act on this case", jurisdiction included. Whether
the case's state allows the action is the state machine's answer
(``cases.models.Complaint``); services ask both.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.memo import once
from core.roles import Role, ScopeLevel


def named_officials(case) -> list:
    """The accounts of the officials named as respondents in ``case``, read once per case object."""
    # An unsaved case (the bench generator's stand-in) has no respondents yet.
    return once(
        case,
        "_named_officials",
        lambda: (
            []
            if case.pk is None
            else [r.user for r in case.respondents.filter(user__isnull=False).select_related("user")]
        ),
    )


def read_named_officials(cases) -> None:
    """``named_officials`` of many cases (a page of them) in one query."""
    cases = [case for case in cases if case.pk is not None and getattr(case, "_named_officials", None) is None]
    if not cases:
        return
    officials = {case.pk: [] for case in cases}
    # The respondents through the case's relation, not an import: cases is above us.
    respondents = type(cases[0]).respondents.rel.related_model
    for respondent in respondents.objects.filter(complaint__in=cases, user__isnull=False).select_related("user"):
        officials[respondent.complaint_id].append(respondent.user)
    for case in cases:
        case._named_officials = officials[case.pk]


def is_respondent(user, case) -> bool:
    """Whether ``user`` is named as respondent in ``case``: he never sees it nor acts on it."""
    return any(official.pk == user.pk for official in named_officials(case))


def _works_in_district(user, case) -> bool:
    return user.scope_level == ScopeLevel.DISTRICT and user.district_id == case.district_id


def _in_district(user, case) -> bool:
    return _works_in_district(user, case) and not is_respondent(user, case)


def _in_province(user, case) -> bool:
    return (
        user.scope_level == ScopeLevel.PROVINCE
        and user.province_id == case.province_id
        and not is_respondent(user, case)
    )


def is_district_officer(user, case) -> bool:
    return user.has_role(Role.DISTRICT_OFFICER) and _in_district(user, case)


def is_district_head(user, case) -> bool:
    return user.has_role(Role.DISTRICT_HEAD) and _in_district(user, case)


def team_ids(user) -> frozenset[int]:
    """The teams ``user`` belongs to, read once per request (the case page asks per action)."""
    return once(user, "_team_ids", lambda: frozenset(user.team_memberships.values_list("team_id", flat=True)))


def is_team_member(user, case) -> bool:
    return (
        user.has_role(Role.TEAM_MEMBER)
        and case.team_id is not None
        and case.team_id in team_ids(user)
        and not is_respondent(user, case)
    )


def is_province_officer(user, case) -> bool:
    return user.has_role(Role.PROVINCE_OFFICER) and _in_province(user, case)


def is_province_head(user, case) -> bool:
    return user.has_role(Role.PROVINCE_HEAD) and _in_province(user, case)


def head_is_respondent(case) -> bool:
    """Whether a head of the case's district is named as respondent in it. The head's
    decisions on the case then go to the province head: a delegate is the head's own
    subordinate, and the named head would still be told of every step."""
    return any(
        official.has_role(Role.DISTRICT_HEAD) and _works_in_district(official, case)
        for official in named_officials(case)
    )


def decided_by_province(case) -> bool:
    """Whether the head's decisions on ``case`` (approving the assignment and the closure)
    are the province head's."""
    return case.is_escalated or head_is_respondent(case)


def is_deciding_head(user, case) -> bool:
    """The head whose decision the case awaits: the district head, or the province head
    (escalated, or the district head is the respondent)."""
    return is_province_head(user, case) if decided_by_province(case) else is_district_head(user, case)


# Who holds a task in each role's queue: the rule of that role on the task's case.
QUEUE_HOLDERS = {
    Role.DISTRICT_OFFICER: is_district_officer,
    Role.DISTRICT_HEAD: is_district_head,
    Role.TEAM_MEMBER: is_team_member,
    Role.PROVINCE_OFFICER: is_province_officer,
    Role.PROVINCE_HEAD: is_province_head,
}


def sees(user, case) -> bool:
    """Whether ``case`` is among ``Complaint.objects.visible_to(user)``."""
    return type(case).objects.visible_to(user).filter(pk=case.pk).exists()


def may_hold(user, case, queue: str) -> bool:
    """Whether ``user`` may take, be offered or be told of the task of ``case`` that sits
    in ``queue`` (a role): he has that role where the case is, and he sees the case.

    Every task list, assignee list, overseer and notification recipient derives from
    this (workflows.engine, workflows.selectors, workflows.sla, cases.selectors), so an
    official named as respondent is never among them.
    """
    holder = QUEUE_HOLDERS.get(queue)
    return holder is not None and holder(user, case) and sees(user, case)


def can_intake(user, district) -> bool:
    return _records_in(user, district.pk)


def can_import(user, district) -> bool:
    """Earlier records come in through an administrator whose scope holds the district,
    or a district officer of the district (her center's own spreadsheet)."""
    if can_intake(user, district):
        return True
    if not (user.is_active and user.has_role(Role.ADMINISTRATOR)):
        return False
    return (
        user.scope_level == ScopeLevel.NATION
        or (user.scope_level == ScopeLevel.PROVINCE and user.province_id == district.province_id)
        or (user.scope_level == ScopeLevel.DISTRICT and user.district_id == district.pk)
    )


def _records_in(user, district_code: str) -> bool:
    return (
        user.has_role(Role.DISTRICT_OFFICER)
        and user.scope_level == ScopeLevel.DISTRICT
        and user.district_id == district_code
    )


def can_propose_assignment(user, case) -> bool:
    return is_district_officer(user, case)


def can_approve_assignment(user, case) -> bool:
    return is_deciding_head(user, case)


can_send_back_assignment = can_approve_assignment


def can_accept(user, case) -> bool:
    return is_team_member(user, case)


def can_report_progress(user, case) -> bool:
    return is_team_member(user, case) or is_district_officer(user, case)


def can_propose_resolution(user, case) -> bool:
    if case.is_escalated:
        return is_province_officer(user, case)
    return is_team_member(user, case) or is_district_officer(user, case)


def can_approve_closure(user, case) -> bool:
    """The district head closes; once escalated, or when he is the respondent, the province head does."""
    return is_deciding_head(user, case)


can_send_back_resolution = can_approve_closure


def can_forward(user, case) -> bool:
    return is_district_officer(user, case)


can_agency_replied = can_forward


def can_escalate(user, case) -> bool:
    return is_district_head(user, case)


def can_return_to_district(user, case) -> bool:
    return is_province_officer(user, case)


def can_transfer(user, case) -> bool:
    return is_district_head(user, case)


def can_reject(user, case) -> bool:
    return is_district_head(user, case)


def can_withdraw(user, case) -> bool:
    return is_district_officer(user, case)


def within_reopen_window(case) -> bool:
    """Whether ``case`` was closed at most ``settings.CASE_REOPEN_DAYS`` ago: when the
    head may reopen it, and the complainant may ask him to (public.tracking)."""
    return case.closed_at is not None and timezone.now() - case.closed_at <= dt.timedelta(
        days=settings.CASE_REOPEN_DAYS
    )


def can_reopen(user, case) -> bool:
    """Within the reopening window after closure (settings.CASE_REOPEN_DAYS)."""
    return is_district_head(user, case) and within_reopen_window(case)


def can_attach(user, case) -> bool:
    """Add files to an open case: whoever may report on it or handle it."""
    return case.is_open and (
        can_report_progress(user, case)
        or is_district_head(user, case)
        or (case.is_escalated and (is_province_officer(user, case) or is_province_head(user, case)))
    )


# Timeline steps that do not make their author one of the case's handlers: any
# colleague who may report on the case may attach a file, and that must not unmask
# a confidential complainant any more than claiming the queue's task does.
NOT_HANDLING_STEPS = ("attach",)


def handles(user, case) -> bool:
    """Whether ``user`` is handling the case: recorded it, took a step of its
    workflow, or was handed its open task by a head. Claiming the task from the
    queue, or attaching a file, is not handling: anyone in the queue may do either."""
    if is_respondent(user, case):
        return False
    if case.recorded_by_id == user.pk or case.events.filter(actor=user).exclude(action__in=NOT_HANDLING_STEPS).exists():
        return True
    held = case.tasks.filter(owner=user, status="NEW").values("pk")
    # How the task came to its holder: the latest change of its owner in the task's history.
    came_by = (
        case.tasks.model.history.filter(id__in=held, history_change_reason__in=("claim", "reassign"))
        .order_by("-history_date", "-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    return came_by == "reassign"


def can_see_confidential(user, case) -> bool:
    """Who sees a confidential complainant's identity: the heads of the owning
    center (the province head once escalated), the officers handling the case,
    and auditors in scope. A colleague of the same district who is not
    handling it sees it masked."""
    if is_district_head(user, case) or (decided_by_province(case) and is_province_head(user, case)):
        return True
    if user.has_role(Role.AUDITOR) and not is_respondent(user, case):
        return True
    return handles(user, case)


def can_share(user, case) -> bool:
    """A head of the owning center (or, once escalated, the province head) shares a case."""
    return is_district_head(user, case) or (case.is_escalated and is_province_head(user, case))


def can_print_receipt(user, case) -> bool:
    """The receipt (ใบรับเรื่อง) is handed to the complainant by the owning center's staff."""
    return is_district_officer(user, case) or is_district_head(user, case)


# --- Pages that belong to no case: who may open them (their views and the menu ask) ---


def can_open_intake(user) -> bool:
    """The intake form, for a district officer recording in her own district."""
    # By code: the menu asks this on every page, and loading the district would cost a query.
    return user.district_id is not None and _records_in(user, user.district_id)


def can_open_district_dashboard(user) -> bool:
    """The district's overview (ภาพรวมอำเภอ), for the heads of a district."""
    return (
        user.has_role(Role.DISTRICT_HEAD) and user.scope_level == ScopeLevel.DISTRICT and user.district_id is not None
    )
