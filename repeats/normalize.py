"""How the repeat check reads what people type: national IDs, names, phones, addresses,
organisations and free text, each brought to one form so that the same thing typed two
ways compares equal.

Pure functions without database access. The abbreviation table (``data/abbreviations.csv``)
and the stopword lists are read once per process.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from pythainlp.soundex import udom83
from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize as thai_normalize

from core.thai import normalize_national_id, to_arabic_digits

DATA = Path(__file__).resolve().parent / "data"

_SPACES = re.compile(r"\s+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
# A Thai syllable begins with a consonant or a leading vowel (เ แ โ ใ ไ), never with a
# following vowel or a tone mark: what is left after a title must begin like that.
_NAME_START = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44a-z]")
# Everything that is neither a letter nor a digit, Thai marks included in letters.
_NOT_WORD = re.compile(r"[^\w\u0e00-\u0e7f]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


# What pythainlp's normalize corrects: a tone mark before a vowel above or below, a mark
# typed twice, nikhahit and sara aa for sara am (นํ้า), sara e twice for sara ae (เเ), a
# space before a mark, a mark with no consonant. Text without any of these (nearly all)
# is already in order, and skips it: it costs more than everything else here.
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_MISORDERED = re.compile(
    f"[\u0e48-\u0e4c][\u0e31\u0e34-\u0e3a\u0e4d]|([{_MARKS}])\\1|\u0e4d|\u0e40\u0e40|\\s[{_MARKS}]|^[{_MARKS}]"
    "|[\u0e32\u0e33\u0e45][\u0e32\u0e33\u0e45]"
)


def clean(text: str) -> str:
    """Return ``text`` in one canonical form: NFC, Thai vowels and tone marks in order
    (pythainlp), Thai digits as 0-9, no zero-width characters, single spaces, lower case."""
    text = unicodedata.normalize("NFC", to_arabic_digits(str(text or "")))
    text = _ZERO_WIDTH.sub("", text)
    if _MISORDERED.search(text):
        text = thai_normalize(text)
    return _SPACES.sub(" ", text).strip().casefold()


# --- National ID ------------------------------------------------------------------------

_ID_NOISE = re.compile(r"[\s\-‐–—.]+")


@lru_cache(maxsize=65536)
def national_id(value: str) -> str:
    """The 13 digits of a national ID as people type it (Thai digits, dashes, spaces,
    dots between the groups), or "" when it is not a valid one (checksum included)."""
    raw = _ID_NOISE.sub("", to_arabic_digits(str(value or "")))
    if not raw:
        return ""
    try:
        return normalize_national_id(raw)
    except ValidationError:
        return ""


# --- Titles and names -------------------------------------------------------------------

# Titles (คำนำหน้านาม) and ranks as written before a name, full and abbreviated. Dots may
# be followed by spaces when read (น. ส.); the longest title is taken first.
TITLES = (
    # Everyone
    "นาย", "นาง", "นางสาว", "น.ส.", "นส.", "เด็กชาย", "เด็กหญิง", "ด.ช.", "ด.ญ.", "คุณ", "ท่าน",
    "คุณหญิง", "คุณนาย", "ท่านผู้หญิง", "ว่าที่",
    # Royal lineage
    "หม่อมเจ้า", "ม.จ.", "หม่อมราชวงศ์", "ม.ร.ว.", "หม่อมหลวง", "ม.ล.", "หม่อม",
    # Army
    "จอมพล", "พลเอก", "พล.อ.", "พลโท", "พล.ท.", "พลตรี", "พล.ต.", "พันเอก", "พ.อ.", "พันเอกพิเศษ",
    "พ.อ.(พิเศษ)", "พันโท", "พ.ท.", "พันตรี", "พ.ต.", "ร้อยเอก", "ร.อ.", "ร้อยโท", "ร.ท.", "ร้อยตรี", "ร.ต.",
    "จ่าสิบเอก", "จ.ส.อ.", "จ่าสิบโท", "จ.ส.ท.", "จ่าสิบตรี", "จ.ส.ต.", "สิบเอก", "ส.อ.", "สิบโท", "ส.ท.",
    "สิบตรี", "ส.ต.", "พลทหาร", "พลฯ",
    # Navy
    "พลเรือเอก", "พล.ร.อ.", "พลเรือโท", "พล.ร.ท.", "พลเรือตรี", "พล.ร.ต.", "นาวาเอก", "น.อ.", "นาวาโท", "น.ท.",
    "นาวาตรี", "น.ต.", "เรือเอก", "เรือโท", "เรือตรี", "พันจ่าเอก", "พ.จ.อ.", "พันจ่าโท", "พ.จ.ท.", "พันจ่าตรี",
    "พ.จ.ต.", "จ่าเอก", "จ.อ.", "จ่าโท", "จ.ท.", "จ่าตรี", "จ.ต.",
    # Air force
    "พลอากาศเอก", "พล.อ.อ.", "พลอากาศโท", "พล.อ.ท.", "พลอากาศตรี", "พล.อ.ต.", "นาวาอากาศเอก", "น.อ.",
    "นาวาอากาศโท", "นาวาอากาศตรี", "เรืออากาศเอก", "เรืออากาศโท", "เรืออากาศตรี", "พันจ่าอากาศเอก", "พ.อ.อ.",
    "พันจ่าอากาศโท", "พ.อ.ท.", "พันจ่าอากาศตรี", "พ.อ.ต.", "จ่าอากาศเอก", "จ่าอากาศโท", "จ่าอากาศตรี",
    # Police
    "พลตำรวจเอก", "พล.ต.อ.", "พลตำรวจโท", "พล.ต.ท.", "พลตำรวจตรี", "พล.ต.ต.", "พันตำรวจเอก", "พ.ต.อ.",
    "พันตำรวจโท", "พ.ต.ท.", "พันตำรวจตรี", "พ.ต.ต.", "ร้อยตำรวจเอก", "ร.ต.อ.", "ร้อยตำรวจโท", "ร.ต.ท.",
    "ร้อยตำรวจตรี", "ร.ต.ต.", "ดาบตำรวจ", "ด.ต.", "นายดาบตำรวจ", "จ่าสิบตำรวจ", "จ.ส.ต.", "สิบตำรวจเอก", "ส.ต.อ.",
    "สิบตำรวจโท", "ส.ต.ท.", "สิบตำรวจตรี", "ส.ต.ต.", "พลตำรวจ", "พลฯ",
    # Academic and professional
    "ศาสตราจารย์", "ศ.", "รองศาสตราจารย์", "รศ.", "ผู้ช่วยศาสตราจารย์", "ผศ.", "ดร.", "ด็อกเตอร์", "อาจารย์", "อ.",
    "นายแพทย์", "นพ.", "แพทย์หญิง", "พญ.", "ทันตแพทย์", "ทพ.", "ทันตแพทย์หญิง", "ทพญ.", "เภสัชกร", "ภก.",
    "เภสัชกรหญิง", "ภญ.", "สัตวแพทย์", "สพ.", "สัตวแพทย์หญิง", "สพ.ญ.", "พยาบาล",
    # Clergy and religious
    "พระ", "พระภิกษุ", "ภิกษุ", "ภิกษุณี", "พระครู", "พระมหา", "พระอธิการ", "พระปลัด", "พระสมุห์", "พระใบฎีกา",
    "พระอาจารย์", "พระราชาคณะ", "พระครูสมุห์", "พระครูใบฎีกา", "หลวงพ่อ", "หลวงปู่", "หลวงพี่", "หลวงตา",
    "สามเณร", "ส.ณ.", "เณร", "แม่ชี", "ชี", "บาทหลวง", "คุณพ่อ", "ซิสเตอร์", "อิหม่าม", "โต๊ะอิหม่าม",
    # Office-holders, written before their names (ปลัดวิชัย, นายอำเภอสมชาย, กำนันสมชาย)
    "กำนัน", "ผู้ใหญ่บ้าน", "ผู้ใหญ่", "ผญบ.", "สารวัตรกำนัน", "แพทย์ประจำตำบล", "อสม.", "ปลัด", "ปลัดอำเภอ",
    "ปลัดจังหวัด", "นายอำเภอ", "นอภ.", "นายก", "นายกฯ", "ผอ.", "ครู", "จ่า", "หมอ",
    # English
    "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "miss", "master", "dr.", "dr", "prof.", "phra",
)  # fmt: skip
# Ranks are followed by หญิง for a woman (ร.ต.อ.หญิง, พ.ต.ท. หญิง).
_AFTER_RANK = "หญิง"
# Words that begin like a (shorter) title and are not one: นายกเทศมนตรี is not นาย + กเทศมนตรี.
_NOT_TITLES = ("นายกเทศมนตรี", "นายช่าง", "นายทะเบียน", "นายหน้า", "นายจ้าง", "นางพยาบาล", "คุณภาพ", "พระราช")


# A nickname or a note in brackets or quotes after a name: ปิยะนุช (แอน), สมชาย "หนุ่ม".
_NICKNAME = re.compile(r"\([^)]*\)|\[[^\]]*\]|[\"“”'‘’][^\"“”'‘’]*[\"“”'‘’]")


def _title_pattern(title: str) -> str:
    escaped = re.escape(title).replace(r"\.", r"\.\s*")
    if title[-1] in ".)ฯ":
        return escaped
    # A word title (นาย, mr): glued to a Thai name (นายสมชาย) but ended by a space, a dot or
    # the end before a Latin one (mr john, not "mrinal").
    if title.isascii():
        return escaped + r"(?=[\s.]|$)\.?"
    return escaped


@cache
def _titles() -> re.Pattern:
    ordered = sorted(set(TITLES), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(_title_pattern(t) for t in ordered) + r")\s*")


def strip_title(name: str) -> str:
    """Return ``name`` (cleaned) without the titles and ranks in front of it:
    ``strip_title("ร.ต.อ.หญิง สมใจ ทองดี") == "สมใจ ทองดี"``. A title is taken away only when
    what follows can begin a name, so that คุณากร and นายกเทศมนตรี stay as they are."""
    text = _NICKNAME.sub(" ", clean(name)).strip()
    while text:
        match = _titles().match(text)
        if not match or text.startswith(_NOT_TITLES):
            break
        rest = text[match.end() :]
        if rest.startswith(_AFTER_RANK):
            rest = rest[len(_AFTER_RANK) :].lstrip()
        if rest and not _NAME_START.match(rest):
            break  # คุณากร: "คุณ" is part of the name
        text = rest
    return text


def split_name(full_name: str) -> tuple[str, str]:
    """A person's name in one field (a respondent's) as (first name, surname), titles removed."""
    parts = strip_title(full_name).split(" ", 1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def name_part(value: str) -> str:
    """One part of a name as compared: cleaned, without spaces or punctuation."""
    return _NOT_WORD.sub("", clean(value))


@lru_cache(maxsize=65536)
def phonetic(part: str) -> str:
    """The sound of one part of a name: pythainlp's ``udom83`` for Thai, which keeps
    สมชาย, สมชัย and ซมชาย together (ส072000) and ศรีสุข (ส941000) apart from สีสุข
    (ส410000); the letters themselves for a name in Latin script."""
    part = name_part(part)
    if not part:
        return ""
    if _THAI.search(part):
        return udom83(part)
    return part


@dataclass(frozen=True)
class PersonName:
    """A person's name read for matching."""

    first: str  # cleaned, title removed, no spaces
    last: str

    @classmethod
    @lru_cache(maxsize=65536)  # names repeat: a common one is read once per process
    def read(cls, first: str = "", last: str = "") -> PersonName:
        """Read a name given in parts (the title apart); a title typed into the first
        name (นายสมชาย) is removed too, and a whole name typed there is split."""
        first = strip_title(first)  # cleaned
        if not last and " " in first:
            first, last = first.split(" ", 1)
        return cls(_NOT_WORD.sub("", first), _NOT_WORD.sub("", _NICKNAME.sub(" ", clean(last))))

    @classmethod
    @lru_cache(maxsize=65536)
    def read_full(cls, full_name: str) -> PersonName:
        first, last = split_name(full_name)  # cleaned
        return cls(_NOT_WORD.sub("", first), _NOT_WORD.sub("", last))

    def __bool__(self) -> bool:
        return bool(self.first or self.last)

    @property
    def text(self) -> str:
        return f"{self.first} {self.last}".strip()

    @property
    def sound(self) -> str:
        """The phonetic key of the whole name: both parts' sounds, in either order (the
        first name and the surname are sometimes typed the other way round)."""
        return "|".join(sorted((phonetic(self.first), phonetic(self.last))))

    @property
    def swapped(self) -> PersonName:
        return PersonName(self.last, self.first)


def name_similarity(a: PersonName, b: PersonName) -> float:
    """How alike two names are as written (0..1): 1 for the same name, less for each
    letter that differs (edit distance over the longer name, both parts)."""
    return 1.0 - _edit_distance(a.text, b.text) / max(len(a.text), len(b.text), 1)


def _edit_distance(a: str, b: str) -> int:
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


# --- Phones -----------------------------------------------------------------------------

_PHONE_SPLIT = re.compile(r"[,;/]|หรือ|\bor\b")
_EXTENSION = re.compile(r"(ต่อ|ext\.?|#|x\s*\d).*$")


@lru_cache(maxsize=65536)
def phones(value: str) -> tuple[str, ...]:
    """The Thai phone numbers in ``value`` as 9 (fixed line) or 10 (mobile) digits starting
    with 0: Thai digits, separators, +66 or 66 for the leading 0; extensions dropped.
    Something that is not a Thai number gives nothing."""
    found = []
    for piece in _PHONE_SPLIT.split(to_arabic_digits(str(value or "")).casefold()):
        digits = re.sub(r"\D", "", _EXTENSION.sub("", piece))
        if digits.startswith("66") and len(digits) in (10, 11):
            digits = "0" + digits[2:]
        elif digits.startswith("0066") and len(digits) in (12, 13):
            digits = "0" + digits[4:]
        if digits.startswith("0") and len(digits) in (9, 10) and digits not in found:
            found.append(digits)
    return tuple(found)


# --- Abbreviations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Abbreviation:
    short: str
    expansion: str
    scope: str
    note: str = ""


@cache
def abbreviations() -> tuple[Abbreviation, ...]:
    """The table in ``data/abbreviations.csv`` (read once per process)."""
    with open(DATA / "abbreviations.csv", encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return tuple(
        Abbreviation(
            clean(row["abbreviation"]), clean(row["expansion"]).replace("{ }", "{}"), row["scope"], row["note"]
        )
        for row in csv.DictReader(lines)
    )


# An abbreviation's shape: Thai consonants, each group ended by a dot (อบต., รพ.สต., ธ.ก.ส.),
# possibly glued to the word before it (นายกอบต.); and the same without dots between spaces.
_DOTTED = re.compile(r"[\u0e01-\u0e2e]+(?:\.\s?[\u0e01-\u0e2e]+)*\.")
_BARE = re.compile(r"(?<!\S)[\u0e01-\u0e2e]{2,6}(?=\s)")
# ม. before a number is หมู่ (a village); before a name it is a university (ม.ขอนแก่น).
# หมู่ที่ 5 is หมู่ 5.
_VILLAGE = re.compile(r"(?:(?<![\u0e01-\u0e4e\w])ม\.|หมู่\s*ที่)\s*(?=\d)")


@cache
def _table(scopes: frozenset[str]) -> dict[str, Abbreviation]:
    return {a.short.replace(".", ""): a for a in abbreviations() if a.scope in scopes and a.short != a.expansion}


def _found(text: str, table: dict[str, Abbreviation]):
    """(start, end, entry) of each abbreviation of ``table`` in ``text``, in order."""
    for match in _DOTTED.finditer(text):
        yield from _in_dotted(match.group(0), match.start(), table)
    for match in _BARE.finditer(text):
        if (entry := table.get(match.group(0))) and "." in entry.short:
            yield match.start(), match.end(), entry
    if "ฯ" in text:
        for word in ("กรุงเทพฯ",):
            if (entry := table.get(word)) and (start := text.find(word)) >= 0:
                yield start, start + len(word), entry


_GROUP = re.compile(r"([\u0e01-\u0e2e]+)\.\s?")


def _in_dotted(run: str, offset: int, table: dict[str, Abbreviation]):
    """The abbreviations in a run of dotted groups (รพ.สต., or กฟภ.อ. for two), when the
    whole run is made of them (จ.ส.ต. is a rank, not จ. + ส. + ต.): from each group, the
    most groups that make one; a word may be glued before the first (นายกอบต.)."""
    groups = [(m.group(1), m.start(), m.end()) for m in _GROUP.finditer(run)]
    found, i = [], 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            letters = "".join(g[0] for g in groups[i:j])
            # Only the first group may carry letters of a word before it.
            skips = range(len(groups[0][0])) if i == 0 else (0,)
            hit = next(
                (
                    (skip, table[letters[skip:]])
                    for skip in skips
                    if letters[skip:] in table and (skip == 0 or len(letters) - skip >= 3)
                ),
                None,
            )
            if hit:
                found.append((offset + groups[i][1] + hit[0], offset + groups[j - 1][2], hit[1]))
                i = j
                break
        else:
            return  # a group no abbreviation covers: the run is something else
    yield from found


def expand_abbreviations(text: str, *, scopes=("form", "national", "local", "word", "place")) -> str:
    """Return cleaned ``text`` with the table's abbreviations written out (a legal form
    around the name it wraps: ``บจก. ก้าวหน้า`` → ``บริษัท ก้าวหน้า จำกัด``)."""
    text = _VILLAGE.sub("หมู่ ", clean(text))
    table = _table(frozenset(scopes))
    out, position = [], 0
    for start, end, entry in sorted(_found(text, table), key=lambda found: found[0]):
        if start < position:
            continue
        out.append(text[position:start])
        if "{}" in entry.expansion:
            # The legal form wraps the rest of the name (up to a branch or the end).
            name, branch = _split_branch(text[end:].strip())
            out.append(" " + entry.expansion.replace("{}", name) + (" " + branch if branch else "") + " ")
            position = len(text)
            break
        out.append(" " + entry.expansion + " ")
        position = end
    out.append(text[position:])
    return _SPACES.sub(" ", "".join(out)).strip()


_BRANCH = re.compile(r"\(?\s*(สาขา|สำนักงานใหญ่|branch|head office)")


def _split_branch(text: str) -> tuple[str, str]:
    match = _BRANCH.search(text)
    if not match:
        return text, ""
    return text[: match.start()].strip(), text[match.start() :].strip()


# --- Organisations ----------------------------------------------------------------------

# Legal forms around an organisation's own name, dropped from its key.
_LEGAL_FORMS = re.compile(
    r"\(\s*มหาชน\s*\)|มหาชน|ห้างหุ้นส่วนสามัญนิติบุคคล|ห้างหุ้นส่วนสามัญ|ห้างหุ้นส่วนจำกัด|ห้างหุ้นส่วน|บริษัท|จำกัด"
    r"|public company limited|company limited|co\.?,?\s*ltd\.?|limited partnership|part\.?,?\s*ltd\.?"
    r"|\bpcl\.?|\bltd\.?|\binc\.?|\bcorporation\b|\bcorp\.?|\blimited\b|\bco\.(?=\s|$)"
)
# บ. and จก. stand for บริษัท and จำกัด in a company's name (บ.สยามก่อสร้าง จก.); elsewhere
# บ. is often บ้าน, so they are read so only here.
_COMPANY_SHORT = re.compile(r"^บ\.\s*")
_LIMITED_SHORT = re.compile(r"(?<![\u0e01-\u0e4e])จก\.")
# The address after a local body's name, when written apart (อบต.หนองหว้า อ.เมือง จ.ขอนแก่น).
_TRAILING_PLACE = re.compile(r"\s(?:อำเภอ|เขต|จังหวัด)(?:\s|$).*$")


@cache
def _organisation_words() -> tuple[frozenset[str], dict[str, str]]:
    """The words that say what kind of business a name is (ร้าน, เพจ, คลินิก), not which:
    dropped from its key; and the spellings of one word (สุกร = หมู, รีสอร์ต = รีสอร์ท)."""
    generic, same = set(), {}
    with open(DATA / "organisation_words.txt", encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if "=" in line:
                word, as_ = (clean(w) for w in line.split("=", 1))
                same[word] = as_
            elif line:
                generic.add(clean(line))
    return frozenset(generic), same


@dataclass(frozen=True)
class Organisation:
    """A company's or an agency's name read for matching."""

    key: str  # its own words (legal form, kind of business and branch left out), sorted
    branch: str  # the branch, when named (ธ.ก.ส. สาขาจอมบึง: "จอมบึง")
    local: bool  # a kind of body whose names repeat from place to place (an อบต., a police station)

    @classmethod
    @lru_cache(maxsize=65536)  # the same bodies are named again and again
    def read(cls, name: str) -> Organisation:
        text = _LIMITED_SHORT.sub(" จำกัด", _COMPANY_SHORT.sub("บริษัท ", clean(name)))
        text = _BANGKOK_DISTRICT.sub("เขต", expand_abbreviations(text))
        text, branch = _split_branch(text)
        local = text.startswith(_local_kinds())
        if local:
            text = _TRAILING_PLACE.sub("", text)
        text = _LEGAL_FORMS.sub(" ", text).replace("ฯ", "")
        return cls(key=_words_key(text), branch=_words_key(_BRANCH_WORD.sub(" ", branch), ordered=True), local=local)


# A Bangkok district office: สำนักงานเขตหนองจอก, กทม. (เขตหนองจอก), กรุงเทพมหานคร เขตหนองจอก.
_BANGKOK_DISTRICT = re.compile(r"(?:สำนักงาน\s*|กรุงเทพมหานคร\s*\(?\s*)+เขต")
_BRANCH_WORD = re.compile(r"สาขา|สำนักงานใหญ่|branch|head office|[()]")


def _words_key(text: str, *, ordered: bool = False) -> str:
    generic, same = _organisation_words()
    words = [same.get(w, w) for w in (_NOT_WORD.sub("", w) for w in word_tokenize(text, engine="newmm")) if w]
    words = [w for w in words if w not in generic]
    return "".join(words if ordered else sorted(set(words)))


@lru_cache(maxsize=65536)
def looks_like_organisation(name: str) -> bool:
    """Whether a party recorded as a person is named like a business or a page: one word
    and no title (ของดีราคาส่ง), or a kind of business (เพจ …, ร้าน …) or a legal form."""
    text = clean(name)
    if not text or strip_title(text) != _NICKNAME.sub(" ", text).strip():
        return False  # a title: a person
    if " " not in text.strip():
        return True
    generic, _same = _organisation_words()
    words = {_NOT_WORD.sub("", w) for w in word_tokenize(text, engine="newmm")}
    return bool(words & generic) or bool(_LEGAL_FORMS.search(text))


def organisation_key(name: str) -> str:
    """The key an organisation is matched by: abbreviations written out, the legal form,
    the kind of business (ร้าน, เพจ), the branch ("สาขา …", "สำนักงานใหญ่") and a local
    body's address dropped, its words in one order: ``organisation_key("บจก. ก้าวหน้า") ==
    organisation_key("บริษัท ก้าวหน้า จำกัด (สำนักงานใหญ่)")``."""
    return Organisation.read(name).key


@cache
def _local_kinds() -> tuple[str, ...]:
    return tuple(clean(a.expansion) for a in abbreviations() if a.scope == "local")


def is_local_body(name: str) -> bool:
    """Whether a name is of a kind of body whose names repeat from place to place (an
    อบต., a police station, a school): the same name is the same body only in the same place."""
    return Organisation.read(name).local


# --- What a text says of where, exactly -------------------------------------------------

# The village (หมู่ 5, ม.5, หมู่ที่ ๕), the lane (ซอยศรีวิชัย 7, ซ.5) and the land title
# (โฉนดเลขที่ 1234, น.ส.3 ก. เลขที่ 1234) a text names. Two tellings of one grievance
# name the same ones when both name one; another road of the same tambon, another lane,
# another plot do not. House numbers are left out: two neighbours complaining about each
# other name each other's houses.
_NAMED = (
    ("village", re.compile(r"(?:หมู่|(?<![\u0e01-\u0e4e])ม\.)\s*(?:ที่\s*)?(\d{1,2})(?![\d/])")),
    ("lane", re.compile(r"(?:ซอย|(?<![\u0e01-\u0e4e])ซ\.)\s*([^\s\d,.()]{0,20})\s*(\d{1,4})?")),
    ("title", re.compile(r"(?:โฉนด(?:ที่ดิน)?|น\.\s*ส\.\s*3\s*(?:ก\.)?)\s*(?:เลขที่)?\s*(\d{1,6})")),
)


@lru_cache(maxsize=4096)
def places_named(text: str) -> dict[str, frozenset[tuple[str, str]]]:
    """What ``text`` names of each kind: {"village": {("", "5")}, "lane": {("ศรีวิชัย", "7")}, ...}."""
    text = to_arabic_digits(text or "")
    found: dict[str, frozenset[tuple[str, str]]] = {}
    for kind, pattern in _NAMED:
        refs = set()
        for match in pattern.finditer(text):
            groups = match.groups()
            name, number = (groups[0], groups[1] or "") if kind == "lane" else ("", groups[0])
            if name or number:
                refs.add((name, str(int(number)) if number else ""))
        if refs:
            found[kind] = frozenset(refs)
    return found


def _same_place(a: tuple[str, str], b: tuple[str, str]) -> bool:
    if a[1] and b[1]:
        return a[1] == b[1]  # numbers, when both give one (ซอย 7 is ซอยศรีวิชัย 7)
    return bool(a[0]) and a[0] == b[0]


def name_other_places(a: dict, b: dict) -> bool:
    """Whether two texts name villages, lanes or land titles of one kind, and none alike."""
    return any(not any(_same_place(x, y) for x in a[kind] for y in b[kind]) for kind in a.keys() & b.keys())


# --- Addresses --------------------------------------------------------------------------

_HOUSE = re.compile(r"(?:บ้าน\s*)?เลขที่\s*(\d+(?:\s*/\s*\d+)?)|^\s*(\d+(?:\s*/\s*\d+)?)(?!\d)")
_MOO = re.compile(r"หมู่\s*(?:ที่\s*)?(\d+)")
_TAMBON = re.compile(r"(?:ตำบล|แขวง)\s*([^\s\d,]+)")
_AMPHOE = re.compile(r"(?:อำเภอ|เขต)\s*([^\s\d,]+)")


@dataclass(frozen=True)
class Address:
    house: str = ""  # 82/1
    moo: str = ""  # 7
    tambon: str = ""
    amphoe: str = ""

    @classmethod
    def read(cls, text: str) -> Address:
        """Read the house number, village (หมู่/ม.), sub-district (ตำบล/ต./แขวง) and district
        (อำเภอ/อ./เขต) out of a Thai address; the parts not found stay empty."""
        text = expand_abbreviations(text, scopes=("place",))

        def first(pattern: re.Pattern) -> str:
            match = pattern.search(text)
            return next((g for g in match.groups() if g), "") if match else ""

        return cls(
            house=re.sub(r"\s+", "", first(_HOUSE)),
            moo=str(int(first(_MOO))) if first(_MOO) else "",
            tambon=first(_TAMBON),
            amphoe=first(_AMPHOE),
        )

    @property
    def key(self) -> str:
        """The house: its number with its village and sub-district; "" when the address
        does not say which house."""
        if not self.house or not (self.moo or self.tambon):
            return ""
        return f"{self.house}|{self.moo}|{self.tambon}"

    def same_house(self, other: Address) -> bool:
        """Whether both say the same house (the district, when both give one, agrees too)."""
        if not self.key or self.key != other.key:
            return False
        return not (self.amphoe and other.amphoe and self.amphoe != other.amphoe)
