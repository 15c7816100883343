"""Alice reads the complainant's ID card at intake: the card helper runs beside the browser
(here in a thread, with a simulated card, on a free port of 127.0.0.1), the page pairs with it
once, the button fills the row, and the case is saved with what the card said. Without a card
or without the helper, the row says so and she types instead."""

import re
import socket
import threading
import types

import pytest
from playwright.sync_api import expect

from cardhelper.server import CardHelper, TokenStore, make_server
from cardhelper.simulated import DEMO_PERSON, SimulatedCard, SimulatedReader
from cases.models import Complaint
from tests.browser.axe import violations
from tests.browser.conftest import ARTIFACTS, field
from tests.browser.test_intake_browser import fill_the_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "99/9 หมู่ที่ 3 ถนนเพชรเกษม ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี"
GREEN = re.compile(r"\bborder-success\b")


@pytest.fixture
def card_helper(live_server, settings, tmp_path):
    """The helper for this site, with a card in its simulated reader; the site points at it."""
    reader = SimulatedReader(SimulatedCard())
    helper = CardHelper(reader=reader, origins=[live_server.url], tokens=TokenStore(tmp_path / "tokens.json"))
    server = make_server(helper, port=0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.CARD_HELPER_URL = server.url
    yield types.SimpleNamespace(helper=helper, reader=reader, url=server.url)
    server.shutdown()
    server.server_close()


def row_field(page, index: int, name: str):
    return page.locator(f"[name='complainant-{index}-{name}']")


def test_alice_pairs_once_reads_the_card_checks_it_and_saves_the_case(open_as, alice, card_helper):
    page = open_as(alice)
    page.goto("/cases/new/")
    read = page.get_by_role("button", name="อ่านบัตรประชาชน")
    expect(read).to_have_count(1)

    # The first time, the page asks for the code the helper shows.
    read.click()
    expect(page.get_by_text("เครื่องนี้ยังไม่ได้จับคู่กับโปรแกรมอ่านบัตร")).to_be_visible()
    code = page.get_by_label("รหัสจับคู่ 6 หลัก").first
    expect(code).to_be_focused()
    code.fill("1234")
    page.get_by_role("button", name="จับคู่และอ่านบัตร").click()
    expect(page.get_by_text("กรุณากรอกรหัสจับคู่เป็นตัวเลข 6 หลัก")).to_be_visible()
    wrong = f"{(int(card_helper.helper.pairing.code) + 1) % 10**6:06d}"
    code.fill(wrong)
    code.press("Enter")  # pairs; the intake form is not sent
    expect(page.get_by_text("รหัสจับคู่ไม่ถูกต้อง")).to_be_visible()
    assert Complaint.objects.count() == 0
    code.fill(card_helper.helper.pairing.code)
    page.get_by_role("button", name="จับคู่และอ่านบัตร").click()

    # The row is filled from the card, and framed green.
    expect(page.get_by_text("กรอกจากบัตรแล้ว")).to_be_visible()
    expect(code).to_be_hidden()
    expected = {
        "national_id": DEMO_PERSON.national_id,
        "title": "นางสาว",
        "first_name": "สมใจ",
        "last_name": "ทองดี",
        "address": ADDRESS,
    }
    for name, value in expected.items():
        expect(row_field(page, 0, name)).to_have_value(value)
        expect(row_field(page, 0, name)).to_have_class(GREEN)
    expect(row_field(page, 0, "phone")).to_have_value("")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-formset=complainant]").screenshot(path=str(ARTIFACTS / "intake-idcard-filled.png"))

    # She corrects the address: it is hers now, no longer framed.
    row_field(page, 0, "address").fill("99/9 หมู่ 3 ต.หน้าเมือง อ.เมืองราชบุรี จ.ราชบุรี")
    expect(row_field(page, 0, "address")).not_to_have_class(GREEN)
    expect(row_field(page, 0, "last_name")).to_have_class(GREEN)

    # A second complainant's row has its own button; the browser stays paired.
    page.get_by_role("button", name="เพิ่มผู้ร้อง").click()
    page.get_by_role("button", name="อ่านบัตรประชาชน").nth(1).click()
    expect(row_field(page, 1, "first_name")).to_have_value("สมใจ")
    expect(page.get_by_label("รหัสจับคู่ 6 หลัก").nth(1)).to_be_hidden()
    page.get_by_test_id("remove-complainant").nth(1).click()
    assert len(card_helper.helper.tokens) == 1

    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(page, "เรื่อง").fill("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(page, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง")
    field(page, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")

    complainant = Complaint.objects.get().complainants.get()
    assert (complainant.national_id, complainant.title, complainant.first_name, complainant.last_name) == (
        DEMO_PERSON.national_id,
        "นางสาว",
        "สมใจ",
        "ทองดี",
    )
    assert complainant.address == "99/9 หมู่ 3 ต.หน้าเมือง อ.เมืองราชบุรี จ.ราชบุรี"


def test_without_a_card_or_a_pairing_the_row_says_so_and_alice_types(open_as, alice, card_helper):
    page = open_as(alice)
    page.goto("/cases/new/")
    read = page.get_by_role("button", name="อ่านบัตรประชาชน")
    read.click()
    page.get_by_label("รหัสจับคู่ 6 หลัก").fill(card_helper.helper.pairing.code)
    page.get_by_role("button", name="จับคู่และอ่านบัตร").click()
    expect(row_field(page, 0, "national_id")).to_have_value(DEMO_PERSON.national_id)

    # The card is taken out: the row says to insert it, and what was filled stays.
    card_helper.reader.card = None
    read.click()
    expect(page.get_by_text("ไม่พบบัตร กรุณาเสียบบัตรประชาชนแล้วกดอ่านอีกครั้ง")).to_be_visible()
    expect(row_field(page, 0, "first_name")).to_have_value("สมใจ")

    # The helper forgot its browsers (--unpair): the page asks for a new code.
    card_helper.helper.tokens.clear()
    read.click()
    expect(page.get_by_text("การจับคู่เดิมใช้ไม่ได้แล้ว")).to_be_visible()
    expect(page.get_by_label("รหัสจับคู่ 6 หลัก")).to_be_visible()
    assert violations(page) == []  # the row, its messages and the code field read right to a screen reader
    page.set_viewport_size({"width": 390, "height": 900})  # on a phone-sized window too, nothing overflows
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-formset=complainant]").screenshot(path=str(ARTIFACTS / "intake-idcard-pairing-390.png"))
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cardhelper-token'))") == []

    # She types instead, and saves.
    row_field(page, 0, "national_id").fill("")
    fill_the_complaint(page)
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    assert Complaint.objects.get().complainants.get().national_id == ""


def test_without_the_helper_running_nothing_breaks(open_as, alice, settings):
    with socket.socket() as probe:  # a port of 127.0.0.1 nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.CARD_HELPER_URL = f"http://127.0.0.1:{closed}"
    page = open_as(alice)
    page.goto("/cases/new/")

    page.get_by_role("button", name="อ่านบัตรประชาชน").click()

    expect(page.get_by_text("ติดต่อโปรแกรมอ่านบัตรบนเครื่องนี้ไม่ได้")).to_be_visible()
    expect(page.get_by_label("รหัสจับคู่ 6 หลัก")).to_be_hidden()
    expect(page.get_by_role("button", name="อ่านบัตรประชาชน")).to_be_enabled()
    fill_the_complaint(page)
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
