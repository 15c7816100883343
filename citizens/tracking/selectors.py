"""The reads of tracking and satisfaction: the citizen's page, the officers' lists, the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, Q, Value, When
from viewflow.workflow.status import STATUS

from cases import public_wording as timeline
from cases.models import CaseEvent, Complaint, Outcome, Status
from citizens.models import CenterContact, ReopenRequest, Satisfaction
from core.models import District
from core.roles import Role, ScopeLevel
from permissions import rules
from workflows.models import CaseTask

HOTLINE = "1567"

# The cases a complainant may rate: those that ended (closed, rejected).
ENDED = (Status.CLOSED, Status.REJECTED)


def find_case(code: str) -> Complaint | None:
    """The case of a (normalised) tracking code, with what its public page shows beside it."""
    return (
        Complaint.objects.select_related("district__province", "province", "main_category", "satisfaction")
        .only(
            "pk",
            "tracking_code",
            "status",
            "outcome",
            "received_on",
            "closed_at",
            "due_on",
            "is_escalated",
            "district",
            "province",
            "main_category__name_th",
            "main_category__name_en",
            "district__name_th",
            "district__province__name_th",
            "province__name_th",
            "satisfaction",
            "merged_into",
        )  # fmt: skip
        .filter(tracking_code=code)
        .first()
    )


@dataclass(frozen=True)
class Center:
    name: str
    phone: str
    office_hours: str
    is_hotline: bool


def handling_center(case: Complaint) -> Center:
    """Who handles the case for the citizen, and how to reach them: the district's
    center (the province's once escalated), with the phone of its CenterContact,
    else the province's, else the national hotline 1567."""
    contacts = {
        contact.district_id: contact
        for contact in CenterContact.objects.filter(
            Q(district_id=case.district_id) | Q(province_id=case.province_id, district__isnull=True)
        )
    }
    if case.is_escalated:
        name, order = timeline.center_name(province=case.province), [None]
    else:
        name, order = timeline.center_name(district=case.district), [case.district_id, None]
    for key in order:
        contact = contacts.get(key)
        if contact is not None and contact.phone:
            return Center(name, contact.phone, contact.office_hours, False)
    return Center(name, HOTLINE, "", True)


@dataclass(frozen=True)
class TrackingPage:
    """What the tracking page of a case shows: nothing personal, nothing internal."""

    case: Complaint
    status: str
    steps: list[timeline.Step]
    center: Center
    next_step: timeline.NextStep | None
    rated: bool
    pending_request: dict | None
    may_rate: bool
    may_ask_reopen: bool
    reopen_until: dt.date | None
    # Merged into the case kept for the same grievance (repeats): the status, the center, the
    # next step and the steps after the merge are the kept case's, followed with this code.
    merged: bool = False


def tracking_page(case: Complaint) -> TrackingPage:
    kept = case.kept_case() if case.merged_into_id else None
    events = list(CaseEvent.objects.filter(complaint=case).order_by("at", "id").values("action", "at", "data"))
    if kept is not None:
        merged_at = max((e["at"] for e in events if e["action"] == "merge"), default=None)
        later = CaseEvent.objects.filter(complaint=kept, at__gte=merged_at) if merged_at else CaseEvent.objects.none()
        events += list(later.order_by("at", "id").values("action", "at", "data"))
    followed = kept or case
    requests = list(
        ReopenRequest.objects.filter(complaint=case)
        .order_by("created_at", "id")
        .values("created_at", "state", "decided_at", "decision_note")
    )
    transfers = {e["data"].get("to_district") for e in events if e["action"] == "transfer" and e["data"]}
    districts = District.objects.select_related("province").in_bulk(transfers - {None}) if transfers else {}
    task_due = None
    if followed.is_open:
        task_due = (
            CaseTask.objects.filter(complaint=followed, status=STATUS.NEW, due_at__isnull=False)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
    rated = is_rated(case)
    pending = next((r for r in requests if r["state"] == ReopenRequest.State.PENDING), None)
    return TrackingPage(
        case=case,
        status=timeline.status_text(followed),
        steps=timeline.steps(events, requests, districts),
        center=handling_center(followed),
        next_step=timeline.next_step(followed, task_due),
        rated=rated,
        pending_request=pending,
        may_rate=kept is None and may_rate(case),
        may_ask_reopen=kept is None and _may_ask_reopen(case, pending=pending is not None),
        reopen_until=timeline.reopen_window_ends(case) if case.status == Status.CLOSED and kept is None else None,
        merged=kept is not None,
    )


def is_rated(case: Complaint) -> bool:
    return hasattr(case, "satisfaction")  # read with the case (find_case's select_related): no query


def may_rate(case: Complaint) -> bool:
    """Whether the complainant may rate ``case``: it ended (closed or rejected), and nobody rated it yet."""
    return case.status in ENDED and not is_rated(case)


def pending_request(case: Complaint) -> ReopenRequest | None:
    return ReopenRequest.objects.filter(complaint=case, state=ReopenRequest.State.PENDING).first()


def _may_ask_reopen(case: Complaint, *, pending: bool) -> bool:
    return case.status == Status.CLOSED and rules.within_reopen_window(case) and not pending


def may_ask_reopen(case: Complaint) -> bool:
    """Whether the complainant may ask to reopen ``case``: closed, within the reopen window
    (the head's own rule, ``permissions.rules.within_reopen_window``), none waiting."""
    return _may_ask_reopen(case, pending=False) and pending_request(case) is None


# --- Satisfaction in the reports ------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionSummary:
    closed: int  # cases that ended (closed or rejected)
    count: int  # of them, rated by their complainant
    average: float | None  # their mean rating, 1-5 (None: no rating)
    share_answered: float | None  # count / closed (None: nothing ended)


def satisfaction_summary(cases_queryset) -> SatisfactionSummary:
    """The complainants' ratings among the cases of ``cases_queryset`` that ended: how many
    rated, their average, and the share of ended cases rated. One query; scope the
    queryset (a center's, a month's) as the report needs. A case rated and then
    reopened counts again once it ends again. A case merged into another (repeats) is no
    case that ended: its page follows the kept case and asks for no rating."""
    row = (
        cases_queryset.filter(status__in=ENDED)
        .exclude(outcome=Outcome.MERGED)
        .aggregate(closed=Count("pk"), count=Count("satisfaction"), average=Avg("satisfaction__rating"))
    )
    closed, count = row["closed"], row["count"]
    return SatisfactionSummary(
        closed=closed,
        count=count,
        average=round(float(row["average"]), 2) if row["average"] is not None else None,
        share_answered=count / closed if closed else None,
    )


# --- Requests to reopen, for officers ---------------------------------------------------------


def reopen_requests_for(user):
    """The requests on cases ``user`` sees (``Complaint.objects.visible_to``), waiting ones first."""
    visible = Complaint.objects.visible_to(user).values("pk")
    return (
        ReopenRequest.objects.filter(complaint__in=visible)
        .select_related("complaint__district__province", "complaint__main_category", "decided_by")
        .order_by(Case(When(state=ReopenRequest.State.PENDING, then=Value(0)), default=Value(1)), "-created_at", "-id")
    )


def get_reopen_request_for_user(user, pk) -> ReopenRequest | None:
    return reopen_requests_for(user).filter(pk=pk).first()


def may_decide(user, reopen_request: ReopenRequest) -> bool:
    """Whether ``user`` decides the request: a head of the case's district (the one who
    may reopen it: ``rules.can_reopen`` while the window lasts). After the window he may
    still decline, with his reason for the citizen, so that no request waits forever."""
    return reopen_request.state == ReopenRequest.State.PENDING and rules.is_district_head(
        user, reopen_request.complaint
    )


def waiting_for(user, *, limit: int = 10) -> tuple[list[ReopenRequest], int]:
    """The requests waiting for ``user``'s decision (a district head's inbox): the first
    ``limit`` and how many there are. Nobody else waits on them: no query for them."""
    if not (user.is_authenticated and user.scope_level == ScopeLevel.DISTRICT and user.has_role(Role.DISTRICT_HEAD)):
        return [], 0
    waiting = reopen_requests_for(user).filter(state=ReopenRequest.State.PENDING, complaint__district=user.district_id)
    # The head's every inbox page asks, and almost always none waits: the keys alone first
    # on the partial index of pending requests (planning the rows' seven joins took 4 ms at
    # 1M cases, bench/pages), the rows only when some wait.
    keys = list(waiting.select_related(None).order_by("created_at", "id").values_list("pk", flat=True)[: limit + 1])
    if not keys:
        return [], 0
    rows = list(waiting.filter(pk__in=keys).order_by("created_at", "id"))
    count = len(rows) if len(rows) <= limit else waiting.count()
    return rows[:limit], count


def case_feedback(case: Complaint) -> dict:
    """What the complainant said of ``case`` on the tracking page, for its officers' page."""
    return {
        "satisfaction": Satisfaction.objects.filter(complaint=case).first(),
        "requests": list(case.reopen_requests.select_related("decided_by").order_by("-created_at", "-id")),
    }
