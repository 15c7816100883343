"""The auditors' exports: the log as CSV, a case's full record as CSV and PDF.

Made in the background for the auditor who asked (exports/): ``register_kinds``
gives the exports app the three renderers.

CSV starts with a byte-order mark so that Excel reads the Thai as UTF-8, and
every time is Buddhist era (``26/11/2569 08:15:03``). The PDF is A4 in Sarabun,
shaped with HarfBuzz so that Thai vowels and tone marks sit where they belong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Kind
from auditing.forms import LogFilterForm
from auditing.record import case_record
from auditing.selectors import (
    LogFilters,
    PersonalDataMask,
    detail_text,
    filter_log,
    is_auditor,
    may_audit_case,
    row_changes,
    visible_log,
)
from cases.exports import filters_query
from cases.selectors import get_case_for_user
from core.csv import csv_lines
from core.pdf import FONT, ThaiPDF, breakable
from core.thai import format_be_input, format_date, format_datetime
from exports.registry import ExportRefused, register, write_text

AUDIT_LOG_CSV = "audit_log_csv"
CASE_RECORD_CSV = "case_audit_csv"
CASE_RECORD_PDF = "case_audit_pdf"


def be_timestamp(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_be_input(local.date())} {local:%H:%M:%S}"


# --- The log ----------------------------------------------------------------------------


def log_header() -> list[str]:
    return [
        _("ลำดับที่"), _("เวลา"), _("ประเภทเหตุการณ์"), _("ผู้กระทำ"), _("เลขประจำตัวประชาชนผู้กระทำ"),
        _("ที่อยู่ IP"), _("โปรแกรมที่ใช้"), _("เลขที่รับ"), _("รายละเอียด"), _("ก่อน"), _("หลัง"), _("ค่าแฮช"),
    ]  # fmt: skip


def log_rows(queryset, kinds: dict[str, str], mask) -> Iterator[list]:
    """The rows of ``queryset``, newest first, read in chunks (the export may be large).
    ``kinds`` holds the kind labels, translated before the response starts streaming;
    ``mask`` (``auditing.selectors.PersonalDataMask``) hides what the reader may not see."""
    for event in queryset.order_by("-id").iterator(chunk_size=2000):
        yield [
            event.pk, be_timestamp(event.at), kinds.get(event.kind, event.kind), event.actor_name,
            event.actor_national_id, event.ip, event.user_agent, event.case_number, detail_text(event, mask),
            event.before, event.after, event.hash,
        ]  # fmt: skip


# --- A case's full record ---------------------------------------------------------------


def case_record_rows(record) -> Iterator[list]:
    """The case's record (``auditing.views.CaseRecord``) as CSV rows, section by section,
    for a person to read: Thai labels, Buddhist-era times, names rather than codes."""
    case = record.case
    yield [_("บันทึกการตรวจสอบเรื่องร้องเรียน")]
    yield [_("เลขที่รับ"), case.number]
    yield [_("เรื่อง"), case.subject]
    yield [_("สถานะ"), case.get_status_display()]
    yield [_("ศูนย์ดำรงธรรมอำเภอที่รับผิดชอบ"), case.district.full_name_th]
    yield [_("ส่งออกเมื่อ"), be_timestamp(record.generated_at)]
    yield [_("ส่งออกโดย"), record.viewer]
    yield []
    yield [_("บันทึกการตรวจสอบ")]
    yield [
        _("ลำดับที่"), _("เวลา"), _("ประเภทเหตุการณ์"), _("ผู้กระทำ"), _("เลขประจำตัวประชาชนผู้กระทำ"),
        _("ที่อยู่ IP"), _("โปรแกรมที่ใช้"), _("รายละเอียด"), _("การเปลี่ยนแปลง"),
    ]  # fmt: skip
    for event in record.audit_rows:
        yield [
            event.pk, be_timestamp(event.at), event.get_kind_display(), event.actor_name, event.actor_national_id,
            event.ip, event.user_agent, detail_text(event, record.mask), "; ".join(row_changes(event, record.names)),
        ]  # fmt: skip
    yield []
    yield [_("ประวัติการเปลี่ยนแปลงข้อมูล")]
    yield [
        _("เวลา"), _("ผู้ทำรายการ"), _("รายการ"), _("ระเบียน"), _("การเปลี่ยนแปลง"), _("เหตุผล"),
        _("ช่องข้อมูล"), _("ค่าเดิม"), _("ค่าใหม่"),
    ]  # fmt: skip
    for entry in record.history:
        head = [be_timestamp(entry.at), entry.who, entry.model, entry.record, entry.type_label, entry.reason_label]
        if not entry.changes:
            yield [*head, "", "", ""]
        for change in entry.changes:
            yield [*head, change.field, change.old, change.new]
    yield []
    yield [_("ลำดับการดำเนินการ")]
    yield [_("เวลา"), _("การดำเนินการ"), _("จากสถานะ"), _("เป็นสถานะ"), _("ผู้ดำเนินการ"), _("หมายเหตุ")]
    for event in record.events:
        yield [
            be_timestamp(event.at), event.label, event.from_status_label,
            event.to_status_label, event.actor_name, event.note,
        ]  # fmt: skip
    yield []
    yield [_("ประวัติงานในระบบงาน")]
    yield [_("เวลา"), _("งาน"), _("รายการ"), _("โดย")]
    for step in record.workflow_steps:
        yield [be_timestamp(step.at), step.task, step.what, step.who]


# --- PDF --------------------------------------------------------------------------------


def case_record_pdf(record) -> bytes:
    footer_text = _("พิมพ์เมื่อ %(when)s โดย %(who)s") % {
        "when": format_datetime(record.generated_at),
        "who": record.viewer,
    }
    page_label = _("หน้า")

    class RecordPDF(ThaiPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font(FONT, size=8)
            self.set_text_color(90)
            self.cell(0, 6, breakable(footer_text), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, f"{page_label} {self.page_no()}/{{nb}}", align="R")
            self.set_text_color(0)

    pdf = RecordPDF()
    case = record.case
    title = _("บันทึกการตรวจสอบเรื่องร้องเรียน")
    pdf.set_title(f"{title} {case.number}")
    pdf.set_subject(case.number)
    pdf.set_author(record.viewer)
    pdf.set_creator(_("ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม"))
    pdf.set_creation_date(record.generated_at)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()

    write = pdf.paragraph

    def heading(text):
        pdf.ln(3)
        write(text, size=13, style="B", height=7)
        pdf.set_draw_color(160)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.5)

    write(title, size=16, style="B", height=9)
    for label, value in (
        (_("เลขที่รับ"), case.number),
        (_("เรื่อง"), case.subject),
        (_("สถานะ"), case.get_status_display()),
        (_("ศูนย์ดำรงธรรมอำเภอที่รับผิดชอบ"), case.district.full_name_th),
        (_("วันที่รับเรื่อง"), format_date(case.received_on, long=True)),
    ):
        write(f"{label}: {value}", size=11, height=6)

    heading(_("ลำดับการดำเนินการ"))
    for event in record.events:
        line = f"{format_datetime(event.at)} · {event.label} · {event.actor_name}"
        if event.from_status != event.to_status:
            line += f" ({event.from_status_label or '—'} → {event.to_status_label})"
        write(line, style="B")
        if event.note:
            write(event.note, indent=5)
    if not record.events:
        write("—")

    heading(_("ประวัติงานในระบบงาน"))
    for step in record.workflow_steps:
        write(f"{format_datetime(step.at)} · {step.task} · {step.what} · {step.who}")
    if not record.workflow_steps:
        write("—")

    heading(_("ประวัติการเปลี่ยนแปลงข้อมูล"))
    for entry in record.history:
        line = f"{format_datetime(entry.at)} · {entry.who} · {entry.model} {entry.record} · {entry.type_label}"
        if entry.reason_label:
            line += f" ({entry.reason_label})"
        write(line, style="B")
        for change in entry.changes:
            if change.old:
                write(f"• {change.field}: {change.old} → {change.new}", indent=5)
            else:
                write(f"• {change.field}: {change.new}", indent=5)
        pdf.ln(1)

    heading(_("บันทึกการตรวจสอบ"))
    for event in record.audit_rows:
        write(
            f"{format_datetime(event.at)} · {event.get_kind_display()} · {event.actor_name or '—'}",
            style="B",
        )
        where = f"IP {event.ip or '—'} · {event.user_agent or '—'}"
        write(where, size=9, indent=5)
        if event.detail:
            write(detail_text(event, record.mask), indent=5)
        for line in row_changes(event, record.names):
            write(line, size=9, indent=5)
        pdf.ln(1)
    if not record.audit_rows:
        write("—")
    return bytes(pdf.output())


def kind_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Kind.choices}


# --- The renderers (exports.registry) ---------------------------------------------------


def render_log(export, out) -> int:
    """The log as its owner filtered it, up to the last row written when they asked."""
    if not is_auditor(export.owner):
        raise ExportRefused(_("คุณไม่ได้เป็นผู้ตรวจสอบแล้ว จึงจัดทำไฟล์ไม่ได้"))
    form = LogFilterForm(filters_query(export.params.get("query", {})) or None)
    rows = filter_log(visible_log(export.owner), LogFilters.from_form(form)).filter(id__lte=export.params["last"])
    count = 0

    def counted():
        nonlocal count
        for row in log_rows(rows, kind_labels(), PersonalDataMask(export.owner)):
            count += 1
            yield row

    write_text(out, csv_lines(_chain([log_header()], counted())))
    return count


def _chain(*parts):
    for part in parts:
        yield from part


def _audited_case(export):
    """The export's case, if its owner may (still) audit it; else None."""
    try:
        case = get_case_for_user(export.owner, export.params["case"])
    except Http404:
        return None
    return case if may_audit_case(export.owner, case) else None


def _record(export):
    case = _audited_case(export)
    if case is None:
        raise ExportRefused(_("คุณไม่มีสิทธิ์ดูบันทึกการตรวจสอบของเรื่องนี้แล้ว จึงจัดทำไฟล์ไม่ได้"))
    return case_record(export.owner, case)


def _may_still_audit(export) -> bool:
    return _audited_case(export) is not None


def render_record_csv(export, out) -> int:
    record = _record(export)
    write_text(out, csv_lines(case_record_rows(record)))
    return record.size


def render_record_pdf(export, out) -> int:
    record = _record(export)
    out.write(case_record_pdf(record))
    return record.size


def register_kinds() -> None:
    register(
        AUDIT_LOG_CSV, render_log, label=lambda export: _("บันทึกการตรวจสอบ (CSV)"),
        may_download=lambda export: is_auditor(export.owner),
    )  # fmt: skip
    register(CASE_RECORD_CSV, render_record_csv, label=_record_label("CSV"), may_download=_may_still_audit)
    register(CASE_RECORD_PDF, render_record_pdf, label=_record_label("PDF"), may_download=_may_still_audit)


def _record_label(file_format: str):
    def label(export) -> str:
        return record_title(export.case_number, file_format)

    return label


def record_title(number: str, file_format: str) -> str:
    return _("บันทึกการตรวจสอบเรื่อง %(number)s (%(format)s)") % {"number": number, "format": file_format}
