"""Who may do what to a case: one ``can_<action>(user, case)`` per action.

These answer "may this person act on this case", jurisdiction included. Whether
the case's state allows the action is the state machine's answer
(``cases.models.Complaint``); services ask both.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from permissions.roles import Role, ScopeLevel


def _in_district(user, case) -> bool:
    return user.scope_level == ScopeLevel.DISTRICT and user.district_id == case.district_id


def _in_province(user, case) -> bool:
    return user.scope_level == ScopeLevel.PROVINCE and user.province_id == case.province_id


def is_district_officer(user, case) -> bool:
    return user.has_role(Role.DISTRICT_OFFICER) and _in_district(user, case)


def is_district_head(user, case) -> bool:
    return user.has_role(Role.DISTRICT_HEAD) and _in_district(user, case)


def team_ids(user) -> frozenset[int]:
    """The teams ``user`` belongs to, read once per request (the case page asks per action)."""
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = frozenset(user.team_memberships.values_list("team_id", flat=True))
        user._team_ids = cached
    return cached


def is_team_member(user, case) -> bool:
    return user.has_role(Role.TEAM_MEMBER) and case.team_id is not None and case.team_id in team_ids(user)


def is_province_officer(user, case) -> bool:
    return user.has_role(Role.PROVINCE_OFFICER) and _in_province(user, case)


def is_province_head(user, case) -> bool:
    return user.has_role(Role.PROVINCE_HEAD) and _in_province(user, case)


def can_intake(user, district) -> bool:
    return (
        user.has_role(Role.DISTRICT_OFFICER)
        and user.scope_level == ScopeLevel.DISTRICT
        and user.district_id == district.pk
    )


def can_propose_assignment(user, case) -> bool:
    return is_district_officer(user, case)


def can_approve_assignment(user, case) -> bool:
    return is_district_head(user, case)


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
    """The district head closes; once escalated, the province head does."""
    if case.is_escalated:
        return is_province_head(user, case)
    return is_district_head(user, case)


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


def can_reopen(user, case) -> bool:
    """Within the reopening window after closure (settings.CASE_REOPEN_DAYS)."""
    if not is_district_head(user, case) or case.closed_at is None:
        return False
    return timezone.now() - case.closed_at <= dt.timedelta(days=settings.CASE_REOPEN_DAYS)


def can_attach(user, case) -> bool:
    """Add files to an open case: whoever may report on it or handle it."""
    return case.is_open and (
        can_report_progress(user, case)
        or is_district_head(user, case)
        or (case.is_escalated and (is_province_officer(user, case) or is_province_head(user, case)))
    )


def handles(user, case) -> bool:
    """Whether ``user`` is handling the case: recorded it, acted on it, or holds its open task."""
    if case.recorded_by_id == user.pk or case.events.filter(actor=user).exists():
        return True
    return case.tasks.filter(owner=user, status="NEW").exists()


def can_see_confidential(user, case) -> bool:
    """Who sees a confidential complainant's identity: the heads of the owning
    center (the province head once escalated), the officers handling the case,
    and auditors in scope. A colleague of the same district who is not
    handling it sees it masked."""
    if is_district_head(user, case) or (case.is_escalated and is_province_head(user, case)):
        return True
    if user.has_role(Role.AUDITOR):
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
    return user.district_id is not None and can_intake(user, user.district)


def can_open_district_dashboard(user) -> bool:
    """The district's overview (ภาพรวมอำเภอ), for the heads of a district."""
    return user.has_role(Role.DISTRICT_HEAD) and user.scope_level == ScopeLevel.DISTRICT and user.district_id is not None
