"""One row read into what the intake service takes, or its problems by column, in Thai."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import Channel, Outcome, Respondent, Status
from core.models import District
from core.thai import make_national_id, to_thai_digits
from imports.rows import Vocabulary, parse_date, parse_row
from tests.imports.conftest import closed, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary(geography):
    return Vocabulary()


def parse(values, vocabulary, *, district_default=None):
    return parse_row(7, values, source="register", vocabulary=vocabulary, district_default=district_default)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15/01/2567", dt.date(2024, 1, 15)), ("๑๕/๐๑/๒๕๖๗", dt.date(2024, 1, 15)), ("5-1-2567", dt.date(2024, 1, 5)),
        ("2024-01-15", dt.date(2024, 1, 15)), ("2567-01-15", dt.date(2024, 1, 15)),
        ("2024-01-15T09:30:00+07:00", dt.date(2024, 1, 15)), ("15 ม.ค. 2567", dt.date(2024, 1, 15)),
        ("15 มกราคม 2567", dt.date(2024, 1, 15)),
    ],
)  # fmt: skip
def test_dates_in_the_buddhist_era_thai_digits_iso_or_words(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"), [("15/01/2024", "พุทธศักราช"), ("31/02/2567", "ไม่มีวันที่นี้"), ("เมื่อวาน", "วว/ดด/ปปปป")]
)
def test_a_date_that_cannot_be(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_date(text)


def test_a_good_row(vocabulary):
    parsed = parse(record(1), vocabulary)
    assert parsed.ok, parsed.errors
    data, imported = parsed.data, parsed.record
    assert parsed.district.code == "7001" and data.received_on == dt.date(2024, 1, 15)
    assert data.channel == Channel.WALK_IN and data.category.name_th == "บุกรุกที่ดินสาธารณประโยชน์"
    assert data.main_category.name_th == "ที่ดิน" and data.incident_subdistrict.code == "700101"
    assert data.complainants[0].last_name == "ทองดี1" and data.respondents[0].kind == Respondent.Kind.PERSON
    assert (imported.source, imported.source_key, imported.row, imported.status) == (
        "register",
        "OLD-000001",
        7,
        Status.RECEIVED,
    )


def test_a_closed_row_by_labels(vocabulary):
    parsed = parse(closed(1), vocabulary)
    assert parsed.ok, parsed.errors
    assert parsed.record.status == Status.CLOSED and parsed.record.outcome == Outcome.RESOLVED
    assert parsed.record.closed_on == dt.date(2024, 2, 20)


def test_a_row_that_says_how_it_ended_is_closed_without_a_status(vocabulary):
    parsed = parse({**closed(1), "status": ""}, vocabulary)
    assert parsed.record.status == Status.CLOSED


def test_values_or_english_labels_do_too(vocabulary):
    parsed = parse(
        record(1, channel="phone", status="closed", outcome="partly_resolved", closed_on="2024-02-01",
               closing_summary="x", respondent_kind="Company", main_category="Land",
               sub_category="Encroachment on public land"),
        vocabulary,
    )  # fmt: skip
    assert parsed.ok, parsed.errors
    assert parsed.data.channel == Channel.PHONE and parsed.record.outcome == Outcome.PARTLY_RESOLVED
    assert parsed.data.respondents[0].kind == Respondent.Kind.COMPANY


def test_numbers_the_spreadsheet_stored_as_numbers(vocabulary):
    national_id = make_national_id("010000000001")  # begins with 0: a number cell loses it
    parsed = parse(
        record(1, district_code=7001, incident_subdistrict_code=700101.0, complainant_phone=812345678,
               complainant_national_id=int(national_id), received_on=dt.datetime(2567, 1, 15)),
        vocabulary,
    )  # fmt: skip
    assert parsed.ok, parsed.errors
    person = parsed.data.complainants[0]
    assert person.phone == "0812345678" and person.national_id == national_id
    # A Buddhist-era year typed into a date cell.
    assert parsed.data.received_on == dt.date(2024, 1, 15)


def test_thai_digits_and_dashes_in_codes_and_ids(vocabulary):
    national_id = make_national_id("310100012345")
    dashed = f"{national_id[0]}-{national_id[1:5]}-{national_id[5:10]}-{national_id[10:12]}-{national_id[12]}"
    parsed = parse(
        record(1, district_code="๗๐๐๑", complainant_national_id=to_thai_digits(dashed), latitude="๑๓.๕๓๖๕๓",
               longitude="99.8"),
        vocabulary,
    )  # fmt: skip
    assert parsed.ok, parsed.errors
    assert parsed.data.complainants[0].national_id == national_id
    assert parsed.data.latitude == Decimal("13.536530")


def test_a_sub_category_written_as_the_main_category(vocabulary):
    parsed = parse(record(1, main_category="หนี้นอกระบบ", sub_category=""), vocabulary)
    assert parsed.ok, parsed.errors
    assert parsed.data.main_category.name_th == "หนี้สิน" and parsed.data.category.name_th == "หนี้นอกระบบ"


def test_other_takes_the_free_text(vocabulary):
    parsed = parse(record(1, main_category="เรื่องอื่นๆ", sub_category="ขอความเป็นธรรมเรื่องค่าชดเชย"), vocabulary)
    assert parsed.ok, parsed.errors
    assert parsed.data.category is None and parsed.data.category_other_text == "ขอความเป็นธรรมเรื่องค่าชดเชย"


def test_no_name_is_anonymous(vocabulary):
    parsed = parse(record(1, complainant_title="นาย", complainant_first_name="", complainant_last_name=""), vocabulary)
    person = parsed.data.complainants[0]
    assert person.is_anonymous and person.title == "" and person.phone == "0812345678"


def test_the_district_default_takes_rows_without_a_district(vocabulary):
    ban_pong = District.objects.get(code="7005")
    assert parse(record(1, district_code=""), vocabulary, district_default=ban_pong).district == ban_pong
    assert parse(record(1), vocabulary, district_default=ban_pong).district.code == "7001"


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"source_key": ""}, "source_key (เลขที่อ้างอิง)", "กรุณาระบุเลขที่อ้างอิง"),
        ({"district_code": ""}, "district_code (รหัสอำเภอ)", "รหัสอำเภอ 4 หลัก"),
        ({"district_code": "7099"}, "district_code (รหัสอำเภอ)", "ไม่พบอำเภอรหัส “7099”"),
        ({"district_code": "70"}, "district_code (รหัสอำเภอ)", "เป็นรหัสจังหวัด"),
        ({"received_on": ""}, "received_on (วันที่รับเรื่อง)", "กรุณาระบุวันที่รับเรื่อง"),
        ({"received_on": "15/01/2024"}, "received_on (วันที่รับเรื่อง)", "พุทธศักราช"),
        ({"channel": "นกพิราบ"}, "channel (ช่องทาง)", "ไม่รู้จักช่องทาง “นกพิราบ”"),
        ({"channel": ""}, "channel (ช่องทาง)", "กรุณาระบุช่องทาง"),
        ({"main_category": "ภาษี"}, "main_category (ประเภทเรื่อง)", "ไม่พบประเภทเรื่อง “ภาษี”"),
        ({"sub_category": "หนี้นอกระบบ"}, "sub_category (ประเภทย่อย)", "ไม่พบประเภทย่อย “หนี้นอกระบบ” ใต้ประเภทเรื่อง “ที่ดิน”"),
        ({"incident_subdistrict_code": "709999"}, "incident_subdistrict_code (รหัสตำบล)", "ไม่พบตำบลรหัส"),
        ({"complainant_national_id": "1234567890123"}, "complainant_national_id (เลขประจำตัวประชาชน)", "หลักตรวจสอบ"),
        ({"latitude": "130.5", "longitude": "100"}, "latitude (ละติจูด)", "ต้องอยู่ระหว่าง"),
        ({"respondent_kind": ""}, "respondent_kind (ประเภทผู้ถูกร้อง)", "กรุณาระบุประเภทผู้ถูกร้อง"),
        ({"respondent_name": "", "respondent_kind": "บุคคล"}, "respondent_name (ผู้ถูกร้อง)", "กรุณากรอกชื่อผู้ถูกร้อง"),
        ({"status": "ส่งต่อหน่วยงานอื่น"}, "status (สถานะ)", "นำเข้าไม่ได้"),
        ({"outcome": "รวมกับเรื่องอื่น", "closed_on": "01/02/2567"}, "outcome (ผลการดำเนินการ)", "ไม่รู้จักผลการดำเนินการ"),
        ({"subject": "ก" * 301}, "subject (เรื่อง)", "ยาวเกิน 300 ตัวอักษร"),
        ({"complainant_confidential": "บางที"}, "complainant_confidential (ปกปิดข้อมูลผู้ร้อง)", "ใช่ หรือ ไม่ใช่"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_named_by_its_column_in_thai(vocabulary, overrides, column, message):
    parsed = parse(record(1, **overrides), vocabulary)
    assert not parsed.ok and parsed.data is None
    assert any(error.startswith(f"{column}: ") and message in error for error in parsed.errors), parsed.errors


def test_every_problem_of_a_row_is_told_at_once(vocabulary):
    parsed = parse(record(1, district_code="9999", channel="?", received_on="?"), vocabulary)
    assert len(parsed.errors) == 3
