"""Following a complaint in a real browser: นางสมใจ scans the QR code of her receipt, types
her code on her phone as people do, reads the steps of her case, rates it once it is closed
and says the problem is not solved; Harry answers from his inbox. A wrong code gets a
helpful message and the 21st in a minute is refused. Screenshots at 1366 and 390 px go to
var/screens/; axe-core finds no serious or critical violation on any of these pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.codes import format_tracking_code
from citizens.models import ReopenRequest, Satisfaction
from citizens.tracking import limits
from tests.browser.axe import violations
from tests.browser.conftest import field
from tests.public.tracking_story import (
    COMPLAINANT,
    SUBJECT,
    close,
    investigate,
    one_window,  # noqa: F401 - autouse fixture
    own_cache,  # noqa: F401 - autouse fixture
    record,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def accessible(page) -> None:
    assert violations(page) == [], page.url


def cookies_set(page) -> list[str]:
    """Collect, from now on, the paths of the tracking pages' responses that set a cookie."""
    found: list[str] = []

    def on_response(response):
        path = response.url.split("//", 1)[1].split("/", 1)[1]
        if path.startswith("follow/") and "set-cookie" in response.headers:
            found.append(f"/{path}: {response.headers['set-cookie'][:40]}")

    page.on("response", on_response)
    return found


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_somjai_follows_her_complaint_and_rates_it(page, alice, harry, tom, team, width):
    page.set_viewport_size({"width": width, "height": 900})
    case = record(alice)
    investigate(case, alice=alice, harry=harry, tom=tom, team=team)
    cookies = cookies_set(page)

    # She types the code from her receipt, in lower case with its dashes.
    page.goto("/follow/")
    accessible(page)
    field(page, "รหัสติดตามเรื่อง").fill(format_tracking_code(case.tracking_code).lower())
    page.get_by_role("button", name="ดูความคืบหน้า").click()
    page.wait_for_url(f"**/follow/{case.tracking_code}/")
    expect(page.get_by_test_id("tracking-status")).to_have_text("อยู่ระหว่างตรวจสอบและแก้ไขปัญหา")
    expect(page.get_by_test_id("tracking-step")).to_have_count(4)
    expect(page.get_by_test_id("tracking-center")).to_contain_text("ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี")
    expect(page.get_by_test_id("tracking-next")).to_contain_text("ภายในวันที่")
    body = page.locator("body").inner_text()
    assert COMPLAINANT.first_name not in body and SUBJECT not in body and tom.first_name not in body
    assert cookies == []  # nothing set by the form nor by an open case's page
    no_horizontal_scroll(page)
    accessible(page)
    screenshot(page, f"tracking-open-{width}")

    # Harry closes it; she looks again.
    close(case, harry=harry, tom=tom)
    page.reload()
    expect(page.get_by_test_id("tracking-status")).to_have_text("ยุติเรื่องแล้ว: แก้ไขปัญหาเรียบร้อยแล้ว")
    expect(page.get_by_test_id("tracking-step").last).to_have_text("ยุติเรื่องแล้ว: แก้ไขปัญหาเรียบร้อยแล้ว")
    assert cookies == []  # nor by a closed case's page: its forms are pages of their own
    no_horizontal_scroll(page)
    accessible(page)
    screenshot(page, f"tracking-closed-{width}")

    page.get_by_test_id("rate-button").click()
    expect(page.get_by_test_id("rating-form")).to_be_visible()
    no_horizontal_scroll(page)
    accessible(page)
    screenshot(page, f"tracking-rating-form-{width}")
    page.get_by_label("5 — พอใจมากที่สุด").check()
    page.get_by_label("ความคิดเห็นเพิ่มเติม (ถ้ามี)").fill("เจ้าหน้าที่ลงพื้นที่รวดเร็ว")
    page.get_by_role("button", name="ส่งความเห็น").click()
    expect(page.get_by_test_id("done")).to_contain_text("ขอบคุณที่ให้คะแนน")
    expect(page.get_by_test_id("rated")).to_be_visible()
    expect(page.get_by_test_id("rate-button")).to_have_count(0)
    assert Satisfaction.objects.get(complaint=case).rating == 5

    # The problem is back: she says so, once.
    page.get_by_test_id("not-solved-button").click()
    field(page, "ปัญหาที่ยังไม่ได้รับการแก้ไข").fill("เพิงพักกลับมาตั้งใหม่ที่เดิม")
    page.get_by_role("button", name="ขอให้เปิดเรื่องใหม่").click()
    expect(page.get_by_test_id("request-pending")).to_be_visible()
    expect(page.get_by_test_id("not-solved-button")).to_have_count(0)
    accessible(page)
    assert ReopenRequest.objects.get(complaint=case).state == "pending"


def test_the_receipt_s_qr_code_leads_to_the_tracking_page(open_as, page, alice, live_server, settings):
    settings.PUBLIC_SITE_URL = live_server.url
    case = record(alice)
    officer = open_as(alice)
    officer.goto(f"/cases/{case.pk}/receipt/")
    expect(officer.get_by_test_id("receipt-qr").locator("svg")).to_be_visible()
    url = officer.get_by_test_id("receipt-tracking-url").inner_text()
    assert url == f"{live_server.url}/follow/{case.tracking_code}/"

    page.goto(url)  # what the phone's camera opens
    expect(page.get_by_test_id("tracking-code")).to_have_text(case.tracking_code_display)
    expect(page.get_by_test_id("tracking-step")).to_have_text(["ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว"])


def test_a_wrong_code_is_explained_and_the_21st_in_a_minute_refused(page, alice):
    case = record(alice)
    page.set_viewport_size({"width": 390, "height": 900})
    wrong = ("Z" if case.tracking_code[0] != "Z" else "Y") + case.tracking_code[1:]
    page.goto("/follow/")
    field(page, "รหัสติดตามเรื่อง").fill(format_tracking_code(wrong))
    page.get_by_role("button", name="ดูความคืบหน้า").click()
    expect(page.get_by_test_id("not-found")).to_contain_text("ไม่พบเรื่องที่มีรหัสนี้")
    expect(page.get_by_test_id("not-found")).to_contain_text("1567")
    expect(field(page, "รหัสติดตามเรื่อง")).to_have_value(wrong)  # kept, to correct it
    accessible(page)
    screenshot(page, "tracking-not-found-390")

    # A code too short says how long a code is, before anything is looked up.
    field(page, "รหัสติดตามเรื่อง").fill("0TFHT-C5ACE")
    page.get_by_role("button", name="ดูความคืบหน้า").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("26 ตัวอักษร")

    for n in range(limits.MISSES_PER_ADDRESS - 1):
        page.goto(f"/follow/{wrong[:-4]}{n:04d}/")
        expect(page.get_by_test_id("not-found")).to_be_visible()
    page.goto(f"/follow/{case.tracking_code}/")  # even the right one, now
    expect(page.get_by_test_id("too-many")).to_contain_text("กรอกรหัสติดตามเรื่องผิดหลายครั้งเกินไป")
    expect(page.locator("main")).to_contain_text("1567")
    accessible(page)
    screenshot(page, "tracking-too-many-390")


def test_harry_answers_the_request_from_his_inbox(open_as, page, alice, harry, tom, team):
    case = record(alice)
    investigate(case, alice=alice, harry=harry, tom=tom, team=team)
    close(case, harry=harry, tom=tom)
    page.goto(f"/follow/{case.tracking_code}/not-solved/")
    field(page, "ปัญหาที่ยังไม่ได้รับการแก้ไข").fill("น้ำยังท่วมขังหน้าบ้าน")
    page.get_by_role("button", name="ขอให้เปิดเรื่องใหม่").click()
    expect(page.get_by_test_id("request-pending")).to_be_visible()

    head = open_as(harry)
    head.goto("/inbox/")
    box = head.get_by_test_id("reopen-requests-box")
    expect(box).to_contain_text(case.number)
    box.get_by_role("link", name=case.number).click()
    expect(head.get_by_test_id("request-reason")).to_have_text("น้ำยังท่วมขังหน้าบ้าน")
    accessible(head)
    screenshot(head, "reopen-request-decision-1366")
    head.get_by_label("ไม่เปิดเรื่องใหม่").check()
    field(head, "เหตุผล (ถึงผู้ร้อง)").fill("น้ำขังเกิดจากฝนตกหนัก ได้แจ้งเทศบาลให้ลอกท่อแล้ว")
    head.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    expect(head.get_by_test_id("request-state")).to_contain_text("ไม่เปิดเรื่องใหม่")

    page.goto(f"/follow/{case.tracking_code}/?seen=decision")
    expect(page.get_by_test_id("tracking-step").last).to_have_text(
        "ศูนย์ฯ พิจารณาแล้ว ไม่เปิดเรื่องใหม่ เพราะ น้ำขังเกิดจากฝนตกหนัก ได้แจ้งเทศบาลให้ลอกท่อแล้ว"
    )
