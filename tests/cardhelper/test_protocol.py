"""The card helper reads a Thai national ID card through its public APDU sequence: tried
against the simulated card, which answers as the cards in circulation do (TIS-620 text,
61xx then GET RESPONSE in either variant, answers in pieces), and against a stand-in for
pyscard. No database, no Django: the helper runs on a PC without the project."""

import random
import sys
import types

import pytest

from cardhelper import protocol
from cardhelper.pcsc import PcscReader
from cardhelper.protocol import (
    GET_RESPONSE,
    NoCard,
    NoReader,
    ReadFailed,
    decode_text,
    parse_address,
    parse_be_date,
    read_card,
)
from cardhelper.simulated import ATR_P2_01, DEMO_PERSON, Person, SimulatedCard, SimulatedReader, card_memory
from core.thai import national_id_check_digit


def get_responses(card: SimulatedCard) -> list[list[int]]:
    return [apdu for apdu in card.log if apdu[:3] == GET_RESPONSE]


def test_the_demo_card_reads_whole():
    card = SimulatedCard()

    data = read_card(card.transmit, atr=card.atr)

    assert data.national_id == DEMO_PERSON.national_id
    assert (data.title, data.first_name, data.middle_name, data.last_name) == ("นางสาว", "สมใจ", "", "ทองดี")
    assert (data.title_en, data.first_name_en, data.last_name_en) == ("Miss", "Somjai", "Thongdee")
    assert data.birth_date == "1987-01-15" and data.birth_year == 1987  # BE 2530
    assert data.gender == "female"
    assert data.issue_date == "2022-03-01" and data.expiry_date == "2031-01-14"
    assert data.address.full == "99/9 หมู่ที่ 3 ถนนเพชรเกษม ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert (data.address.subdistrict, data.address.district, data.address.province) == (
        "ตำบลหน้าเมือง",
        "อำเภอเมืองราชบุรี",
        "จังหวัดราชบุรี",
    )
    # The sequence: SELECT the applet first, then READ BINARY commands, each answered by GET RESPONSE.
    assert card.log[0] == [0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01]
    assert [0x80, 0xB0, 0x00, 0x04, 0x02, 0x00, 0x0D] in card.log
    assert [0x80, 0xB0, 0x15, 0x79, 0x02, 0x00, 0x64] in card.log
    assert [0x80, 0xB0, 0x01, 0x67, 0x02, 0x00, 0x12] in card.log
    assert {apdu[3] for apdu in get_responses(card)} == {0x00}


def test_the_answer_as_json_carries_the_address_as_one_line_and_its_parts():
    data = SimulatedReader(SimulatedCard()).read().as_json()

    assert data["address"].startswith("99/9 หมู่ที่ 3")
    assert data["address_parts"]["house_no"] == "99/9"
    assert data["address_parts"]["moo"] == "หมู่ที่ 3"
    assert set(data) >= {"national_id", "title", "first_name", "last_name", "birth_date", "address", "gender"}


def test_text_on_the_card_is_tis_620_padded_with_spaces():
    memory = card_memory(DEMO_PERSON)
    assert memory[0x0011 : 0x0011 + 30].startswith("นางสาว#สมใจ".encode("tis-620"))
    assert memory[0x0011 + 99] == 0x20  # padding

    assert decode_text([0xB9, 0xD2, 0xC2, 0x20, 0x20, 0x00]) == "นาย"
    assert decode_text([0xA0]) == "\N{REPLACEMENT CHARACTER}"  # not TIS-620: shown, for the officer to correct


def test_a_card_whose_atr_begins_3b_67_is_asked_with_00_c0_00_01():
    card = SimulatedCard(atr=ATR_P2_01)

    assert read_card(card.transmit, atr=card.atr).national_id == DEMO_PERSON.national_id

    assert {apdu[3] for apdu in get_responses(card)} == {0x01}


def test_without_the_atr_the_other_variant_is_tried_once_and_kept():
    card = SimulatedCard(atr=ATR_P2_01)

    assert read_card(card.transmit, atr=None).first_name == "สมใจ"

    variants = [apdu[3] for apdu in get_responses(card)]
    assert variants[0] == 0x00 and set(variants[1:]) == {0x01}  # refused once (6A 86), then 01 throughout


def test_an_answer_handed_over_in_pieces_is_joined():
    card = SimulatedCard(chunk=7)

    data = read_card(card.transmit, atr=card.atr)

    assert data.last_name == "ทองดี" and data.address.province == "จังหวัดราชบุรี"
    assert len(get_responses(card)) > 50  # 100-byte fields in 7-byte pieces: 15 each


def test_a_card_that_answers_at_once_needs_no_get_response():
    card = SimulatedCard(chained=False)

    assert read_card(card.transmit, atr=card.atr).national_id == DEMO_PERSON.national_id
    assert get_responses(card) == []


def test_6cxx_resends_with_the_length_the_card_asks():
    card = SimulatedCard(chained=False)
    sent = []

    def transmit(apdu):
        sent.append(apdu)
        if apdu[:2] == [0x80, 0xB0] and apdu[-1] == 0x0D and len([a for a in sent if a == apdu]) == 1:
            return [], 0x6C, 0x0D  # first try: "wrong length, use 0D"
        return card.transmit(apdu)

    assert read_card(transmit).national_id == DEMO_PERSON.national_id
    assert sent.count([0x80, 0xB0, 0x00, 0x04, 0x02, 0x00, 0x0D]) == 2


def test_an_id_whose_check_digit_is_wrong_is_refused_not_filled_in():
    good = DEMO_PERSON.national_id
    bad = good[:12] + str((int(good[12]) + 1) % 10)
    card = SimulatedCard(Person(national_id=bad))

    with pytest.raises(ReadFailed) as refused:
        read_card(card.transmit, atr=card.atr)

    assert refused.value.code == "read_failed"
    assert "หลักตรวจสอบไม่ตรง" in refused.value.message
    assert bad not in refused.value.message  # the page never shows a misread ID


def test_a_reader_without_a_card_says_so():
    with pytest.raises(NoCard) as missing:
        SimulatedReader(card=None).read()

    assert missing.value.code == "no_card"
    assert missing.value.message == "ไม่พบบัตร กรุณาเสียบบัตรประชาชน"


def test_a_card_pulled_out_mid_read_fails_the_read_cleanly():
    card = SimulatedCard()
    original = card.transmit

    def transmit(apdu):
        if len(card.log) == 6:
            card.removed = True
        return original(apdu)

    with pytest.raises(ReadFailed) as failed:
        read_card(transmit, atr=card.atr)
    assert "ถูกดึงออก" in failed.value.message
    assert "Card was removed" in failed.value.detail


def test_another_card_than_the_thai_id_card_is_not_read():
    card = SimulatedCard(applet=[0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10])  # a bank card's applet

    with pytest.raises(ReadFailed) as refused:
        read_card(card.transmit, atr=card.atr)
    assert "ไม่ใช่บัตรประชาชน" in refused.value.message
    assert card.log == [card.log[0]]  # nothing read after the refused SELECT


def test_an_error_status_fails_the_read():
    card = SimulatedCard(chained=False)

    def transmit(apdu):
        if apdu[:4] == [0x80, 0xB0, 0x00, 0x11]:
            return [], 0x6A, 0x82
        return card.transmit(apdu)

    with pytest.raises(ReadFailed) as failed:
        read_card(transmit)
    assert failed.value.detail == "Thai name: status 6A 82"


def test_a_card_that_never_ends_its_answer_fails_the_read():
    def transmit(apdu):
        return [0x41], 0x61, 0x01

    with pytest.raises(ReadFailed):
        read_card(transmit)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25300115", ("1987-01-15", 1987)),
        ("25000000", (None, 1957)),  # the year alone: older people's cards
        ("25001300", (None, 1957)),
        ("99999999", (None, None)),  # ตลอดชีพ: a card that never expires
        ("", (None, None)),
        ("2530011", (None, None)),
        ("00000000", (None, None)),
    ],
)
def test_buddhist_era_dates(text, expected):
    assert parse_be_date(text) == expected


@pytest.mark.parametrize(
    "text, full, parts",
    [
        (
            "99/9#หมู่ที่ 3##ถนนเพชรเกษม###ตำบลหน้าเมือง#อำเภอเมืองราชบุรี#จังหวัดราชบุรี",
            "99/9 หมู่ที่ 3 ถนนเพชรเกษม ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี",
            ("99/9", "หมู่ที่ 3", "ถนนเพชรเกษม", "ตำบลหน้าเมือง", "อำเภอเมืองราชบุรี", "จังหวัดราชบุรี"),
        ),
        (
            "12#####แขวงลุมพินี#เขตปทุมวัน#กรุงเทพมหานคร",
            "12 แขวงลุมพินี เขตปทุมวัน กรุงเทพมหานคร",
            ("12", "", "", "แขวงลุมพินี", "เขตปทุมวัน", "กรุงเทพมหานคร"),
        ),
        ("5#ตำบลบ้านโป่ง", "5 ตำบลบ้านโป่ง", ("", "", "", "", "5", "ตำบลบ้านโป่ง")),
    ],
)
def test_addresses_split_on_hash(text, full, parts):
    address = parse_address(text)

    assert address.full == full
    assert (
        address.house_no,
        address.moo,
        address.street,
        address.subdistrict,
        address.district,
        address.province,
    ) == parts


def test_a_middle_name_is_kept_apart():
    card = SimulatedCard(Person(name_th="นาย#จอห์น#ปีเตอร์#สมิธ"))

    data = read_card(card.transmit, atr=card.atr)

    assert (data.title, data.first_name, data.middle_name, data.last_name) == ("นาย", "จอห์น", "ปีเตอร์", "สมิธ")


def test_the_check_digit_is_the_projects_rule():
    """The helper keeps its own copy (it runs without Django); it must not drift from core.thai."""
    rng = random.Random(11)
    for _ in range(2000):
        first_twelve = "".join(rng.choice("0123456789") for _ in range(12))
        assert protocol.national_id_check_digit(first_twelve) == national_id_check_digit(first_twelve)


# --- the PC/SC reader, with a stand-in for pyscard -------------------------------------------


class FakeConnection:
    def __init__(self, card: SimulatedCard | None):
        self.card = card
        self.disconnected = False

    def connect(self):
        if self.card is None:
            raise sys.modules["smartcard.Exceptions"].NoCardException("Unable to connect: no card")

    def getATR(self):  # noqa: N802 - pyscard's name
        return self.card.atr

    def transmit(self, apdu):
        return self.card.transmit(apdu)

    def disconnect(self):
        self.disconnected = True


class FakeReader:
    def __init__(self, name, card=None):
        self.name, self.connection = name, FakeConnection(card)

    def createConnection(self):  # noqa: N802 - pyscard's name
        return self.connection

    def __str__(self):
        return self.name


@pytest.fixture
def pyscard(monkeypatch):
    """A stand-in for pyscard's modules; ``pyscard.readers`` is what ``readers()`` returns."""
    exceptions = types.ModuleType("smartcard.Exceptions")
    exceptions.NoCardException = type("NoCardException", (Exception,), {})
    exceptions.CardConnectionException = type("CardConnectionException", (Exception,), {})
    system = types.ModuleType("smartcard.System")
    state = types.SimpleNamespace(readers=[], error=None)

    def readers():
        if state.error:
            raise state.error
        return state.readers

    system.readers = readers
    monkeypatch.setitem(sys.modules, "smartcard", types.ModuleType("smartcard"))
    monkeypatch.setitem(sys.modules, "smartcard.Exceptions", exceptions)
    monkeypatch.setitem(sys.modules, "smartcard.System", system)
    return state


def test_the_first_reader_holding_a_card_is_read_then_released(pyscard):
    empty, holding = FakeReader("ACS ACR39U 00"), FakeReader("ACS ACR39U 01", SimulatedCard(atr=ATR_P2_01))
    pyscard.readers = [empty, holding]

    assert PcscReader().read().national_id == DEMO_PERSON.national_id
    assert holding.connection.disconnected


def test_a_reader_is_chosen_by_name(pyscard):
    pyscard.readers = [FakeReader("Alcor", SimulatedCard()), FakeReader("ACS", SimulatedCard())]

    PcscReader("acs").read()

    assert pyscard.readers[1].connection.card.log and not pyscard.readers[0].connection.card.log


def test_readers_without_a_card(pyscard):
    pyscard.readers = [FakeReader("ACS ACR39U 00")]

    with pytest.raises(NoCard):
        PcscReader().read()


def test_no_reader_plugged_in(pyscard):
    with pytest.raises(NoReader) as missing:
        PcscReader().read()
    assert missing.value.message == "ไม่พบเครื่องอ่านบัตร กรุณาต่อเครื่องอ่านบัตรแล้วลองอีกครั้ง"


def test_no_smart_card_service_running(pyscard):
    pyscard.error = RuntimeError("EstablishContext: Service not available")

    with pytest.raises(NoReader) as missing:
        PcscReader().read()
    assert "Service not available" in missing.value.detail


def test_without_pyscard_installed_the_page_hears_no_reader(monkeypatch):
    monkeypatch.setitem(sys.modules, "smartcard", None)  # import smartcard → ImportError
    monkeypatch.setitem(sys.modules, "smartcard.System", None)

    with pytest.raises(NoReader) as missing:
        PcscReader().read()
    assert "pip install -r cardhelper/requirements.txt" in missing.value.detail
