"""Read a Thai national ID card: the public APDU sequence of its personal-data applet.

The card is reached through one callable, ``transmit(apdu) -> (data, sw1, sw2)``, which is
exactly pyscard's ``CardConnection.transmit``: the same code reads a real card
(``cardhelper.pcsc``) and the simulated one the tests and demos use (``cardhelper.simulated``).

The sequence, as published by the card's users (not by the issuer):

- SELECT the applet ``A0 00 00 00 54 48 00 01``;
- READ BINARY ``80 B0 <offset> 02 00 <length>`` for each field; the card answers ``61 xx``
  ("xx bytes waiting") and hands the bytes over on GET RESPONSE ``00 C0 00 00 xx``. Cards whose
  ATR begins ``3B 67`` want ``00 C0 00 01 xx`` instead; we start with the variant the ATR asks
  for and switch once if the card refuses it, so a reader that hides the ATR still works.
- Text is TIS-620, padded with spaces; names are ``title#first#middle#last``, the address
  ``house#moo#lane#road#...#subdistrict#district#province``; dates are Buddhist-era YYYYMMDD,
  with ``00`` for an unknown month or day (older people's birth dates).

This module imports nothing beyond the standard library: it runs on the officer's PC, where
the project (Django) is not installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

Transmit = Callable[[list[int]], tuple[Sequence[int], int, int]]

APPLET = [0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01]
SELECT = [0x00, 0xA4, 0x04, 0x00, len(APPLET), *APPLET]


def read_binary(offset: int, length: int) -> list[int]:
    """READ BINARY of ``length`` bytes at ``offset`` of the applet's data."""
    return [0x80, 0xB0, offset >> 8, offset & 0xFF, 0x02, 0x00, length]


# (offset, length) of each field read; lengths are those every published reader uses.
CID = read_binary(0x0004, 0x0D)
NAME_TH = read_binary(0x0011, 0x64)
NAME_EN = read_binary(0x0075, 0x64)
BIRTH_DATE = read_binary(0x00D9, 0x08)
GENDER = read_binary(0x00E1, 0x01)
ADDRESS = read_binary(0x1579, 0x64)
# Issue date (8 bytes) then expiry date (8 bytes), read together.
ISSUE_EXPIRY = read_binary(0x0167, 0x12)

GET_RESPONSE = [0x00, 0xC0, 0x00]  # + P2 (0x00, or 0x01 for cards with ATR 3B 67) + Le
ATR_WANTS_P2_01 = (0x3B, 0x67)

OK = (0x90, 0x00)
MORE_DATA = 0x61  # 61 xx: xx bytes wait for GET RESPONSE
WRONG_LENGTH = 0x6C  # 6C xx: send the command again with Le = xx
# A card never chains answers without end; a broken one might.
MAX_ROUNDS = 16

GENDERS = {"1": "male", "2": "female"}


class CardError(Exception):
    """A read that did not give a card's data; ``code`` is what the intake page shows."""

    code = "read_failed"
    default_message = "อ่านบัตรไม่สำเร็จ กรุณาถอดบัตรแล้วเสียบใหม่ หรือพิมพ์ข้อมูลเอง"

    def __init__(self, message: str = "", *, detail: str = ""):
        self.message = message or self.default_message
        self.detail = detail  # for the helper's log (status words, the reader's error), never the page
        super().__init__(f"{self.code}: {self.message}" + (f" ({detail})" if detail else ""))


class NoReader(CardError):
    code = "no_reader"
    default_message = "ไม่พบเครื่องอ่านบัตร กรุณาต่อเครื่องอ่านบัตรแล้วลองอีกครั้ง"


class NoCard(CardError):
    code = "no_card"
    default_message = "ไม่พบบัตร กรุณาเสียบบัตรประชาชน"


class ReadFailed(CardError):
    code = "read_failed"


@dataclass(frozen=True)
class Address:
    house_no: str = ""
    moo: str = ""
    street: str = ""  # lane (ตรอก/ซอย) and road, as printed
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    full: str = ""  # every part, in order, one space apart: what the intake form's field takes


@dataclass(frozen=True)
class CardData:
    national_id: str
    title: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    title_en: str = ""
    first_name_en: str = ""
    middle_name_en: str = ""
    last_name_en: str = ""
    birth_date: str | None = None  # ISO (Common Era); None when the card keeps only the year
    birth_year: int | None = None  # Common Era
    gender: str = ""  # male | female | ""
    address: Address = field(default_factory=Address)
    issue_date: str | None = None
    expiry_date: str | None = None

    def as_json(self) -> dict:
        """The helper's answer to ``GET /card``: the address as one line, its parts beside it."""
        data = asdict(self)
        parts = data.pop("address")
        data["address"] = parts.pop("full")
        data["address_parts"] = parts
        return data


# --- the 13-digit check ----------------------------------------------------------------
# A copy of core.thai.national_id_check_digit: the helper runs on a PC without the project
# (and without Django, which core.thai imports), so it cannot import it. The rule is the
# Department of Provincial Administration's and does not change; tests/cardhelper checks
# that the two agree.


def national_id_check_digit(first_twelve: str) -> int:
    """Return the mod-11 check digit for the first twelve digits of a national ID."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first_twelve))
    return (11 - total % 11) % 10


def is_valid_national_id(value: str) -> bool:
    return (
        len(value) == 13
        and value.isascii()
        and value.isdigit()
        and national_id_check_digit(value[:12]) == int(value[12])
    )


# --- decoding ----------------------------------------------------------------------------


def decode_text(data: Sequence[int]) -> str:
    """TIS-620 bytes to text, without the padding (spaces, NULs) the card keeps fields in."""
    # errors="replace": a byte outside TIS-620 (0xA0, 0xDB-0xDE, 0xFC-0xFF) shows as "�"
    # for the officer to correct, rather than failing the whole read.
    return bytes(data).decode("tis-620", errors="replace").strip(" \x00")


def split_hash(text: str, count: int) -> list[str]:
    """``a#b#c`` → ``[a, b, c, "", …]`` (``count`` items, each stripped; extra ones joined in the last)."""
    parts = [part.strip() for part in text.split("#")]
    if len(parts) > count:
        parts = [*parts[: count - 1], " ".join(p for p in parts[count - 1 :] if p)]
    return parts + [""] * (count - len(parts))


def parse_name(text: str) -> tuple[str, str, str, str]:
    """``นาย#สมชาย##ใจดี`` → (title, first, middle, last)."""
    title, first, middle, last = split_hash(text, 4)
    return title, first, middle, last


def parse_address(text: str) -> Address:
    """``99/9#หมู่ที่ 3#ซอยสุขใจ#ถนนสุขุมวิท###ตำบล…#อำเภอ…#จังหวัด…`` → its parts.

    The last three parts are the subdistrict, district and province, whatever the
    number of lane and road parts before them (cards differ in how many they keep)."""
    parts = [part.strip() for part in text.split("#")]
    head, tail = parts[:-3], parts[-3:]
    tail = [""] * (3 - len(tail)) + tail
    house_no = head[0] if head else ""
    moo = head[1] if len(head) > 1 else ""
    street = " ".join(p for p in head[2:] if p)
    full = " ".join(p for p in parts if p)
    return Address(house_no, moo, street, *tail, full=full)


def parse_be_date(text: str) -> tuple[str | None, int | None]:
    """Buddhist-era ``YYYYMMDD`` → (ISO date in the Common Era or None, the Common-Era year or None).

    ``25000000``: year known, day not (the card says 00): (None, 1957). ``99999999`` is what
    cards of people with no expiry ("ตลอดชีพ") carry: (None, None)."""
    text = text.strip()
    if len(text) != 8 or not text.isdigit() or text == "99999999":
        return None, None
    year = int(text[:4]) - 543
    try:
        return dt.date(year, int(text[4:6]), int(text[6:8])).isoformat(), year
    except ValueError:
        return None, year if 1 <= year <= 9999 else None


# --- the conversation with the card --------------------------------------------------------


class _Session:
    """One card, one read: remembers which GET RESPONSE variant the card takes."""

    def __init__(self, transmit: Transmit, atr: Sequence[int] | None):
        self.transmit = transmit
        self.p2 = 0x01 if atr is not None and tuple(atr[:2]) == ATR_WANTS_P2_01 else 0x00
        self.p2_confirmed = False

    def send(self, apdu: list[int]) -> tuple[list[int], int, int]:
        try:
            data, sw1, sw2 = self.transmit(list(apdu))
        except Exception as error:  # the reader's own errors: a card pulled out mid-read, a reset
            raise ReadFailed(
                "อ่านบัตรไม่สำเร็จ บัตรอาจถูกดึงออกระหว่างอ่าน กรุณาเสียบบัตรใหม่แล้วลองอีกครั้ง",
                detail=f"{type(error).__name__}: {error}",
            ) from error
        return list(data), sw1, sw2

    def get_response(self, length: int) -> tuple[list[int], int, int]:
        data, sw1, sw2 = self.send([*GET_RESPONSE, self.p2, length])
        if not self.p2_confirmed and sw1 not in (0x90, MORE_DATA, WRONG_LENGTH):
            # The card refuses this variant (6A 86, 6B 00, 6D 00…): try the other one once.
            self.p2 ^= 0x01
            data, sw1, sw2 = self.send([*GET_RESPONSE, self.p2, length])
        if sw1 in (0x90, MORE_DATA):
            self.p2_confirmed = True
        return data, sw1, sw2

    def command(self, apdu: list[int], *, what: str) -> list[int]:
        """Send ``apdu``; return its data, following 61xx (GET RESPONSE) and 6Cxx (wrong Le)."""
        data, sw1, sw2 = self.send(apdu)
        collected = list(data)
        for _ in range(MAX_ROUNDS):
            if sw1 == MORE_DATA:
                data, sw1, sw2 = self.get_response(sw2)
            elif sw1 == WRONG_LENGTH:
                data, sw1, sw2 = self.send([*apdu[:-1], sw2])
            else:
                break
            collected.extend(data)
        if (sw1, sw2) != OK:
            raise ReadFailed(detail=f"{what}: status {sw1:02X} {sw2:02X}")
        return collected


def read_card(transmit: Transmit, *, atr: Sequence[int] | None = None) -> CardData:
    """Read the personal data of the Thai national ID card behind ``transmit``.

    Raises ``ReadFailed`` when the card is not a Thai ID card, answers wrongly, or carries
    an ID whose check digit is wrong (a misread: better typed than filled in wrong)."""
    session = _Session(transmit, atr)
    data, sw1, sw2 = session.send(SELECT)
    if sw1 == MORE_DATA:
        session.get_response(sw2)  # the applet's FCI: not needed, but some cards want it taken
    elif (sw1, sw2) != OK:
        raise ReadFailed(
            "บัตรนี้ไม่ใช่บัตรประชาชน หรือเครื่องอ่านไม่รู้จักบัตร กรุณาตรวจสอบบัตร",
            detail=f"SELECT: status {sw1:02X} {sw2:02X}",
        )

    national_id = decode_text(session.command(CID, what="CID"))
    if not is_valid_national_id(national_id):
        raise ReadFailed(
            "เลขประจำตัวประชาชนที่อ่านได้ไม่ถูกต้อง (หลักตรวจสอบไม่ตรง) กรุณาเสียบบัตรใหม่ หรือพิมพ์ข้อมูลเอง",
            detail=f"CID {national_id!r}",
        )
    title, first, middle, last = parse_name(decode_text(session.command(NAME_TH, what="Thai name")))
    title_en, first_en, middle_en, last_en = parse_name(decode_text(session.command(NAME_EN, what="English name")))
    birth_date, birth_year = parse_be_date(decode_text(session.command(BIRTH_DATE, what="birth date")))
    gender = GENDERS.get(decode_text(session.command(GENDER, what="gender")), "")
    address = parse_address(decode_text(session.command(ADDRESS, what="address")))
    dates = decode_text(session.command(ISSUE_EXPIRY, what="issue and expiry dates"))
    issue_date, _ = parse_be_date(dates[:8])
    expiry_date, _ = parse_be_date(dates[8:16])
    return CardData(
        national_id=national_id,
        title=title,
        first_name=first,
        middle_name=middle,
        last_name=last,
        title_en=title_en,
        first_name_en=first_en,
        middle_name_en=middle_en,
        last_name_en=last_en,
        birth_date=birth_date,
        birth_year=birth_year,
        gender=gender,
        address=address,
        issue_date=issue_date,
        expiry_date=expiry_date,
    )
