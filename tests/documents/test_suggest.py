"""Reading a complaint letter for the intake form (documents/suggest.py): an official-style
letter, a citizen's letter with abbreviations, Bangkok, and letters as Thai OCR reads them
(Thai digits, lost marks, specks read as characters, a misread digit in the national ID,
a misspelled sub-district)."""

import pytest

from core.models import District
from core.thai import make_national_id, to_thai_digits
from documents.suggest import Letter, match_area, suggest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]

SOMCHAI_ID = make_national_id("370010012345")  # 3 7001 00123 45 + its check digit
MALEE_ID = make_national_id("170010023456")


def wrong_check_digit(national_id: str) -> str:
    return national_id[:12] + str((int(national_id[12]) + 1) % 10)


def grouped(national_id: str) -> str:
    n = national_id
    return f"{n[0]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}"


OFFICIAL = f"""บ้านเลขที่ 45/2 หมู่ที่ 3
ตำบลหน้าเมือง อำเภอเมืองราชบุรี
จังหวัดราชบุรี 70000
12 มีนาคม 2569
เรื่อง ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์
เรียน นายอำเภอเมืองราชบุรี
สิ่งที่ส่งมาด้วย สำเนาบัตรประจำตัวประชาชน จำนวน 1 ฉบับ
ข้าพเจ้า นายสมชาย ใจดี อายุ 52 ปี อยู่บ้านเลขที่ 45/2 หมู่ที่ 3 ตำบลหน้าเมือง
อำเภอเมืองราชบุรี จังหวัดราชบุรี เลขประจำตัวประชาชน {grouped(SOMCHAI_ID)}
โทร 081-234-5678 ขอร้องเรียนว่า นายสมศักดิ์ มั่งมี ได้นำรถแบคโฮเข้าไปถมดิน
ในที่สาธารณประโยชน์ริมคลองหนองหว้า หมู่ที่ 5 ตำบลคูบัว เป็นเนื้อที่ประมาณ 2 ไร่
ทำให้น้ำท่วมขังในฤดูฝน ชาวบ้านได้รับความเดือดร้อน
จึงเรียนมาเพื่อโปรดพิจารณาตรวจสอบและดำเนินการตามกฎหมายต่อไป
ขอแสดงความนับถือ
(ลงชื่อ) สมชาย ใจดี
(นายสมชาย ใจดี)
"""


def by_field(found):
    fields = {}
    for s in found:
        fields.setdefault(s.field, []).append(s)
    return fields


def first(found, field):
    return by_field(found)[field][0]


@pytest.fixture
def mueang_ratchaburi():
    return District.objects.get(pk="7001")


def test_an_official_letter_suggests_every_field_with_its_source(mueang_ratchaburi):
    found = suggest(OFFICIAL, district=mueang_ratchaburi)

    assert first(found, "title").value == "นาย"
    assert first(found, "first_name").value == "สมชาย"
    assert first(found, "last_name").value == "ใจดี"
    # The name after ข้าพเจ้า and the one under the signature agree: the reading is sure.
    assert first(found, "first_name").confidence >= 0.9
    assert "ข้าพเจ้า นายสมชาย ใจดี" in first(found, "first_name").source
    assert first(found, "national_id").value == SOMCHAI_ID
    assert grouped(SOMCHAI_ID) in first(found, "national_id").source
    assert first(found, "phone").value == "081-234-5678"
    assert first(found, "address").value == "45/2 หมู่ 3 ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000"
    assert first(found, "subject").value == "ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์"
    assert first(found, "subject").source.startswith("เรื่อง ")
    description = first(found, "description").value
    assert description.startswith("ข้าพเจ้า นายสมชาย ใจดี")
    assert "ทำให้น้ำท่วมขังในฤดูฝน" in description
    assert "\nจึงเรียนมาเพื่อโปรดพิจารณา" in description  # the request a paragraph of its own
    assert "ขอแสดงความนับถือ" not in description and "สิ่งที่ส่งมาด้วย" not in description
    # Where it happened: the place the body names first, the complainant's own sub-district after.
    places = by_field(found)["incident_subdistrict"]
    assert [s.value for s in places] == ["700120", "700101"]
    assert places[0].label == "ตำบลคูบัว อำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert "ตำบลคูบัว" in places[0].source
    assert places[0].extra == {"district": "7001", "province": "70"}
    respondent = first(found, "respondent")
    assert respondent.value == "นายสมศักดิ์ มั่งมี"
    assert respondent.extra["kind"] == "person"
    letter_date = first(found, "received_on")
    assert letter_date.value == "12/03/2569" and letter_date.label == "ลงวันที่ 12 มีนาคม 2569"
    for s in found:
        assert s.source and 0 <= s.confidence <= 1


# The same letter as OCR read a speckled scan: Thai digits, dropped marks (เรือง, เลขที),
# specks read as characters between lines, ํา for ำ, one digit of the ID misread, and the
# sub-district spelt with a wrong vowel.
NOISY = f"""ซ์
บ้านเลขที ๔๕/๒ หมู่ที ๓
๐      ๑  '=.    ๐      '=.        ซ=
ตําบลหน้าเมือง อําเภอเมืองราชบุรี
จังหวัดราชบุรี ๗๐๐๐๐
๑๒ มีนาคม ๒๕๖๙
สฆ่        ข                    ซ่๑=                   <
เรอง  ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณป ระโยชน์
เรียน นายอําเภอเมืองราชบุรี
ข้าพเจ้า นายสมชาย ใจดี อายุ ๕๒ ปี อยู่บ้านเลขที่ ๔๕/๒ หมู่ที่ ๓ ตําบลหนัาเมือง
อําเภอเมืองราชบุรี จังหวัดราชบุรี เลขประจําตัวประชาชน {to_thai_digits(grouped(wrong_check_digit(SOMCHAI_ID)))}
โทร ๐๘๑-๒๓๔-๕๖๗๘ ขอร้องเรียนว่า นายสมศักดิ์ มั่งมี ได้นํารถแบคโฮเข้าไปถมดิน
ในที่สาธารณประโยชน์ริมคลองหนองหว้า หมู่ที่ ๕ ตําบลคูบว เป็นเนื้อที่ประมาณ ๒ ไร่
=       ซั       ๑                    9๑๓ 5                  1
จึงเรียนมาเพื่อโปรดพิจารณาตรวจสอบและดําเนินการตามกฎหมายต่อไป
ขอแสดงความนับถือ
(ลงชือ) สมชาย ใจดี
(นายสมชาย ใจดี)
"""


def test_a_noisy_reading_still_suggests_and_never_a_national_id_that_fails_its_check(mueang_ratchaburi):
    found = suggest(NOISY, district=mueang_ratchaburi)

    national_id = by_field(found)["national_id"]
    assert len(national_id) == 1
    assert national_id[0].value == "" and national_id[0].confidence == 0
    assert "หลักตรวจสอบไม่ตรง" in national_id[0].problem
    assert wrong_check_digit(SOMCHAI_ID) in national_id[0].problem  # the digits read, to compare with the letter
    assert to_thai_digits(grouped(wrong_check_digit(SOMCHAI_ID))) in national_id[0].source

    assert first(found, "phone").value == "081-234-5678"  # Thai digits read as 0-9
    assert first(found, "subject").value.startswith("ขอให้ตรวจสอบการบุกรุก")  # "เรอง" lost its marks
    assert (first(found, "first_name").value, first(found, "last_name").value) == ("สมชาย", "ใจดี")
    # หนัาเมือง and คูบว are the district's หน้าเมือง and คูบัว, written correctly in what is offered.
    assert first(found, "address").value == "45/2 หมู่ 3 ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000"
    assert [s.value for s in by_field(found)["incident_subdistrict"]] == ["700120", "700101"]
    assert "ตำบลคูบว" in first(found, "incident_subdistrict").source  # ํา read as ำ
    assert first(found, "received_on").value == "12/03/2569"
    # The specks are not in the description.
    assert "ซั" not in first(found, "description").value


CITIZEN = f"""กราบเรียน ท่านนายอำเภอเมืองราชบุรี
ดิฉัน น.ส.มาลี ศรีสุข บ้านเลขที่ 9 ม.2 ต.คูบัว อ.เมือง จ.ราชบุรี
เลขบัตรประชาชน {MALEE_ID[0]}-{MALEE_ID[1:5]}-{MALEE_ID[5:10]}-{MALEE_ID[10:12]}-{MALEE_ID[12]}
ขอร้องเรียนบริษัท รุ่งเรืองก่อสร้าง จำกัด ที่ขนดินผ่านหมู่บ้านทั้งวันทั้งคืน
ฝุ่นละอองฟุ้งกระจาย ถนนชำรุด เด็กในหมู่บ้านป่วยเป็นภูมิแพ้หลายคน
ขอให้ท่านช่วยเหลือด้วยค่ะ
ติดต่อดิฉันได้ที่ 08 1234 5678 หรือ 032-123-456
ด้วยความเคารพ
มาลี ศรีสุข
"""


def test_a_citizens_letter_with_abbreviations(mueang_ratchaburi):
    found = suggest(CITIZEN, district=mueang_ratchaburi)

    assert [first(found, f).value for f in ("title", "first_name", "last_name")] == ["นางสาว", "มาลี", "ศรีสุข"]
    assert first(found, "national_id").value == MALEE_ID
    assert [s.value for s in by_field(found)["phone"]] == ["081-234-5678", "032-123-456"]
    # อ.เมือง of จ.ราชบุรี is เมืองราชบุรี.
    assert first(found, "address").value == "9 หมู่ 2 ตำบลคูบัว อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000"
    assert first(found, "incident_subdistrict").value == "700120"
    respondent = first(found, "respondent")
    assert respondent.value == "บริษัท รุ่งเรืองก่อสร้าง จำกัด" and respondent.extra["kind"] == "company"
    assert "subject" not in by_field(found)  # no เรื่อง: the officer writes the subject
    assert first(found, "description").value.startswith("ดิฉัน น.ส.มาลี ศรีสุข")
    assert "ด้วยความเคารพ" not in first(found, "description").value


def test_a_letter_from_bangkok_is_matched_in_bangkok(mueang_ratchaburi):
    text = """เรื่อง ร้องเรียนเสียงดังรบกวน
เรียน ผู้อำนวยการศูนย์ดำรงธรรม
ข้าพเจ้า นางวันดี มีสุข อยู่บ้านเลขที่ 12 ซอยสามเสน 3 ถนนสามเสน แขวงวัดสามพระยา เขตพระนคร กรุงเทพมหานคร 10200
ขอแสดงความนับถือ
"""
    found = suggest(text, district=mueang_ratchaburi)

    address = first(found, "address")
    assert address.value == "12 ซอยสามเสน ถนนสามเสน แขวงวัดสามพระยา เขตพระนคร กรุงเทพมหานคร 10200"
    place = first(found, "incident_subdistrict")
    assert place.extra == {"district": "1001", "province": "10"}
    assert place.label.startswith("แขวงวัดสามพระยา")


def test_a_sub_district_of_another_district_of_the_province_is_found_by_its_district(mueang_ratchaburi):
    # ท่าผา is in Ban Pong; misspelt, and named with its district.
    area = match_area("ทาผา", "บ้านโป่ง", near=mueang_ratchaburi)
    assert area[0].pk == "700502"
    # Without its district it is still found in the center's province.
    assert match_area("ท่าผา", near=mueang_ratchaburi)[0].pk == "700502"
    # Nothing like it: nothing offered.
    assert match_area("ซซซซซซ", near=mueang_ratchaburi) is None


def test_an_anonymous_letter_suggests_no_name():
    text = """เรียน นายอำเภอ
มีการลักลอบเล่นการพนันที่บ้านหลังที่สามจากวัด หมู่ที่ 4 ทุกคืน ขอให้ตรวจสอบด้วย
ประชาชนผู้หวังดี
"""
    found = by_field(suggest(text))
    assert not {"title", "first_name", "last_name", "national_id"} & found.keys()
    assert found["description"][0].value.startswith("มีการลักลอบเล่นการพนัน")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("๑๒ มี.ค. ๖๙", "12/03/2569"),
        ("วันที่ 5 เดือนมกราคม พ.ศ. 2569", "05/01/2569"),
        ("1 ตุลาคม 2568", "01/10/2568"),
        ("30 กุมภาพันธ์ 2569", None),  # no such day
        ("12 มีนคม 2569", "12/03/2569"),  # a letter lost
    ],
)
def test_the_letters_date(line, expected):
    found = by_field(suggest(f"{line}\nเรื่อง ทดสอบวันที่\nเรียน นายอำเภอ\n"))
    assert [s.value for s in found.get("received_on", [])] == ([expected] if expected else [])


def test_a_national_id_short_of_a_digit_is_said_so():
    found = by_field(suggest("ข้าพเจ้า นายสมชาย ใจดี เลขประจำตัวประชาชน 3 7001 00123 45\n"))
    (national_id,) = found["national_id"]
    assert national_id.value == "" and "ไม่ครบ 13 หลัก" in national_id.problem


def test_an_official_named_with_his_position_is_an_official():
    text = "ข้าพเจ้า นายสมชาย ใจดี ขอร้องเรียนผู้ใหญ่บ้านสมหมาย ขี้โกง ที่เรียกรับเงินค่าถมดิน\n"
    respondent = by_field(suggest(text))["respondent"][0]
    assert respondent.value == "ผู้ใหญ่บ้านสมหมาย ขี้โกง" and respondent.extra["kind"] == "official"


def test_the_letters_parts():
    letter = Letter(OFFICIAL)
    assert letter.lines[letter.subject_at].startswith("เรื่อง")
    assert letter.lines[letter.salutation_at].startswith("เรียน")
    assert letter.lines[letter.body_lines.start].startswith("ข้าพเจ้า")
    assert letter.lines[letter.signature_lines.start] == "ขอแสดงความนับถือ"
