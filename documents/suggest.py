"""Suggestions for the intake form, read from a letter's text (Thai OCR's reading of it).

A complaint letter has a shape: the sender's address and the date at the top, เรื่อง (the
subject), เรียน (to whom), the body (ข้าพเจ้า <name> อายุ .. ปี อยู่บ้านเลขที่ .., what
happened, what is asked), ขอแสดงความนับถือ and the signature with the name in brackets.
Citizens' letters keep some of it. Each suggestion says which field it is for, the words of
the letter it was read from and how sure the reading is; the officer takes each one or
types. OCR misreads digits most of all, so a national ID is proposed only when its check
digit agrees; otherwise the letter's digits are shown with the reason, and nothing to take.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pythainlp.util import normalize as thai_normalize

from cases.models import Respondent
from core.models import District, Province, Subdistrict
from core.thai import BE_OFFSET, MONTHS_TH, MONTHS_TH_ABBR, format_be_input, normalize_national_id, to_arabic_digits
from repeats.normalize import TITLES, is_local_body, looks_like_organisation, phones, strip_title

# The fields a suggestion may be for, in the order the panel lists them, with their labels.
FIELDS = {
    "title": gettext_lazy("คำนำหน้านาม"),
    "first_name": gettext_lazy("ชื่อตัว"),
    "last_name": gettext_lazy("ชื่อสกุล"),
    "national_id": gettext_lazy("เลขประจำตัวประชาชน"),
    "phone": gettext_lazy("โทรศัพท์"),
    "address": gettext_lazy("ที่อยู่ผู้ร้อง"),
    "subject": gettext_lazy("เรื่อง"),
    "description": gettext_lazy("รายละเอียด"),
    "incident_subdistrict": gettext_lazy("ตำบลที่เกิดเหตุ"),
    "respondent": gettext_lazy("ผู้ถูกร้อง"),
    "received_on": gettext_lazy("วันที่รับเรื่อง (ตามวันที่ในหนังสือ)"),
}

HIGH, MEDIUM = 0.8, 0.5  # confidence from which a suggestion reads as "high" / "medium"


@dataclass(frozen=True)
class Suggestion:
    """What a letter suggests for one field of the intake form."""

    field: str  # a key of FIELDS
    value: str  # what taking it puts in the field; "" when there is nothing to take (see problem)
    source: str  # the letter's words it was read from, shown to the officer
    confidence: float  # 0..1
    label: str = ""  # the value as the officer reads it, where that is not the value (a sub-district)
    problem: str = ""  # why nothing is offered (a national ID whose check digit does not agree)
    extra: dict = field(default_factory=dict, compare=False)  # more for the field: a respondent's kind

    @property
    def field_label(self) -> str:
        return str(FIELDS[self.field])

    @property
    def shown(self) -> str:
        return self.label or self.value

    @property
    def level(self) -> str:
        return "high" if self.confidence >= HIGH else "medium" if self.confidence >= MEDIUM else "low"


def suggest(text: str, *, district: District | None = None) -> list[Suggestion]:
    """Read ``text`` (a letter's pages, in order) for the intake form of ``district``'s center:
    the suggestions by field (FIELDS' order), the surest of a field first."""
    letter = Letter(text)
    found = [
        *letter.complainant(),
        *letter.national_ids(),
        *letter.phones(),
        *letter.address(district),
        *letter.subject(),
        *letter.description(),
        *letter.incident_subdistricts(district),
        *letter.respondents(),
        *letter.date(),
    ]
    order = list(FIELDS)
    return sorted(found, key=lambda s: (order.index(s.field), -s.confidence))


# --- Reading the text -------------------------------------------------------------------

THAI = "\u0e01-\u0e4e"  # Thai letters, vowels and marks (not the Thai digits)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WORDY = re.compile(rf"[{THAI}A-Za-z0-9๐-๙]")


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text or ""))
    # ํา → ำ, marks in order: what the OCR's reading may still have.
    return thai_normalize(text).replace("\r", "")


def _readable(line: str) -> bool:
    """Whether a line is writing, not the specks a scan reads as scattered marks (ซ่ ๑ =):
    a word of four letters or digits, or short words (๑๒ มี.ค. ๖๙) hardly any of them a
    single mark."""
    sizes = [len(_WORDY.findall(token)) for token in line.split()]
    if any(size >= 4 for size in sizes):
        return True
    return sum(sizes) >= 5 and sum(size <= 1 for size in sizes) * 3 < len(sizes)


def _join(lines: list[str]) -> str:
    """Lines of a paragraph as one. A line of a Thai letter often ends where a space stood
    between phrases (the wrap takes the space): joined with one, nothing runs together."""
    return " ".join(line for line in lines if line)


# OCR drops tone marks and upper vowels, and reads one upper vowel for another (เลขที, หมู่ทิ):
# keywords match without them.
_UPPER = "\u0e34\u0e35\u0e36\u0e37"
_DROPPED = "\u0e31\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"


def _loose(*words: str) -> str:
    """A pattern matching any of ``words`` with their marks dropped or misread."""

    def one(word: str) -> str:
        return "".join(f"[{_UPPER}]?" if c in _UPPER else f"{c}?" if c in _DROPPED else re.escape(c) for c in word)

    return "(?:" + "|".join(one(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# Keywords of the letter's parts at the start of a line; tolerant of a lost mark (เรอง).
_SUBJECT = re.compile(rf"^{_loose('เรื่อง')}(?![\u0e30-\u0e4e])\s*[:：.]?\s*(?P<value>\S.*)$")
_SALUTATION = re.compile(rf"^(?:กราบ)?{_loose('เรียน')}(?![\u0e30-\u0e4e])\s*(?P<value>.*)$")
_ENCLOSURE = re.compile(rf"^(?:{_loose('สิ่งที่ส่งมาด้วย', 'อ้างถึง')}|\d{{1,2}}\s*[.)]\s)")
_OPENING = re.compile(rf"^{_loose('ข้าพเจ้า', 'กระผม', 'ดิฉัน', 'ผม', 'ด้วย', 'ตามที่', 'เนื่อง')}")
_CLOSING = re.compile(rf"^(?:{_loose('ขอแสดงความ', 'ด้วยความเคารพ')}|\(?\s*{_loose('ลงชื่อ')})")
_REQUEST = re.compile(rf"^{_loose('จึงเรียน')}")


class Letter:
    """A letter's text cut into its parts: header, subject, salutation, body, signature."""

    def __init__(self, text: str):
        lines = (_SPACES.sub(" ", line).strip() for line in _prepare(text).split("\n"))
        self.lines = [line for line in lines if _readable(line)]
        # The same lines with 0-9 for Thai digits, character for character: patterns read
        # these, and what is shown is cut from ``lines`` at the same places.
        self.work = [to_arabic_digits(line) for line in self.lines]
        self.subject_at = self._first(_SUBJECT, 0, limit=15)
        self.salutation_at = self._first(_SALUTATION, 0 if self.subject_at is None else self.subject_at)
        start = self._body_start()
        end = self._first(_CLOSING, start)
        self.body_lines = range(start, len(self.lines) if end is None else end)
        self.signature_lines = range(self.body_lines.stop, len(self.lines))
        self.header_lines = range(0, self.subject_at if self.subject_at is not None else min(start, 6))
        self.body = _join([self.lines[i] for i in self.body_lines])
        self.body_work = to_arabic_digits(self.body)

    def _first(self, pattern: re.Pattern, start: int, *, limit: int | None = None) -> int | None:
        end = len(self.work) if limit is None else min(limit, len(self.work))
        return next((i for i in range(start, end) if pattern.match(self.work[i])), None)

    def _body_start(self) -> int:
        after = next(
            (i + 1 for i in (self.salutation_at, self.subject_at) if i is not None), 0
        )  # after the salutation, or the subject when the letter has none
        opening = self._first(_OPENING, after, limit=after + 6)
        if opening is not None:
            return opening
        while after < len(self.work) and _ENCLOSURE.match(self.work[after]):
            after += 1
        return after

    # --- The complainant -----------------------------------------------------------------

    def complainant(self) -> list[Suggestion]:
        """Title, first name and surname: after ข้าพเจ้า, and in brackets under the signature;
        where both are read alike the reading is surer."""
        opening, signed = self._self_named(), self._signed_name()
        name = opening or signed
        if name is None:
            return []
        agree = opening is not None and signed is not None and opening.parts == signed.parts
        confidence = 0.95 if agree else 0.8 if name is opening else 0.7
        source = f"{opening.source} … {signed.source}" if agree else name.source
        found = [Suggestion(field, value, source, confidence) for field, value in name.fields() if value]
        if opening and signed and not agree:
            # Two readings of the name: the signature's is offered as a second choice.
            found += [
                Suggestion(field, value, signed.source, 0.5)
                for (field, value), (_field, other) in zip(signed.fields(), opening.fields(), strict=True)
                if value and value != other
            ]
        return found

    def _self_named(self) -> _Name | None:
        match = _SELF.search(self.body_work)
        if not match:
            return None
        segment = _NAME_END.split(match.group("rest"), 1)[0]
        read = _person(segment)
        return _Name(*read, self.body[match.start() : match.start("rest") + len(segment)].strip()) if read else None

    def _signed_name(self) -> _Name | None:
        for i in self.signature_lines:
            line = self.work[i]
            inner = _BRACKETED.search(line)
            text = inner.group(1) if inner else _SIGNED.sub("", line)
            text = _SIGNER.sub("", text).strip()
            if not text or _CLOSING.match(text) or len(text) > 60:
                continue
            read = _person(text, need_title=not inner)
            if read:
                return _Name(*read, self.lines[i])
        return None

    # --- Numbers ---------------------------------------------------------------------------

    def national_ids(self) -> list[Suggestion]:
        """The 13 digits after เลขประจำตัวประชาชน (or standing as one in the letter) when the
        check digit agrees; otherwise what was read, and why it is not offered."""
        found, seen = [], set()
        for text, work in self._texts():
            for match in _ID_NAMED.finditer(work):
                digits = _thirteen(match.group("digits"))
                self._id(found, seen, digits, text[match.start() : match.end()], named=True)
            for match in _ID_BARE.finditer(work):
                digits = re.sub(r"\D", "", match.group(0))
                self._id(found, seen, digits, text[match.start() : match.end()], named=False)
        return found

    @staticmethod
    def _id(found: list, seen: set, digits: str, source: str, *, named: bool) -> None:
        if digits in seen:
            return
        seen.add(digits)
        try:
            value = normalize_national_id(digits)
        except ValidationError as error:
            if error.code == "checksum":
                problem = _(
                    "อ่านได้ %(digits)s แต่หลักตรวจสอบไม่ตรง ระบบอ่านตัวเลขบางหลักผิดได้ "
                    "จึงไม่เสนอเลขนี้ กรุณาดูเลขจากหนังสือหรือบัตรแล้วกรอกเอง"
                ) % {"digits": digits}
            else:
                problem = _("อ่านได้ %(count)d หลัก ไม่ครบ 13 หลัก จึงไม่เสนอเลขนี้ กรุณาดูเลขจากหนังสือหรือบัตรแล้วกรอกเอง") % {
                    "count": len(digits)
                }
            if named:
                found.append(Suggestion("national_id", "", source.strip(), 0.0, problem=problem))
            return
        found.append(Suggestion("national_id", value, source.strip(), 0.95 if named else 0.75))

    def phones(self) -> list[Suggestion]:
        """Thai phone numbers: after โทร/โทรศัพท์/มือถือ, or shaped as one anywhere."""
        found: dict[str, Suggestion] = {}
        for text, work in self._texts():
            ids = [m.span() for m in _ID_BARE.finditer(work)] + [m.span() for m in _ID_NAMED.finditer(work)]
            for pattern, confidence in ((_PHONE_NAMED, 0.9), (_PHONE_BARE, 0.6)):
                for match in pattern.finditer(work):
                    start, end = match.span("number")
                    if any(s <= start < e for s, e in ids):
                        continue  # digits of the national ID
                    for number in phones(match.group("number")):
                        if number not in found:
                            source = text[match.start() : end].strip()
                            found[number] = Suggestion("phone", _format_phone(number), source, confidence)
        return list(found.values())

    def _texts(self):
        """The letter's parts as (shown, read) texts: the header's lines, then the body and
        signature as one (a number may run across a line's end)."""
        for i in self.header_lines:
            yield self.lines[i], self.work[i]
        rest = _join([self.lines[i] for i in range(self.header_lines.stop, len(self.lines))])
        yield rest, to_arabic_digits(rest)

    # --- Places ----------------------------------------------------------------------------

    def address(self, near: District | None) -> list[Suggestion]:
        """The complainant's address: after อยู่บ้านเลขที่ in the body, or the sender's at the
        top of the letter; written out with the names of the sub-district, district and
        province it matches (correcting what OCR misspelled)."""
        found = []
        for text, work, confidence in self._addresses():
            parts = _address_parts(work)
            if not (parts.house or parts.tambon):
                continue
            area = match_area(parts.tambon, parts.amphoe, parts.province, near=near)
            value = parts.written(area[0] if area else None)
            if value and all(s.value != value for s in found):
                found.append(Suggestion("address", value, text, confidence * (1.0 if area else 0.7)))
        return found

    def _addresses(self):
        match = _SELF.search(self.body_work)
        if match:
            lives = _ADDRESS.search(self.body_work, match.start("rest"))
            if lives and lives.start() - match.start("rest") < 80:
                yield self.body[lives.start() : lives.end()].strip(), lives.group(0), 0.85
        header = [i for i in self.header_lines if not _DATE.search(self.work[i])]
        work = " ".join(self.work[i] for i in header)
        lives = _ADDRESS.search(work)
        if lives:
            yield " ".join(self.lines[i] for i in header)[lives.start() : lives.end()].strip(), lives.group(0), 0.8

    def incident_subdistricts(self, near: District | None) -> list[Suggestion]:
        """The sub-district where it happened: one the body names (outside the complainant's
        address) first, then the complainant's own."""
        found: dict[str, Suggestion] = {}
        own = self._own_address_span()
        tried: set[AddressParts] = set()
        for match in _TAMBON_NAMED.finditer(self.body_work):
            if own and own[0] <= match.start() < own[1]:
                continue
            # The district and province, when named right after it.
            parts = _address_parts(self.body_work[match.start() : match.start() + 70])
            if parts in tried or len(tried) >= MAX_PLACES:
                continue
            tried.add(parts)
            area = match_area(parts.tambon, parts.amphoe, parts.province, near=near)
            if area and area[0].pk not in found:
                source = _around(self.body, match.start(), match.end() + 40)
                found[area[0].pk] = _subdistrict_suggestion(area, source, 0.75)
        for text, work, _confidence in self._addresses():
            parts = _address_parts(work)
            area = match_area(parts.tambon, parts.amphoe, parts.province, near=near)
            if area and area[0].pk not in found:
                found[area[0].pk] = _subdistrict_suggestion(area, text, 0.6, own=True)
        return list(found.values())

    def _own_address_span(self) -> tuple[int, int] | None:
        match = _SELF.search(self.body_work)
        lives = match and _ADDRESS.search(self.body_work, match.start("rest"))
        return lives.span() if lives else None

    # --- What it is about ----------------------------------------------------------------

    def subject(self) -> list[Suggestion]:
        if self.subject_at is None:
            return []
        first = _SUBJECT.match(self.work[self.subject_at])
        # A long subject runs on to the next lines, up to the salutation.
        more = range(self.subject_at + 1, self.salutation_at or self.subject_at + 1)
        lines = [self.lines[self.subject_at][first.start("value") :]] + [self.lines[i] for i in more][:2]
        value = _join(lines)[:300]
        source = _join([self.lines[self.subject_at]] + [self.lines[i] for i in more][:2])
        return [Suggestion("subject", value, source, 0.9 if self.salutation_at is not None else 0.7)]

    def description(self) -> list[Suggestion]:
        """The body, from its first line to the one before the signing off; the closing
        request (จึงเรียนมาเพื่อ…) a paragraph of its own."""
        lines = [self.lines[i] for i in self.body_lines]
        if not lines:
            return []
        paragraphs, current = [], []
        for line in lines:
            if _REQUEST.match(line) and current:
                paragraphs.append(_join(current))
                current = []
            current.append(line)
        paragraphs.append(_join(current))
        value = "\n".join(paragraphs)
        confidence = 0.75 if self.salutation_at is not None else 0.5
        return [Suggestion("description", value, _excerpt(value), confidence)]

    def respondents(self) -> list[Suggestion]:
        """Whom the letter complains of: a person or a body named after ร้องเรียน, กล่าวโทษ or
        ผู้ถูกร้อง (a person with a title, an office-holder, a company, a local body)."""
        own = self._self_named()
        own_name = f"{own.first_name} {own.last_name}".strip() if own else None
        found: dict[str, Suggestion] = {}
        for pattern, confidence in ((_RESPONDENT_NAMED, 0.7), (_ORGANISATION, 0.45)):
            for match in pattern.finditer(self.body_work):
                read = _respondent(match.group("who"))
                if read is None:
                    continue
                name, kind, position = read
                if own_name and strip_title(name) == own_name or name in found:
                    continue
                source = _around(self.body, match.start(), match.end())
                extra = {"kind": kind, "position": position}
                found[name] = Suggestion("respondent", name, source, confidence, extra=extra)
        return sorted(found.values(), key=lambda s: -s.confidence)[:3]

    def date(self) -> list[Suggestion]:
        """The date the letter is written on, at its top (before เรื่อง)."""
        for i in self.header_lines:
            for match in _DATE.finditer(self.work[i]):
                day = _read_date(match)
                if day:
                    label = _("ลงวันที่ %(date)s") % {"date": self.lines[i][match.start() : match.end()].strip()}
                    return [Suggestion("received_on", format_be_input(day), self.lines[i], 0.85, label=label)]
        return []


# --- Names --------------------------------------------------------------------------------


class _Name(NamedTuple):
    """A person's name as a letter gives it, and the words it was read from."""

    title: str
    first_name: str
    last_name: str
    source: str

    @property
    def parts(self) -> tuple[str, str, str]:
        return self.title, self.first_name, self.last_name

    def fields(self) -> list[tuple[str, str]]:
        return [("title", self.title), ("first_name", self.first_name), ("last_name", self.last_name)]


_SELF = re.compile(rf"{_loose('ข้าพเจ้า', 'กระผม', 'ดิฉัน')}\s*(?P<rest>.{{2,90}})")
# Where the name ends after ข้าพเจ้า: age, address, ID, phone, a number, a bracket.
_NAME_END = re.compile(
    r"\s*(?:"
    + _loose("อายุ", "อยู่", "บ้านเลขที่", "เลขที่", "ที่อยู่", "ภูมิลำเนา", "เลขประจำตัว", "เลขบัตร", "บัตรประ", "ถือบัตร")
    + "|"
    + _loose("โทร", "ขอร้อง", "ขอแจ้ง", "ซึ่ง", "เป็นผู้", "ตำแหน่ง", "ราษฎร")
    + r"|[,(\d])"
)
_BRACKETED = re.compile(r"\(\s*([^()]{3,60}?)\s*\)")
_SIGNED = re.compile(rf"^\(?\s*{_loose('ลงชื่อ')}\s*\)?\s*")
_SIGNER = re.compile(r"\s*(?:ผู้ร้อง(?:เรียน|ทุกข์)?|ผู้ยื่นคำร้อง)\s*$")
_TITLE_SHORTHAND = {"น.ส.": "นางสาว", "นส.": "นางสาว", "ด.ช.": "เด็กชาย", "ด.ญ.": "เด็กหญิง"}
_NOT_NAME = re.compile(r"[^\u0e01-\u0e4e\s.]")


def _person(text: str, *, need_title: bool = False) -> tuple[str, str, str] | None:
    """(title, first name, surname) of a person's name as written, the title as one of
    repeats.normalize's (shorthand written out); None when it does not read as a name."""
    text = text.strip()
    rest = strip_title(text)
    cleaned = re.sub(r"\s+", " ", text).strip()
    title = ""
    if rest != cleaned and cleaned.endswith(rest):
        title = re.sub(r"\s+", "", cleaned[: len(cleaned) - len(rest)])
    elif need_title:
        return None
    words = rest.split()
    if not words or _NOT_NAME.search(" ".join(words[:2])) or len(words[0]) < 2:
        return None
    if need_title and not title:
        return None
    return _TITLE_SHORTHAND.get(title, title), words[0], (words[1] if len(words) > 1 else "")


_TITLES = "|".join(re.escape(t) for t in sorted({t for t in TITLES if not t.isascii()}, key=len, reverse=True))
# Officials named by their office (before their names) are respondents of the kind "official".
_OFFICES = ("กำนัน", "ผู้ใหญ่บ้าน", "ผู้ใหญ่", "ผญบ.", "สารวัตรกำนัน", "ปลัด", "ปลัดอำเภอ", "นายอำเภอ", "นายก", "ผอ.")
_RESPONDENT_NAMED = re.compile(
    r"(?:ผู้ถูกร้อง(?:เรียน)?\s*(?:คือ|ได้แก่|ชื่อ)?|(?:ร้องเรียน|กล่าวโทษ|กล่าวหา|ร้องทุกข์)\s*(?:ว่า|เรื่อง|กรณี)?|ถูก)"
    rf"\s*(?P<who>(?:{_TITLES})\s*[{THAI}]+(?:\s+[{THAI}]+)?(?:\s*ตำแหน่ง\s*[^\s,]+)?)"
)
_ORGANISATION = re.compile(
    rf"(?P<who>บริษัท\s*[{THAI}A-Za-z0-9 .]{{1,40}}?\s*จำกัด(?:\s*\(มหาชน\))?"
    rf"|(?:ห้างหุ้นส่วนจำกัด|หจก\.|บจก\.|บมจ\.)\s*[{THAI}A-Za-z0-9.]+"
    rf"|(?:องค์การบริหารส่วนตำบล|อบต\.|เทศบาล(?:ตำบล|เมือง|นคร)|ทต\.)\s*[{THAI}]+)"
)
_POSITION = re.compile(r"\s*ตำแหน่ง\s*(?P<position>\S+)$")
# Words a name read after a title must not take in (what follows a name in a sentence).
_AFTER_NAME = re.compile(r"(?:ได้|ซึ่ง|ที่|และ|ได้นำ|นำ|มา|ไป)$")


def _respondent(who: str) -> tuple[str, str, str] | None:
    """(name, kind, position) of a respondent named in the text."""
    who = who.strip()
    position = ""
    if match := _POSITION.search(who):
        position, who = match.group("position"), who[: match.start()].strip()
    if who.startswith(("บริษัท", "ห้างหุ้นส่วน", "หจก.", "บจก.", "บมจ.")):
        return who, Respondent.Kind.COMPANY, position
    if not who.startswith(_OFFICES) and (
        is_local_body(who) or who.startswith(("องค์การบริหารส่วนตำบล", "อบต.", "เทศบาล", "ทต."))
    ):
        return who, Respondent.Kind.AGENCY, position
    read = _person(who, need_title=True)
    if read is None or looks_like_organisation(who):
        return None
    title, first, last = read
    if _AFTER_NAME.fullmatch(last):
        last = ""
    name = f"{title}{first} {last}".strip()
    official = position or title in _OFFICES
    return name, Respondent.Kind.OFFICIAL if official else Respondent.Kind.PERSON, position


# --- Numbers --------------------------------------------------------------------------------

_ID_NAMED = re.compile(
    rf"(?:เลข(?:{_loose('ที่')})?(?:{_loose('ประจำตัว')})?(?:{_loose('บัตร')})?(?:{_loose('ประจำตัว')})?{_loose('ประชาชน')}"
    rf"|{_loose('บัตร')}(?:{_loose('ประจำตัว')})?{_loose('ประชาชน')}(?:{_loose('เลขที่')})?|{_loose('เลขบัตร')})"
    rf"\s*(?:{_loose('เลขที่')})?\s*[:：]?\s*(?P<digits>\d[\d \-–.]{{8,30}}\d)"
)
_ID_BARE = re.compile(r"(?<![\d-])(?:\d[ -]?\d{4}[ -]?\d{5}[ -]?\d{2}[ -]?\d|\d{13})(?![\d-])")
_PHONE_NAMED = re.compile(
    rf"(?:{_loose('โทรศัพท์มือถือ', 'โทรศัพท์', 'โทร', 'มือถือ', 'เบอร์โทรศัพท์', 'เบอร์โทร', 'เบอร์', 'ติดต่อ')}|Tel\.?)[^\d\n]{0, 20}?"
    r"(?P<number>\+?\d[\d \-–.()]{7,16}\d)"
)
_PHONE_BARE = re.compile(r"(?<![\d-])(?P<number>0\d(?:[ -]?\d){7,8})(?![\d-])")


def _thirteen(run: str) -> str:
    """The digits of an ID as written in groups: the groups up to 13 digits (a number
    that follows after a space is not taken in), or all of them when they never make 13."""
    digits = ""
    for group in re.split(r"[ \-–.]+", run):
        if len(digits) >= 13:
            break
        digits += group
    return digits


def _format_phone(number: str) -> str:
    if len(number) == 10:
        return f"{number[:3]}-{number[3:6]}-{number[6:]}"
    if number.startswith("02"):
        return f"{number[:2]}-{number[2:5]}-{number[5:]}"
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


# --- Dates ---------------------------------------------------------------------------------

_DATE = re.compile(
    rf"(?:วันที่\s*)?(?P<day>\d{{1,2}})\s*(?:เดือน\s*)?(?P<month>[{THAI}][{THAI}.]{{1,11}}?)\s*"
    r"(?:พ\.?\s*ศ\.?\s*)?(?P<year>\d{4}|\d{2})(?!\d)"
)
_MONTHS = {name: n for n, name in enumerate(MONTHS_TH, 1)} | {
    abbr.replace(".", ""): n for n, abbr in enumerate(MONTHS_TH_ABBR, 1)
}


def _read_date(match: re.Match) -> dt.date | None:
    word = match.group("month").replace(".", "")
    month = _MONTHS.get(word)
    if month is None:
        best = max(MONTHS_TH, key=lambda name: _similar(word, name))
        month = MONTHS_TH.index(best) + 1 if _similar(word, best) >= 0.75 else None
    if month is None:
        return None
    year = int(match.group("year"))
    if year < 100:
        year += 2500  # ๖๙ in a short date is 2569
    if year > 2400:
        year -= BE_OFFSET
    try:
        return dt.date(year, month, int(match.group("day")))
    except ValueError:
        return None


# --- Addresses and the geography ---------------------------------------------------------

# An address: from the house number to the province (and its postal code) or to a word that
# ends it; the keywords may come glued to the words before them.
_ENDS_ADDRESS = _loose(
    "เลขประจำตัว", "เลขบัตร", "บัตรประ", "โทร", "มือถือ", "ขอร้อง", "ขอแจ้ง", "ขอความ", "ได้รับ", "มีความ", "ซึ่ง", "อายุ"
)
_ADDRESS = re.compile(
    rf"(?:{_loose('บ้าน')}\s*)?{_loose('เลขที่')}\s*\d+(?:\s*/\s*\d+)?"
    rf"(?:(?!{_ENDS_ADDRESS}).){{0,160}}?"
    rf"(?:(?:{_loose('จังหวัด')}|จ\.)\s*[{THAI}]+(?:\s*\d{{5}})?|กรุงเทพ(?:มหานคร|ฯ)(?:\s*\d{{5}})?"
    rf"|(?={_ENDS_ADDRESS}|ขอ|$))"
)
_TAMBON = rf"(?:{_loose('ตำบล', 'แขวง')}|(?<![{THAI}])ต\.)"
_TAMBON_NAMED = re.compile(rf"{_TAMBON}\s*[{THAI}]{{2,}}")
_KEYWORDS = _loose("ตำบล", "แขวง", "อำเภอ", "จังหวัด", "รหัสไปรษณีย์", "หมู่ที่", "ถนน", "ซอย")


@dataclass(frozen=True)
class AddressParts:
    house: str = ""
    moo: str = ""
    soi: str = ""
    road: str = ""
    tambon: str = ""
    amphoe: str = ""
    province: str = ""
    postal_code: str = ""

    def written(self, subdistrict: Subdistrict | None) -> str:
        """The address written out, with the matched sub-district's names where found."""
        parts = []
        if self.house:
            parts.append(self.house)
        if self.moo:
            parts.append(f"หมู่ {self.moo}")
        if self.soi:
            parts.append(f"ซอย{self.soi}")
        if self.road:
            parts.append(f"ถนน{self.road}")
        if subdistrict is not None:
            district = subdistrict.district
            if district.province_id == "10":
                parts += [f"แขวง{subdistrict.name_th}", district.name_th, district.province.name_th]
            else:
                parts += [f"ตำบล{subdistrict.name_th}", f"อำเภอ{district.name_th}", f"จังหวัด{district.province.name_th}"]
            codes = subdistrict.postal_codes.split()
            postal = self.postal_code if self.postal_code in codes else (codes[0] if len(codes) == 1 else "")
            if postal:
                parts.append(postal)
        else:
            parts += [f"ตำบล{self.tambon}" * bool(self.tambon), f"อำเภอ{self.amphoe}" * bool(self.amphoe)]
            parts += [f"จังหวัด{self.province}" * bool(self.province), self.postal_code]
        return " ".join(p for p in parts if p)


_SHORT = rf"(?<![{THAI}])"  # before an abbreviation (ต. อ. จ. ม.): not the end of a word


def _address_parts(text: str) -> AddressParts:
    text = re.sub(rf"(?<=[{THAI}0-9])(?={_KEYWORDS})", " ", text)

    def first(pattern: str) -> str:
        match = re.search(pattern, text)
        return match.group(1) if match else ""

    word = rf"([{THAI}]{{2,}})"
    return AddressParts(
        house=re.sub(r"\s+", "", first(rf"(?:{_loose('เลขที่')}|^)\s*(\d+(?:\s*/\s*\d+)?)")),
        moo=str(int(m))
        if (m := first(rf"(?:{_loose('หมู่')}\s*(?:{_loose('ที่')})?|{_SHORT}ม\.)\s*(\d{{1,2}})(?!\d)"))
        else "",
        soi=first(rf"(?:{_loose('ซอย')}|{_SHORT}ซ\.)\s*([{THAI}0-9]+)"),
        road=first(rf"(?:{_loose('ถนน')}|{_SHORT}ถ\.)\s*([{THAI}]+)"),
        tambon=first(rf"{_TAMBON}\s*{word}"),
        amphoe=first(rf"(?:{_loose('อำเภอ', 'เขต')}|{_SHORT}อ\.)\s*{word}"),
        province=first(rf"(?:{_loose('จังหวัด')}|{_SHORT}จ\.)\s*{word}") or ("กรุงเทพมหานคร" if "กรุงเทพ" in text else ""),
        postal_code=first(r"(?<!\d)(\d{5})(?!\d)"),
    )


# The places a body names that are looked up (each is a few queries); a letter names one or two.
MAX_PLACES = 5
# How alike a name read must be to one of the geography to be taken for it (0..1).
AREA_THRESHOLD = 0.75


def _best(word: str, rows, name) -> tuple[object, float] | None:
    """The row whose name is most like ``word``; a name the word starts with (ราชบุรีเลข…)
    counts as the same. None when nothing is alike enough, or two rows are as alike."""
    scored = []
    for row in rows:
        candidate = name(row)
        score = 1.0 if word == candidate or (len(candidate) >= 3 and word.startswith(candidate)) else 0.0
        if not score and len(word) >= 3:
            score = _similar(word, candidate)
        scored.append((score, row))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] < AREA_THRESHOLD or (len(word) < 4 and scored[0][0] < 1):
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1], scored[0][0]


def _district_name(district: District) -> str:
    return district.name_th.removeprefix("เขต")


def match_area(tambon: str, amphoe: str = "", province: str = "", *, near: District | None = None):
    """The sub-district a letter names, tolerant of OCR's misspellings: (subdistrict, how
    alike) or None. The district and province named narrow the search; without them the
    center's own district is searched first, then its province."""
    if not tambon:
        return None
    provinces = None
    if province:
        alias = {"กรุงเทพ": "กรุงเทพมหานคร", "กทม": "กรุงเทพมหานคร"}.get(province.rstrip("ฯ."), province)
        provinces = _best(alias, Province.objects.all(), lambda p: p.name_th)
    districts = None
    if amphoe:
        scope = District.objects.select_related("province")
        if provinces:
            scope = scope.filter(province=provinces[0])
        elif near is not None:
            scope = scope.filter(province_id=near.province_id)
        if amphoe == "เมือง" and (provinces or near):
            # อำเภอเมือง: the province's capital district (เมืองราชบุรี)
            amphoe = "เมือง" + (provinces[0].name_th if provinces else near.province.name_th)
        districts = _best(amphoe.removeprefix("เขต"), scope, _district_name)
    subdistricts = Subdistrict.objects.select_related("district__province")
    if districts:
        scopes = [subdistricts.filter(district=districts[0])]
    elif provinces:
        scopes = [subdistricts.filter(district__province=provinces[0])]
    elif near is not None:
        scopes = [subdistricts.filter(district=near), subdistricts.filter(district__province_id=near.province_id)]
    else:
        scopes = [subdistricts]
    for scope in scopes:
        found = _best(tambon, scope, lambda s: s.name_th)
        if found:
            sure = districts[1] if districts else 0.9 if provinces or near else 0.7
            return found[0], found[1] * min(1.0, 0.5 + sure / 2)
    return None


def _subdistrict_suggestion(area, source: str, confidence: float, *, own: bool = False) -> Suggestion:
    subdistrict, alike = area
    district = subdistrict.district
    label = f"ตำบล{subdistrict.name_th} {district.full_name_th}"
    if district.province_id == "10":
        label = f"แขวง{subdistrict.name_th} {district.full_name_th}"
    if own:
        label = _("%(place)s (ตามที่อยู่ผู้ร้อง)") % {"place": label}
    extra = {"district": district.pk, "province": district.province_id}
    return Suggestion("incident_subdistrict", subdistrict.pk, source, confidence * alike, label=label, extra=extra)


def _around(text: str, start: int, end: int, context: int = 30) -> str:
    """The words of ``text`` from ``start`` to ``end`` with some context either side, cut
    at a space where there is one near (Thai runs long without)."""
    left, right = max(0, start - context), min(len(text), end + context)
    if (space := text.find(" ", left, start)) >= 0:
        left = space + 1
    if (space := text.rfind(" ", end, right)) >= 0 and right < len(text):
        right = space
    return ("… " if left > 0 else "") + text[left:right].strip() + (" …" if right < len(text) else "")


def _excerpt(text: str, length: int = 160) -> str:
    return text if len(text) <= length else text[:length].rstrip() + " …"
