"""The case list in a real browser, on a desktop and on a phone: no sideways
scrolling, long typed subjects wrap, each case's number and deadline in view."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Complaint
from tests.browser.test_inbox_browser import LONG_SUBJECT, fits_the_screen, screenshot
from tests.case_fixtures import intake_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_case_list_fits_the_screen_with_a_long_unbroken_subject(open_as, alice, harry, team, width):
    # given: a case with a subject of one unbroken run, and one past its closure deadline
    long, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject=LONG_SUBJECT))
    services.case_propose_assignment(actor=alice, case=long, team=team)
    late, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject="ถนนชำรุดหน้าโรงเรียน"))
    Complaint.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    page = open_as(alice)
    page.set_viewport_size({"width": width, "height": 900})

    # when: she opens the list
    page.goto("/cases/")
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(2)

    # then: nothing runs off the side; each row's number, subject and deadline are in view
    for case in (long, late):
        row = rows.filter(has=page.get_by_role("link", name=case.number))
        fits_the_screen(page, width, row.get_by_role("link", name=case.number))
        fits_the_screen(page, width, row.get_by_test_id("subject"))
    late_row = rows.filter(has=page.get_by_role("link", name=late.number))
    fits_the_screen(page, width, late_row.get_by_test_id("past-closure"))
    expect(late_row.get_by_test_id("past-closure")).to_have_text("เกินกำหนดยุติเรื่อง")
    # The long subject wraps within its cell instead of widening the table.
    subject = rows.filter(has=page.get_by_role("link", name=long.number)).get_by_test_id("subject")
    assert subject.evaluate("cell => cell.scrollWidth <= cell.clientWidth")
    screenshot(page, f"case-list-{width}")
