"""Repeats on a case's page, in a real browser (issue 11 §3).

Somjai files the same encroachment twice at Mueang Ratchaburi. Alice links the second to the
first from the candidate the page shows, and links a case of Ban Pong by its number (a
minimal card). Harry, the head, merges the second into the first; the second's number, typed
in the search box or opened by its address, opens the first.
"""

import pytest
from playwright.sync_api import expect

from cases.models import Complaint, Outcome
from cases.services import case_intake
from tests.browser.axe import violations
from tests.case_fixtures import intake_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases(alice, bob, hank):
    first, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    second, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    elsewhere, _ = case_intake(
        actor=bob, district=bob.district, data=intake_data(subject="ไฟฟ้าดับบ่อย", description="ไฟฟ้าดับทุกคืน")
    )
    return first, second, elsewhere


def test_link_from_the_case_page_merge_and_open_the_merged_number(open_as, alice, harry, cases):
    first, second, elsewhere = cases

    # Alice's page of the second case shows the first as a possible repeat, and links it.
    desk = open_as(alice)
    desk.goto(f"/cases/{second.pk}/")
    panel = desk.get_by_test_id("repeats-panel")
    card = panel.locator(f'[data-testid="repeat-card"][data-case-number="{first.number}"]')
    expect(card).to_be_visible()
    card.locator('[data-testid="repeat-link-button"][data-relation="grievance"]').click()
    expect(desk.get_by_role("alert").or_(desk.get_by_role("status")).first).to_contain_text(first.number)
    link = desk.locator(f'[data-testid="repeat-link"][data-case-number="{first.number}"]')
    expect(link).to_have_attribute("data-state", "linked")
    assert violations(desk) == []

    # ... and a case of Ban Pong by its number, which she sees as a minimal card only.
    desk.get_by_test_id("repeat-link-form").locator("summary").click()
    desk.get_by_label("เลขที่รับของเรื่องที่ซ้ำ").fill(elsewhere.number)
    desk.get_by_label("ผู้ร้องรายเดิม").check()
    desk.get_by_test_id("repeat-link-submit").click()
    outside = desk.locator(f'[data-testid="repeat-link"][data-case-number="{elsewhere.number}"]')
    expect(outside.get_by_test_id("repeat-outside")).to_be_visible()
    expect(outside).not_to_contain_text(elsewhere.subject)

    # The first case's page shows the link too.
    desk.goto(f"/cases/{first.pk}/")
    expect(desk.locator(f'[data-testid="repeat-link"][data-case-number="{second.number}"]')).to_be_visible()

    # Harry merges the second into the first: the same grievance from the same complainant.
    head = open_as(harry)
    head.goto(f"/cases/{second.pk}/")
    head.locator(f'[data-testid="repeat-link"][data-case-number="{first.number}"]').get_by_test_id(
        "repeat-merge"
    ).click()
    expect(head.get_by_label("รวมเข้ากับเรื่องเลขที่")).to_have_value(first.number)
    head.get_by_label("บันทึกเพิ่มเติม").fill("ผู้ร้องยื่นเรื่องเดิมซ้ำ")
    head.get_by_test_id("merge-submit").click()
    head.wait_for_url(f"**/cases/{first.pk}/")
    merged = head.locator(f'[data-testid="merged-case"][data-case-number="{second.number}"]')
    expect(merged).to_be_visible()
    expect(merged.get_by_test_id("merged-complainant")).to_contain_text("สมใจ ทองดี")
    timeline = head.get_by_test_id("timeline")
    expect(timeline.locator('[data-action="merged_in"]')).to_contain_text(second.number)
    assert Complaint.objects.get(pk=second.pk).outcome == Outcome.MERGED

    # The merged case's number, typed in the search box, opens the kept case.
    head.goto("/cases/")
    head.get_by_role("searchbox").or_(head.locator('input[name="q"]')).first.fill(second.number)
    head.keyboard.press("Enter")
    head.wait_for_url(f"**/cases/{first.pk}/")
    expect(head.locator("body")).to_contain_text(f"รวมกับเรื่องเลขที่ {first.number} แล้ว")

    # So does its old address; its own record stays, saying where it went.
    head.goto(f"/cases/{second.pk}/")
    head.wait_for_url(f"**/cases/{first.pk}/")
    head.goto(f"/cases/{second.pk}/?merged=1")
    expect(head.get_by_test_id("merged-into")).to_contain_text(first.number)
    expect(head.get_by_test_id("case-outcome")).to_have_text("รวมกับเรื่องอื่น")
