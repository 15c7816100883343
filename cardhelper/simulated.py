"""A simulated Thai national ID card and reader, for the tests and for demos (``--simulate``).

The card keeps a person's record where a real card keeps it (the offsets the read commands
name), TIS-620 encoded and padded with spaces, and answers APDUs the way the T=0 cards in
circulation do: SELECT and READ BINARY answer ``61 xx``, and the bytes come on GET RESPONSE,
``00 C0 00 00 xx`` or, for a card whose ATR begins ``3B 67``, ``00 C0 00 01 xx`` (the other
variant is refused with ``6A 86``). ``chunk`` makes it hand long answers over in pieces
(``61 xx`` again after each), ``chained=False`` answers with the data at once (a T=1 card, or a
reader driver that fetches the response itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cardhelper.protocol import APPLET, CardData, NoCard, national_id_check_digit, read_card

# ATRs of the two kinds of cards: the variant of GET RESPONSE depends on it.
ATR_P2_00 = [0x3B, 0x78, 0x18, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01, 0x00, 0x00]
ATR_P2_01 = [0x3B, 0x67, 0x00, 0x00, 0x73, 0x20, 0x00, 0x6C, 0x68, 0x90, 0x00]

MEMORY_SIZE = 0x1579 + 0x64 + 0x20

SW_OK = (0x90, 0x00)
SW_WRONG_P1P2 = (0x6A, 0x86)
SW_FILE_NOT_FOUND = (0x6A, 0x82)
SW_NOT_SELECTED = (0x69, 0x85)
SW_UNKNOWN_INS = (0x6D, 0x00)
SW_UNKNOWN_CLA = (0x6E, 0x00)


def make_national_id(first_twelve: str) -> str:
    return first_twelve + str(national_id_check_digit(first_twelve))


def be_date(value: dt.date | None) -> str:
    """A date as the card keeps it: Buddhist-era YYYYMMDD."""
    return f"{value.year + 543:04d}{value.month:02d}{value.day:02d}" if value else "99999999"


@dataclass
class Person:
    """What a card says about its holder. Fields hold the text exactly as the card does."""

    national_id: str = make_national_id("310170020345")
    name_th: str = "นางสาว#สมใจ##ทองดี"
    name_en: str = "Miss#Somjai##Thongdee"
    birth_date: str = "25300115"  # BE YYYYMMDD; "25000000" for a year alone
    gender: str = "2"
    address: str = "99/9#หมู่ที่ 3##ถนนเพชรเกษม###ตำบลหน้าเมือง#อำเภอเมืองราชบุรี#จังหวัดราชบุรี"
    issue_date: str = "25650301"
    expiry_date: str = "25740114"
    issuer: str = "อำเภอเมืองราชบุรี/ราชบุรี"


DEMO_PERSON = Person()


def _put(memory: bytearray, offset: int, length: int, text: str) -> None:
    raw = text.encode("tis-620")
    if len(raw) > length:
        raise ValueError(f"{text!r} does not fit in {length} bytes")
    memory[offset : offset + length] = raw.ljust(length, b" ")


def card_memory(person: Person) -> bytes:
    """The applet's data as a card keeps it: each field at its offset, padded with spaces."""
    memory = bytearray(b"\x00" * MEMORY_SIZE)
    _put(memory, 0x0000, 4, "0001")  # the version the card reports; never read by the helper
    _put(memory, 0x0004, 13, person.national_id)
    _put(memory, 0x0011, 100, person.name_th)
    _put(memory, 0x0075, 100, person.name_en)
    _put(memory, 0x00D9, 8, person.birth_date)
    _put(memory, 0x00E1, 1, person.gender)
    _put(memory, 0x00F6, 100, person.issuer)
    _put(memory, 0x0167, 8, person.issue_date)
    _put(memory, 0x016F, 8, person.expiry_date)
    _put(memory, 0x1579, 100, person.address)
    return bytes(memory)


class SimulatedCard:
    """A card answering APDUs from a ``Person``; ``log`` keeps every APDU it was sent."""

    def __init__(
        self,
        person: Person = DEMO_PERSON,
        *,
        atr: list[int] | None = None,
        chained: bool = True,
        chunk: int = 256,
        applet: list[int] | None = None,
    ):
        self.memory = card_memory(person)
        self.atr = list(atr or ATR_P2_00)
        self.p2 = 0x01 if self.atr[:2] == [0x3B, 0x67] else 0x00
        self.chained = chained
        self.chunk = chunk
        self.applet = list(applet or APPLET)
        self.selected = False
        self.pending = b""
        self.log: list[list[int]] = []
        self.removed = False

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]:
        """pyscard's ``CardConnection.transmit``: APDU in, (data, SW1, SW2) out."""
        self.log.append(list(apdu))
        if self.removed:
            raise OSError("Card was removed.")  # what a reader reports when the card leaves mid-read
        cla, ins = apdu[0], apdu[1]
        if cla == 0x00 and ins == 0xA4:
            return self._select(apdu)
        if cla == 0x00 and ins == 0xC0:
            return self._get_response(apdu)
        if cla == 0x80 and ins == 0xB0:
            return self._read_binary(apdu)
        if cla not in (0x00, 0x80):
            return [], *SW_UNKNOWN_CLA
        return [], *SW_UNKNOWN_INS

    def _answer(self, data: bytes) -> tuple[list[int], int, int]:
        if not self.chained:
            return list(data), *SW_OK
        self.pending = data
        return [], 0x61, len(data) & 0xFF

    def _select(self, apdu):
        self.pending = b""
        if apdu[2:4] != [0x04, 0x00] or apdu[5 : 5 + apdu[4]] != self.applet:
            self.selected = False
            return [], *SW_FILE_NOT_FOUND
        self.selected = True
        # The FCI: what a card says about the selected applet (not used by the helper).
        return self._answer(bytes([0x6F, 0x08, *self.applet]))

    def _read_binary(self, apdu):
        if not self.selected:
            return [], *SW_NOT_SELECTED
        if len(apdu) != 7 or apdu[4] != 0x02:
            return [], *SW_WRONG_P1P2
        offset, length = (apdu[2] << 8) | apdu[3], apdu[6] or 256
        if offset + length > len(self.memory):
            return [], *SW_WRONG_P1P2
        return self._answer(self.memory[offset : offset + length])

    def _get_response(self, apdu):
        if apdu[2] != 0x00 or apdu[3] != self.p2:
            return [], *SW_WRONG_P1P2
        if not self.pending:
            return [], *SW_NOT_SELECTED
        asked = apdu[4] if len(apdu) > 4 and apdu[4] else 256
        given = min(asked, self.chunk, len(self.pending))
        data, self.pending = self.pending[:given], self.pending[given:]
        if self.pending:
            return list(data), 0x61, min(len(self.pending), 256) & 0xFF
        return list(data), *SW_OK


class SimulatedReader:
    """A reader holding ``card`` (None: an empty reader); ``read`` is what the server calls."""

    name = "Simulated Thai ID card reader"

    def __init__(self, card: SimulatedCard | None = None):
        self.card = card

    def read(self) -> CardData:
        if self.card is None:
            raise NoCard()
        return read_card(self.card.transmit, atr=self.card.atr)
