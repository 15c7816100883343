"""Inboxes in a real browser: each person sees their own tasks, and claiming moves one."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Status
from tests.case_fixtures import intake_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rows(page):
    return page.get_by_test_id("task-row")


def test_each_role_sees_exactly_its_tasks_and_claiming_moves_one(open_as, alice, harry, tom, bob, paula, team, case_in):
    # A new complaint waits for the district officers; one awaits the head's approval;
    # one is with Tom's team; one is escalated to the province.
    fresh, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject="เรื่องใหม่รอคัดกรอง"))
    pending = case_in(Status.RECEIVED)
    services.case_propose_assignment(actor=alice, case=pending, team=team)
    assigned = case_in(Status.RECEIVED)
    services.case_propose_assignment(actor=alice, case=assigned, team=team)
    services.case_approve_assignment(actor=harry, case=assigned)
    escalated = case_in(Status.RECEIVED)
    services.case_escalate(actor=harry, case=escalated, reason="เกินอำนาจอำเภอ")

    expected_queues = {
        "alice": (alice, {fresh.number}),
        "harry": (harry, {pending.number}),
        "tom": (tom, {assigned.number}),
        "paula": (paula, {escalated.number}),
        "bob": (bob, set()),
    }
    pages = {}
    for name, (person, numbers) in expected_queues.items():
        page = open_as(person)
        page.get_by_role("link", name="งานของฉัน").first.click()
        page.get_by_test_id("tab-queue").click()
        if numbers:
            expect(rows(page)).to_have_count(len(numbers))
            shown = {rows(page).nth(i).get_attribute("data-case") for i in range(len(numbers))}
            assert shown == numbers, name
        else:
            expect(page.get_by_test_id("empty")).to_be_visible()  # Ban Pong sees nothing of Mueang Ratchaburi
        pages[name] = page

    # Alice claims the new complaint: it leaves the queue and appears in her tasks.
    page = pages["alice"]
    rows(page).filter(has_text=fresh.number).get_by_role("button", name="รับงาน").click()
    expect(page.get_by_role("status").first).to_contain_text("รับงานแล้ว")
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("tab-mine").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-case", fresh.number)
    expect(rows(page).first).to_contain_text("เรื่องใหม่รอคัดกรอง")

    # Bob, in another district, still sees nothing, in either tab.
    bob_page = pages["bob"]
    bob_page.reload()
    expect(bob_page.get_by_test_id("empty")).to_be_visible()
    bob_page.get_by_test_id("tab-mine").click()
    expect(bob_page.get_by_test_id("empty")).to_be_visible()


# --- One button to take an assigned case; the inbox on a desktop and on a phone --------------

LONG_SUBJECT = "ร้องเรียน" + "ก" * 160  # one unbroken run, as a pasted code or a held key makes


def fits_the_screen(page, width: int, button) -> None:
    """No horizontal scroll, of the page or of a list in it, and ``button`` lies
    inside the viewport's width."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth") == width
    assert page.evaluate("[...document.querySelectorAll('.list-cards')].every(l => l.scrollWidth <= l.clientWidth)")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def screenshot(page, name: str) -> None:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_member_takes_an_assigned_case_with_one_button_at_any_width(open_as, alice, harry, tom, team, width):
    # given: a case approved for Tom's team, with a long unbroken subject, and one he is already on
    assigned, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject=LONG_SUBJECT))
    services.case_propose_assignment(actor=alice, case=assigned, team=team)
    services.case_approve_assignment(actor=harry, case=assigned)
    page = open_as(tom)
    page.set_viewport_size({"width": width, "height": 900})

    # when: he opens his queue
    page.goto("/inbox/queue/")
    row = rows(page).filter(has=page.get_by_text(assigned.number))
    expect(row).to_have_count(1)

    # then: the row offers one button, "accept the case", and no claim that says the same
    take = row.get_by_test_id("take")
    expect(take).to_have_text("รับเรื่องไปดำเนินการ")
    expect(row.get_by_role("button", name="รับงาน")).to_have_count(0)
    expect(row.get_by_test_id("due")).to_be_visible()
    fits_the_screen(page, width, take)
    fits_the_screen(page, width, row.get_by_test_id("due"))
    screenshot(page, f"inbox-queue-{width}")

    # when: he accepts; then: the case is his, in "my tasks", and out of the queue
    take.click()
    expect(page.get_by_test_id("case-status")).to_have_text("อยู่ระหว่างดำเนินการ")
    expect(page.get_by_test_id("current-task")).to_contain_text(tom.get_full_name())
    expect(page.get_by_test_id("current-task").get_by_role("button", name="รับงาน")).to_have_count(0)
    page.goto("/inbox/")
    expect(page.get_by_test_id("tab-mine")).to_contain_text("1")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-case", assigned.number)
    fits_the_screen(page, width, rows(page).first.get_by_role("button", name="คืนงาน"))
    screenshot(page, f"inbox-mine-{width}")
    page.get_by_test_id("tab-queue").click()
    expect(page.get_by_test_id("empty")).to_be_visible()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_heads_dashboard_fits_the_screen(open_as, alice, harry, width):
    late, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject=LONG_SUBJECT))
    from workflows.models import CaseTask

    CaseTask.objects.filter(complaint=late, status="NEW").update(due_at=timezone.now() - dt.timedelta(hours=1))
    page = open_as(harry)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/inbox/dashboard/")
    item = page.get_by_test_id("overdue-item")
    expect(item).to_have_count(1)
    fits_the_screen(page, width, item.get_by_role("link", name=late.number))
    fits_the_screen(page, width, page.get_by_test_id("rate-terms"))
    screenshot(page, f"dashboard-{width}")
