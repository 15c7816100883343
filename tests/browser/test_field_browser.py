"""The field app (/field/) on a phone: Tom, on the Na Mueang team, in a village with no signal.

A 390 px Chromium with a touch screen and a GPS fix near the incidents. Every screen is
photographed into var/test-artifacts/field-*.png.
"""

import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from api.models import DeviceToken, IdempotencyRecord
from cases.models import Attachment, CaseEvent, Complaint, ProgressReport, Status
from cases.services import case_propose_resolution
from tests.browser import axe
from tests.browser.conftest import ARTIFACTS, TIMEOUT_MS, assert_no_csp_violations, field, watch_csp
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NEAR_THE_CANAL = {"latitude": 13.5402, "longitude": 99.8121}


@pytest.fixture
def phone(browser, live_server, request):
    """A phone's browser: 390 px wide, touch, its GPS allowed and near the incidents."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="th-TH",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation=NEAR_THE_CANAL,
        permissions=["geolocation"],
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    violations = []
    watch_csp(page, violations)
    yield page
    close(page, violations, request)


def close(page, violations, request):
    """End a phone: its screenshot if the test failed, and no request of the app still on
    its way (the server would be reading the test's data as it is emptied)."""
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    page.wait_for_function("() => (document.documentElement.dataset.requests || '0') === '0'")
    page.context.close()
    assert_no_csp_violations(violations, request)


def shoot(page, name):
    """A photograph of the screen for people to look at (var/test-artifacts/field-<name>.png),
    once axe-core finds nothing serious on it and nothing scrolls sideways at 390 px."""
    assert axe.violations(page) == [], name
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # A phone as tall as the page, so that the fixed tab bar sits at the bottom of the
    # picture (a full-page screenshot leaves it where the screen ended).
    page.evaluate("() => window.scrollTo(0, 0)")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], height)})
    page.wait_for_timeout(200)  # let the layout and the map settle
    page.screenshot(path=str(ARTIFACTS / f"field-{name}.png"))
    page.set_viewport_size(PHONE)


def photo_file(tmp_path, name, size=(3200, 2400), colour=(40, 120, 60)):
    """A camera-sized JPEG: the app must make it small before it is kept or sent."""
    path = tmp_path / name
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, user):
    page.goto("/field/")
    page.get_by_label("เลขประจำตัวประชาชน").fill(user.national_id)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="เรื่องของฉัน")).to_be_visible()
    # the first fetch of the lists and of every case has finished
    expect(page.get_by_text(re.compile(r"^ข้อมูล ณ "))).to_be_visible()


def controlled_by_the_service_worker(page):
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    expect(page.get_by_text(re.compile(r"^ข้อมูล ณ "))).to_be_visible()
    assert page.evaluate(
        "() => navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL"
    ).endswith("/field/sw.js")


def open_case(page, case):
    page.get_by_role("link", name="เรื่องของฉัน").click()
    page.get_by_test_id("case-card").filter(has_text=case.number).click()
    expect(page.get_by_role("heading", name=case.subject)).to_be_visible()


def report_progress(page, case, text, photos):
    open_case(page, case)
    page.get_by_test_id("actions").get_by_role("link", name="รายงานความคืบหน้า").click()
    field(page, "ความคืบหน้า").fill(text)
    page.locator("#f-photos").set_input_files([str(p) for p in photos])
    expect(page.get_by_test_id("photo-previews").get_by_role("img")).to_have_count(len(photos))
    expect(page.get_by_test_id("gps")).to_contain_text("ละติจูด 13.5402")
    page.get_by_role("button", name="รายงานความคืบหน้า").click()


@pytest.fixture
def cases(case_in):
    """Two cases of Tom's team: one he is working on (with its place), one waiting for him
    to accept, whose complainant asked that his name be kept confidential."""
    working = case_in(Status.INVESTIGATING)
    Complaint.objects.filter(pk=working.pk).update(latitude=Decimal("13.536530"), longitude=Decimal("99.817100"))
    waiting = case_in(Status.ASSIGNED)
    Complaint.objects.filter(pk=waiting.pk).update(subject="ถนนชำรุดหน้าโรงเรียนบ้านหนองหว้า")
    waiting.complainants.update(is_confidential=True)
    return Complaint.objects.get(pk=working.pk), Complaint.objects.get(pk=waiting.pk)


def test_the_app_can_be_installed(phone, tom, team):
    response = phone.goto("/field/")
    assert response.headers["content-security-policy"]
    expect(phone.get_by_role("button", name="เข้าสู่ระบบ")).to_be_visible()
    shoot(phone, "sign-in")

    # The manifest parses and says what a home screen needs.
    href = phone.locator("link[rel=manifest]").get_attribute("href")
    answer = phone.request.get(href)
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.text())
    assert manifest["name"] == "ศูนย์ดำรงธรรม ชปต."
    assert manifest["lang"] == "th"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/field/", "/field/", "standalone")
    assert manifest["theme_color"] == "#1f3a68"
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    for size in ("192x192", "512x512"):
        png = Image.open(io.BytesIO(phone.request.get(sizes[size]["src"]).body()))
        assert (png.format, f"{png.width}x{png.height}") == ("PNG", size)
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    # iOS reads its own tags.
    assert phone.locator("link[rel=apple-touch-icon]").count() == 1
    assert phone.locator("meta[name=apple-mobile-web-app-capable]").get_attribute("content") == "yes"

    # The service worker takes the page after a reload; Chromium finds nothing missing to install it.
    registration = phone.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert registration.endswith("/field/")
    phone.reload()
    assert phone.evaluate("() => navigator.serviceWorker.controller !== null")
    cdp = phone.context.new_cdp_session(phone)
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [e for e in errors if e != "in-incognito"] == []  # Playwright's contexts are incognito windows
    parsed = cdp.send("Page.getAppManifest")
    assert parsed["errors"] == [], parsed["errors"]


def test_offline_work_reaches_the_server_once(phone, tom, team, cases, tmp_path):
    working, waiting = cases
    photos = [photo_file(tmp_path, f"ลงพื้นที่-{n}.jpg", colour=(40 * n, 120, 60)) for n in range(1, 5)]

    # Tom signs in with a signal: his cases and tasks come onto the phone.
    sign_in(phone, tom)
    expect(phone.get_by_test_id("case-card")).to_have_count(2)
    controlled_by_the_service_worker(phone)
    shoot(phone, "cases")
    phone.get_by_role("link", name="งาน", exact=True).click()
    expect(phone.get_by_role("heading", name="งาน")).to_be_visible()
    shoot(phone, "tasks-mine")
    phone.get_by_role("link", name="คิวของทีม").click()
    shoot(phone, "tasks-queue")

    # In the village: no signal.
    phone.context.set_offline(True)
    expect(phone.get_by_test_id("offline-banner")).to_be_visible()

    # The case he works on opens from the phone, with its place and the complainant's phone.
    open_case(phone, working)
    expect(phone.locator(".map .leaflet-marker-icon")).to_be_visible()
    expect(phone.get_by_role("link", name="โทร 0812345678")).to_have_attribute("href", "tel:0812345678")
    expect(phone.get_by_role("link", name="นำทางไปที่เกิดเหตุ")).to_have_attribute(
        "href", "geo:13.53653,99.8171?q=13.53653,99.8171"
    )
    phone.get_by_role("button", name="ฉันอยู่ห่างเท่าไร").click()
    expect(phone.get_by_text(re.compile(r"^ที่เกิดเหตุอยู่ห่างจากคุณ"))).to_be_visible()
    shoot(phone, "case")

    # Three progress reports with photos, kept on the phone.
    texts = [
        "ลงพื้นที่ตรวจสอบ พบเพิงพักรุกล้ำริมคลองจริง",
        "เจรจากับผู้ถูกร้อง ยินยอมรื้อถอนภายใน 7 วัน",
        "ผู้ถูกร้องเริ่มรื้อถอนแล้ว",
    ]
    report_progress(phone, working, texts[0], photos[:2])
    expect(phone.get_by_text("บันทึกไว้ในเครื่องแล้ว จะส่งเมื่อมีสัญญาณ")).to_be_visible()
    open_case(phone, working)
    phone.get_by_test_id("actions").get_by_role("link", name="รายงานความคืบหน้า").click()
    field(phone, "ความคืบหน้า").fill(texts[1])
    phone.locator("#f-photos").set_input_files(str(photos[2]))
    expect(phone.get_by_test_id("photo-previews").get_by_role("img")).to_have_count(1)
    shoot(phone, "progress-form")
    phone.get_by_role("button", name="รายงานความคืบหน้า").click()
    expect(phone.get_by_test_id("case-waiting")).to_have_text(re.compile("มี 2 รายการ"))
    report_progress(phone, working, texts[2], photos[3:])

    # The resolution form is there too (he does not send it yet).
    open_case(phone, working)
    phone.get_by_test_id("actions").get_by_role("link", name="เสนอยุติเรื่อง").click()
    expect(phone.get_by_role("radio", name="แก้ไขปัญหาได้")).to_be_visible()
    shoot(phone, "resolution-form")

    # ... and he accepts the other case, whose complainant he may not know yet (as on the web).
    open_case(phone, waiting)
    complainant = phone.get_by_test_id("complainant")
    expect(complainant).to_contain_text("ปกปิดข้อมูลผู้ร้อง")
    expect(complainant).to_contain_text("ไม่แสดงหมายเลขโทรศัพท์")
    expect(complainant.get_by_role("link")).to_have_count(0)
    assert "สมใจ" not in phone.content()
    shoot(phone, "case-confidential")
    phone.get_by_test_id("actions").get_by_role("link", name="รับเรื่องไปดำเนินการ").click()
    shoot(phone, "accept-form")
    phone.get_by_role("button", name="รับเรื่องไปดำเนินการ").click()
    expect(phone.get_by_text("บันทึกไว้ในเครื่องแล้ว จะส่งเมื่อมีสัญญาณ")).to_be_visible()

    # The outbox shows the four waiting; the app opens again without a signal.
    phone.get_by_test_id("tab-outbox").click()
    expect(phone.get_by_test_id("outbox-item")).to_have_count(4)
    expect(phone.get_by_test_id("outbox-state")).to_have_text(["รอส่ง"] * 4)
    shoot(phone, "outbox-offline")
    reopened = phone.reload()
    assert reopened.from_service_worker
    expect(phone.get_by_test_id("outbox-item")).to_have_count(4)
    expect(phone.locator("#waiting-count")).to_have_text("4")
    assert ProgressReport.objects.count() == 0 and Complaint.objects.get(pk=waiting.pk).status == Status.ASSIGNED

    # The signal returns: everything goes, in order, once.
    phone.context.set_offline(False)
    expect(phone.get_by_test_id("outbox-empty")).to_be_visible()
    expect(phone.locator("#waiting-count")).to_be_hidden()
    shoot(phone, "outbox-sent")
    reports = list(ProgressReport.objects.filter(complaint=working).order_by("pk"))
    assert [r.text for r in reports] == texts
    assert [r.attachments.count() for r in reports] == [2, 1, 1]
    assert all((r.latitude, r.longitude) == (Decimal("13.540200"), Decimal("99.812100")) for r in reports)
    assert CaseEvent.objects.filter(complaint=working, action="report_progress").count() == 3
    for attachment in Attachment.objects.filter(complaint=working):
        with attachment.file.open("rb") as stored:
            assert max(Image.open(stored).size) <= 1600  # made small on the phone
    assert CaseEvent.objects.filter(complaint=waiting, action="accept").count() == 1
    assert Complaint.objects.get(pk=waiting.pk).status == Status.INVESTIGATING

    # The photos' thumbnails come back with the case, and stay for the next time without a signal.
    open_case(phone, working)
    expect(phone.get_by_test_id("attachments").get_by_role("img")).to_have_count(4)
    shoot(phone, "case-with-photos")
    phone.context.set_offline(True)
    phone.reload()
    open_case(phone, working)
    expect(phone.get_by_test_id("attachments").get_by_role("img")).to_have_count(4)


def test_a_conflict_keeps_what_was_typed(phone, tom, team, cases, tmp_path):
    working, _waiting = cases
    sign_in(phone, tom)
    controlled_by_the_service_worker(phone)
    phone.context.set_offline(True)
    text = "ลงพื้นที่อีกครั้ง ผู้ถูกร้องขอขยายเวลารื้อถอนอีก 3 วัน"
    report_progress(phone, working, text, [photo_file(tmp_path, "เพิง.jpg")])
    expect(phone.get_by_text("บันทึกไว้ในเครื่องแล้ว จะส่งเมื่อมีสัญญาณ")).to_be_visible()

    # Meanwhile, from the office computer, the case is proposed for closure.
    case_propose_resolution(
        actor=tom, case=working, outcome="resolved", summary="รื้อถอนเรียบร้อย", expected_status=Status.INVESTIGATING
    )

    phone.context.set_offline(False)
    phone.get_by_test_id("tab-outbox").click()
    problem = phone.get_by_test_id("outbox-problem")
    expect(problem).to_contain_text("เรื่องนี้มีการเปลี่ยนแปลงในระบบ")
    expect(phone.get_by_test_id("server-status")).to_have_text("สถานะในระบบตอนนี้: รออนุมัติยุติเรื่อง")
    expect(phone.get_by_test_id("outbox-state")).to_have_text("เรื่องเปลี่ยนไปแล้ว")
    expect(field(phone, "ความคืบหน้า")).to_have_value(text)
    expect(phone.get_by_role("button", name="ส่งอีกครั้ง")).to_have_count(0)  # no progress reports in this state
    shoot(phone, "conflict")
    assert ProgressReport.objects.count() == 0

    # The text stays through a restart of the app.
    phone.reload()
    expect(field(phone, "ความคืบหน้า")).to_have_value(text)

    # Tom lets it go, then signs out: the phone's token stops working.
    phone.get_by_role("button", name="ทิ้งรายการนี้").click()
    phone.get_by_role("dialog").get_by_role("button", name="ทิ้งรายการนี้").click()
    expect(phone.get_by_test_id("outbox-empty")).to_be_visible()
    phone.get_by_role("button", name="ออกจากระบบ").click()
    phone.get_by_role("dialog").get_by_role("button", name="ออกจากระบบ").click()
    expect(phone.get_by_text("ออกจากระบบแล้ว ข้อมูลถูกลบออกจากเครื่องนี้")).to_be_visible()
    assert DeviceToken.objects.get(user=tom).revoked_at is not None


@pytest.fixture
def phone_without_worker(browser, live_server, request):
    """A phone whose service worker is off, so that the test can lose the server's answers."""
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport=PHONE, is_mobile=True, has_touch=True,
        geolocation=NEAR_THE_CANAL, permissions=["geolocation"], service_workers="block",
    )  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    violations = []
    watch_csp(page, violations)
    yield page
    close(page, violations, request)


def test_a_lost_answer_is_sent_again_and_acts_once(phone_without_worker, tom, team, cases, tmp_path):
    """The signal drops while the report uploads: the server has it, the phone does not
    know. Sent again with the same Idempotency-Key, it is not recorded twice."""
    phone = phone_without_worker
    working, _waiting = cases
    sign_in(phone, tom)
    keys = []

    def lose_the_answer(route):
        keys.append(route.request.headers["idempotency-key"])
        route.fetch()  # the server acts ...
        route.abort("internetdisconnected")  # ... and its answer never arrives

    phone.route("**/api/v1/cases/*/progress/", lose_the_answer, times=1)
    report_progress(phone, working, "ส่งตอนสัญญาณหลุด", [photo_file(tmp_path, "คลอง.jpg")])
    expect(phone.get_by_text("บันทึกไว้ในเครื่องแล้ว จะส่งเมื่อมีสัญญาณ")).to_be_visible()
    assert ProgressReport.objects.count() == 1

    phone.get_by_test_id("tab-outbox").click()
    phone.get_by_role("button", name="ส่งตอนนี้").click()
    expect(phone.get_by_test_id("outbox-empty")).to_be_visible()
    assert ProgressReport.objects.count() == 1
    assert Attachment.objects.filter(complaint=working).count() == 1
    assert IdempotencyRecord.objects.get(user=tom).key == keys[0]


def test_a_revoked_phone_signs_in_again_and_keeps_its_outbox(phone, tom, team, cases, tmp_path):
    working, _waiting = cases
    sign_in(phone, tom)
    phone.context.set_offline(True)
    report_progress(phone, working, "บันทึกก่อนถูกยกเลิกอุปกรณ์", [photo_file(tmp_path, "ป้าย.jpg")])
    expect(phone.get_by_text("บันทึกไว้ในเครื่องแล้ว จะส่งเมื่อมีสัญญาณ")).to_be_visible()

    # Tom revokes the phone from his profile page on the web (say he thought it lost).
    DeviceToken.objects.filter(user=tom).update(revoked_at=timezone.now())
    phone.context.set_offline(False)
    expect(phone.get_by_text(re.compile("หมดอายุหรือถูกยกเลิก"))).to_be_visible()
    shoot(phone, "signed-out-by-server")
    assert ProgressReport.objects.count() == 0

    phone.get_by_label("เลขประจำตัวประชาชน").fill(tom.national_id)
    phone.get_by_label("รหัสผ่าน").fill(PASSWORD)
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(phone.get_by_role("heading", name="เรื่องของฉัน")).to_be_visible()
    phone.get_by_test_id("tab-outbox").click()
    expect(phone.get_by_test_id("outbox-empty")).to_be_visible()
    assert list(ProgressReport.objects.values_list("text", flat=True)) == ["บันทึกก่อนถูกยกเลิกอุปกรณ์"]
