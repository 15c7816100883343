"""The case page and the complainant's receipt in a real browser, on a desktop and on a
phone; printed, the receipt shows the receipt alone (no navigation, no buttons or forms)."""

import pytest
from playwright.sync_api import expect

from cases.services import ComplainantData, RespondentData
from tests.browser.conftest import ARTIFACTS
from tests.case_fixtures import intake_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_alice_prints_the_receipt_from_the_case_page(open_as, alice, width):
    from cases.services import case_intake

    alice.office_phone = "032 337 123"
    alice.save()
    case, _ = case_intake(
        actor=alice,
        district=alice.district,
        data=intake_data(
            complainants=[ComplainantData(title="นาง", first_name="สมใจ", last_name="ทองดี", phone="0812345678")],
            respondents=[RespondentData(kind="person", name="นายสมหมาย ใจร้าย", phone="032 111 222")],
        ),
    )
    page = open_as(alice)
    page.set_viewport_size({"width": width, "height": 900})

    # The case page shows what was entered, and offers the printouts.
    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id("respondent")).to_contain_text("032 111 222")
    no_horizontal_scroll(page)
    screenshot(page, f"case-page-{width}")

    page.get_by_test_id("receipt-link").click()
    receipt = page.get_by_test_id("receipt")
    expect(receipt.get_by_test_id("receipt-number")).to_have_text(case.number)
    expect(receipt.get_by_test_id("receipt-tracking-code")).to_have_text(case.tracking_code_display)
    expect(receipt.get_by_test_id("receipt-date")).to_contain_text(str(case.received_on.year + 543))
    expect(receipt.get_by_test_id("receipt-contact")).to_contain_text("032 337 123")
    expect(page).to_have_title(f"ใบรับเรื่อง {case.number} — ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม")
    expect(page.get_by_role("button", name="พิมพ์")).to_be_visible()
    no_horizontal_scroll(page)
    screenshot(page, f"receipt-{width}")

    # On paper: the receipt alone.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="เมนูหลัก")).to_be_hidden()
    expect(page.get_by_role("button", name="พิมพ์")).to_be_hidden()
    expect(page.locator("body > footer")).to_be_hidden()
    expect(receipt.get_by_test_id("receipt-tracking-code")).to_be_visible()
    expect(receipt.locator("footer")).to_be_visible()
    screenshot(page, f"receipt-print-{width}")

    # The case record prints the same way.
    page.emulate_media(media="screen")
    page.goto(case.get_absolute_url())
    page.get_by_test_id("print-link").click()
    expect(page.get_by_test_id("case-record")).to_contain_text("นายสมหมาย ใจร้าย")
    page.emulate_media(media="print")
    expect(page.locator("form")).to_have_count(page.locator("form").count())
    for index in range(page.locator("form").count()):
        expect(page.locator("form").nth(index)).to_be_hidden()
    screenshot(page, f"case-record-print-{width}")
