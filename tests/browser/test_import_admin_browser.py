"""Ada uploads a register in the admin in a real browser, and a job's page follows its
progress by itself (the script polls the JSON endpoint under the page's CSP)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imports.models import ImportJob
from tests.imports.conftest import closed, record, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_upload_in_the_admin_ends_on_its_finished_job(page, sign_in, ada, tmp_path):
    path = tmp_path / "ทะเบียน.xlsx"
    path.write_bytes(xlsx_bytes([record(1), closed(2), record(3, channel="?")]))
    sign_in(ada)
    page.goto("/admin/imports/importjob/add/")
    page.get_by_label("ไฟล์").set_input_files(str(path))
    page.get_by_label("แหล่งข้อมูลเดิม").fill("ทะเบียนทดสอบ")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_test_id("import-status")).to_have_text("เสร็จแล้ว")
    expect(page.get_by_test_id("import-added")).to_have_text("2")
    expect(page.get_by_test_id("import-errors")).to_contain_text("ไม่รู้จักช่องทาง “?”")


def test_a_running_jobs_page_follows_it_to_its_end(page, sign_in, ada):
    job = ImportJob.objects.create(
        original_name="r.xlsx", source="r", uploaded_by=ada, status="running", phase="import", total=10, done=2,
        added=2,
    )  # fmt: skip
    sign_in(ada)
    page.goto(f"/admin/imports/importjob/{job.pk}/change/")
    expect(page.get_by_test_id("import-status")).to_have_text("กำลังนำเข้า")
    # the worker moves on: the bar follows without a reload
    ImportJob.objects.filter(pk=job.pk).update(done=6, added=6)
    expect(page.locator("progress")).to_have_attribute("value", "60")
    expect(page.get_by_test_id("import-added")).to_have_text("6")
    # and ends: the page reloads, with the end's state
    ImportJob.objects.filter(pk=job.pk).update(status="done", done=10, added=10, finished_at=timezone.now())
    expect(page.get_by_test_id("import-status")).to_have_text("เสร็จแล้ว")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    assert re.search(r"/admin/imports/importjob/\d+/change/$", page.url)
