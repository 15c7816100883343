"""Recording a complaint in a real browser, on a desktop and on a phone: the first
submit reports every missing field (the sub-category too), a row added by mistake
can be removed, and Back then save again files no second case."""

import pytest
from playwright.sync_api import expect

from cases.models import Complaint
from tests.browser.conftest import ARTIFACTS, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


def fill_the_complaint(page) -> None:
    field(page, "ชื่อตัว").first.fill("สมใจ")
    field(page, "ชื่อสกุล").first.fill("ทองดี")
    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(page, "เรื่อง").fill("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(page, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง")
    field(page, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")


@pytest.mark.parametrize("width", [1366, 390])
def test_intake_reports_every_field_removes_rows_and_back_files_no_second_case(open_as, alice, width):
    page = open_as(alice)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/cases/new/")

    # The first submit of an empty form names every missing field, the sub-category with them.
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_text("กรุณาเลือกประเภทเรื่องย่อย")).to_be_visible()
    expect(page.get_by_text("กรุณากรอกชื่อผู้ร้อง หรือเลือก “ไม่ประสงค์ออกนาม”")).to_be_visible()
    expect(page.get_by_text("กรุณาส่งแบบฟอร์มอย่างน้อย")).to_have_count(0)
    expect(page.get_by_label("ประเภทเรื่องย่อย *")).to_be_visible()
    screenshot(page, f"intake-errors-{width}")

    # A complainant and a respondent added by mistake are removed again.
    page.goto("/cases/new/")
    page.get_by_role("button", name="เพิ่มผู้ร้อง").click()
    page.get_by_role("button", name="เพิ่มผู้ถูกร้อง").click()
    expect(page.locator("[data-formset=complainant] [data-party]")).to_have_count(2)
    expect(page.locator("[data-formset=respondent] [data-party]")).to_have_count(1)
    page.get_by_test_id("remove-complainant").nth(1).click()
    page.get_by_test_id("remove-respondent").click()
    expect(page.locator("[data-formset=complainant] [data-party]")).to_have_count(1)
    expect(page.locator("[data-formset=respondent] [data-party]")).to_have_count(0)
    expect(page.get_by_test_id("remove-complainant")).to_be_hidden()  # the first complainant stays
    expect(page.locator("#id_complainant-TOTAL_FORMS")).to_have_value("1")
    expect(page.locator("#id_respondent-TOTAL_FORMS")).to_have_value("0")

    fill_the_complaint(page)
    no_horizontal_scroll(page)
    screenshot(page, f"intake-filled-{width}")
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    case = Complaint.objects.get()
    assert case.respondents.count() == 0 and case.complainants.count() == 1

    # Back, then save again: still one case, and the officer is told it was recorded.
    page.go_back()
    expect(page.get_by_role("button", name="บันทึกรับเรื่อง")).to_be_enabled()
    if not field(page, "เรื่อง").input_value():
        fill_the_complaint(page)  # a browser that restores nothing: she types it again
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_text("บันทึกเรื่องนี้ไปแล้ว").first).to_be_visible()
    assert Complaint.objects.count() == 1
    no_horizontal_scroll(page)
    screenshot(page, f"intake-again-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_adding_rows_stops_at_the_limit_the_server_keeps(open_as, alice, live_server, width):
    from django.conf import settings

    from cases.forms import MAX_PARTIES

    page = open_as(alice)
    page.set_viewport_size({"width": width, "height": 900})
    for language, add_label, note in (
        ("th", "เพิ่มผู้ถูกร้อง", f"ครบ {MAX_PARTIES} รายการแล้ว"),
        ("en", "Add respondent", f"{MAX_PARTIES} entries: the most one intake can take"),
    ):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        page.goto("/cases/new/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        add = page.get_by_role("button", name=add_label)
        for _ in range(MAX_PARTIES):
            add.click()
        expect(page.locator("[data-formset=respondent] [data-party]")).to_have_count(MAX_PARTIES)
        expect(add).to_be_disabled()
        limit = page.locator("[data-form-limit=respondent]")
        expect(limit).to_be_visible()
        expect(limit).to_contain_text(note)
        expect(page.locator("[data-form-limit=complainant]")).to_be_hidden()
        expect(page.locator("#id_respondent-TOTAL_FORMS")).to_have_value(str(MAX_PARTIES))
        no_horizontal_scroll(page)
        limit.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"intake-row-limit-{language}-{width}.png"))

        # removing one row gives the button back
        page.get_by_test_id("remove-respondent").first.click()
        expect(add).to_be_enabled()
        expect(limit).to_be_hidden()
        expect(page.locator("#id_respondent-TOTAL_FORMS")).to_have_value(str(MAX_PARTIES - 1))
