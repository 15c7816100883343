"""The read path for complaints: every query a page makes, scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import search
from cases.models import OPEN_STATUSES, CaseEvent, Complainant, Complaint
from core.keyset import decode_cursor, encode_cursor
from permissions.rules import can_see_confidential, read_named_officials

PAGE_SIZE = 25


def get_case_for_user(user, pk) -> Complaint:
    """Return the complaint ``pk`` if ``user`` may see it, else raise Http404."""
    case = (
        Complaint.objects.visible_to(user)
        .select_related("district__province", "main_category", "category", "incident_subdistrict__district", "team")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def is_visible(user, pk) -> bool:
    return Complaint.objects.visible_to(user).filter(pk=pk).exists()


def transferred_away_from(user, pk):
    """The latest transfer that took case ``pk`` out of ``user``'s district, if
    the user may no longer see it: what a link to it from before may tell them.
    Nothing for anyone who never had the case."""
    if not user.is_authenticated or not user.district_id:
        return None
    event = (
        CaseEvent.objects.filter(complaint_id=pk, action="transfer", data__from_district=user.district_id)
        .select_related("complaint")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None or is_visible(user, pk):
        return None
    return event


def identical_recent_case(user, district, data, *, submission_key=None) -> Complaint | None:
    """A case ``user`` recorded today at ``district`` with the subject and the
    complainants of ``data``: most likely the same intake sent again from a page
    the browser restored. None if ``submission_key`` was already used (the
    service returns that case itself)."""
    if submission_key and Complaint.objects.filter(submission_key=submission_key).exists():
        return None
    today = dt.datetime.combine(timezone.localdate(), dt.time.min, tzinfo=timezone.get_current_timezone())

    def person(p) -> tuple:
        return (p.is_anonymous, p.national_id or "", p.first_name.strip(), p.last_name.strip())

    wanted = sorted(person(p) for p in data.complainants)
    candidates = (
        Complaint.objects.visible_to(user)
        .filter(recorded_by=user, district=district, subject=data.subject.strip(), received_on=data.received_on)
        .filter(recorded_at__gte=today)
        .prefetch_related("complainants")
        .order_by("-recorded_at")[:5]
    )
    for case in candidates:
        if sorted(person(p) for p in case.complainants.all()) == wanted:
            return case
    return None


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    category: int | None = None
    team: int | None = None
    province: str | None = None  # a province code
    district: str | None = None  # a district code
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False
    query: str = ""
    sort: str = "newest"  # newest | oldest


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None
    prev_cursor: str | None


def _encode(case: Complaint) -> str:
    return encode_cursor(case.received_on.isoformat(), case.pk)


def _decode(cursor: str) -> tuple[dt.date, int] | None:
    return decode_cursor(cursor, dt.date.fromisoformat)


def filtered_cases(user, filters: CaseFilters):
    """The cases ``user`` may see that match ``filters`` (unordered)."""
    qs = Complaint.objects.visible_to(user).select_related("main_category", "category", "team", "district")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(Q(main_category_id=filters.category) | Q(category_id=filters.category))
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    if filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.district:
        qs = qs.filter(district_id=filters.district)
    if filters.received_from:
        qs = qs.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_on__lte=filters.received_to)
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    if code := search.tracking_code_in(filters.query):
        qs = qs.filter(tracking_code=code)
    elif (words := search.matching(filters.query)) is not None:
        qs = qs.filter(words)
    return qs


def case_export_rows(user, filters: CaseFilters, *, batch: int = 500):
    """Yield (case, complainant names) for an export, in keyset batches so that a
    large export does not sit in memory; confidential names masked unless the
    user handles the case."""
    qs = filtered_cases(user, filters).prefetch_related(
        Prefetch("complainants", queryset=Complainant.objects.order_by("pk"))
    )
    last = None
    while True:
        chunk = qs.order_by("-pk")
        if last is not None:
            chunk = chunk.filter(pk__lt=last)
        rows = list(chunk[:batch])
        if not rows:
            return
        # The officials each case names, which the confidentiality rule asks of a case with
        # someone to hide: one query a batch, not one a case (514 of a district's 9,461 at 1M).
        read_named_officials([case for case in rows if any(p.is_confidential for p in case.complainants.all())])
        for case in rows:
            people = list(case.complainants.all())
            # Asked only of a case that has someone to hide (the rule reads the case's
            # timeline and tasks): nearly every row of an export has nobody.
            may_see = not any(person.is_confidential for person in people) or can_see_confidential(user, case)
            names = [
                f"[{_('ปกปิดข้อมูลผู้ร้อง')}]" if person.is_confidential and not may_see else person.full_name
                for person in people
            ]
            yield case, ", ".join(names)
        last = rows[-1].pk


def case_list(user, filters: CaseFilters, *, after: str = "", before: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of the cases ``user`` may see, newest (or oldest) first.

    Keyset pagination on (received_on, id): the cost of a page does not grow
    with how deep it is, and there is no COUNT over the table.
    """
    qs = filtered_cases(user, filters).for_list()
    newest_first = filters.sort != "oldest"
    backwards = bool(before) and not after
    cursor = _decode(before if backwards else after) if (after or before) else None
    if cursor is None:
        # No cursor, or one that cannot be read: the first page, whichever way it pointed.
        backwards = False
    if cursor:
        day, pk = cursor
        later = Q(received_on__gt=day) | Q(received_on=day, pk__gt=pk)
        earlier = Q(received_on__lt=day) | Q(received_on=day, pk__lt=pk)
        # Forward in newest-first order means earlier rows; backward means later.
        qs = qs.filter(earlier if newest_first != backwards else later)
    descending = newest_first != backwards
    order = ["-received_on", "-pk"] if descending else ["received_on", "pk"]
    rows = list(qs.order_by(*order)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    next_cursor = _encode(rows[-1]) if rows and (has_more or backwards) else None
    prev_cursor = _encode(rows[0]) if rows and (cursor is not None) and (has_more or not backwards) else None
    if filters.query and not search.tracking_code_in(filters.query):
        # Where each case matched, for the row to show (four queries for the page).
        found = search.passages(rows, filters.query)
        for case in rows:
            case.search_passage = found.get(case.pk)
    return Page(items=rows, next_cursor=next_cursor, prev_cursor=prev_cursor)
