"""The registration form (แบบลงทะเบียนใช้งาน) as an A4 PDF, laid out as the paper form.

The paper form (in ``../shared/seed/``, sent with the province's letter) is drawn as
it was printed: the title, the date, the two boxes of a first registration or a
replacement, the officer's fields in the form's order on dotted lines, the
certification and the certifier's signature block, the notes. Its words are the
paper's, not the model's verbose names: the form is a document of its own.

What was filled in is written on the dotted lines as text, in the colour of ink,
so that the form reads back (pdftotext) and can be searched. The signature is the
certification in the system: the certifier's name and position as they were then,
and the moment. A form not yet certified is drawn the same with its signature block
empty under a "ยังไม่ได้รับรอง" banner, as a preview; the certified form is kept
with its hash (``accounts.services.keep_form``), so the same registration always
draws the same bytes.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Registration
from core.pdf import FONT, ZWSP, ThaiPDF, breakable
from core.roles import ScopeLevel
from core.thai import MONTHS_TH, be_year, format_date, format_datetime

# A4 in millimetres. Sarabun 14 pt fills a line as the paper form's TH Sarabun 16 pt does.
LEFT, RIGHT, TOP, BOTTOM = 25.0, 20.0, 15.0, 22.0
SIZE, SMALL, LINE = 14, 12, 9.0
INDENT = 12.0  # the boxes and "โดยมีรายละเอียดดังนี้" stand in from the margin
BOX = 3.8
INK = (20, 50, 140)  # what was filled in, as a pen would write it
DOTS = 120
LANGUAGE = "th"  # the form is Thai whoever draws it, and its bytes do not depend on who did


class RegistrationFormPDF(ThaiPDF):
    """The form's page, with the registration's number and who filled it at its foot."""

    def __init__(self, *, footer_lines: list[str]):
        super().__init__()
        self.footer_lines = footer_lines

    def footer(self):
        self.set_y(-BOTTOM + 5)
        self.set_draw_color(170)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1)
        self.set_font(FONT, "", 9)
        self.set_text_color(90)
        for line in self.footer_lines:
            self.cell(self.epw, 4.5, line, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)


def registration_pdf(registration: Registration) -> bytes:
    """Draw ``registration`` on the paper form's layout, in Thai; certified or as a draft."""
    with translation.override(LANGUAGE):
        return _render(registration)


def _render(registration: Registration) -> bytes:
    certified = registration.state == Registration.State.CERTIFIED
    title = _("แบบลงทะเบียนใช้งาน")
    system = _("ระบบรับเรื่องร้องเรียนร้องทุกข์ของศูนย์ดำรงธรรมอำเภอ")
    pdf = RegistrationFormPDF(footer_lines=_footer_lines(registration))
    pdf.set_title(f"{title} {registration.full_name}")
    pdf.set_subject(system)
    pdf.set_creator(_("ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม"))
    pdf.set_creation_date(registration.decided_at if certified else registration.submitted_at)
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(auto=True, margin=BOTTOM)
    pdf.add_page()

    if not certified:
        _draft_banner(pdf, registration)

    pdf.set_font(FONT, "B", 16)
    pdf.cell(pdf.epw, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(pdf.epw, 8, system, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    # วันที่ … เดือน … พ.ศ. …, from a third of the line, as on the paper.
    day = registration.registered_on
    pdf.set_x(pdf.l_margin + pdf.epw * 0.4)
    _fields(
        pdf,
        [
            (_("วันที่"), str(day.day) if day else "", 0.2),
            (_("เดือน"), MONTHS_TH[day.month - 1] if day else "", 0.42),
            (_("พ.ศ."), str(be_year(day.year)) if day else "", None),
        ],
    )
    pdf.ln(2)

    _kind_boxes(pdf, registration)
    pdf.set_x(pdf.l_margin + INDENT)
    _text(pdf, _("โดยมีรายละเอียดดังนี้"))

    scope_name = {
        "district": registration.district.name_th if registration.district_id else "—",
        "province": registration.province.name_th if registration.province_id else "—",
    }
    _fields(pdf, [(_("เลขประจำตัวประชาชน"), registration.national_id_display, 0.65)])
    _fields(
        pdf,
        [
            (_("คำนำหน้านาม"), registration.title, 0.3),
            (_("ชื่อตัว"), registration.first_name, 0.35),
            (_("ชื่อสกุล"), registration.last_name, None),
        ],
    )
    _fields(
        pdf,
        [
            (_("ตำแหน่ง"), registration.get_position_display(), 0.43),
            (_("ระดับ"), registration.level, 0.27),
            (_("งาน"), registration.work_unit, None),
        ],
    )
    _fields(
        pdf,
        [
            (_("กลุ่ม/ฝ่าย"), registration.section, 0.36),
            (_("อำเภอ"), scope_name["district"], 0.32),
            (_("จังหวัด"), scope_name["province"], None),
        ],
    )
    _scope_boxes(pdf, registration)
    _fields(pdf, [(_("หมายเลขโทรศัพท์สถานที่ราชการ"), registration.office_phone, 0.75)])
    _fields(
        pdf,
        [(_("หมายเลขโทรศัพท์มือถือของผู้มีสิทธิใช้งานที่สามารถติดต่อได้ (ถ้ามี)"), registration.mobile_phone, None)],
    )
    _fields(
        pdf,
        [
            (
                _("วัน/เดือน/ปี ที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน"),
                format_date(registration.assigned_on, long=True),
                0.9,
            )
        ],
    )
    pdf.ln(2)
    pdf.set_x(pdf.l_margin + INDENT)
    _text(pdf, _("ขอรับรองว่าบุคคลดังกล่าวข้างต้นเป็นผู้มีสิทธิใช้งานจริง"))
    pdf.ln(3)

    _signature(pdf, registration if certified else None)
    pdf.ln(5)
    _notes(pdf)
    return bytes(pdf.output())


def _footer_lines(registration: Registration) -> list[str]:
    number = str(registration.pk) if registration.pk else "—"
    submitter = registration.submitted_by.get_full_name() if registration.submitted_by_id else "—"
    return [
        _("แบบลงทะเบียนเลขที่ %(number)s · ออกจากระบบรับเรื่องร้องเรียนร้องทุกข์ของศูนย์ดำรงธรรม") % {"number": number},
        _("ผู้กรอกแบบ %(who)s · ส่งเมื่อ %(when)s") % {"who": submitter, "when": format_datetime(registration.submitted_at)},
    ]


def _draft_banner(pdf: ThaiPDF, registration: Registration) -> None:
    """A band across the top of a draft. Not a diagonal watermark: pdftotext -layout
    reads the letters of rotated text into the lines of the form. Not bold either:
    it reads Sarabun Bold's "รับ" as two lines."""
    text = _("ยังไม่ได้รับรอง · สถานะ: %(state)s · ใช้เป็นหลักฐานการลงทะเบียนไม่ได้") % {
        "state": registration.get_state_display()
    }
    with pdf.local_context(fill_color=(253, 236, 200), draw_color=(200, 140, 40), text_color=(120, 70, 0)):
        pdf.set_font(FONT, "", SIZE - 1)
        pdf.cell(pdf.epw, 8, text, border=1, fill=True, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _kind_boxes(pdf: ThaiPDF, registration: Registration) -> None:
    """The two boxes of the form's head: a first registration, or one replacing a
    named officer (his position, and why he is replaced)."""
    replacement = registration.kind == Registration.Kind.REPLACEMENT
    replaced = registration.replaces if replacement and registration.replaces_id else None
    start = pdf.l_margin + INDENT

    pdf.set_x(start)
    _box(pdf, ticked=registration.kind == Registration.Kind.FIRST)
    _text(pdf, _("ลงทะเบียนครั้งแรก"))

    pdf.set_x(start)
    _box(pdf, ticked=replacement)
    # The paper's "นาย/นาง/นางสาว" is a title to circle; a name written in has its own.
    name = replaced.get_full_name() if replaced else ""
    _fields(pdf, [(_("ลงทะเบียนแทน") if replaced else _("ลงทะเบียนแทน นาย/นาง/นางสาว"), name, None)])

    # The center's own reason is written in where the paper printed its examples.
    reason = registration.replaced_because.strip() if replacement else ""
    if reason:
        reason, color = _("ซึ่ง%(reason)s") % {"reason": reason.removeprefix("ซึ่ง").strip()}, INK
    else:
        reason, color = _("ซึ่งได้รับมอบหมายให้ปฏิบัติงานอื่น หรือดำรงตำแหน่งท้องถิ่น ฯลฯ"), 0
    position = replaced.position if replaced else ""
    indent = start + BOX + 2
    pdf.set_x(indent)
    pdf.set_font(FONT, "", SIZE)
    room = pdf.l_margin + pdf.epw - indent
    reason_width = pdf.get_string_width(reason) + 2 * pdf.c_margin
    label_width = pdf.get_string_width(_("ตำแหน่ง")) + 2 * pdf.c_margin
    position_width = max(pdf.get_string_width(position) + 2 * pdf.c_margin + 6, 15)
    if label_width + position_width + reason_width <= room:
        _field(pdf, _("ตำแหน่ง"), position, room - reason_width)
        with pdf.local_context(text_color=color):
            _text(pdf, reason)
    else:  # a long one goes below the position
        _fields(pdf, [(_("ตำแหน่ง"), position, None)])
        with pdf.local_context(text_color=color):
            _lines(pdf, reason, x=indent, width=room, height=LINE * 0.8)


def _scope_boxes(pdf: ThaiPDF, registration: Registration) -> None:
    """ระดับสิทธิการใช้งาน: the paper's two boxes, or the central level the paper did not have."""
    pdf.set_font(FONT, "", SIZE)
    pdf.cell(pdf.get_string_width(_("ระดับสิทธิการใช้งาน")) + 2 * pdf.c_margin + 6, LINE, _("ระดับสิทธิการใช้งาน"))
    if registration.scope_level == ScopeLevel.NATION:
        boxes = [(_("ส่วนกลาง"), True)]
    else:
        boxes = [
            (_("ระดับอำเภอ"), registration.scope_level == ScopeLevel.DISTRICT),
            (_("ระดับจังหวัด"), registration.scope_level == ScopeLevel.PROVINCE),
        ]
    for label, ticked in boxes:
        _box(pdf, ticked=ticked)
        pdf.cell(pdf.get_string_width(label) + 2 * pdf.c_margin + 10, LINE, label)
    pdf.ln(LINE)


def _signature(pdf: ThaiPDF, registration: Registration | None) -> None:
    """The certifier's block in the right half: the certification in the system in
    place of a signature, his name and position as they were, and when. Empty on a draft."""
    start, width = pdf.l_margin + pdf.epw * 0.42, pdf.epw * 0.58
    signed = registration is not None

    pdf.set_x(start)
    _fields(pdf, [(_("ลงชื่อ"), _("รับรองในระบบแทนการลงลายมือชื่อ") if signed else "", width)], size=SMALL)
    pdf.set_x(start)
    pdf.set_font(FONT, "", SIZE)
    bracket = pdf.get_string_width(")") + 2 * pdf.c_margin
    _field(pdf, "(", registration.certifier_name if signed else "", width - bracket)
    pdf.set_font(FONT, "", SIZE)
    pdf.cell(bracket, LINE, ")", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(start)
    _fields(pdf, [(_("ตำแหน่ง"), registration.certifier_position if signed else "", width)])
    if not signed:
        return
    pdf.set_font(FONT, "", SMALL)
    lines = [_("รับรองในระบบเมื่อ %(when)s") % {"when": format_datetime(registration.decided_at)}]
    if registration.self_certified:
        lines.append(_("รับรองตนเอง ตามหมายเหตุ 1"))
    for line in lines:
        pdf.set_x(start)
        pdf.cell(width, LINE * 0.75, line, align="C", new_x="LMARGIN", new_y="NEXT")


def _notes(pdf: ThaiPDF) -> None:
    pdf.set_font(FONT, "", SMALL)
    label = _("หมายเหตุ :")
    hang = pdf.get_string_width(label) + 2 * pdf.c_margin + 1
    pdf.cell(hang, LINE * 0.7, label)
    notes = [
        _("ตำแหน่งนายอำเภอ/เจ้าจังหวัด เป็นผู้รับรองตนเอง"),
        _("จัดส่งแบบลงทะเบียนฯ เพื่อขอใช้สิทธิ หรือเปลี่ยนแปลงผู้มีสิทธิใช้งาน หรือ ได้รับคำสั่งแต่งตั้ง ย้าย ให้ไปปฏิบัติราชการที่ใหม่"),
    ]
    number_width = pdf.get_string_width("0.") + 2 * pdf.c_margin
    for number, note in enumerate(notes, start=1):
        pdf.set_x(pdf.l_margin + hang)
        pdf.cell(number_width, LINE * 0.7, f"{number}.")
        x = pdf.l_margin + hang + number_width
        _lines(pdf, note, x=x, width=pdf.l_margin + pdf.epw - x, height=LINE * 0.7)


# --- Drawing the paper's parts ------------------------------------------------------------


def _text(pdf: ThaiPDF, text: str) -> None:
    """Printed words from the current position to the end of the line."""
    pdf.set_font(FONT, "", SIZE)
    pdf.cell(pdf.l_margin + pdf.epw - pdf.get_x(), LINE, text, new_x="LMARGIN", new_y="NEXT")


def _lines(pdf: ThaiPDF, text: str, *, x: float, width: float, height: float) -> None:
    """``text`` wrapped between Thai words into ``width`` from ``x``, a cell per line.

    A line is drawn without the zero-width spaces that mark where it may break: with
    them, pdftotext -layout reads a mark below a consonant (ผู้) as a line of its own.
    """
    for line in pdf.multi_cell(width, height, breakable(text), dry_run=True, output="LINES"):
        pdf.set_x(x)
        pdf.cell(width, height, line.replace(ZWSP, "").strip(), new_x="LMARGIN", new_y="NEXT")


def _fields(pdf: ThaiPDF, fields: list[tuple[str, str, float | None]], *, size: float = SIZE) -> None:
    """One line of the form's fields from the current position: each a printed label and
    its value on a dotted line. A field's width is a share of the line (a fraction), or
    in millimetres (above 1); ``None`` takes what is left of the line. A value longer
    than its share takes room from the others, and if the line is still too short,
    every field gives up its part."""
    room = pdf.l_margin + pdf.epw - pdf.get_x()
    needed = []
    for label, value, _share in fields:
        pdf.set_font(FONT, "", SIZE)
        label_width = pdf.get_string_width(label)
        pdf.set_font(FONT, "", size)
        needed.append(label_width + (pdf.get_string_width(value) if value else 0) + 2 * pdf.c_margin + 6)
    widths = [
        needed[i] if share is None else max(needed[i], share if share > 1 else room * share)
        for i, (_label, _value, share) in enumerate(fields)
    ]
    spare = room - sum(widths)
    if spare >= 0:
        rest = next((i for i, field in enumerate(fields) if field[2] is None), None)
        if rest is not None:
            widths[rest] += spare
    else:
        widths = [width * room / sum(widths) for width in widths]
    for (label, value, _share), width in zip(fields, widths, strict=True):
        _field(pdf, label, value, width, size=size)
    pdf.ln(LINE)


def _field(pdf: ThaiPDF, label: str, value: str, width: float, *, size: float = SIZE) -> None:
    """A label, then ``value`` centred on a dotted line, the two ``width`` mm wide; a
    value too long for its line is set smaller rather than cut."""
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_font(FONT, "", SIZE)
    label_width = pdf.get_string_width(label) + 2 * pdf.c_margin
    pdf.cell(label_width, LINE, label)
    line_x, line_width = x + label_width, max(width - label_width, 8.0)
    with pdf.local_context(draw_color=DOTS, line_width=0.25):
        pdf.set_dash_pattern(dash=0.3, gap=0.9)
        pdf.line(line_x, y + LINE - 1.8, line_x + line_width, y + LINE - 1.8)
        pdf.set_dash_pattern()
    value = str(value or "")
    if value:
        pdf.set_font(FONT, "", size)
        while size > 8 and pdf.get_string_width(value) + 2 * pdf.c_margin > line_width:
            size -= 0.5
            pdf.set_font_size(size)
        with pdf.local_context(text_color=INK):
            pdf.set_xy(line_x, y - 0.6)
            pdf.cell(line_width, LINE, value, align="C")
    pdf.set_xy(line_x + line_width, y)


def _box(pdf: ThaiPDF, *, ticked: bool) -> None:
    """A check box on the line at the current position, ticked as a pen would tick it;
    the position moves past it."""
    x, y = pdf.get_x(), pdf.get_y()
    top = y + (LINE - BOX) / 2
    with pdf.local_context(draw_color=40, line_width=0.3):
        pdf.rect(x, top, BOX, BOX)
    if ticked:
        with pdf.local_context(draw_color=INK, line_width=0.6):
            pdf.polyline([(x + 0.6, top + BOX * 0.5), (x + BOX * 0.4, top + BOX - 0.5), (x + BOX + 0.8, top - 1.0)])
    pdf.set_xy(x + BOX + 2, y)
