"""An auditor replays a case in a real browser: the case as it stood at a moment in its past."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent, Kind
from exports.models import Export
from exports.services import render
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


def test_an_auditor_exports_a_case_record_as_pdf_and_downloads_it(open_as, new_case, audrey):
    page = open_as(audrey)
    page.goto(f"/audit/cases/{new_case.pk}/")
    page.get_by_test_id("case-pdf").click()
    # The worker has made it (Celery eager in the tests): the export's page offers the file.
    expect(page.get_by_role("heading", name=f"บันทึกการตรวจสอบเรื่อง {new_case.number} (PDF)")).to_be_visible()
    expect(page.get_by_test_id("export-state")).to_have_text("พร้อมดาวน์โหลด")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename == f"audit-{new_case.number.replace('/', '-')}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(kind=Kind.EXPORT, detail__contains="downloaded").count() == 1


def test_the_page_of_an_export_being_made_shows_the_file_once_it_is_ready(open_as, new_case, alice):
    export = Export.objects.create(
        owner=alice, kind="case_list_csv", title="t", filename="complaints.csv", content_type="text/csv"
    )
    page = open_as(alice)
    page.goto(f"/exports/{export.pk}/")
    expect(page.get_by_test_id("export-wait")).to_be_visible()
    render(export.pk)  # the worker, while the officer waits on the page (it reloads itself, no script)
    expect(page.get_by_test_id("download")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("export-rows")).to_have_text("1")
