"""Complaining online in a real browser: Somchai files from a desktop and from his phone
(the proof of work solved by the page itself), Malee without JavaScript confirms by
e-mail, and Noi files anonymously from where she stands. Screenshots of the form,
its errors and the receipt at 1366 and 390 px go to var/screens/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from PIL import ExifTags, Image
from playwright.sync_api import expect

from cases.codes import format_tracking_code
from cases.models import Attachment, Complaint
from tests.browser.axe import violations
from tests.browser.conftest import TIMEOUT_MS, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


@pytest.fixture(autouse=True)
def quick_proof(settings, tmp_path, geography):
    settings.ONLINE_POW_BITS = 10  # about a thousand hashes: the page's own script solves it
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


def photo() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def choose_the_place(page) -> None:
    page.get_by_label("จังหวัด", exact=True).select_option(label="ราชบุรี")
    page.get_by_label("อำเภอ", exact=True).select_option(label="เมืองราชบุรี")
    field(page, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")


def describe_the_road(page) -> None:
    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(page, "เรื่องที่ร้องเรียน").fill("มีผู้บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(page, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง น้ำระบายไม่ได้")


@pytest.mark.parametrize("width", [1366, 390])
def test_somchai_files_with_a_photo_and_gets_his_code(page, width):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.emulate_media(reduced_motion="reduce")  # axe reads colours, not a button's fade between them
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/complain/")
    expect(page.get_by_role("heading", name="ร้องเรียนออนไลน์")).to_be_visible()
    assert violations(page) == []
    no_horizontal_scroll(page)
    screenshot(page, f"online-form-{width}")

    # An empty form: every missing field is named at the top, which takes the focus, and beside the field.
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    summary = page.get_by_test_id("form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("กรุณาอ่านและทำเครื่องหมายยินยอม"))).to_be_visible()
    expect(page.locator("#id_subject_error")).to_be_visible()
    assert violations(page) == []
    no_horizontal_scroll(page)
    screenshot(page, f"online-errors-{width}")

    describe_the_road(page)
    choose_the_place(page)
    page.locator("#id_files").set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    expect(page.get_by_text("IMG_0001.jpg (")).to_be_visible()  # the chosen file, with its size
    field(page, "ชื่อตัว").fill("สมชาย")
    field(page, "ชื่อสกุล").fill("ใจดี")
    field(page, "โทรศัพท์").fill("0812345678")
    page.get_by_label(re.compile("^ข้าพเจ้าได้อ่านแล้ว")).check()
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()

    code = page.get_by_test_id("tracking-code")
    expect(code).to_be_visible()
    case = Complaint.objects.get()
    expect(code).to_have_text(format_tracking_code(case.tracking_code))
    assert (case.channel, case.district_id, case.recorded_by) == ("online", "7001", None)
    attachment = case.attachments.get()
    assert attachment.kind == Attachment.Kind.PHOTO and b"SecretCam" not in attachment.file.read()

    page.get_by_role("button", name="คัดลอกรหัส").click()
    expect(page.get_by_text("คัดลอกรหัสแล้ว")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == format_tracking_code(case.tracking_code)
    assert violations(page) == []
    no_horizontal_scroll(page)
    screenshot(page, f"online-done-{width}")

    page.get_by_role("link", name="ติดตามเรื่องนี้").click()
    expect(page).to_have_url(re.compile(rf"/follow/{case.tracking_code}/$"))


def test_noi_files_anonymously_from_where_she_stands(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 390, "height": 844},
        geolocation={"latitude": 13.536530, "longitude": 99.817120, "accuracy": 12}, permissions=["geolocation"],
    )  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/complain/")

    # "Other" asks for its own words instead of a sub-category.
    field(page, "ประเภทเรื่องหลัก").select_option(label="เรื่องอื่นๆ")
    expect(field(page, "ประเภทเรื่องย่อย")).to_be_hidden()
    field(page, "ระบุประเภทเรื่อง (กรณีเลือก “เรื่องอื่นๆ”)").fill("ไฟฟ้าส่องสว่างดับทั้งซอย")
    field(page, "เรื่องที่ร้องเรียน").fill("ไฟถนนดับทั้งซอยมาสองสัปดาห์")
    field(page, "รายละเอียด").fill("กลางคืนมืดมาก เกรงจะเกิดอันตราย")
    choose_the_place(page)

    page.get_by_role("button", name="ใช้ตำแหน่งปัจจุบัน").click()
    expect(page.get_by_text(re.compile("ได้ตำแหน่งแล้ว"))).to_be_visible()
    expect(field(page, "ละติจูด")).to_have_value("13.536530")

    # Anonymous: no name is asked; the e-mail stays, for the code.
    page.get_by_label("ไม่ประสงค์ออกนาม").check()
    expect(field(page, "ชื่อตัว")).to_be_hidden()
    field(page, "อีเมล").fill("noi@example.com")
    page.get_by_label(re.compile("^ข้าพเจ้าได้อ่านแล้ว")).check()
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    expect(page.get_by_test_id("tracking-code")).to_be_visible()

    case = Complaint.objects.get()
    person = case.complainants.get()
    assert person.is_anonymous and person.first_name == "" and person.email == "noi@example.com"
    assert case.category_other_text == "ไฟฟ้าส่องสว่างดับทั้งซอย"
    assert (str(case.latitude), str(case.longitude)) == ("13.536530", "99.817120")
    context.close()


def test_malee_without_javascript_confirms_by_email(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/complain/")
    expect(page.get_by_test_id("no-script-notice")).to_be_visible()

    # Without script, each list follows on a press of the button beside it.
    describe_the_road(page)
    page.get_by_label("จังหวัด", exact=True).select_option(label="ราชบุรี")
    page.get_by_role("button", name="แสดงรายชื่ออำเภอ/ตำบลตามที่เลือก").click()
    page.get_by_label("อำเภอ", exact=True).select_option(label="เมืองราชบุรี")
    page.get_by_role("button", name="แสดงรายชื่ออำเภอ/ตำบลตามที่เลือก").click()
    field(page, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")
    expect(field(page, "เรื่องที่ร้องเรียน")).to_have_value("มีผู้บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(page, "ชื่อตัว").fill("มาลี")
    field(page, "ชื่อสกุล").fill("ศรีสุข")
    page.get_by_label(re.compile("^ข้าพเจ้าได้อ่านแล้ว")).check()

    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    expect(page.locator("#id_email_error")).to_contain_text("กรุณากรอกอีเมล")
    field(page, "อีเมล").fill("malee@example.com")
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    expect(page.get_by_test_id("awaiting-confirmation")).to_be_visible()
    assert not Complaint.objects.exists()
    screenshot(page, "online-awaiting-390")

    message = next(m for m in mail.outbox if m.to == ["malee@example.com"])
    path = "/" + re.search(r"https?://[^/]+/(complain/confirm/\S+/)", message.body).group(1)
    page.goto(path)
    screenshot(page, "online-confirm-390")
    page.get_by_role("button", name="ยืนยันและส่งเรื่อง").click()
    expect(page.get_by_test_id("tracking-code")).to_have_text(
        format_tracking_code(Complaint.objects.get().tracking_code)
    )

    page.goto(path)
    expect(page.get_by_test_id("already-filed")).to_be_visible()
    assert Complaint.objects.count() == 1
    context.close()


def test_with_a_tile_server_the_place_is_pinned_on_a_map(page, live_server, settings):
    # Any same-site image stands in for the closed network's tile server.
    settings.MAP_TILE_URL = f"{live_server.url}/static/vendor/leaflet/images/layers.png?z={{z}}&x={{x}}&y={{y}}"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/complain/")

    expect(page.get_by_role("group", name="ตำแหน่งบนแผนที่ (ไม่บังคับ)")).to_be_visible()
    map_box = page.locator("#online-map")
    map_box.scroll_into_view_if_needed()
    map_box.click(position={"x": 180, "y": 120})

    expect(page.locator("#online-map .leaflet-marker-icon")).to_be_visible()
    latitude = float(field(page, "ละติจูด").input_value())
    longitude = float(field(page, "ลองจิจูด").input_value())
    assert 5 <= latitude <= 21 and 97 <= longitude <= 106  # somewhere in Thailand, where the map opens
    assert violations(page) == []
    screenshot(page, "online-map-390")
