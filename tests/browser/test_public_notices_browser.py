"""Notices to the complainant in a real browser, on a desktop and on a phone: Alice makes
Somjai's progress letter from the case page (a PDF comes back), and Somjai's e-mail,
as its HTML part shows in a mail program, reads whole on a phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.services import ComplainantData, case_intake
from citizens.models import CitizenNotice
from citizens.notices.services import compose
from tests.browser.conftest import field
from tests.case_fixtures import intake_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


@pytest.fixture
def somjais_case(alice, settings):
    settings.CITIZEN_NOTICE_SENDERS = {"email": "citizens.notices.senders.FileSender"}
    settings.CITIZEN_NOTICE_FILE_DIR = settings.VAR_DIR / "test-artifacts" / "notices"
    somjai = ComplainantData(
        title="นาง", first_name="สมใจ", last_name="ทองดี", phone="032111222", email="somjai@example.com"
    )
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[somjai]))
    return case


@pytest.mark.parametrize("width", [1366, 390])
def test_alice_makes_the_progress_letter_from_the_case_page(open_as, alice, harry, somjais_case, width):
    page = open_as(alice)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(somjais_case.get_absolute_url())

    page.get_by_test_id("progress-letter-link").click()
    expect(page.get_by_role("heading", name="หนังสือแจ้งความคืบหน้าถึงผู้ร้อง")).to_be_visible()
    expect(page.get_by_label("นางสมใจ ทองดี")).to_be_checked()  # the one complainant, chosen
    expect(field(page, "ผู้ลงนาม")).to_have_value(harry.get_full_name())
    no_horizontal_scroll(page)

    # a letter number without its register number is explained, in Thai
    field(page, "เลขที่หนังสือ").fill("มท 0308.1")
    page.get_by_role("button", name="สร้างหนังสือ (PDF)").click()
    expect(page.get_by_text("เลขที่หนังสือต้องมีรหัสหน่วยงานและเลขทะเบียนส่งคั่นด้วย /")).to_be_visible()
    screenshot(page, f"progress-letter-form-{width}")

    field(page, "เลขที่หนังสือ").fill("มท 0308.1/123")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="สร้างหนังสือ (PDF)").click(no_wait_after=True)
    response = answer.value
    # Chromium shows it in its PDF viewer, to print from there
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline; filename=")


@pytest.mark.parametrize("width", [1366, 390])
def test_somjais_mail_reads_whole_on_a_phone(browser, somjais_case, width):
    notice = CitizenNotice.objects.get(complaint=somjais_case)
    event = somjais_case.events.get(action="intake")
    message = compose(notice, event)

    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.set_content(message.html)
    expect(page.get_by_role("heading", name="ศูนย์ดำรงธรรมได้รับเรื่องร้องเรียนของท่านแล้ว")).to_be_visible()
    link = message.text.split("ติดตามความคืบหน้า: ")[1].splitlines()[0]
    expect(page.get_by_role("link", name="ติดตามความคืบหน้า")).to_have_attribute("href", link)
    no_horizontal_scroll(page)
    screenshot(page, f"notice-email-{width}")
    context.close()
