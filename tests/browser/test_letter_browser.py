"""A case from a letter in a real browser (issue 16 §3).

Alice, an officer of Mueang Ratchaburi, receives Somchai's letter about a neighbour filling
in the canal bank. She scans it (a page rendered here in a Thai font at 300 dpi), uploads
it from the intake page, and the letter is read while she waits (Celery runs eagerly in
the tests: at the commit). The intake form opens beside the letter with what it suggests;
nothing is filled until she takes each suggestion, one by one. The OCR lost a mark in the
respondent's name: she corrects it, picks the category the letter does not say, and saves.
The case is recorded, channel letter, with the letter on it.
"""

import io
import re

import pytest
from PIL import Image, ImageDraw, ImageFont, features
from playwright.sync_api import expect

from cases.models import Complaint
from core.thai import make_national_id
from documents.models import Document, Page
from tests.browser.conftest import ARTIFACTS, field
from tests.documents.scans import image_bytes, thai_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOMCHAI_ID = make_national_id("370010012345")
FONT = "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"  # fonts-thai-tlwg
# The letter, line by line, with each line's indent (a share of the width), as a letter is laid out.
LETTER = [
    (0.55, "บ้านเลขที่ 45/2 หมู่ที่ 3"),
    (0.55, "ตำบลหน้าเมือง อำเภอเมืองราชบุรี"),
    (0.55, "จังหวัดราชบุรี 70000"),
    (0.45, "12 มีนาคม 2569"),
    (0, "เรื่อง ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์"),
    (0, "เรียน นายอำเภอเมืองราชบุรี"),
    (0.08, "ข้าพเจ้า นายสมชาย ใจดี อายุ 52 ปี อยู่บ้านเลขที่ 45/2 หมู่ที่ 3"),
    (0, "ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี"),
    (0, f"เลขประจำตัวประชาชน {SOMCHAI_ID[0]}-{SOMCHAI_ID[1:5]}-{SOMCHAI_ID[5:10]}-{SOMCHAI_ID[10:12]}-{SOMCHAI_ID[12]}"),
    (0, "โทร 081-234-5678"),
    (0, "ขอร้องเรียนว่า นายสมศักดิ์ มั่งมี ได้นำรถแบคโฮเข้าไปถมดินในที่สาธารณประโยชน์"),
    (0, "ริมคลองหนองหว้า หมู่ที่ 5 ตำบลคูบัว ทำให้น้ำท่วมขังในฤดูฝน"),
    (0.08, "จึงเรียนมาเพื่อโปรดพิจารณาตรวจสอบและดำเนินการตามกฎหมายต่อไป"),
    (0.45, "ขอแสดงความนับถือ"),
    (0.45, "(นายสมชาย ใจดี)"),
]


def scanned_letter(dpi: int = 300, points: int = 16) -> bytes:
    """The letter as a scanner's PNG: an A4 page, Thai shaped by libraqm (without it, laid out
    by Chromium as tests/documents/scans.py does, the lines flush left)."""
    if not features.check("raqm"):
        text = "\n".join(line for _indent, line in LETTER)
        return image_bytes(thai_page(text, dpi=dpi, pt=points, width_in=8.27, height_in=11.69))
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(points * dpi / 72), layout_engine=ImageFont.Layout.RAQM)
    left, y = dpi, int(0.8 * dpi)
    for indent, line in LETTER:
        draw.text((left + int(indent * (width - 2 * left)), y), line, font=font, fill=0, language="th")
        y += int(points * dpi / 72 * 1.7)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def tray_letter(district, status) -> Document:
    letter = Document.objects.create(
        district=district, original_name="หนังสือนายสมชาย.png", content_type="image/png", size=1,
        sha256="0" * 64, status=status, page_count=1, original="documents/letter.png",
    )  # fmt: skip
    Page.objects.create(document=letter, number=1)
    return letter


def suggestion(page, field_name: str, nth: int = 0):
    return page.locator(f"[data-suggestion][data-field={field_name}]").nth(nth)


def take(page, field_name: str, nth: int = 0):
    """Click "ใช้" on a suggestion, and see it marked as taken."""
    item = suggestion(page, field_name, nth)
    item.locator("[data-use-suggestion]").click()
    expect(item).to_have_attribute("data-used", "")
    return item


def test_a_case_from_a_scanned_letter_with_each_suggestion_confirmed(open_as, alice):
    page = open_as(alice)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/cases/new/")
    page.get_by_role("link", name="รับเรื่องจากหนังสือ").click()

    # She uploads the scan; it is read while she waits, and the form opens beside it.
    page.get_by_label("ไฟล์หนังสือที่สแกน").set_input_files(
        {"name": "หนังสือนายสมชาย.png", "mimeType": "image/png", "buffer": scanned_letter()}
    )
    screenshot(page, "letter-start-1366")
    page.get_by_role("button", name="อัปโหลดและอ่านหนังสือ").click()
    page.wait_for_url("**/intake/", timeout=180_000)
    letter = Document.objects.get()
    assert letter.status == Document.Status.DONE and letter.complaint is None
    expect(page.get_by_test_id("letter")).to_contain_text("ข้าพเจ้า นายสมชาย ใจดี")
    panel = page.get_by_test_id("letter-suggestions")
    expect(panel).to_contain_text("ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์")

    # Nothing is filled until she takes it.
    for label in ("คำนำหน้านาม", "ชื่อตัว", "ชื่อสกุล", "เลขประจำตัวประชาชน", "โทรศัพท์", "เรื่อง", "รายละเอียด"):
        expect(field(page, label).first).to_have_value("")
    expect(field(page, "ช่องทางที่รับเรื่อง")).to_have_value("letter")

    # One by one.
    take(page, "title")
    expect(field(page, "คำนำหน้านาม").first).to_have_value("นาย")
    take(page, "first_name")
    expect(field(page, "ชื่อตัว").first).to_have_value("สมชาย")
    take(page, "last_name")
    expect(field(page, "ชื่อสกุล").first).to_have_value("ใจดี")
    take(page, "national_id")  # read right, and its check digit agrees
    expect(field(page, "เลขประจำตัวประชาชน").first).to_have_value(SOMCHAI_ID)
    take(page, "phone")
    expect(field(page, "โทรศัพท์").first).to_have_value("081-234-5678")
    take(page, "address")
    expect(field(page, "ที่อยู่").first).to_have_value("45/2 หมู่ 3 ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000")
    take(page, "subject")
    expect(field(page, "เรื่อง")).to_have_value("ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์")
    take(page, "description")
    expect(field(page, "รายละเอียด")).to_have_value(re.compile("ริมคลองหนองหว้า"))
    take(page, "incident_subdistrict")  # คูบัว, where the body says it happened
    expect(field(page, "ตำบลที่เกิดเหตุ")).to_have_value("700120")

    # The respondent: taken, then corrected (the scan's marks are not always read).
    respondent = take(page, "respondent")
    name = page.locator("[data-formset=respondent] [name$='-name']").first
    expect(name).to_have_value(respondent.get_attribute("data-value"))
    name.fill("นายสมศักดิ์ มั่งมี")
    if respondent.get_attribute("data-value") != "นายสมศักดิ์ มั่งมี":
        expect(respondent).not_to_have_attribute("data-used", "")  # no longer what the letter read

    # What the letter does not say, she chooses.
    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot(page, "letter-intake-1366")

    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")

    case = Complaint.objects.get()
    assert case.channel == "letter" and case.subject == "ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์"
    assert case.incident_subdistrict_id == "700120"
    complainant = case.complainants.get()
    assert (complainant.title, complainant.first_name, complainant.last_name) == ("นาย", "สมชาย", "ใจดี")
    assert complainant.national_id == SOMCHAI_ID and complainant.phone.replace("-", "") == "0812345678"
    assert case.respondents.get().name == "นายสมศักดิ์ มั่งมี"
    letter.refresh_from_db()
    assert letter.complaint == case  # the letter is on the case


def test_the_letter_form_on_a_phone(open_as, alice):
    # A letter already read in the center's tray (its text as the OCR gave it).
    letter = tray_letter(alice.district, Document.Status.DONE)
    letter.pages.update(text="\n".join(line for _indent, line in LETTER))
    page = open_as(alice)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/documents/letters/{letter.pk}/intake/")

    take(page, "first_name")
    expect(field(page, "ชื่อตัว").first).to_have_value("สมชาย")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot(page, "letter-intake-390")


def test_the_waiting_page_follows_the_reading_and_a_failed_one_says_why(open_as, alice):
    letter = tray_letter(alice.district, Document.Status.READING)
    page = open_as(alice)
    page.goto(f"/documents/letters/{letter.pk}/")
    expect(page.get_by_role("status")).to_contain_text("กำลังอ่าน")
    screenshot(page, "letter-reading")

    # The worker fails on the page: the waiting page comes back with the reason and two ways on.
    Document.objects.filter(pk=letter.pk).update(status=Document.Status.FAILED, error="หน้า 1: ภาพไม่ชัด อ่านไม่ได้")
    expect(page.get_by_test_id("reading-failed")).to_contain_text("หน้า 1: ภาพไม่ชัด อ่านไม่ได้")
    expect(page.get_by_role("button", name="ลองอ่านอีกครั้ง")).to_be_visible()
    screenshot(page, "letter-reading-failed")

    # She goes on without suggestions: the form, the letter beside it.
    page.get_by_role("link", name="กรอกแบบรับเรื่องเองโดยไม่มีข้อมูลแนะนำ").click()
    expect(page.get_by_test_id("no-suggestions")).to_contain_text("อ่านหนังสือไม่สำเร็จ")
    expect(field(page, "ชื่อตัว").first).to_be_visible()
