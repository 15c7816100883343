"""One row of earlier records, read into what the intake service takes.

``Vocabulary`` holds what rows are matched against (districts, sub-districts, the
managed category list, the channels, outcomes and statuses by value or label), read
once per file. ``parse_row`` turns a row's cells into a ``ParsedRow``: the district,
``cases.services.IntakeData`` and ``ImportedRecord``, or the row's problems, each a
Thai message naming its column. Cells come as a spreadsheet gives them: text, numbers
(a phone or an ID whose leading zero the spreadsheet dropped), dates, booleans.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import Category, Channel, Complainant, Complaint, Outcome, Respondent, Status
from cases.services import ComplainantData, ImportedRecord, IntakeData, RespondentData
from core.models import District, Province, Subdistrict
from core.thai import BE_OFFSET, MONTHS_TH, MONTHS_TH_ABBR, normalize_national_id, parse_be_date, to_arabic_digits
from imports.columns import BY_NAME

# The languages whose labels a cell may use for a channel, an outcome, a status or a kind.
LABEL_LANGUAGES = ("th", "en")
ANONYMOUS = "ไม่ประสงค์ออกนาม"

# Words spreadsheets use besides the labels.
CHANNEL_WORDS = {
    "walk-in": Channel.WALK_IN, "มาเอง": Channel.WALK_IN, "หนังสือ": Channel.LETTER, "จดหมาย": Channel.LETTER,
    "ออนไลน์": Channel.ONLINE, "อินเทอร์เน็ต": Channel.ONLINE, "ไลน์": Channel.LINE, "ชปต.": Channel.FIELD_TEAM,
}  # fmt: skip
STATUS_WORDS = {
    "รับเรื่อง": Status.RECEIVED, "ยุติ": Status.CLOSED, "ยุติเรื่อง": Status.CLOSED, "ปิดเรื่อง": Status.CLOSED,
    "ยุติแล้ว": Status.CLOSED,
}  # fmt: skip
KIND_WORDS = {
    "บุคคลธรรมดา": Respondent.Kind.PERSON, "บริษัท": Respondent.Kind.COMPANY, "ห้างร้าน": Respondent.Kind.COMPANY,
    "ห้างหุ้นส่วน": Respondent.Kind.COMPANY, "นิติบุคคล": Respondent.Kind.COMPANY, "ส่วนราชการ": Respondent.Kind.AGENCY,
    "เจ้าหน้าที่": Respondent.Kind.OFFICIAL, "ข้าราชการ": Respondent.Kind.OFFICIAL,
}  # fmt: skip
YES = frozenset({"1", "true", "yes", "y", "ใช่", "ปกปิด", "x", "✓", "/"})
NO = frozenset({"", "0", "false", "no", "n", "ไม่", "ไม่ใช่", "ไม่ปกปิด", "-"})

# Where the intake service's messages (cases.services.validate_import) belong in the file.
SERVICE_FIELDS = {
    "received_on": "received_on", "main_category": "main_category", "category": "sub_category",
    "category_other_text": "category_other_text", "subject": "subject", "description": "description",
    "latitude": "latitude", "complainants": "complainant_first_name", "respondents": "respondent_name",
    "source_key": "source_key", "status": "status", "outcome": "outcome", "closed_on": "closed_on",
    "closing_summary": "closing_summary",
}  # fmt: skip

# The longest text each column's field keeps.
LENGTHS = {
    "source_key": Complaint._meta.get_field("source_key").max_length,
    "category_other_text": Complaint._meta.get_field("category_other_text").max_length,
    "subject": Complaint._meta.get_field("subject").max_length,
    "incident_address": Complaint._meta.get_field("incident_address").max_length,
    "complainant_title": Complainant._meta.get_field("title").max_length,
    "complainant_first_name": Complainant._meta.get_field("first_name").max_length,
    "complainant_last_name": Complainant._meta.get_field("last_name").max_length,
    "complainant_phone": Complainant._meta.get_field("phone").max_length,
    "complainant_address": Complainant._meta.get_field("address").max_length,
    "respondent_name": Respondent._meta.get_field("name").max_length,
    "respondent_position": Respondent._meta.get_field("position").max_length,
}  # fmt: skip


def word_key(value: object) -> str:
    """How a word of a vocabulary is matched: NFC, case-folded, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(value)).casefold())


def _vocabulary(choices, extra: dict | None = None, *, leave_out=()) -> dict[str, str]:
    words: dict[str, str] = {}
    for value, label in choices:
        if value in leave_out:
            continue
        words[word_key(value)] = value
        for language in LABEL_LANGUAGES:
            with translation.override(language):
                words[word_key(label)] = value
    for word, value in (extra or {}).items():
        words[word_key(word)] = value
    return words


def _limits(field_name: str) -> tuple[Decimal, Decimal]:
    validators = Complaint._meta.get_field(field_name).validators
    low = next(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return Decimal(low), Decimal(high)


class Vocabulary:
    """What the rows of one file are matched against, read once."""

    def __init__(self):
        self.districts = {d.code: d for d in District.objects.all()}
        self.provinces = set(Province.objects.values_list("code", flat=True))
        self.subdistricts = {s.code: s for s in Subdistrict.objects.only("code", "district_id", "name_th")}
        categories = list(Category.objects.all())
        self.mains = {}
        self.subs: dict[tuple[int, str], Category] = {}
        subs_by_name: dict[str, list[Category]] = {}
        by_pk = {category.pk: category for category in categories}
        for category in categories:
            if category.parent_id is None:
                self.mains[word_key(category.name_th)] = category
                if category.name_en:
                    self.mains.setdefault(word_key(category.name_en), category)
        for category in categories:
            if category.parent_id is not None:
                category.parent = by_pk[category.parent_id]
                for name in filter(None, (category.name_th, category.name_en)):
                    self.subs[(category.parent_id, word_key(name))] = category
                    subs_by_name.setdefault(word_key(name), []).append(category)
        # A sub-category written in the main category's column: found when its name is unique.
        self.sub_alone = {name: found[0] for name, found in subs_by_name.items() if len(found) == 1}
        self.channels = _vocabulary(Channel.choices, CHANNEL_WORDS)
        self.outcomes = _vocabulary(Outcome.choices, leave_out={Outcome.MERGED})
        self.statuses = _vocabulary(
            [(Status.RECEIVED, Status.RECEIVED.label), (Status.CLOSED, Status.CLOSED.label)], STATUS_WORDS
        )
        self.kinds = _vocabulary(Respondent.Kind.choices, KIND_WORDS)
        self.latitude = _limits("latitude")
        self.longitude = _limits("longitude")


@dataclass
class ParsedRow:
    row: int
    source_key: str = ""
    district: District | None = None
    data: IntakeData | None = None
    record: ImportedRecord | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Cells:
    """A row's cells, read as text, codes, dates and numbers; each problem is noted
    against its column and the value read is None."""

    def __init__(self, values: dict[str, object]):
        self.values = values
        self.errors: list[str] = []

    def problem(self, column: str, message: str) -> None:
        self.errors.append(f"{BY_NAME[column].label}: {message}")

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        text = unicodedata.normalize("NFC", str(value)).strip()
        limit = LENGTHS.get(column)
        if limit and len(text) > limit:
            self.problem(column, _("ยาวเกิน %(limit)d ตัวอักษร (มี %(length)d)") % {"limit": limit, "length": len(text)})
        return text

    def code(self, column: str) -> str:
        """Digits of a code (Thai digits, spaces and dashes allowed); a number cell as it reads."""
        return re.sub(r"[\s\-]", "", to_arabic_digits(self.text(column)))

    def digits_kept(self, column: str, width: int) -> str:
        """A number a spreadsheet may have stored as a number, losing its leading zeros."""
        value = self.values.get(column)
        text = self.text(column)
        if isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit():
            return text.zfill(width)
        return text

    def date(self, column: str, *, missing: str = "") -> dt.date | None:
        """A date cell or text; ``missing`` is the problem when it is empty (none: optional)."""
        value = self.values.get(column)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            # A Buddhist-era year typed into a date cell: the spreadsheet took it as a far-future year.
            return value.replace(year=value.year - BE_OFFSET) if value.year >= 2400 else value
        text = self.text(column)
        if not text:
            if missing:
                self.problem(column, missing)
            return None
        try:
            return parse_date(text)
        except ValidationError as error:
            self.problem(column, error.messages[0])
            return None

    def choice(self, column: str, words: dict[str, str], message: str, *, missing: str = "") -> str:
        """A value of ``words`` by any of its words; ``message`` for an unknown one (its
        ``%(value)s``), ``missing`` for an empty cell (none: optional)."""
        text = self.text(column)
        if not text:
            if missing:
                self.problem(column, missing)
            return ""
        value = words.get(word_key(text))
        if value is None:
            self.problem(column, message % {"value": text})
            return ""
        return value

    def coordinate(self, column: str, limits: tuple[Decimal, Decimal]) -> Decimal | None:
        text = to_arabic_digits(self.text(column))
        if not text:
            return None
        try:
            number = Decimal(text).quantize(Decimal("0.000001"))
        except InvalidOperation:
            self.problem(column, _("ต้องเป็นตัวเลขทศนิยม เช่น 13.536530"))
            return None
        low, high = limits
        if not low <= number <= high:
            self.problem(column, _("ต้องอยู่ระหว่าง %(low)s ถึง %(high)s (พื้นที่ประเทศไทย)") % {"low": low, "high": high})
            return None
        return number

    def national_id(self, column: str) -> str:
        text = self.digits_kept(column, 13)
        if not text:
            return ""
        try:
            return normalize_national_id(text)
        except ValidationError as error:
            self.problem(column, error.messages[0])
            return ""

    def phone(self, column: str) -> str:
        value = self.values.get(column)
        text = to_arabic_digits(self.text(column))
        if isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit() and len(text) in (8, 9):
            return "0" + text  # 0812345678 kept as a number: the spreadsheet dropped its 0
        return text


_THAI_MONTH_DATE = re.compile(r"^\s*(\d{1,2})\s+(\S+?)\s*(\d{4})\s*$")
_MONTHS = {word_key(name): number for names in (MONTHS_TH, MONTHS_TH_ABBR) for number, name in enumerate(names, 1)}
_ISO_BE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ISO_MOMENT = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]")


def parse_date(text: str) -> dt.date:
    """A date as records hold it: วว/ดด/ปปปป in the Buddhist era (Thai digits too), ISO
    (2026-01-15, or with a Buddhist-era year), or ``15 ม.ค. 2569`` with the month in words."""
    text = to_arabic_digits(text)
    try:
        if match := _THAI_MONTH_DATE.match(text):
            day, month, year = match.groups()
            if word_key(month) in _MONTHS:
                return dt.date(int(year) - BE_OFFSET, _MONTHS[word_key(month)], int(day))
        if (match := _ISO_BE.match(text)) and int(match.group(1)) >= 2400:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year - BE_OFFSET, month, day)
    except ValueError:
        raise ValidationError(_("ไม่มีวันที่นี้ในปฏิทิน"), code="invalid_date") from None
    if _ISO_MOMENT.match(text):
        text = text.strip()[:10]  # a moment (2026-01-15T09:30:00): its day
    return parse_be_date(text)


def source_key_of(values: dict[str, object]) -> str:
    """A row's source key as ``parse_row`` reads it (a number cell without its ``.0``)."""
    return _Cells(values).text("source_key")


def parse_row(
    number: int, values: dict[str, object], *, source: str, vocabulary: Vocabulary, district_default: District | None
) -> ParsedRow:
    """Read row ``number`` into what ``cases.services.case_import`` takes, or its problems."""
    cells = _Cells(values)
    parsed = ParsedRow(row=number, source_key=cells.text("source_key"))
    if not parsed.source_key:
        cells.problem("source_key", _("กรุณาระบุเลขที่อ้างอิงของเรื่องในข้อมูลเดิม"))
    parsed.district = _district(cells, vocabulary, district_default)
    received_on = cells.date("received_on", missing=_("กรุณาระบุวันที่รับเรื่อง"))
    channel = cells.choice(
        "channel", vocabulary.channels, _("ไม่รู้จักช่องทาง “%(value)s” (เช่น มาด้วยตนเอง โทรศัพท์ หนังสือ/จดหมาย เว็บไซต์ LINE)"),
        missing=_("กรุณาระบุช่องทางที่รับเรื่อง"),
    )  # fmt: skip
    main, sub, other_text = _categories(cells, vocabulary)
    subdistrict = _subdistrict(cells, vocabulary)
    latitude = cells.coordinate("latitude", vocabulary.latitude)
    longitude = cells.coordinate("longitude", vocabulary.longitude)
    complainant = _complainant(cells)
    respondents = _respondents(cells, vocabulary)
    status = cells.choice("status", vocabulary.statuses, _("สถานะ “%(value)s” นำเข้าไม่ได้ (รับเรื่องแล้ว หรือ ยุติเรื่องแล้ว)"))
    outcome = cells.choice("outcome", vocabulary.outcomes, _("ไม่รู้จักผลการดำเนินการ “%(value)s”"))
    closed_on = cells.date("closed_on")
    summary = cells.text("closing_summary")
    if not cells.text("status"):
        # Left empty: a record with how it ended is a closed one.
        status = Status.CLOSED if outcome or closed_on else Status.RECEIVED
    subject, description = cells.text("subject"), cells.text("description")
    address = cells.text("incident_address")
    if cells.errors:
        parsed.errors = cells.errors
        return parsed
    parsed.data = IntakeData(
        channel=channel, received_on=received_on, main_category=main, category=sub, category_other_text=other_text,
        subject=subject, description=description, incident_subdistrict=subdistrict, incident_address=address,
        latitude=latitude, longitude=longitude, complainants=[complainant], respondents=respondents,
    )  # fmt: skip
    parsed.record = ImportedRecord(
        source=source, source_key=parsed.source_key, row=number, status=status, outcome=outcome,
        closed_on=closed_on, closing_summary=summary,
    )  # fmt: skip
    return parsed


def _district(cells: _Cells, vocabulary: Vocabulary, default: District | None) -> District | None:
    code = cells.code("district_code")
    if not code:
        if default is None:
            cells.problem("district_code", _("กรุณาระบุรหัสอำเภอ 4 หลัก (หรือกำหนดอำเภอตั้งต้นของไฟล์)"))
        return default
    if len(code) == 4 and code in vocabulary.districts:
        return vocabulary.districts[code]
    if len(code) == 2 and code in vocabulary.provinces:
        # Provincial and central centers do not take intake yet: a case belongs to a district's center.
        cells.problem(
            "district_code",
            _("รหัส %(code)s เป็นรหัสจังหวัด ศูนย์ดำรงธรรมจังหวัดยังไม่รับเรื่องในระบบนี้ กรุณาระบุรหัสอำเภอ 4 หลัก") % {"code": code},
        )
    else:
        cells.problem("district_code", _("ไม่พบอำเภอรหัส “%(code)s” (รหัสอำเภอของกรมการปกครอง 4 หลัก)") % {"code": code})
    return None


def _subdistrict(cells: _Cells, vocabulary: Vocabulary) -> Subdistrict | None:
    code = cells.code("incident_subdistrict_code")
    if not code:
        cells.problem("incident_subdistrict_code", _("กรุณาระบุรหัสตำบลที่เกิดเหตุ 6 หลัก"))
        return None
    if code not in vocabulary.subdistricts:
        cells.problem("incident_subdistrict_code", _("ไม่พบตำบลรหัส “%(code)s” (รหัสตำบล 6 หลัก)") % {"code": code})
        return None
    return vocabulary.subdistricts[code]


def _categories(cells: _Cells, vocabulary: Vocabulary) -> tuple[Category | None, Category | None, str]:
    main_name, sub_name = cells.text("main_category"), cells.text("sub_category")
    other_text = cells.text("category_other_text")
    if not main_name:
        cells.problem("main_category", _("กรุณาระบุประเภทเรื่อง"))
        return None, None, ""
    main = vocabulary.mains.get(word_key(main_name))
    if main is None:
        alone = vocabulary.sub_alone.get(word_key(main_name))
        if alone is not None and not sub_name:
            return alone.parent, alone, ""
        cells.problem("main_category", _("ไม่พบประเภทเรื่อง “%(name)s” ในรายการประเภทเรื่อง") % {"name": main_name})
        return None, None, ""
    if main.is_other:
        # "Other" takes free text; a sub-category cell is that text when the other column is empty.
        return main, None, other_text or sub_name
    if not sub_name:
        cells.problem("sub_category", _("กรุณาระบุประเภทเรื่องย่อย"))
        return main, None, ""
    sub = vocabulary.subs.get((main.pk, word_key(sub_name)))
    if sub is None:
        cells.problem(
            "sub_category",
            _("ไม่พบประเภทย่อย “%(name)s” ใต้ประเภทเรื่อง “%(main)s”") % {"name": sub_name, "main": main.name_th},
        )
    return main, sub, ""


def _complainant(cells: _Cells) -> ComplainantData:
    first, last = cells.text("complainant_first_name"), cells.text("complainant_last_name")
    confidential = word_key(cells.text("complainant_confidential"))
    if confidential not in YES | NO:
        cells.problem("complainant_confidential", _("ระบุ ใช่ หรือ ไม่ใช่ (หรือ 1/0)"))
    anonymous = not (first or last) or first == ANONYMOUS
    return ComplainantData(
        is_anonymous=anonymous, is_confidential=confidential in YES, national_id=cells.national_id("complainant_national_id"),
        title="" if anonymous else cells.text("complainant_title"), first_name="" if anonymous else first,
        last_name="" if anonymous else last, phone=cells.phone("complainant_phone"),
        address=cells.text("complainant_address"),
    )  # fmt: skip


def _respondents(cells: _Cells, vocabulary: Vocabulary) -> list[RespondentData]:
    name = cells.text("respondent_name")
    national_id = cells.national_id("respondent_national_id")
    position = cells.text("respondent_position")
    if not name:
        if cells.text("respondent_kind") or national_id or position:
            cells.problem("respondent_name", _("กรุณากรอกชื่อผู้ถูกร้อง"))
        return []
    kind = cells.choice(
        "respondent_kind", vocabulary.kinds, _("ไม่รู้จักประเภทผู้ถูกร้อง “%(value)s” (บุคคล บริษัท/ห้างร้าน หน่วยงาน เจ้าหน้าที่รัฐ)"),
        missing=_("กรุณาระบุประเภทผู้ถูกร้อง (บุคคล บริษัท/ห้างร้าน หน่วยงาน เจ้าหน้าที่รัฐ)"),
    )  # fmt: skip
    return [RespondentData(kind=kind, name=name, position=position, national_id=national_id)]


def service_errors(error: ValidationError) -> list[str]:
    """The intake service's messages, each against the column it is about."""
    found = []
    for name, messages in error.message_dict.items():
        column = BY_NAME.get(SERVICE_FIELDS.get(name, ""))
        for message in messages:
            found.append(f"{column.label}: {message}" if column else message)
    return found
