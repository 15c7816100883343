import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import thai

VALID = "1700100000012"


@pytest.mark.parametrize(
    "typed",
    [VALID, "1-7001-00000-01-2", "1 7001 00000 01 2", "๑๗๐๐๑๐๐๐๐๐๐๑๒", "๑-๗๐๐๑-๐๐๐๐๐-๐๑-๒", f" {VALID} "],
)
def test_national_id_accepts_thai_digits_spaces_and_dashes(typed):
    assert thai.normalize_national_id(typed, officer=True) == VALID


@pytest.mark.parametrize(
    ("typed", "code", "thai_words"),
    [
        ("1700100000013", "checksum", "หลักตรวจสอบ"),
        ("170010000001", "length", "13 หลัก"),
        ("17001000000122", "length", "13 หลัก"),
        ("17001000000l2", "not_digits", "ตัวเลขเท่านั้น"),
        ("abcdefghijklm", "not_digits", "ตัวเลขเท่านั้น"),
        ("", "required", "13 หลัก"),
    ],
)
def test_invalid_national_ids_are_refused_in_thai(typed, code, thai_words):
    with translation.override("th"), pytest.raises(ValidationError) as error:
        thai.normalize_national_id(typed)
    assert error.value.code == code
    assert thai_words in str(error.value.messages[0] % (error.value.params or {}))


@pytest.mark.parametrize("first", ["0", "9"])
def test_officer_ids_may_not_start_with_0_or_9(first):
    national_id = thai.make_national_id(first + "12345678901")
    assert thai.normalize_national_id(national_id) == national_id  # a valid ID for a citizen
    with pytest.raises(ValidationError) as error:
        thai.normalize_national_id(national_id, officer=True)
    assert error.value.code == "not_officer"


def test_check_digit_matches_a_known_id():
    # 3-1015-00123-45-? : digits times weights 13..2 sum to 156; (11 - 156 % 11) % 10 = 9
    assert thai.national_id_check_digit("310150012345") == 9


def test_format_national_id_groups_like_the_card():
    assert thai.format_national_id(VALID) == "1 7001 00000 01 2"


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [(dt.date(2026, 9, 30), 2569), (dt.date(2026, 10, 1), 2570), (dt.date(2027, 1, 15), 2570)],
)
def test_fiscal_year_runs_october_to_september(day, fiscal_year):
    assert thai.fiscal_year_be(day) == fiscal_year


def test_fiscal_year_start():
    assert thai.fiscal_year_start(2570) == dt.date(2026, 10, 1)


def test_dates_are_in_the_buddhist_era_with_thai_months():
    day = dt.date(2026, 11, 26)
    with translation.override("th"):
        assert thai.format_date(day) == "26 พ.ย. 2569"
        assert thai.format_date(day, long=True) == "26 พฤศจิกายน 2569"
    with translation.override("en"):
        assert thai.format_date(day) == "26 Nov 2569 BE"


def test_datetimes_show_local_time():
    moment = dt.datetime(2026, 11, 26, 1, 15, tzinfo=dt.UTC)  # 08:15 in Bangkok
    with translation.override("th"):
        assert thai.format_datetime(moment) == "26 พ.ย. 2569 08:15 น."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("26/11/2569", dt.date(2026, 11, 26)), ("๒๖/๑๑/๒๕๖๙", dt.date(2026, 11, 26)),
     ("1-10-2569", dt.date(2026, 10, 1)), ("2026-11-26", dt.date(2026, 11, 26))],
)  # fmt: skip
def test_parse_be_date(typed, expected):
    assert thai.parse_be_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"), [("26/11/2026", "not_be"), ("31/02/2569", "invalid_date"), ("เมื่อวาน", "invalid")]
)
def test_parse_be_date_refuses_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as error:
        thai.parse_be_date(typed)
    assert error.value.code == code


def test_thai_digits_round_trip():
    assert thai.to_thai_digits("2569") == "๒๕๖๙"
    assert thai.to_arabic_digits("๒๕๖๙") == "2569"
