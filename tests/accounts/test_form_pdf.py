"""The registration form's PDF (issue 17): the paper form of the province's letter
(แบบลงทะเบียนใช้งาน), filled in and certified in the system. Read back with
pdftotext -layout: the seed's labels in the seed's order, each value on its label's
line, the certifier as he was and when; the boxes looked at as pixels. Alice of Mueang
Ratchaburi fills the forms; Harry, the district's head, certifies them."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
from django.utils import timezone, translation
from PIL import Image

from accounts.form_pdf import BOX, registration_pdf
from accounts.models import Position, Registration
from core.models import District
from core.thai import make_national_id

pytestmark = pytest.mark.django_db

REGISTERED = dt.date(2026, 11, 26)
ASSIGNED = dt.date(2026, 12, 1)
SUBMITTED = dt.datetime(2026, 11, 26, 9, 5, tzinfo=dt.UTC)  # 16:05 in Bangkok
CERTIFIED = dt.datetime(2026, 11, 27, 3, 15, tzinfo=dt.UTC)  # 10:15 in Bangkok
MALEE_ID = make_national_id("110050012345")

# The paper form's words, in its order (../shared/seed/, "แบบลงทะเบียนใช้งาน").
SEED_LABELS = [
    "แบบลงทะเบียนใช้งาน",
    "ระบบรับเรื่องร้องเรียนร้องทุกข์ของศูนย์ดำรงธรรมอำเภอ",
    "วันที่", "เดือน", "พ.ศ.",
    "ลงทะเบียนครั้งแรก",
    "ลงทะเบียนแทน",
    "ตำแหน่ง",
    "ซึ่ง",
    "โดยมีรายละเอียดดังนี้",
    "เลขประจำตัวประชาชน",
    "คำนำหน้านาม", "ชื่อตัว", "ชื่อสกุล",
    "ตำแหน่ง", "ระดับ", "งาน",
    "กลุ่ม/ฝ่าย", "อำเภอ", "จังหวัด",
    "ระดับสิทธิการใช้งาน",
    "หมายเลขโทรศัพท์สถานที่ราชการ",
    "หมายเลขโทรศัพท์มือถือของผู้มีสิทธิใช้งานที่สามารถติดต่อได้ (ถ้ามี)",
    "วัน/เดือน/ปี ที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน",
    "ขอรับรองว่าบุคคลดังกล่าวข้างต้นเป็นผู้มีสิทธิใช้งานจริง",
    "ลงชื่อ", "(", ")", "ตำแหน่ง",
    "หมายเหตุ :",
    "1. ตำแหน่งนายอำเภอ/เจ้าจังหวัด เป็นผู้รับรองตนเอง",
    "2. จัดส่งแบบลงทะเบียนฯ เพื่อขอใช้สิทธิ หรือเปลี่ยนแปลงผู้มีสิทธิใช้งาน หรือ ได้รับคำสั่งแต่งตั้ง ย้าย"
    " ให้ไปปฏิบัติราชการที่ใหม่",
]  # fmt: skip


# --- Reading the PDF back ------------------------------------------------------------------

_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{2,}")


def flat(text: str) -> str:
    """``text`` without whitespace, its Thai marks in one order.

    pdftotext reads SARA AM (ำ) with a space after it, and -layout may read a tone
    mark before the vowel above the same letter (รี่ as ร่ี): text is compared flat."""

    def rank(mark: str) -> int:
        return 1 if "\u0e48" <= mark <= "\u0e4b" else 0

    text = "".join(text.replace("\u200b", "").split())
    return _MARKS.sub(lambda marks: "".join(sorted(marks.group(0), key=rank)), text)


def need(tool: str) -> None:
    """Outside CI a machine without poppler-utils skips; in CI (which installs it) that fails."""
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} not found: .ci/run installs Debian's poppler-utils")
        pytest.skip(f"{tool} (Debian's poppler-utils, `make sysdeps`) is not installed: the PDF cannot be read")


def saved(content: bytes, tmp_path) -> str:
    path = tmp_path / "registration.pdf"
    path.write_bytes(content)
    return str(path)


def layout_lines(content: bytes, tmp_path) -> list[str]:
    need("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-layout", saved(content, tmp_path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [line for line in out.splitlines() if line.strip()]


def line_of(lines: list[str], label: str, *, after: str = "") -> str:
    """The first line holding ``label`` (after the line holding ``after``, if given)."""
    start = next(i for i, line in enumerate(lines) if flat(after) in flat(line)) if after else 0
    return next(line for line in lines[start:] if flat(label) in flat(line))


def assert_in_order(text: str, words: list[str]) -> None:
    at = 0
    for word in words:
        found = text.find(flat(word), at)
        assert found >= 0, f"{word!r} missing after {text[max(0, at - 40) : at]!r}"
        at = found + len(flat(word))


def box_ticked(content: bytes, label: str, tmp_path) -> bool:
    """Whether the check box just before ``label`` is ticked: dark pixels inside it.

    pdftotext -bbox places the label's first word (it ends a word after ำ); the box
    stands 3 mm before the word's text (2 mm of gap, 1 mm of cell margin)."""
    need("pdftoppm")
    path = saved(content, tmp_path)
    boxes = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True, check=True, text=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', boxes)
    wanted = flat(label)
    x, top, bottom = next(
        (float(x), float(top), float(bottom))
        for x, top, bottom, word in words
        if flat(word) == wanted or (flat(word).endswith("ำ") and wanted.startswith(flat(word)))
    )
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", path, str(tmp_path / "page")])
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    px = 150 / 72  # pixels per point
    mm = 72 / 25.4  # points per millimetre
    # The box's inside, 0.7 mm clear of its sides; its middle sits 0.5 mm below the word's.
    right = x - 3 * mm - 0.7 * mm
    left = x - (3 + BOX) * mm + 0.7 * mm
    middle = (top + bottom) / 2 + 0.5 * mm
    half = (BOX / 2 - 0.7) * mm
    inside = page.crop((int(left * px), int((middle - half) * px), int(right * px), int((middle + half) * px)))
    dark = sum(inside.histogram()[:128])
    return dark > 4


# --- The registrations ----------------------------------------------------------------------


def malee(alice, **fields) -> Registration:
    """Malee's registration at Mueang Ratchaburi, as Alice sent it."""
    district = District.objects.select_related("province").get(code="7001")
    data = {
        "registered_on": REGISTERED, "kind": Registration.Kind.FIRST, "national_id": MALEE_ID, "title": "นางสาว",
        "first_name": "มาลี", "last_name": "ศรีงาม", "position": Position.ADMINISTRATIVE_OFFICER,
        "level": "ชำนาญงาน", "work_unit": "ศูนย์ดำรงธรรมอำเภอ", "section": "ฝ่ายปกครอง",
        "scope_level": "district", "district": district, "province": district.province,
        "office_phone": "032 337 006", "mobile_phone": "081 234 5678", "assigned_on": ASSIGNED,
        "submitted_by": alice, "submitted_at": SUBMITTED,
    }  # fmt: skip
    data.update(fields)
    return Registration.objects.create(**data)


def certify(registration: Registration, head, *, position: str, self_certified: bool = False) -> Registration:
    """What the certification keeps on the form (accounts.services sets it so)."""
    registration.state = Registration.State.CERTIFIED
    registration.decided_by, registration.decided_at = head, CERTIFIED
    registration.certifier_name, registration.certifier_position = head.get_full_name(), position
    registration.self_certified = self_certified
    registration.save()
    return registration


# --- The stories ----------------------------------------------------------------------------------


def test_a_first_registration_certified_reads_as_the_paper_form(alice, harry, tmp_path):
    # given Malee's first registration, certified by Harry
    registration = certify(malee(alice), harry, position="นายอำเภอเมืองราชบุรี")

    # when the form is drawn
    content = registration_pdf(registration)
    lines = layout_lines(content, tmp_path)

    # then the paper form's words come in its order, and each value on its label's line
    assert content.startswith(b"%PDF")
    assert_in_order(flat("\n".join(lines)), SEED_LABELS)
    assert "1 1005 00123 45 1" in line_of(lines, "เลขประจำตัวประชาชน")
    assert all(flat(word) in flat(line_of(lines, "วันที่")) for word in ("26", "พฤศจิกายน", "2569"))
    assert flat("นางสาว ชื่อตัว มาลี ชื่อสกุล ศรีงาม") in flat(line_of(lines, "คำนำหน้านาม"))
    assert flat("เจ้าพนักงานปกครอง ระดับ ชำนาญงาน งาน ศูนย์ดำรงธรรมอำเภอ") in flat(
        line_of(lines, "ตำแหน่ง", after="เลขประจำตัวประชาชน")
    )
    assert flat("ฝ่ายปกครอง อำเภอ เมืองราชบุรี จังหวัด ราชบุรี") in flat(line_of(lines, "กลุ่ม/ฝ่าย"))
    assert "032 337 006" in line_of(lines, "หมายเลขโทรศัพท์สถานที่ราชการ")
    assert "081 234 5678" in line_of(lines, "หมายเลขโทรศัพท์มือถือ")
    assert flat("1 ธันวาคม 2569") in flat(line_of(lines, "ที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน"))

    # and Harry signs in the system: his name and position as they were, and when
    assert flat("รับรองในระบบแทนการลงลายมือชื่อ") in flat(line_of(lines, "ลงชื่อ"))
    assert flat(f"({harry.get_full_name()})") in flat(line_of(lines, "(", after="ลงชื่อ"))
    assert flat("นายอำเภอเมืองราชบุรี") in flat(line_of(lines, "ตำแหน่ง", after="ลงชื่อ"))
    assert flat("รับรองในระบบเมื่อ 27 พ.ย. 2569 10:15 น.") in flat("".join(lines))
    text = flat("".join(lines))
    assert "รับรองตนเอง" not in text.replace(flat("เป็นผู้รับรองตนเอง"), "")
    assert flat("ยังไม่ได้รับรอง") not in text

    # and the foot says which registration, from where, filled by whom and when
    assert flat(f"แบบลงทะเบียนเลขที่ {registration.pk}") in text
    assert flat("ออกจากระบบรับเรื่องร้องเรียนร้องทุกข์ของศูนย์ดำรงธรรม") in text
    assert flat(f"ผู้กรอกแบบ {alice.get_full_name()} · ส่งเมื่อ 26 พ.ย. 2569 16:05 น.") in text

    # and the boxes say a first registration at the district's level
    assert box_ticked(content, "ลงทะเบียนครั้งแรก", tmp_path)
    assert not box_ticked(content, "ลงทะเบียนแทน", tmp_path)
    assert box_ticked(content, "ระดับอำเภอ", tmp_path)
    assert not box_ticked(content, "ระดับจังหวัด", tmp_path)


def test_the_kept_form_is_the_same_bytes_in_thai_whoever_draws_it(alice, harry):
    registration = certify(malee(alice), harry, position="นายอำเภอเมืองราชบุรี")

    with translation.override("en"):
        english_reader = registration_pdf(registration)

    assert registration_pdf(registration) == english_reader


def test_a_replacement_names_the_officer_replaced_and_why(alice, amy, harry, tmp_path):
    # given Malee replacing Amy, who has been given other work
    amy.position = "เจ้าพนักงานปกครองชำนาญงาน"
    amy.save()
    registration = malee(
        alice, kind=Registration.Kind.REPLACEMENT, replaces=amy, replaced_because="ได้รับมอบหมายให้ปฏิบัติงานอื่น"
    )
    certify(registration, harry, position="นายอำเภอเมืองราชบุรี")

    content = registration_pdf(registration)
    lines = layout_lines(content, tmp_path)

    assert flat(amy.get_full_name()) in flat(line_of(lines, "ลงทะเบียนแทน"))
    position = flat(line_of(lines, "ตำแหน่ง", after="ลงทะเบียนแทน"))
    assert flat("เจ้าพนักงานปกครองชำนาญงาน") in position
    assert flat("ซึ่งได้รับมอบหมายให้ปฏิบัติงานอื่น") in flat("".join(lines))
    assert_in_order(flat("".join(lines)), ["ลงทะเบียนแทน", amy.get_full_name(), "เจ้าพนักงานปกครองชำนาญงาน"])
    assert not box_ticked(content, "ลงทะเบียนครั้งแรก", tmp_path)
    assert box_ticked(content, "ลงทะเบียนแทน", tmp_path)


def test_a_district_chief_certifies_his_own_registration(alice, harry, tmp_path):
    # given Harry's own registration as the district chief, certified by himself
    registration = malee(
        alice, national_id=harry.national_id, title=harry.title, first_name=harry.first_name,
        last_name=harry.last_name, position=Position.DISTRICT_CHIEF, level="ผู้อำนวยการระดับสูง",
    )  # fmt: skip
    certify(registration, harry, position="นายอำเภอเมืองราชบุรี", self_certified=True)

    lines = layout_lines(registration_pdf(registration), tmp_path)

    text = flat("".join(lines))
    assert flat(f"{harry.title} ชื่อตัว {harry.first_name} ชื่อสกุล {harry.last_name}") in flat(line_of(lines, "คำนำหน้านาม"))
    assert flat("นายอำเภอ") in flat(line_of(lines, "ตำแหน่ง", after="เลขประจำตัวประชาชน"))
    assert flat(f"({harry.get_full_name()})") in flat(line_of(lines, "(", after="ลงชื่อ"))
    assert flat("รับรองตนเอง ตามหมายเหตุ 1") in text
    assert_in_order(text, ["รับรองในระบบเมื่อ 27 พ.ย. 2569 10:15 น.", "รับรองตนเอง ตามหมายเหตุ 1", "หมายเหตุ :"])


def test_a_central_officer_has_the_central_level_the_paper_did_not(alice, carol, tmp_path):
    registration = malee(alice, scope_level="nation", district=None, province=None)
    certify(registration, carol, position="ผู้ดูแลระบบส่วนกลาง")

    content = registration_pdf(registration)
    lines = layout_lines(content, tmp_path)

    assert flat("ฝ่ายปกครอง อำเภอ — จังหวัด —") in flat(line_of(lines, "กลุ่ม/ฝ่าย"))
    scope = flat(line_of(lines, "ระดับสิทธิการใช้งาน"))
    assert flat("ส่วนกลาง") in scope and flat("ระดับอำเภอ") not in scope
    assert box_ticked(content, "ส่วนกลาง", tmp_path)


def test_a_draft_shows_the_form_unsigned_and_says_it_is_not_certified(alice, tmp_path):
    # given Malee's registration, waiting for the head
    registration = malee(alice)

    content = registration_pdf(registration)
    lines = layout_lines(content, tmp_path)

    # then the form is all there, with a banner over it and nobody's signature
    text = flat("".join(lines))
    assert flat("ยังไม่ได้รับรอง · สถานะ: รอการรับรอง") in flat(lines[0])
    assert_in_order(text, SEED_LABELS)
    assert flat("นางสาว ชื่อตัว มาลี ชื่อสกุล ศรีงาม") in flat(line_of(lines, "คำนำหน้านาม"))
    assert flat(line_of(lines, "ลงชื่อ")) == flat("ลงชื่อ")
    assert flat(line_of(lines, "(", after="ลงชื่อ")) == "()"
    assert flat(line_of(lines, "ตำแหน่ง", after="ลงชื่อ")) == flat("ตำแหน่ง")
    assert flat("รับรองในระบบ") not in text
    assert flat("ผู้กรอกแบบ") in text
    assert box_ticked(content, "ลงทะเบียนครั้งแรก", tmp_path)


def test_the_certification_time_is_bangkok_time(alice, harry, tmp_path):
    # 23:30 UTC is already the next day in Bangkok
    registration = certify(malee(alice), harry, position="นายอำเภอเมืองราชบุรี")
    registration.decided_at = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)

    text = flat("".join(layout_lines(registration_pdf(registration), tmp_path)))

    assert timezone.get_current_timezone_name() == "Asia/Bangkok"
    assert flat("รับรองในระบบเมื่อ 1 ธ.ค. 2569 06:30 น.") in text
