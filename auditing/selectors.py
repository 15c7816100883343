"""The auditors' read path: who may read the log, which rows, one page at a time.

The log grows by a row for every sign-in, transition, export and view, so a
page is keyset-paginated on id (newest first): no OFFSET, no COUNT.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.events import PERSON_REFERENCE
from audit.models import AuditEvent, Kind
from auditing.replay import SKIPPED_FIELDS, display, field_label
from cases import actions
from cases.models import Attachment, Complainant, Complaint
from core.forms import filter_values
from core.models import User
from core.roles import Role, ScopeLevel
from core.thai import format_date, format_datetime, to_arabic_digits
from permissions import rules
from permissions.models import CaseShare
from permissions.scoping import named_as_respondent

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
    rows whose actor works in their province or district; never the rows of a
    case naming the auditor as respondent."""
    if not is_auditor(user):
        return AuditEvent.objects.none()
    # Whatever his scope, an auditor named as respondent reads nothing of that case.
    rows = AuditEvent.objects.exclude(complaint_id__in=Complaint.objects.filter(named_as_respondent(user)).values("pk"))
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
        data = filter_values(form)
        if data is None:
            return cls()
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


# A case number as officers quote it: district/fiscal year/running number.
_CASE_NUMBER = re.compile(r"(\d{4})/(\d{4})/(\d{1,6})")


def filter_log(rows, filters: LogFilters):
    if filters.actor:
        match = Q(actor_name__icontains=filters.actor)
        digits = _NON_DIGITS.sub("", to_arabic_digits(filters.actor))
        if digits.isdigit():
            match |= Q(actor_national_id__contains=digits)
        rows = rows.filter(match)
    if filters.case:
        text = to_arabic_digits(filters.case).replace(" ", "")
        whole = _CASE_NUMBER.fullmatch(text)
        if whole:
            # A whole number (the history page's link): the case's rows by its index, not a
            # LIKE over every row of the log (seconds at 7 million rows when the case is old).
            district, year, running = whole.groups()
            case = Complaint.objects.filter(
                number_district_id=district, fiscal_year=int(year), running_number=int(running)
            ).values("pk")
            rows = rows.filter(complaint_id__in=case)
        else:
            rows = rows.filter(case_number__contains=text)  # a trigram index answers it (audit 0006)
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


# The model whose fields a row's before and after hold, by the row's kind.
_CHANGED_MODELS = {
    Kind.TRANSITION: Complaint,
    Kind.PERMISSION_GRANT: CaseShare,
    Kind.PERMISSION_REVOKE: CaseShare,
    Kind.ATTACHMENT: Attachment,
}


# Keys of before and after that are not fields of the model.
_KEY_LABELS = {"share": gettext_lazy("การแชร์เรื่อง")}


def read_names(events, names) -> None:
    """Read at once the related records ``row_changes`` will name for ``events`` (a page)."""
    wanted = defaultdict(set)
    for event in events:
        model = _CHANGED_MODELS.get(event.kind)
        for side in (event.before, event.after) if model is not None else ():
            for key, raw in side.items() if isinstance(side, dict) else ():
                try:
                    field = model._meta.get_field(key)
                except FieldDoesNotExist:
                    continue
                if isinstance(field, models.ForeignKey) and raw not in (None, "") and not isinstance(raw, dict | list):
                    wanted[field.related_model].add(raw)
    names.read(wanted)


def row_changes(event, names) -> list[str]:
    """A row's before and after in a few Thai words: ``สถานะ: รับเรื่องแล้ว → มอบหมายแล้ว``.

    Keys that are fields of the row's model (the complaint for a transition, the
    share for a permission) get the field's name, and values are shown as the
    case page shows them (``auditing.replay.display``): choice labels, names of
    districts and teams rather than their codes, Buddhist-era dates. ``names``
    (an ``auditing.replay.Names``) reads each related record once."""
    model = _CHANGED_MODELS.get(event.kind)

    def field_of(key):
        if model is None:
            return None
        try:
            return model._meta.get_field(key)
        except FieldDoesNotExist:
            return None

    def value(key, raw):
        if raw in (None, ""):
            return "—"
        if isinstance(raw, bool):
            return _("ใช่") if raw else _("ไม่ใช่")
        field = field_of(key)
        if field is not None:
            if isinstance(raw, str) and field.get_internal_type() in ("DateTimeField", "DateField"):
                raw = _parse_moment(raw)
            try:
                return display(model, key, raw, names)
            except (TypeError, ValueError):
                return str(raw)
        if isinstance(raw, dict | list):
            return json.dumps(raw, ensure_ascii=False)
        return _be_dates(str(raw))

    before = event.before if isinstance(event.before, dict) else {"": event.before}
    after = event.after if isinstance(event.after, dict) else {"": event.after}
    lines = []
    for key in dict.fromkeys([*before, *after]):
        if model is not None and key in SKIPPED_FIELDS:
            continue  # the record's own id: in the detail and the raw export, not worth words here
        field = field_of(key)
        label = field_label(model, key) if field is not None else str(_KEY_LABELS.get(key, key))
        prefix = f"{label}: " if label else ""
        if key in before and key in after:
            if before[key] != after[key]:
                lines.append(f"{prefix}{value(key, before[key])} → {value(key, after[key])}")
        elif key in after:
            lines.append(f"{prefix}{value(key, after[key])}")
        else:
            lines.append(f"{prefix}{value(key, before[key])} → —")
    return lines


_ISO_MOMENT = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")


def _parse_moment(text: str):
    """An ISO date or moment read back (aware, if it was written so); the text if it is neither."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        return text


def _be_dates(text: str) -> str:
    """``text`` with each ISO Gregorian date or moment in it written the Thai way (Buddhist era)."""

    def thai(match):
        moment = _parse_moment(match.group(0))
        if isinstance(moment, dt.datetime):
            return format_datetime(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
        if isinstance(moment, dt.date):
            return format_date(moment)
        return match.group(0)

    return _ISO_MOMENT.sub(thai, text)


# What the auditors' own rows and the export rows name, as their detail's first word.
_WHAT_LABELS = {
    "audit_log": gettext_lazy("บันทึกการตรวจสอบ"),
    "audit_log_csv": gettext_lazy("บันทึกการตรวจสอบ (CSV)"),
    "case_history": gettext_lazy("ประวัติและบันทึกการตรวจสอบของเรื่อง"),
    "case_audit_csv": gettext_lazy("บันทึกการตรวจสอบของเรื่อง (CSV)"),
    "case_audit_pdf": gettext_lazy("บันทึกการตรวจสอบของเรื่อง (PDF)"),
}
_FILTER_LABELS = {
    "actor": gettext_lazy("ผู้กระทำ"),
    "case": gettext_lazy("เลขที่รับ"),
    "kind": gettext_lazy("ประเภทเหตุการณ์"),
    "date_from": gettext_lazy("ตั้งแต่วันที่"),
    "date_to": gettext_lazy("ถึงวันที่"),
    "as_of": gettext_lazy("ณ"),
}


def _what_text(detail: str) -> str:
    """``case_history as_of=2026-11-26T08:15+07:00`` reads ``ประวัติ… ณ: 26 พ.ย. 2569 08:15 น.``."""
    if detail.startswith("case list CSV"):
        return str(_("รายการเรื่องร้องเรียน (CSV)")) + detail.removeprefix("case list CSV")
    what, _sep, rest = detail.partition(" ")
    if what not in _WHAT_LABELS:
        return _be_dates(detail)
    words = [str(_WHAT_LABELS[what])]
    for word in rest.split(" ") if rest else []:
        key, sep, raw = word.partition("=")
        if sep and key in _FILTER_LABELS:
            if key == "kind" and raw in Kind.values:
                raw = str(Kind(raw).label)
            words.append(f"{_FILTER_LABELS[key]}: {_be_dates(raw)}")
        else:
            words.append(_be_dates(word))
    return " ".join(words)


class PersonalDataMask:
    """What the "viewed personal data" rows show to ``viewer``: the complainant's
    name where the case page would show it (``permissions.rules.can_see_confidential``),
    a mask elsewhere. Every rendering of audit rows (pages, CSV, PDF, admin) goes
    through one of these.

    New rows hold a reference (``complainant:<id>``), resolved here. Rows written
    before held the name itself; they are not rewritten, because each row's hash
    covers its detail and rewriting would break the chain (or need it recomputed,
    which is what tampering looks like): they are masked here instead."""

    def __init__(self, viewer):
        self.viewer = viewer
        self._reveals: dict[int | None, bool] = {}
        self._names: dict[int, str] = {}

    def reveals(self, complaint_id: int | None) -> bool:
        if complaint_id not in self._reveals:
            case = Complaint.objects.filter(pk=complaint_id).first() if complaint_id else None
            self._reveals[complaint_id] = case is not None and rules.can_see_confidential(self.viewer, case)
        return self._reveals[complaint_id]

    def detail(self, event) -> str:
        if event.kind != Kind.PERSONAL_DATA_VIEW:
            return event.detail
        reference = event.detail.removeprefix(PERSON_REFERENCE)
        person_id = int(reference) if event.detail.startswith(PERSON_REFERENCE) and reference.isdigit() else None
        if not self.reveals(event.complaint_id):
            label = _("ปกปิดข้อมูลผู้ร้อง")
            return f"[{label}] #{person_id}" if person_id else f"[{label}]"
        if person_id is None:
            return event.detail  # an older row: the name as it was recorded
        return self._name(person_id)

    def _name(self, person_id: int) -> str:
        if person_id not in self._names:
            person = Complainant.objects.filter(pk=person_id).first()
            self._names[person_id] = person.full_name if person else f"#{person_id}"
        return self._names[person_id]


def detail_text(event, mask: PersonalDataMask) -> str:
    """A row's detail for people: a transition's action by its label, then its note
    (``อนุมัติยุติเรื่อง: …``); a confidential complainant's name only to those
    ``mask`` lets see it; other details as recorded."""
    if event.kind == Kind.PERSONAL_DATA_VIEW:
        return mask.detail(event)
    if event.kind in (Kind.EXPORT, Kind.AUDIT_VIEW):
        return _what_text(event.detail)
    if event.kind in (Kind.PERMISSION_GRANT, Kind.PERMISSION_REVOKE):
        text = event.detail.replace("view_complaint →", str(_("สิทธิ์ดูเรื่อง →")), 1)
        return text.replace(" (expired)", " ({})".format(_("หมดอายุ")))
    if event.kind != Kind.TRANSITION or not event.action:
        return event.detail
    note = event.note
    return f"{actions.label(event.action)}: {note}" if note else actions.label(event.action)
