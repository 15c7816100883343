"""A case's past, rebuilt from the row history (django-simple-history).

``case_history`` lists every recorded change of the complaint and of what hangs
from it (parties, progress reports, attachments, forwardings): field by field,
by whom, when, and why (the transition, kept as the change reason).
``case_as_of`` rebuilds the case as it stood at a given moment.

A confidential complainant's identity is masked in both unless the viewer may
see it (``permissions.rules.can_see_confidential``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cases import actions
from cases.models import (
    Attachment,
    CaseEvent,
    Complainant,
    Complaint,
    Forwarding,
    ProgressReport,
    Respondent,
    case_number,
    person_name,
)
from core import choices
from core.models import District, Subdistrict, attach_users
from core.thai import format_date, format_datetime

# The complainant fields that identify the person: masked when confidential.
IDENTITY_FIELDS = frozenset(
    {"title", "first_name", "last_name", "national_id", "phone", "email", "address", "subdistrict"}
)

# Names for fields declared without one (Django would show the attribute name).
FIELD_LABELS = {
    "thumbnail": gettext_lazy("ภาพย่อ"),
    "content_type": gettext_lazy("ชนิดไฟล์"),
    "sha256": gettext_lazy("ค่าตรวจสอบไฟล์ (SHA-256)"),
    "uploaded_by": gettext_lazy("ผู้แนบไฟล์"),
    "uploaded_at": gettext_lazy("วันเวลาที่แนบไฟล์"),
    "progress_report": gettext_lazy("รายงานความคืบหน้า"),
    "forwarded_by": gettext_lazy("ผู้ส่งต่อ"),
    "forwarded_at": gettext_lazy("วันเวลาที่ส่งต่อ"),
    "reply_recorded_by": gettext_lazy("ผู้บันทึกผลจากหน่วยงาน"),
}

# Never shown: the row's own key and the case it belongs to (always this one).
SKIPPED_FIELDS = frozenset({"id", "complaint"})

# The models whose history makes a case's record, in the order a change of the
# same moment is listed.
TRACKED = (Complaint, Complainant, Respondent, ProgressReport, Attachment, Forwarding)

HISTORY_TYPES = {
    "+": gettext_lazy("สร้าง"),
    "~": gettext_lazy("แก้ไข"),
    "-": gettext_lazy("ลบ"),
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: dt.datetime
    who: str
    model: str  # the record's kind, e.g. ผู้ร้อง
    record: str  # which record, e.g. the complainant's name
    type: str  # + ~ -
    reason: str  # the change reason as stored (the transition's name)
    reason_label: str
    changes: list[Change] = field(default_factory=list)
    order: tuple = ()

    @property
    def type_label(self) -> str:
        return str(HISTORY_TYPES.get(self.type, self.type))


def field_label(model, name: str) -> str:
    return _field_label(model, name, get_language())


@functools.cache
def _field_label(model, name: str, language: str) -> str:
    """A field's label in ``language``, worked out once (a case's history asks it of
    every change: 235 gettext look-ups for the bench's longest case)."""
    model_field = model._meta.get_field(name)
    label = model_field.verbose_name
    if str(label) == name.replace("_", " ") and name in FIELD_LABELS:
        label = FIELD_LABELS[name]
    return str(label)


@functools.cache
def tracked_fields(model) -> tuple[str, ...]:
    """The fields of ``model`` its history compares (``model.history`` builds a manager
    at each use, through ``inspect``: a third of the replay's own time)."""
    return tuple(f.name for f in model.history.model.tracked_fields if f.editable and f.name not in SKIPPED_FIELDS)


# Records that never change once loaded (geography: core.geography): their names are kept
# for the process, where other records' names are read again for each page.
STABLE = (District, Subdistrict)
_stable_names: dict[tuple, str] = {}


def forget_stable_names() -> None:
    """Empty the process's names of stable records (the query-count guard counts cold)."""
    _stable_names.clear()


class Names:
    """Related records' names, each read once."""

    def __init__(self):
        self._cache: dict[tuple, str] = _StableFirst()

    def __call__(self, model, pk) -> str:
        key = (model, pk)
        if key not in self._cache:
            obj = model._default_manager.filter(pk=pk).first()
            self._cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self._cache[key]

    def read(self, wanted: dict) -> None:
        """Read the names of many records at once: ``{model: {pk, ...}}``, one query a model
        (a page of audit rows names as many districts and teams as it has rows)."""
        for model, pks in wanted.items():
            pks = [pk for pk in pks if (model, pk) not in self._cache]
            found = model._default_manager.in_bulk(pks) if pks else {}
            for pk in pks:
                self._cache[(model, pk)] = str(found[pk]) if pk in found else f"#{pk}"


class _StableFirst(dict):
    """A page's names, backed by the process's names of ``STABLE`` records."""

    def __contains__(self, key) -> bool:
        return super().__contains__(key) or key in _stable_names

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            return _stable_names[key]

    def __setitem__(self, key, value) -> None:
        if key[0] in STABLE and not value.startswith("#"):
            _stable_names[key] = value
        else:
            super().__setitem__(key, value)


def masked_text() -> str:
    return _("ปกปิดข้อมูล")


def display(model, name: str, value, names: Names) -> str:
    """A field's value as the case page would show it."""
    model_field = model._meta.get_field(name)
    if isinstance(value, FieldFile):
        value = value.name
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(choices.label(model_field, value))
    if isinstance(model_field, models.ForeignKey):
        return names(model_field.related_model, value)
    if isinstance(model_field, models.BooleanField):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(model_field, models.DateTimeField):
        return format_datetime(value)
    if isinstance(model_field, models.DateField):
        return format_date(value)
    if isinstance(model_field, models.FileField):
        return os.path.basename(str(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def confidential_complainants(case) -> set[int]:
    """Complainants of ``case`` who are, or ever were, confidential."""
    current = Complainant.objects.filter(complaint=case, is_confidential=True).values_list("pk", flat=True)
    past = Complainant.history.filter(complaint_id=case.pk, is_confidential=True).values_list("id", flat=True)
    return set(current) | set(past)


def _record_name(model, row, *, masked: bool) -> str:
    """What a history row is called on the replay: the model's own formatting of the row as it was."""
    if model is Complaint:
        return case_number(row)
    if model is Complainant:
        return _("(ปกปิดข้อมูล)") if masked else person_name(row)
    if model is Respondent:
        return row.name
    if model is ProgressReport:
        text = row.text.replace("\n", " ")
        return text if len(text) <= 60 else text[:59] + "…"
    if model is Attachment:
        return row.original_name
    if model is Forwarding:
        return f"{row.agency} {row.letter_number}".strip()
    return str(row.id)


def _history_rows(model, case):
    rows = model.history.filter(id=case.pk) if model is Complaint else model.history.filter(complaint_id=case.pk)
    return rows.order_by("id", "history_date", "history_id")


@dataclass
class CaseRows:
    """The history rows of a case and of its records, each model's read once, in the
    order of record and time: the history page's list of changes and its "as of" both
    come from them (they were two reads of the same rows, 14 queries for 7)."""

    by_model: dict
    secret: set  # the complainants masked for this reader (who are, or ever were, confidential)

    @classmethod
    def read(cls, case, *, reveal: bool) -> CaseRows:
        by_model = {model: list(_history_rows(model, case)) for model in TRACKED}
        # Who made each row (and wrote each report), for all the tables in one query.
        attach_users([row for rows in by_model.values() for row in rows], "history_user")
        attach_users(by_model[ProgressReport], "author")
        return cls(by_model=by_model, secret=set() if reveal else confidential_complainants(case))

    def as_of(self, model, moment) -> list:
        """Each record of ``model`` as it stood at ``moment`` (its latest row by then),
        unless that row is its deletion; by record."""
        latest = {}
        for row in self.by_model[model]:
            if row.history_date <= moment and (row.id not in latest or row.history_date >= latest[row.id].history_date):
                latest[row.id] = row
        return [row for _pk, row in sorted(latest.items()) if row.history_type != "-"]


def case_history(case, *, reveal: bool, rows: CaseRows | None = None) -> list[HistoryEntry]:
    """Every recorded change of ``case`` and its records, oldest first.

    Each history row is compared with the previous row of the same record
    (``diff_against``); a record's first row lists the values it was created with.
    """
    names = Names()
    rows = rows or CaseRows.read(case, reveal=reveal)
    secret = rows.secret
    entries: list[HistoryEntry] = []
    tracked = []
    for model in TRACKED:
        fields = tracked_fields(model)
        tracked.append((model, fields, rows.by_model[model]))
    # The records the rows point at (district, team, categories, people…), named in one
    # query a model rather than one a record.
    wanted: dict = {}
    for model, fields, rows in tracked:
        for name in fields:
            if _is_fk(model, name):
                related = model._meta.get_field(name).related_model
                wanted.setdefault(related, set()).update(
                    pk for row in rows if (pk := getattr(row, f"{name}_id")) is not None
                )
    names.read(wanted)
    for rank, (model, fields, rows) in enumerate(tracked):
        previous = None
        for row in rows:
            if previous is not None and previous.id != row.id:
                previous = None
            masked = model is Complainant and row.id in secret
            changes = []
            if row.history_type == "+" or previous is None:
                for name in fields:
                    value = getattr(row, f"{name}_id" if _is_fk(model, name) else name)
                    if value is None or value == "" or (isinstance(value, FieldFile) and not value.name):
                        continue
                    shown = masked_text() if masked and name in IDENTITY_FIELDS else display(model, name, value, names)
                    changes.append(Change(field_label(model, name), "", shown))
            elif row.history_type == "~":
                delta = row.diff_against(previous, included_fields=fields)
                for change in delta.changes:
                    if masked and change.field in IDENTITY_FIELDS:
                        old = new = masked_text()
                    else:
                        old = display(model, change.field, change.old, names)
                        new = display(model, change.field, change.new, names)
                    changes.append(Change(field_label(model, change.field), old, new))
            reason = row.history_change_reason or ""
            if row.history_type != "-" and not changes and not reason:
                previous = row
                continue  # a save that changed nothing tracked
            entries.append(
                HistoryEntry(
                    at=row.history_date,
                    who=row.history_user.get_full_name() if row.history_user else _("ระบบ"),
                    model=str(model._meta.verbose_name),
                    record=_record_name(model, row, masked=masked),
                    type=row.history_type,
                    reason=reason,
                    reason_label=actions.label(reason),
                    changes=changes,
                    order=(row.history_date, rank, row.history_id),
                )
            )
            previous = row
    entries.sort(key=lambda entry: entry.order)
    return entries


def _is_fk(model, name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.ForeignKey)


# --- The case as of a moment ---------------------------------------------------------------


@dataclass
class Person:
    name: str
    masked: bool
    national_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    confidential: bool = False


@dataclass
class CaseAsOf:
    moment: dt.datetime
    exists: bool
    complaint: Complaint | None = None  # the complaint as it was (an unsaved instance)
    last_change_at: dt.datetime | None = None
    last_change_by: str = ""
    last_change_reason: str = ""
    complainants: list[Person] = field(default_factory=list)
    respondents: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    forwardings: list = field(default_factory=list)
    events: list = field(default_factory=list)
    in_future: bool = False


def case_as_of(
    case, moment: dt.datetime, *, reveal: bool, rows: CaseRows | None = None, events: list | None = None
) -> CaseAsOf:
    """Rebuild ``case`` as it was at ``moment`` from its history (``rows``, and the
    case's ``events`` oldest first, if the caller has read them already)."""
    result = CaseAsOf(moment=moment, exists=False, in_future=moment.replace(second=0, microsecond=0) > timezone.now())
    rows = rows or CaseRows.read(case, reveal=reveal)
    complaint = rows.as_of(Complaint, moment)
    if not complaint:
        return result
    last = complaint[0]
    result.exists = True
    result.complaint = last.instance
    # The places and team it had then are nearly always those it has now, read already.
    for name in ("district", "team"):
        if getattr(last, f"{name}_id") is not None and getattr(last, f"{name}_id") == getattr(case, f"{name}_id"):
            setattr(result.complaint, name, getattr(case, name))
    result.last_change_at = last.history_date
    result.last_change_by = last.history_user.get_full_name() if last.history_user else _("ระบบ")
    result.last_change_reason = actions.label(last.history_change_reason or "")
    secret = rows.secret
    for row in rows.as_of(Complainant, moment):
        masked = row.id in secret
        if masked:
            result.complainants.append(Person(name=_("ปกปิดข้อมูลผู้ร้อง"), masked=True, confidential=True))
        else:
            result.complainants.append(
                Person(
                    name=_record_name(Complainant, row, masked=False),
                    masked=False,
                    national_id=row.national_id,
                    phone=row.phone,
                    email=row.email,
                    address=row.address,
                    confidential=row.is_confidential,
                )
            )
    result.respondents = rows.as_of(Respondent, moment)
    result.reports = rows.as_of(ProgressReport, moment)
    result.forwardings = rows.as_of(Forwarding, moment)
    if events is None:
        events = list(CaseEvent.objects.filter(complaint=case, at__lte=moment).order_by("at", "id"))
    result.events = [event for event in events if event.at <= moment]
    return result
