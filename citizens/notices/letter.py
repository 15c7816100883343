"""The progress letter (หนังสือแจ้งความคืบหน้า) to a complainant, as PDF.

For complainants without e-mail: an official letter (หนังสือภายนอก) the center prints,
signs and posts. Its layout follows the correspondence regulation (ระเบียบสำนัก
นายกรัฐมนตรีว่าด้วยงานสารบรรณ): the letter's number on the left and the center's
address on the right, the date from the middle of the line, เรื่อง, เรียน, อ้างถึง,
the body with its paragraphs indented, the closing, ขอแสดงความนับถือ and the signer's
name and position under the space for the signature, the center's telephone at the
foot. Numbers and dates in Thai digits, as official letters write them; the tracking
code and its address stay in Arabic digits, to be typed. The Garuda emblem is not
drawn: centers print on their own letterhead paper, or add the seal by hand.

It tells what the tracking page tells (cases/public_wording.py): the complainant's
own case, its steps and where it stands, never an officer's note nor another person.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import segno
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.codes import format_tracking_code
from cases.models import Complainant, Complaint
from cases.public_wording import center_name
from cases.qr import tracking_url
from citizens.models import CenterContact
from citizens.notices.services import LANGUAGE, addressee, category_text
from citizens.tracking.selectors import HOTLINE, tracking_page
from core.models import User
from core.pdf import FONT, ThaiPDF, breakable
from core.roles import Role
from core.thai import format_date, to_thai_digits

SUBJECT = gettext_lazy("แจ้งความคืบหน้าการดำเนินการเรื่องร้องเรียน")

# A4 in millimetres: the regulation's margins (3 cm left, 2 cm right), the body's
# paragraph indent (2.5 cm), the labels' column (เรื่อง, เรียน, อ้างถึง). Sarabun 13 pt
# sets about as much on a line as the TH Sarabun 16 pt of printed letters.
LEFT, RIGHT, TOP, BOTTOM = 30.0, 20.0, 20.0, 15.0
INDENT, LABEL = 25.0, 17.0
SIZE, LINE, FOOT_LINE = 13, 6.6, 5.6
QR = 22.0


@dataclass(frozen=True)
class ProgressLetter:
    """What one letter says, besides the case itself."""

    case: Complaint
    complainant: Complainant
    number: str  # the letter's number, e.g. มท 0308.1/123 (ที่ is printed before it)
    date: dt.date
    signer_name: str
    signer_position: str


@dataclass(frozen=True)
class Letterhead:
    """The center that writes: the case's district center, with the address, telephone
    and e-mail of its ``CenterContact`` (else its province's)."""

    name: str
    short_name: str  # without the province, which the address names
    address: str = ""
    phone: str = ""
    email: str = ""


def letterhead(case: Complaint) -> Letterhead:
    contact = (
        CenterContact.objects.filter(district_id=case.district_id).first()
        or CenterContact.objects.filter(province_id=case.province_id, district__isnull=True).first()
    )
    district = case.district
    if district.province_id == "10":  # Bangkok's districts are khet, and their names say so
        short_name = _("ศูนย์ดำรงธรรม%(district)s") % {"district": district.name_th}
    else:
        short_name = _("ศูนย์ดำรงธรรมอำเภอ%(district)s") % {"district": district.name_th}
    names = {"name": center_name(district=district), "short_name": short_name}
    if contact is None:
        return Letterhead(**names)
    return Letterhead(**names, address=contact.address, phone=contact.phone, email=contact.email)


def default_signer(case: Complaint) -> tuple[str, str]:
    """The letter's signer unless the officer types another: the head of the case's
    district (the one who last acted on the case, if several), with his position."""
    heads = User.objects.filter(roles__code=Role.DISTRICT_HEAD, district_id=case.district_id, is_active=True)
    acted = case.events.filter(actor__in=heads).order_by("-at", "-id").values_list("actor_id", flat=True).first()
    head = heads.filter(pk=acted).first() if acted else heads.order_by("pk").first()
    with translation.override(LANGUAGE):
        position = _("นายอำเภอ%(district)s") % {"district": case.district.name_th}
        if case.district.province_id == "10":  # Bangkok's districts are headed by a director
            position = _("ผู้อำนวยการ%(district)s") % {"district": case.district.name_th}
    if head is None:
        return "", position
    return head.get_full_name(), head.position or position


def thai_date(day: dt.date) -> str:
    """``๑๕ มกราคม ๒๕๖๙``: an official letter's date."""
    with translation.override(LANGUAGE):
        return to_thai_digits(format_date(day, long=True))


@dataclass(frozen=True)
class Paragraph:
    text: str
    item: bool = False  # a numbered step: hangs from the indent instead of starting there


def body(letter: ProgressLetter, center: Letterhead) -> list[Paragraph]:
    """The letter's paragraphs (in the active language): the reference, the steps, where
    the case stands, and how to follow it."""
    case = letter.case
    page = tracking_page(case)
    paragraphs = [
        Paragraph(
            _("ตามที่ท่านได้ร้องเรียนต่อ%(center)s เกี่ยวกับ%(category)s เมื่อวันที่ %(date)s ความละเอียดแจ้งแล้ว นั้น")
            % {"center": center.name, "category": category_text(case), "date": thai_date(case.received_on)}
        ),
        Paragraph(_("%(center)s ขอแจ้งความคืบหน้าการดำเนินการเรื่องร้องเรียนของท่าน ดังนี้") % {"center": center.name}),
    ]
    for number, (first, last, text, count) in enumerate(_grouped(page.steps), start=1):
        when = thai_date(first)
        if count > 1:
            values = {"first": when, "last": thai_date(last), "count": to_thai_digits(str(count))}
            if first == last:
                when = _("%(first)s (%(count)s ครั้ง)") % values
            else:
                when = _("%(first)s ถึง %(last)s (%(count)s ครั้ง)") % values
        paragraphs.append(Paragraph(f"{to_thai_digits(str(number))}. {when} {text}", item=True))
    paragraphs.append(Paragraph(_("ขณะนี้สถานะเรื่องร้องเรียนของท่าน: %(status)s") % {"status": page.status}))
    contact = _("หรือสอบถามได้ที่%(center)s") % {"center": center.name}
    if center.phone:
        contact += " " + _("โทรศัพท์ %(phone)s") % {"phone": to_thai_digits(center.phone)}
    paragraphs.append(
        Paragraph(
            _(
                "ท่านติดตามความคืบหน้าได้ทางเว็บไซต์ %(site)s ด้วยรหัสติดตามเรื่อง %(code)s "
                "หรือสแกนคิวอาร์โค้ดท้ายหนังสือนี้ %(contact)s หรือสายด่วนศูนย์ดำรงธรรม %(hotline)s"
            )
            % {
                "site": tracking_url(case.tracking_code).removesuffix(f"{case.tracking_code}/"),
                "code": format_tracking_code(case.tracking_code),
                "contact": contact,
                "hotline": to_thai_digits(HOTLINE),
            }
        )
    )
    return paragraphs


def _grouped(steps) -> list[tuple[dt.date, dt.date, str, int]]:
    """The public steps with runs of the same words (progress reports) told once: first
    and last day, words, how many."""
    grouped: list[list] = []
    for step in steps:
        day = timezone.localtime(step.at).date()
        if grouped and grouped[-1][2] == step.text:
            grouped[-1][1], grouped[-1][3] = day, grouped[-1][3] + 1
        else:
            grouped.append([day, day, step.text, 1])
    return [tuple(group) for group in grouped]


def progress_letter_pdf(letter: ProgressLetter) -> bytes:
    """The letter as an A4 PDF in Sarabun, in Thai."""
    with translation.override(LANGUAGE):
        return _render(letter, letterhead(letter.case))


def _render(letter: ProgressLetter, center: Letterhead) -> bytes:
    case = letter.case
    subject = str(SUBJECT)
    pdf = ThaiPDF()
    pdf.set_title(f"{subject} {case.number}")
    pdf.set_subject(case.number)
    pdf.set_author(center.name)
    pdf.set_creator(_("ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม"))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(auto=True, margin=BOTTOM)
    pdf.add_page()
    middle = pdf.l_margin + pdf.epw / 2
    half = pdf.epw / 2

    # ที่ … on the left; the center and its address from the middle of the line.
    top = pdf.get_y()
    pdf.set_font(FONT, "", SIZE)
    pdf.cell(half, LINE, _("ที่ %(number)s") % {"number": to_thai_digits(letter.number)})
    pdf.set_xy(middle, top)
    address = [line.strip() for line in center.address.splitlines() if line.strip()]
    # With an address (which names the province), the center's name without it.
    for line in [center.short_name if address else center.name, *address]:
        pdf.set_x(middle)
        pdf.multi_cell(half, LINE, breakable(to_thai_digits(line)), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(LINE / 2)

    pdf.set_x(middle)
    pdf.cell(half, LINE, thai_date(letter.date), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(LINE / 2)

    _labelled(pdf, _("เรื่อง"), subject)
    _labelled(pdf, _("เรียน"), addressee(letter.complainant))
    _labelled(
        pdf,
        _("อ้างถึง"),
        _("เรื่องร้องเรียน เลขที่รับ %(number)s ลงวันที่ %(date)s")
        % {"number": to_thai_digits(case.number), "date": thai_date(case.received_on)},
    )
    pdf.ln(LINE / 2)

    for paragraph in body(letter, center):
        if paragraph.item:
            _item(pdf, paragraph.text)
        else:
            _indented(pdf, paragraph.text)
    _indented(pdf, _("จึงเรียนมาเพื่อโปรดทราบ"))
    pdf.ln(LINE)

    # The signature keeps together: a new page rather than a signer alone on one. The
    # tracking page's QR code sits in the empty half beside it.
    if pdf.get_y() + QR + 6 > pdf.h - pdf.b_margin:
        pdf.add_page()
    signature = pdf.get_y()
    pdf.image(_qr_png(tracking_url(case.tracking_code)), x=pdf.l_margin, y=signature, w=QR, h=QR)
    pdf.set_font(FONT, "", 8)
    pdf.set_xy(pdf.l_margin - 5, signature + QR)
    pdf.cell(QR + 10, 4, _("สแกนเพื่อติดตามเรื่อง"), align="C")
    pdf.set_font(FONT, "", SIZE)
    pdf.set_xy(middle, signature)
    pdf.cell(half, LINE, _("ขอแสดงความนับถือ"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(LINE * 2.2)
    pdf.set_x(middle)
    pdf.cell(half, LINE, f"({letter.signer_name})", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(middle)
    pdf.multi_cell(half, LINE, breakable(letter.signer_position), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), signature + QR + 4))

    # The foot, at the bottom of the last page: who wrote, and how to reach them.
    lines = [
        center.name,
        _("โทรศัพท์ %(phone)s") % {"phone": to_thai_digits(center.phone)} if center.phone else "",
        _("อีเมล %(email)s") % {"email": center.email} if center.email else "",
        _("สายด่วนศูนย์ดำรงธรรม %(hotline)s") % {"hotline": to_thai_digits(HOTLINE)},
    ]
    lines = [line for line in lines if line]
    if pdf.get_y() + LINE / 2 + len(lines) * FOOT_LINE > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.set_font(FONT, "", SIZE - 2)
    pdf.set_y(pdf.h - pdf.b_margin - len(lines) * FOOT_LINE - 1)  # 1 mm short of the page break
    for line in lines:
        pdf.cell(pdf.epw, FOOT_LINE, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _labelled(pdf: ThaiPDF, label: str, text: str) -> None:
    """``เรื่อง  …``: a heading word, then its text hanging after it."""
    pdf.set_font(FONT, "B", SIZE)
    pdf.cell(LABEL, LINE, label)
    pdf.set_font(FONT, "", SIZE)
    pdf.set_x(pdf.l_margin + LABEL)
    pdf.multi_cell(pdf.epw - LABEL, LINE, breakable(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _indented(pdf: ThaiPDF, text: str) -> None:
    """A body paragraph: its first line indented, the rest from the margin, as the regulation sets them."""
    pdf.set_font(FONT, "", SIZE)
    pdf.set_x(pdf.l_margin + INDENT)
    # write() flows from the indent to the right margin and on from the left one,
    # wrapping between the words breakable() marks.
    pdf.write(LINE, breakable(text))
    pdf.ln(LINE)


def _item(pdf: ThaiPDF, text: str) -> None:
    """A numbered step: from the paragraph indent, its lines aligned under its first."""
    pdf.set_font(FONT, "", SIZE)
    pdf.set_x(pdf.l_margin + INDENT)
    pdf.multi_cell(pdf.epw - INDENT, LINE, breakable(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _qr_png(text: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer
