"""Thai helpers: national ID, Thai digits, Buddhist-era dates, fiscal years.

Pure functions with no database access, so that forms, services, commands and
tests can all use them.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

BE_OFFSET = 543

_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ID_SEPARATORS = re.compile(r"[\s\-‐–—]+")

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN_ABBR = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def to_arabic_digits(value: str) -> str:
    """Return ``value`` with Thai digits (๐–๙) replaced by 0–9."""
    return value.translate(_THAI_TO_ARABIC)


def to_thai_digits(value: str) -> str:
    """Return ``value`` with 0–9 replaced by Thai digits."""
    return value.translate(_ARABIC_TO_THAI)


# --- National ID (เลขประจำตัวประชาชน) -------------------------------------------------


def national_id_check_digit(first_twelve: str) -> int:
    """Return the mod-11 check digit for the first twelve digits of a national ID."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first_twelve))
    return (11 - total % 11) % 10


def normalize_national_id(value: str, *, officer: bool = False) -> str:
    """Return the 13-digit national ID in ``value`` or raise ``ValidationError``.

    Accepts Thai digits and the spaces or dashes people type between groups
    (``1-2345-67890-12-1``). Officers are Thai civil servants, so IDs of the
    kinds that begin with 0 or 9 (people without Thai nationality or house
    registration) are refused for them.
    """
    raw = _ID_SEPARATORS.sub("", to_arabic_digits(str(value or "")))
    if not raw:
        raise ValidationError(_("กรุณากรอกเลขประจำตัวประชาชน 13 หลัก"), code="required")
    if not raw.isascii() or not raw.isdigit():
        raise ValidationError(
            _("เลขประจำตัวประชาชนต้องเป็นตัวเลขเท่านั้น (ใช้เลขไทยหรือเลขอารบิกได้)"),
            code="not_digits",
        )
    if len(raw) != 13:
        raise ValidationError(
            _("เลขประจำตัวประชาชนต้องมี 13 หลัก (กรอกมา %(count)d หลัก)"),
            code="length",
            params={"count": len(raw)},
        )
    if national_id_check_digit(raw[:12]) != int(raw[12]):
        raise ValidationError(
            _("เลขประจำตัวประชาชนไม่ถูกต้อง: หลักสุดท้าย (หลักตรวจสอบ) ไม่ตรง กรุณาตรวจสอบอีกครั้ง"),
            code="checksum",
        )
    if officer and raw[0] in "09":
        raise ValidationError(
            _("เลขประจำตัวประชาชนที่ขึ้นต้นด้วย 0 หรือ 9 ใช้เป็นบัญชีเจ้าหน้าที่ไม่ได้"),
            code="not_officer",
        )
    return raw


def validate_national_id(value: str) -> None:
    """Model-field validator: any valid national ID."""
    normalize_national_id(value)


def validate_officer_national_id(value: str) -> None:
    """Model-field validator: a national ID an officer account may use."""
    normalize_national_id(value, officer=True)


def format_national_id(value: str) -> str:
    """Group a 13-digit ID the way it is printed on the card: 1 2345 67890 12 1."""
    if len(value) != 13:
        return value
    return f"{value[0]} {value[1:5]} {value[5:10]} {value[10:12]} {value[12]}"


def make_national_id(first_twelve: str) -> str:
    """Complete twelve digits with their check digit (for demo data and tests)."""
    return first_twelve + str(national_id_check_digit(first_twelve))


# --- Buddhist-era dates -----------------------------------------------------------------


def be_year(year: int) -> int:
    return year + BE_OFFSET


def fiscal_year_be(day: dt.date) -> int:
    """Return the Thai government fiscal year (Buddhist era) that ``day`` falls in.

    The fiscal year runs from 1 October to 30 September and is named after the
    year it ends in: 1 October 2026 starts fiscal year 2570.
    """
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_start(fiscal_year: int) -> dt.date:
    """Return the first day (1 October) of a Buddhist-era fiscal year."""
    return dt.date(fiscal_year - BE_OFFSET - 1, 10, 1)


def _is_thai() -> bool:
    return (get_language() or "th").startswith("th")


def format_date(value: dt.date | None, *, long: bool = False) -> str:
    """Format a date in the project's one style: ``26 พ.ย. 2569`` (Thai) or
    ``26 Nov 2569 BE`` (English); ``long`` spells the Thai month in full."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if _is_thai():
        month = (MONTHS_TH if long else MONTHS_TH_ABBR)[value.month - 1]
        return f"{value.day} {month} {be_year(value.year)}"
    return f"{value.day} {MONTHS_EN_ABBR[value.month - 1]} {be_year(value.year)} BE"


def format_datetime(value: dt.datetime | None) -> str:
    """Format a moment as ``26 พ.ย. 2569 08:15 น.`` in the server's time zone."""
    if value is None:
        return ""
    local = _local(value)
    time = local.strftime("%H:%M")
    if _is_thai():
        return f"{format_date(local.date())} {time} น."
    return f"{format_date(local.date())} {time}"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


_DATE_INPUT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO_INPUT = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_be_date(value: str) -> dt.date:
    """Parse a date typed as ``วว/ดด/ปปปป`` in the Buddhist era (Thai digits allowed).

    ISO dates (``2026-11-26``, what ``<input type=date>`` sends) are Gregorian.
    Raise ``ValidationError`` with a Thai message for anything else.
    """
    text = to_arabic_digits(str(value))
    iso = _ISO_INPUT.match(text)
    try:
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return dt.date(year, month, day)
        match = _DATE_INPUT.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 2400:
                raise ValidationError(_("กรุณากรอกปีเป็นพุทธศักราช เช่น 26/11/2569"), code="not_be")
            return dt.date(year - BE_OFFSET, month, day)
    except ValueError:
        raise ValidationError(_("ไม่มีวันที่นี้ในปฏิทิน"), code="invalid_date") from None
    raise ValidationError(_("กรุณากรอกวันที่ในรูปแบบ วว/ดด/ปปปป (พ.ศ.) เช่น 26/11/2569"), code="invalid")


def format_be_input(value: dt.date | None) -> str:
    """Render a date for a text input in the form ``parse_be_date`` reads."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{be_year(value.year)}"
