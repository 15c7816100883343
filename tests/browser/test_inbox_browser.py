"""Inboxes in a real browser: each person sees their own tasks, and claiming moves one."""

import pytest
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
