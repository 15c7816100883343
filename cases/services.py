"""The only write path for complaints.

Every use case is one keyword-only function: it locks the case, checks that the
state allows the action and that the actor may take it, validates the input,
applies the transition, writes the timeline event and the row history (the
action as change reason), and queues side effects after commit. Views, the API,
commands and tasks all call these.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from audit import events as audit_events
from cases import search
from cases.actions import ACTIONS, Action
from cases.codes import new_tracking_code
from cases.files import store_attachment
from cases.hooks import WorkflowError, workflow
from cases.models import (
    Attachment,
    CaseEvent,
    Category,
    Channel,
    Complainant,
    Complaint,
    Forwarding,
    Outcome,
    ProgressReport,
    Respondent,
    RunningNumber,
    Status,
    Team,
)
from cases.signals import case_step_recorded
from core.models import District, Subdistrict, User
from core.thai import fiscal_year_be, fiscal_year_start, format_be_input, normalize_national_id
from permissions import rules


class ActionRefused(Exception):
    """An action the actor may not take now; the message says why, for the user."""

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


class CaseChanged(ActionRefused):
    """Someone else moved the case while this user was looking at it."""


# --- Intake -----------------------------------------------------------------------------


@dataclass
class ComplainantData:
    is_anonymous: bool = False
    is_confidential: bool = False
    national_id: str = ""
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    subdistrict: Subdistrict | None = None


@dataclass
class RespondentData:
    kind: str
    name: str
    position: str = ""
    national_id: str = ""
    address: str = ""
    phone: str = ""


@dataclass
class IntakeData:
    channel: str
    received_on: dt.date
    main_category: Category
    subject: str
    description: str
    incident_subdistrict: Subdistrict
    category: Category | None = None
    category_other_text: str = ""
    incident_address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    complainants: list[ComplainantData] = field(default_factory=list)
    respondents: list[RespondentData] = field(default_factory=list)


def earliest_received_on(today: dt.date) -> dt.date:
    """Back-dating reaches the start of the previous fiscal year, no further."""
    return fiscal_year_start(fiscal_year_be(today) - 1)


def validate_intake(data: IntakeData, *, today: dt.date, imported: bool = False) -> None:
    """Raise ``ValidationError`` (by field) for what the intake does not take; an earlier
    record being ``imported`` may be older than the back-dating window."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if data.received_on > today:
        add("received_on", _("วันที่รับเรื่องต้องไม่เป็นวันในอนาคต"))
    elif not imported and data.received_on < earliest_received_on(today):
        add(
            "received_on",
            _("วันที่รับเรื่องย้อนหลังได้ไม่เกินวันเริ่มปีงบประมาณที่แล้ว (%(date)s)")
            % {"date": format_be_input(earliest_received_on(today))},
        )
    if data.main_category.parent_id is not None:
        add("main_category", _("กรุณาเลือกประเภทเรื่องหลัก"))
    if data.main_category.is_other:
        if not data.category_other_text.strip():
            add("category_other_text", _("ประเภท “เรื่องอื่นๆ” ต้องระบุรายละเอียดประเภทเรื่อง"))
    elif data.category is None:
        add("category", _("กรุณาเลือกประเภทเรื่องย่อย"))
    elif data.category.parent_id != data.main_category.pk:
        add("category", _("ประเภทเรื่องย่อยนี้ไม่อยู่ใต้ประเภทเรื่องหลักที่เลือก"))
    if not data.subject.strip():
        add("subject", _("กรุณากรอกเรื่องที่ร้องเรียน"))
    if not data.description.strip():
        add("description", _("กรุณากรอกรายละเอียด"))
    if (data.latitude is None) != (data.longitude is None):
        add("latitude", _("กรุณากรอกทั้งละติจูดและลองจิจูด หรือเว้นว่างทั้งคู่"))
    if not data.complainants:
        add("complainants", _("ต้องมีผู้ร้องอย่างน้อยหนึ่งราย (เลือก “ไม่ประสงค์ออกนาม” ได้)"))

    def normalize_id(party, name):
        if party.national_id:
            try:
                party.national_id = normalize_national_id(party.national_id)
            except ValidationError as error:
                add(name, error.messages[0])

    for person in data.complainants:
        if not person.is_anonymous and not (person.first_name.strip() or person.last_name.strip()):
            add("complainants", _("กรุณากรอกชื่อผู้ร้อง หรือเลือก “ไม่ประสงค์ออกนาม”"))
        normalize_id(person, "complainants")
    for party in data.respondents:
        if not party.name.strip():
            add("respondents", _("กรุณากรอกชื่อผู้ถูกร้อง"))
        normalize_id(party, "respondents")
    if errors:
        raise ValidationError(errors)


def next_running_number(district: District, fiscal_year: int) -> int:
    """Issue the next running number of a district's fiscal year.

    One upsert that takes the counter row's lock until the transaction ends: a
    concurrent intake waits for it, and a rolled-back intake gives its number
    back, so the sequence has no gaps and no repeats.
    """
    table = connection.ops.quote_name(RunningNumber._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (district_id, fiscal_year, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (district_id, fiscal_year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [district.pk, fiscal_year],
        )
        return cursor.fetchone()[0]


def case_intake(
    *, actor: User, district: District, data: IntakeData, submission_key: uuid.UUID | None = None
) -> tuple[Complaint, bool]:
    """Record a complaint received at ``district``'s center.

    Return ``(complaint, created)``; a repeated ``submission_key`` (a double
    submit of the same form) returns the complaint it already created.
    """
    if submission_key and (existing := Complaint.objects.filter(submission_key=submission_key).first()):
        return existing, False
    if not rules.can_intake(actor, district):
        raise ActionRefused(_("คุณไม่มีสิทธิ์รับเรื่องร้องเรียนของศูนย์ดำรงธรรมอำเภอนี้"), code="forbidden")
    validate_intake(data, today=timezone.localdate())
    try:
        with transaction.atomic():
            complaint = _create_complaint(actor=actor, district=district, data=data, submission_key=submission_key)
    except IntegrityError:
        # The same form submitted twice at the same moment: the other request won.
        if submission_key and (existing := Complaint.objects.filter(submission_key=submission_key).first()):
            return existing, False
        raise
    return complaint, True


# Who recorded a complaint filed on the public website, on its timeline (stored in the site's language).
FILED_ONLINE_BY = gettext_lazy("ผู้ร้องยื่นทางเว็บไซต์")


@dataclass
class _FiledOnline:
    note: str  # the audit row's detail
    client_address: str | None
    files: Sequence[UploadedFile] = ()
    stored: list[Attachment] = field(default_factory=list)  # what is written, to delete if it rolls back
    via: str = ""  # who the timeline says filed it, when not the website's form (an Open311 app)


def case_intake_online(
    *, district: District, data: IntakeData, submission_key: uuid.UUID, client_address: str | None,
    files: Sequence[UploadedFile] = (), confirmed_by_email: bool = False, via: str = "",
) -> tuple[Complaint, bool]:  # fmt: skip
    """Record a complaint a citizen filed on the public website (``public.online``) at
    ``district``'s center: channel online, received today, recorded by nobody. Its
    timeline says it came from the website; its audit row says so too, with the
    citizen's ``client_address``. ``files`` (checked before with
    ``cases.files.checked_file``) are attached in the same transaction.

    ``via`` says how it came when not from our own form (an Open311 app): the timeline's
    note and the audit row's detail read it instead of "filed on the website".

    Return ``(complaint, created)``; a repeated ``submission_key`` returns the complaint
    it already created, as at the counter.
    """
    if existing := Complaint.objects.filter(submission_key=submission_key).first():
        return existing, False
    data.channel, data.received_on = Channel.ONLINE, timezone.localdate()
    validate_intake(data, today=data.received_on)
    with translation.override(settings.LANGUAGE_CODE):
        note = (via or str(FILED_ONLINE_BY)) + (" ({})".format(_("ยืนยันทางอีเมล")) if confirmed_by_email else "")
    online = _FiledOnline(note=note, client_address=client_address, files=files, via=via)
    try:
        with transaction.atomic():
            complaint = _create_complaint(
                actor=None, district=district, data=data, submission_key=submission_key, online=online
            )
    except IntegrityError:
        _delete_stored(online.stored)
        # The same submission filed twice at the same moment: the other request won.
        if existing := Complaint.objects.filter(submission_key=submission_key).first():
            return existing, False
        raise
    except BaseException:
        _delete_stored(online.stored)  # the transaction took the rows back; the files must go too
        raise
    return complaint, True


@dataclass
class ImportedRecord:
    """What an earlier record (imports/) brings besides its intake data: where it comes
    from, and for a historical case how it ended."""

    source: str  # the file or system it comes from; (source, source_key) is unique
    source_key: str
    row: int  # its row (or line) in the file, for the timeline and the audit row
    status: str = Status.RECEIVED  # received, or closed (a historical case)
    outcome: str = ""
    closed_on: dt.date | None = None
    closing_summary: str = ""

    def case_fields(self) -> dict:
        fields = {"source": self.source, "source_key": self.source_key}
        if self.status == Status.CLOSED:
            # Noon of the day it closed: the same day in every time zone the figures read it in.
            closed_at = dt.datetime.combine(self.closed_on, dt.time(12), tzinfo=timezone.get_current_timezone())
            fields.update(
                status=Status.CLOSED, outcome=self.outcome, closing_summary=self.closing_summary.strip(),
                closed_at=closed_at, first_reply_at=closed_at,
            )  # fmt: skip
        return fields


def validate_import(data: IntakeData, record: ImportedRecord, *, today: dt.date) -> None:
    """The intake's checks, save the back-dating window, and those of a closed record."""
    errors: dict[str, list[str]] = {}
    try:
        validate_intake(data, today=today, imported=True)
    except ValidationError as error:
        error.update_error_dict(errors)

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not record.source.strip() or not record.source_key.strip():
        add("source_key", _("กรุณาระบุเลขที่อ้างอิงของเรื่องในข้อมูลเดิม"))
    if record.status == Status.CLOSED:
        if record.outcome not in Outcome.values or record.outcome == Outcome.MERGED:
            add("outcome", _("เรื่องที่ยุติแล้วต้องระบุผลการดำเนินการ"))
        if not record.closing_summary.strip():
            add("closing_summary", _("กรุณาสรุปผลการดำเนินการ"))
        if record.closed_on is None:
            add("closed_on", _("เรื่องที่ยุติแล้วต้องระบุวันที่ยุติเรื่อง"))
        elif record.closed_on > today:
            add("closed_on", _("วันที่ยุติเรื่องต้องไม่เป็นวันในอนาคต"))
        elif record.closed_on < data.received_on:
            add(
                "closed_on",
                _("วันที่ยุติเรื่องต้องไม่ก่อนวันที่รับเรื่อง (%(date)s)") % {"date": format_be_input(data.received_on)},
            )
    elif record.status != Status.RECEIVED:
        add("status", _("นำเข้าได้เฉพาะเรื่องที่รับเรื่องแล้วหรือยุติเรื่องแล้ว"))
    elif record.outcome or record.closed_on or record.closing_summary.strip():
        add("status", _("มีผลการดำเนินการหรือวันที่ยุติเรื่อง แต่สถานะไม่ใช่ “ยุติเรื่องแล้ว”"))
    if errors:
        raise ValidationError(errors)


def case_import(*, actor: User, district: District, data: IntakeData, record: ImportedRecord) -> tuple[Complaint, bool]:
    """Record an earlier complaint (a row of a center's spreadsheet or of the old system)
    as received at ``district``'s center: numbered in the fiscal year of its received
    date, which may be older than the back-dating window; open, with its workflow, or
    closed as it ended, with none. Its timeline and audit row say where it came from.

    Return ``(complaint, created)``; a record imported before (the same source and key)
    returns its case, unchanged.
    """
    if not rules.can_import(actor, district):
        raise ActionRefused(_("คุณไม่มีสิทธิ์นำเข้าเรื่องร้องเรียนของศูนย์ดำรงธรรมอำเภอนี้"), code="forbidden")
    validate_import(data, record, today=timezone.localdate())
    try:
        with transaction.atomic():
            complaint = _create_complaint(
                actor=actor, district=district, data=data, submission_key=None, imported=record
            )
    except IntegrityError:
        # Imported before (the unique source and key says so, at no extra query for the
        # thousands of rows that are new), or at this moment by another import.
        if existing := Complaint.objects.filter(source=record.source, source_key=record.source_key).first():
            return existing, False
        raise
    return complaint, True


def _delete_stored(attachments: Sequence[Attachment]) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)


def _create_complaint(
    *, actor: User | None, district, data: IntakeData, submission_key, online: _FiledOnline | None = None,
    imported: ImportedRecord | None = None,
) -> Complaint:  # fmt: skip
    fiscal_year = fiscal_year_be(data.received_on)
    complaint = Complaint(
        tracking_code=new_tracking_code(),
        district=district,
        province_id=district.province_id,
        number_district=district,
        fiscal_year=fiscal_year,
        running_number=next_running_number(district, fiscal_year),
        channel=data.channel,
        received_on=data.received_on,
        recorded_by=actor,
        main_category=data.main_category,
        category=None if data.main_category.is_other else data.category,
        category_other_text=data.category_other_text.strip() if data.main_category.is_other else "",
        subject=data.subject.strip(),
        description=data.description.strip(),
        incident_subdistrict=data.incident_subdistrict,
        incident_address=data.incident_address.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        due_on=data.main_category.due_on(data.received_on),
        submission_key=submission_key,
        **(imported.case_fields() if imported else {}),
    )
    step = "import" if imported else "intake"
    if imported and complaint.is_open and data.received_on < earliest_received_on(timezone.localdate()):
        # Open, and older than intake could record it: its closure target counts from its
        # import, as a reopened case's does, not from years ago (the SLA check would
        # escalate every such case the next hour).
        complaint.due_on = data.main_category.due_on(timezone.localdate())
    # Written with the row, from what is about to be saved: no second read and write of the case.
    complaint.search_vector = search.vector(complaint, data.complainants, data.respondents)
    complaint.search_version = search.SEARCH_VERSION
    complaint._history_user = actor
    complaint._change_reason = step
    complaint.save()
    for person in data.complainants:
        Complainant.objects.create(complaint=complaint, **person.__dict__)
    for party in data.respondents:
        respondent = Respondent(complaint=complaint, **party.__dict__)
        if party.kind == Respondent.Kind.OFFICIAL and party.national_id:
            # An official complained about who has an account here must never see the case.
            respondent.user = User.objects.filter(national_id=party.national_id).first()
        respondent.save()
    if online:
        # Before the audit rows below: a photo's re-encoding must not hold the chain's lock.
        for uploaded in online.files:
            online.stored.append(store_attachment(case=complaint, uploaded=uploaded, actor=None))
    with translation.override(settings.LANGUAGE_CODE):
        by = (online.via or str(FILED_ONLINE_BY)) if online else ""
        note = _imported_note(imported) if imported else ""
    event = _record_event(
        complaint, actor=actor, action=step, from_status="", note=note, actor_name=by,
        data={"source": imported.source, "source_key": imported.source_key, "row": imported.row} if imported else None,
    )  # fmt: skip
    after = _snapshot(complaint)
    if complaint.is_open:
        workflow().start(complaint)
    if not imported:
        # An imported case joins its queue untold: a file of thousands would be thousands of notices.
        workflow().announce(complaint, event)
    # Last: the audit chain's lock is held from its append to the commit, so what
    # comes before it (the workflow, who is told) does not make writers take turns.
    if imported:
        facts = _imported_facts(imported, complaint)
        audit_events.transition(
            actor, complaint, step, before={}, after={**after, **facts}, note=_imported_detail(facts)
        )
    elif online:
        audit_events.filed_online(complaint, after=after, note=online.note, client_address=online.client_address)
        for attachment in online.stored:
            audit_events.attached(None, complaint, attachment)
    else:
        audit_events.transition(actor, complaint, "intake", before={}, after=after)
    return complaint


def _imported_note(record: ImportedRecord) -> str:
    return _("นำเข้าจากข้อมูลเดิม “%(source)s” แถวที่ %(row)d เลขที่อ้างอิง %(key)s") % {
        "source": record.source, "row": record.row, "key": record.source_key,
    }  # fmt: skip


def _imported_facts(record: ImportedRecord, case: Complaint) -> dict:
    """What the audit row of an import keeps besides the case: where it came from, and
    whether it is older than intake could have recorded it (the back-dating window)."""
    return {
        "source": record.source, "source_key": record.source_key, "row": record.row,
        "before_window": case.received_on < earliest_received_on(timezone.localdate()),
    }  # fmt: skip


def _imported_detail(facts: dict) -> str:
    """The import's audit detail, in the log's words for what the system records."""
    detail = f"imported from {facts['source']} row {facts['row']} key {facts['source_key']}"
    return detail + ("; received before the back-dating window" if facts["before_window"] else "")


# --- Transitions ------------------------------------------------------------------------


def _lock(case: Complaint, expected_status: str | None) -> None:
    """Re-read the caller's case under a row lock, in place (the caller's instance is
    the one that moves, as Zulip's ``do_*`` functions do after ``select_for_update``);
    refuse if it moved since the user saw it."""
    case.refresh_from_db(
        from_queryset=Complaint.objects.select_for_update(of=("self",)).select_related("team", "district")
    )
    if expected_status and case.status != expected_status:
        raise CaseChanged(
            _("เรื่องนี้มีผู้ดำเนินการไปก่อนแล้ว (สถานะตอนนี้: %(status)s) รายการของคุณยังไม่ได้บันทึก กรุณาดูข้อมูลล่าสุดแล้วทำรายการใหม่")
            % {"status": case.get_status_display()},
            code="changed",
        )


def _begin(case: Complaint, name: str, actor: User, expected_status: str | None) -> Action:
    """Lock the case and check that its state and the actor allow the action ``name``."""
    _lock(case, expected_status)
    action = ACTIONS[name]
    _check(case, action, actor)
    return action


def _check(case: Complaint, action: Action, actor: User) -> None:
    if not action.state_allows(case):
        raise ActionRefused(
            _("ทำรายการ “%(action)s” ไม่ได้ในสถานะ “%(status)s”")
            % {"action": action, "status": case.get_status_display()},
            code="wrong_state",
        )
    if not action.rule(actor, case):
        raise ActionRefused(_("คุณไม่มีสิทธิ์ทำรายการ “%(action)s” ในเรื่องนี้") % {"action": action}, code="forbidden")


def _apply(
    case: Complaint, action: Action, actor: User | None, *args, note: str = "", data: dict | None = None
) -> Complaint:
    """Apply a transition through the case's workflow task, in the caller's transaction."""
    from_status = case.status
    before = _snapshot(case)
    recorded: list = []  # the step's CaseEvent and the case's snapshot after it

    def transition() -> Complaint:
        getattr(case, action.name)(*args)
        case._history_user = actor
        case._change_reason = action.name
        try:
            case.save()
        except ConcurrentTransition:
            # The row lock in _lock makes this rare; it stays as the last guard.
            raise CaseChanged(_("เรื่องนี้มีผู้ดำเนินการไปก่อนแล้ว กรุณาดูข้อมูลล่าสุดแล้วทำรายการใหม่"), code="changed") from None
        recorded.append(
            _record_event(case, actor=actor, action=action.name, from_status=from_status, note=note, data=data or {})
        )
        recorded.append(_snapshot(case))
        return case

    if not action.moves_task:
        transition()
        workflow().progress_reported(case)
    else:
        try:
            workflow().perform(case, action=action.name, actor=actor, apply=transition)
        except WorkflowError as error:
            raise ActionRefused(error.message, code=error.code) from None
    event, after = recorded[-2:]
    workflow().announce(case, event)
    # Last, as at intake: the chain's lock is then held for the append and the commit only.
    audit_events.transition(actor, case, action.name, before=before, after=after, note=note)
    return case


def _snapshot(case: Complaint) -> dict:
    """The fields a transition changes, for the audit row's before and after."""
    return {
        "status": case.status,
        "district": case.district_id,
        "team": case.team_id,
        "is_escalated": case.is_escalated,
        "outcome": case.outcome,
        "proposed_outcome": case.proposed_outcome,
    }


def _record_event(case, *, actor, action, from_status, note, data=None, actor_name: str = "") -> CaseEvent:
    """Put a step on the case's timeline and tell the apps above (``cases.signals``)."""
    event = CaseEvent.objects.create(
        complaint=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor,
        actor_name=actor.get_full_name() if actor else actor_name or str(gettext_lazy("ระบบ (ตรวจกำหนดเวลา)")),
        note=note,
        data=data or {},
    )
    case_step_recorded.send(sender=Complaint, case=case, event=event)
    return event


def _with_reason(
    case: Complaint, name: str, actor: User, expected_status: str | None, text: str, *, missing: str,
    field: str = "reason",
) -> Complaint:  # fmt: skip
    """A step whose one input is required text (a reason, instructions), kept as its note;
    ``missing`` is what the form's ``field`` says when it is empty."""
    action = _begin(case, name, actor, expected_status)
    return _apply(case, action, actor, note=_require_text(text, field, missing))


def _require_text(value: str, name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({name: [message]})
    return value


@transaction.atomic
def case_propose_assignment(
    *, actor: User, case: Complaint, team: Team, note: str = "", expected_status: str | None = None
) -> Complaint:
    action = _begin(case, "propose_assignment", actor, expected_status)
    if team.district_id != case.district_id or not team.is_active:
        raise ValidationError({"team": [_("เลือกได้เฉพาะชุดปฏิบัติการที่ยังใช้งานของอำเภอนี้")]})
    return _apply(case, action, actor, team, note=note, data={"team": team.name})


@transaction.atomic
def case_approve_assignment(
    *, actor: User, case: Complaint, note: str = "", expected_status: str | None = None
) -> Complaint:
    action = _begin(case, "approve_assignment", actor, expected_status)
    return _apply(case, action, actor, note=note, data={"team": case.team.name})


@transaction.atomic
def case_send_back_assignment(
    *, actor: User, case: Complaint, reason: str, expected_status: str | None = None
) -> Complaint:
    return _with_reason(case, "send_back_assignment", actor, expected_status, reason, missing=_("กรุณาระบุเหตุผลที่ส่งกลับ"))


@transaction.atomic
def case_accept(*, actor: User, case: Complaint, note: str = "", expected_status: str | None = None) -> Complaint:
    action = _begin(case, "accept", actor, expected_status)
    return _apply(case, action, actor, note=note)


@transaction.atomic
def case_report_progress(
    *,
    actor: User,
    case: Complaint,
    text: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[UploadedFile] = (),
    expected_status: str | None = None,
) -> Complaint:
    """Add a progress report (text, optional GPS point and photos) to a case under investigation."""
    action = _begin(case, "report_progress", actor, expected_status)
    text = _require_text(text, "text", _("กรุณากรอกความคืบหน้า"))
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": [_("กรุณากรอกทั้งละติจูดและลองจิจูด หรือเว้นว่างทั้งคู่")]})
    report = ProgressReport(complaint=case, author=actor, text=text, latitude=latitude, longitude=longitude)
    report.full_clean()
    report._history_user = actor
    report.save()
    stored = []
    try:
        for photo in photos:
            stored.append(
                store_attachment(case=case, uploaded=photo, actor=actor, progress_report=report, photo_only=True)
            )
    except ValidationError:
        # The transaction rolls the rows back; the files already written must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
            if attachment.thumbnail:
                attachment.thumbnail.delete(save=False)
        raise
    return _apply(case, action, actor, note=text, data={"report": report.pk, "photos": len(photos)})


@transaction.atomic
def case_propose_resolution(
    *, actor: User, case: Complaint, outcome: str, summary: str, expected_status: str | None = None
) -> Complaint:
    action = _begin(case, "propose_resolution", actor, expected_status)
    outcome = _validate_outcome(outcome)
    summary = _require_text(summary, "summary", _("กรุณาสรุปผลการดำเนินการ"))
    return _apply(case, action, actor, outcome, summary, note=summary, data={"outcome": outcome})


@transaction.atomic
def case_approve_closure(
    *, actor: User, case: Complaint, outcome: str = "", summary: str = "", expected_status: str | None = None
) -> Complaint:
    """Close the case; the head may confirm or change the proposed outcome and summary."""
    action = _begin(case, "approve_closure", actor, expected_status)
    outcome = _validate_outcome(outcome or case.proposed_outcome)
    summary = _require_text(summary or case.proposed_summary, "summary", _("กรุณาสรุปผลการดำเนินการ"))
    return _apply(case, action, actor, outcome, summary, note=summary, data={"outcome": outcome})


@transaction.atomic
def case_send_back_resolution(
    *, actor: User, case: Complaint, reason: str, expected_status: str | None = None
) -> Complaint:
    return _with_reason(case, "send_back_resolution", actor, expected_status, reason, missing=_("กรุณาระบุเหตุผลที่ส่งกลับ"))


@transaction.atomic
def case_forward(
    *, actor: User, case: Complaint, agency: str, letter_number: str, letter_date: dt.date, note: str = "",
    expected_status: str | None = None,
) -> Complaint:  # fmt: skip
    action = _begin(case, "forward", actor, expected_status)
    agency = _require_text(agency, "agency", _("กรุณาระบุหน่วยงานที่ส่งต่อ"))
    letter_number = _require_text(letter_number, "letter_number", _("กรุณาระบุเลขที่หนังสือ"))
    if letter_date > timezone.localdate():
        raise ValidationError({"letter_date": [_("วันที่หนังสือต้องไม่เป็นวันในอนาคต")]})
    if letter_date < case.received_on:
        raise ValidationError(
            {"letter_date": [_("วันที่หนังสือต้องไม่ก่อนวันที่รับเรื่อง (%(date)s)") % {"date": format_be_input(case.received_on)}]}
        )
    forwarding = Forwarding(
        complaint=case, agency=agency, letter_number=letter_number, letter_date=letter_date, note=note,
        forwarded_by=actor,
    )  # fmt: skip
    forwarding._history_user = actor
    forwarding.save()
    return _apply(case, action, actor, note=note, data={"agency": agency, "letter_number": letter_number})


@transaction.atomic
def case_agency_replied(
    *,
    actor: User,
    case: Complaint,
    reply: str,
    replied_on: dt.date,
    reply_letter_number: str = "",
    expected_status: str | None = None,
) -> Complaint:
    action = _begin(case, "agency_replied", actor, expected_status)
    reply = _require_text(reply, "reply", _("กรุณากรอกผลการพิจารณาของหน่วยงาน"))
    if replied_on > timezone.localdate():
        raise ValidationError({"replied_on": [_("วันที่ตอบต้องไม่เป็นวันในอนาคต")]})
    forwarding = case.forwardings.filter(replied_on__isnull=True).order_by("-forwarded_at").first()
    if forwarding is None:
        raise ActionRefused(_("ไม่พบการส่งต่อที่รอคำตอบ"), code="no_forwarding")
    # An agency answers the letter it was sent, which the center wrote after receiving the case.
    earliest = max(forwarding.letter_date, case.received_on)
    if replied_on < earliest:
        raise ValidationError(
            {"replied_on": [_("วันที่ตอบต้องไม่ก่อนวันที่หนังสือส่งต่อ (%(date)s)") % {"date": format_be_input(earliest)}]}
        )
    forwarding.reply, forwarding.replied_on = reply, replied_on
    forwarding.reply_letter_number, forwarding.reply_recorded_by = reply_letter_number, actor
    forwarding._history_user = actor
    forwarding.save()
    return _apply(case, action, actor, note=reply, data={"agency": forwarding.agency})


@transaction.atomic
def case_escalate(*, actor: User, case: Complaint, reason: str, expected_status: str | None = None) -> Complaint:
    return _with_reason(case, "escalate", actor, expected_status, reason, missing=_("กรุณาระบุเหตุผลที่ส่งเรื่องถึงจังหวัด"))


@transaction.atomic
def case_escalate_overdue(*, case: Complaint, today: dt.date) -> Complaint:
    """Escalate a case past its closure target and the grace period, on nobody's
    behalf but the SLA check's (workflows.sla). The province is told."""
    _lock(case, None)
    if not Complaint.objects.due_for_automatic_escalation(today).filter(pk=case.pk).exists():
        raise ActionRefused(_("เรื่องนี้ยังไม่ถึงกำหนดส่งถึงจังหวัด"), code="not_due")
    note = _("เกินกำหนดยุติเรื่อง (%(due)s) มาแล้ว %(days)d วัน ระบบส่งเรื่องถึงจังหวัดโดยอัตโนมัติ") % {
        "due": format_be_input(case.due_on),
        "days": (today - case.due_on).days,
    }
    return _apply(case, ACTIONS["escalate"], None, note=note, data={"automatic": True})


@transaction.atomic
def case_return_to_district(
    *, actor: User, case: Complaint, instructions: str, expected_status: str | None = None
) -> Complaint:
    return _with_reason(
        case,
        "return_to_district",
        actor,
        expected_status,
        instructions,
        missing=_("กรุณาระบุข้อสั่งการถึงอำเภอ"),
        field="instructions",
    )


@transaction.atomic
def case_transfer(
    *, actor: User, case: Complaint, district: District, reason: str, expected_status: str | None = None
) -> Complaint:
    """Give the case to another district center; its history and number stay with it."""
    action = _begin(case, "transfer", actor, expected_status)
    reason = _require_text(reason, "reason", _("กรุณาระบุเหตุผลที่โอนเรื่อง"))
    if district.pk == case.district_id:
        raise ValidationError({"district": [_("กรุณาเลือกอำเภออื่น")]})
    previous = case.district
    return _apply(case, action, actor, district, note=reason,
        data={"from_district": previous.pk, "to_district": district.pk, "to_district_name": district.name_th},
    )  # fmt: skip


@transaction.atomic
def case_reject(*, actor: User, case: Complaint, reason: str, expected_status: str | None = None) -> Complaint:
    return _with_reason(case, "reject", actor, expected_status, reason, missing=_("กรุณาระบุเหตุผลที่ไม่รับเรื่อง"))


@transaction.atomic
def case_withdraw(*, actor: User, case: Complaint, reason: str, expected_status: str | None = None) -> Complaint:
    return _with_reason(
        case, "withdraw", actor, expected_status, reason, missing=_("กรุณาบันทึกเหตุผลหรือหลักฐานการถอนเรื่องของผู้ร้อง")
    )


@transaction.atomic
def case_reopen(*, actor: User, case: Complaint, reason: str, expected_status: str | None = None) -> Complaint:
    _lock(case, expected_status)
    if case.status == Status.CLOSED and rules.is_district_head(actor, case) and not rules.can_reopen(actor, case):
        raise ActionRefused(
            _("เปิดเรื่องใหม่ได้ภายใน %(days)d วันหลังยุติเรื่องเท่านั้น") % {"days": settings.CASE_REOPEN_DAYS}, code="window"
        )
    action = ACTIONS["reopen"]
    _check(case, action, actor)
    reason = _require_text(reason, "reason", _("กรุณาระบุเหตุผลที่เปิดเรื่องใหม่"))
    return _apply(case, action, actor, note=reason)


@transaction.atomic
def case_merge(
    *, actor: User, case: Complaint, into: Complaint | None = None, note: str = "", expected_status: str | None = None
) -> Complaint:
    """Close ``case`` as merged into ``into``, the case kept for the same grievance (followed
    to its end when it was merged in turn): outcome "merged", closing summary "รวมกับเรื่องเลขที่ …",
    ``merged_into`` set, its open task ended; a step on both timelines and both audit trails.

    The use case is ``repeats.services.merge``, which first checks that the two are the same
    grievance from the same complainant; the registry's generic form cannot name ``into``,
    so the case page offers the merge in its repeats panel only (``Action.offered``)."""
    if into is None:
        raise ActionRefused(_("เลือกเรื่องที่จะรวมเข้าได้จากส่วน “เรื่องซ้ำ” ของหน้าเรื่อง"), code="no_target")
    kept = Complaint.objects.get(pk=into.pk).kept_case()  # as it is now, not as the caller read it
    # Both rows locked, the lower id first: two heads merging the two cases each into the
    # other at the same moment wait for each other, and the second is refused below.
    if kept.pk < case.pk:
        kept = _locked_kept(kept)
        _lock(case, expected_status)
    else:
        _lock(case, expected_status)
        kept = _locked_kept(kept) if kept.pk != case.pk else kept
    action = ACTIONS["merge"]
    if kept.pk == case.pk:
        if into.pk == case.pk:
            raise ValidationError({"into": [_("รวมเรื่องเข้ากับตัวเองไม่ได้")]})
        raise ValidationError({"into": [_("เรื่องเลขที่ %(number)s รวมเข้ากับเรื่องนี้อยู่แล้ว") % {"number": into.number}]})
    if not case.is_open:
        if case.merged_into_id:
            message = _("เรื่องนี้รวมกับเรื่องเลขที่ %(number)s แล้ว") % {"number": case.kept_case().number}
        else:
            message = _("เรื่องนี้ยุติแล้ว จึงรวมเข้ากับเรื่องอื่นไม่ได้ หากเป็นเรื่องเดียวกัน ให้รวมเรื่องที่ยังดำเนินการอยู่เข้ากับเรื่องนี้แทน")
        raise ActionRefused(message, code="wrong_state")
    _check(case, action, actor)
    if not rules.sees(actor, kept):
        raise ActionRefused(
            _("คุณไม่มีสิทธิ์เห็นเรื่องเลขที่ %(number)s จึงรวมเรื่องเข้าไปไม่ได้") % {"number": kept.number}, code="forbidden"
        )
    if kept.status == Status.REJECTED:
        raise ValidationError(
            {"into": [_("เรื่องเลขที่ %(number)s เป็นเรื่องที่ไม่รับไว้ดำเนินการ จึงรวมเข้าไม่ได้") % {"number": kept.number}]}
        )
    with translation.override(settings.LANGUAGE_CODE):  # kept as the case's record, in the site's language
        summary = _("รวมกับเรื่องเลขที่ %(number)s") % {"number": kept.number}
        joined = _("รวมเรื่องเลขที่ %(number)s เข้ากับเรื่องนี้") % {"number": case.number}
    note = (note or "").strip()
    _apply(
        case, action, actor, kept, summary, note="\n".join(filter(None, [summary, note])),
        data={"outcome": Outcome.MERGED, "into": kept.pk, "into_number": kept.number},
    )  # fmt: skip
    _record_event(
        kept, actor=actor, action="merged_in", from_status=kept.status, note="\n".join(filter(None, [joined, note])),
        data={"merged": case.pk, "merged_number": case.number},
    )  # fmt: skip
    audit_events.merged_in(actor, kept, merged=case, note=note)
    return case


def _locked_kept(kept: Complaint) -> Complaint:
    """The kept case of a merge under a row lock; refused if it was merged itself meanwhile."""
    locked = Complaint.objects.select_for_update(of=("self",)).get(pk=kept.pk)
    if locked.merged_into_id is not None:
        raise CaseChanged(
            _("เรื่องเลขที่ %(number)s เพิ่งถูกรวมกับเรื่องอื่น กรุณาดูข้อมูลล่าสุดแล้วทำรายการใหม่") % {"number": locked.number},
            code="changed",
        )
    return locked


def _validate_outcome(outcome: str) -> str:
    # Withdrawn and merged are the outcomes of their own steps, not of a resolution.
    if outcome not in Outcome.values or outcome in (Outcome.WITHDRAWN, Outcome.MERGED):
        raise ValidationError({"outcome": [_("กรุณาเลือกผลการดำเนินการ")]})
    return outcome


# --- Files ------------------------------------------------------------------------------


@transaction.atomic
def case_attach(*, actor: User, case: Complaint, uploaded, description: str = "") -> Attachment:
    """Attach a file to an open case: check and store it (``cases.files``), and put
    it on the case's timeline and in the audit log, all in one transaction.

    Raises ActionRefused if ``actor`` may not attach files to the case now, and
    ValidationError ``{"file": [...]}`` for a file we do not take."""
    _lock(case, None)
    if not rules.can_attach(actor, case):
        raise ActionRefused(_("คุณไม่มีสิทธิ์แนบไฟล์ในเรื่องนี้"), code="forbidden")
    attachment = store_attachment(case=case, uploaded=uploaded, actor=actor, description=description)
    note = attachment.original_name + (f" — {attachment.description}" if attachment.description else "")
    try:
        _record_event(
            case, actor=actor, action="attach", from_status=case.status, note=note, data={"attachment": attachment.pk}
        )
        audit_events.attached(actor, case, attachment)
    except BaseException:
        # The transaction takes the rows back; the stored files must go too.
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
        raise
    return attachment
