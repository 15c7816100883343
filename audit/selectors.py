"""The auditors' read path: who may read the log, which rows, one page at a time.

The log grows by a row for every sign-in, transition, export and view, so a
page is keyset-paginated on id (newest first): no OFFSET, no COUNT.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent, Kind
from core.thai import to_arabic_digits
from permissions import rules
from permissions.roles import Role, ScopeLevel

PAGE_SIZE = 50
_NON_DIGITS = re.compile(r"[\s\-‐–—]+")


def is_auditor(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.AUDITOR)


def may_audit_case(user, case) -> bool:
    """Who may open a case's history and audit record: auditors (the case must be
    in their scope: callers fetch it with ``get_case_for_user``) and the heads of
    the district or province it belongs to."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_auditor(user) or rules.is_district_head(user, case) or rules.is_province_head(user, case)


def visible_log(user):
    """The audit rows an auditor may read: everything for a national auditor; for
    a province or district auditor the rows of the cases they may see and the
    rows whose actor works in their province or district."""
    from cases.models import Complaint
    from core.models import User

    rows = AuditEvent.objects.all()
    if not is_auditor(user):
        return rows.none()
    if user.scope_level == ScopeLevel.NATION:
        return rows
    if user.scope_level == ScopeLevel.PROVINCE and user.province_id:
        people = User.objects.filter(province_id=user.province_id)
    elif user.scope_level == ScopeLevel.DISTRICT and user.district_id:
        people = User.objects.filter(district_id=user.district_id)
    else:
        return rows.none()
    cases = Complaint.objects.visible_to(user).values("pk")
    return rows.filter(
        Q(complaint_id__in=cases)
        | Q(actor_id__in=people.values("pk"))
        # Failed sign-ins name the ID typed, not an account.
        | Q(kind__in=[Kind.SIGN_IN_FAILED, Kind.LOCKOUT], detail__in=people.values("national_id"))
    )


@dataclass(frozen=True)
class LogFilters:
    actor: str = ""
    case: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_form(cls, form) -> LogFilters:
        if not form.is_bound:
            return cls()
        # A field typed wrong shows its error; the fields that are right still filter.
        form.is_valid()
        data = form.cleaned_data
        return cls(
            actor=(data.get("actor") or "").strip(),
            case=(data.get("case") or "").strip(),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def describe(self) -> str:
        """The filters in one line, for the audit row the view itself leaves."""
        parts = [f"{name}={value}" for name, value in self.__dict__.items() if value]
        return " ".join(str(p) for p in parts)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def filter_log(rows, filters: LogFilters):
    if filters.actor:
        match = Q(actor_name__icontains=filters.actor)
        digits = _NON_DIGITS.sub("", to_arabic_digits(filters.actor))
        if digits.isdigit():
            match |= Q(actor_national_id__contains=digits)
        rows = rows.filter(match)
    if filters.case:
        rows = rows.filter(case_number__contains=to_arabic_digits(filters.case).replace(" ", ""))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.date_from:
        rows = rows.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        rows = rows.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    return rows


@dataclass(frozen=True)
class LogPage:
    items: list
    older: int | None  # the cursor of the next (older) page
    newer: int | None  # the cursor of the previous (newer) page


def _cursor(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def log_page(rows, *, after: str = "", before: str = "", size: int = PAGE_SIZE) -> LogPage:
    """One page of ``rows``, newest first: ``after`` an id (older rows) or ``before`` one (newer rows)."""
    older_than, newer_than = _cursor(after), _cursor(before)
    if newer_than and not older_than:
        items = list(rows.filter(id__gt=newer_than).order_by("id")[: size + 1])
        more_newer = len(items) > size
        items = items[:size]
        items.reverse()
        return LogPage(
            items, older=items[-1].id if items else None, newer=items[0].id if items and more_newer else None
        )
    if older_than:
        rows = rows.filter(id__lt=older_than)
    items = list(rows.order_by("-id")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return LogPage(
        items,
        older=items[-1].id if items and more else None,
        newer=items[0].id if items and older_than else None,
    )


def compact_changes(before: dict, after: dict, *, teams: dict | None = None) -> list[str]:
    """A row's before and after in a few words: ``สถานะ: รับเรื่องแล้ว → มอบหมายแล้ว``.

    Keys that are complaint fields get the field's name and choice labels;
    ``teams`` maps team ids to names (read once per page by the caller)."""
    from django.core.exceptions import FieldDoesNotExist

    from cases.models import Complaint

    def field_of(key):
        try:
            return Complaint._meta.get_field(key)
        except FieldDoesNotExist:
            return None

    def value(key, raw):
        if raw in (None, ""):
            return "—"
        if isinstance(raw, bool):
            return _("ใช่") if raw else _("ไม่ใช่")
        field = field_of(key)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(raw, raw))
        if key == "team" and teams:
            return teams.get(raw, str(raw))
        if isinstance(raw, dict | list):
            return json.dumps(raw, ensure_ascii=False)
        return str(raw)

    before = before if isinstance(before, dict) else {"": before}
    after = after if isinstance(after, dict) else {"": after}
    lines = []
    for key in dict.fromkeys([*before, *after]):
        field = field_of(key)
        label = str(field.verbose_name) if field is not None else key
        prefix = f"{label}: " if label else ""
        if key in before and key in after:
            if before[key] != after[key]:
                lines.append(f"{prefix}{value(key, before[key])} → {value(key, after[key])}")
        elif key in after:
            lines.append(f"{prefix}{value(key, after[key])}")
        else:
            lines.append(f"{prefix}{value(key, before[key])} → —")
    return lines


def detail_text(event) -> str:
    """A row's detail for people: a transition's action by its label (``approve_closure: …``
    reads ``อนุมัติยุติเรื่อง: …``); other details as recorded."""
    if event.kind != Kind.TRANSITION or not event.detail:
        return event.detail
    from cases.services import ACTION_LABELS

    action, sep, note = event.detail.partition(": ")
    if action not in ACTION_LABELS:
        return event.detail
    return f"{ACTION_LABELS[action]}{sep}{note}"


def team_names(rows) -> dict:
    """The names of the teams the rows' before and after mention, in one query."""
    from cases.models import Team

    ids = set()
    for row in rows:
        for side in (row.before, row.after):
            if isinstance(side, dict) and isinstance(side.get("team"), int):
                ids.add(side["team"])
    return dict(Team.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
