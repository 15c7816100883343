"""An auditor replays a case in a real browser: the case as it stood at a moment in its past."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent, Kind
from tests.audit.helpers import closed_case, form_values, spread
from tests.browser.conftest import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_auditor_sees_a_closed_case_as_it_was_during_the_investigation(open_as, alice, harry, tom, team, audrey):
    # The case goes from the counter to closure through the services ...
    case, moments = closed_case(officer=alice, head=harry, member=tom, team=team)
    # ... and everything up to the investigation is moved an hour back, so that the
    # moment the auditor types (to the minute) falls between the report and the closure.
    hour = dt.timedelta(hours=1)
    spread(case, [(moments["investigating"], hour)])
    during = form_values(moments["investigating"] - hour)

    page = open_as(audrey)
    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id("case-status")).to_have_text("ยุติเรื่องแล้ว")
    page.get_by_role("link", name="ประวัติและบันทึกการตรวจสอบ").click()
    expect(page.get_by_role("heading", name="ประวัติและบันทึกการตรวจสอบ")).to_be_visible()

    field(page, "วันที่").fill(during["date"])
    field(page, "เวลา").fill(during["time"])
    page.get_by_role("button", name="ดูเรื่อง ณ เวลานั้น").click()

    as_of = page.get_by_test_id("as-of")
    expect(page.get_by_test_id("as-of-status")).to_have_text("อยู่ระหว่างดำเนินการ")
    expect(page.get_by_test_id("as-of-team")).to_have_text(team.name)
    expect(page.get_by_test_id("as-of-outcome")).to_have_text("—")
    expect(as_of).not_to_contain_text("ยุติเรื่องแล้ว")
    expect(page.get_by_test_id("as-of-reports")).to_contain_text("ยินยอมรื้อถอนภายใน 7 วัน")
    expect(page.get_by_test_id("as-of-events").locator("li")).to_have_count(5)  # intake … report_progress
    expect(page.get_by_test_id("as-of-events").locator("li[data-action=approve_closure]")).to_have_count(0)
    # Today, the case is closed; the page says so above the replay.
    expect(page.get_by_test_id("case-status")).to_have_text("ยุติเรื่องแล้ว")
    # The auditor's look is in the log, with the moment asked for.
    views = AuditEvent.objects.filter(kind=Kind.AUDIT_VIEW, actor_id=audrey.pk, complaint_id=case.pk)
    assert views.filter(detail__contains="as_of=").exists()
