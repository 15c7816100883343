"""Scanned documents in a real browser: Alice uploads a ZIP of her center's scans with a broken
file among them (the upload's own progress bar, then the batch's), sees the broken one
reported and the others read; a batch still being read moves its progress bar by itself and
shows the end; her case's page fetches its documents panel, where she adds a scan.

OCR is the stand-in of tests/documents/conftest.py (``quick_reading``): the live server runs
in this process, so the stand-in reads its pages too."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from documents.models import Batch, Document
from tests.browser.axe import violations
from tests.documents.scans import image_bytes, pdf_of, quick_reading, stored_document, thai_page, tiny_scan  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("quick_reading")
def test_a_zip_of_scans_with_a_broken_one(open_as, alice, tmp_path):
    # given a ZIP of twelve scans and a truncated JPEG
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(12):
            archive.writestr(f"หนังสือ-{n:02d}.png", tiny_scan(n))
        jpeg = image_bytes(thai_page(), "JPEG")
        archive.writestr("ขาด.jpg", jpeg[: len(jpeg) // 3])
    (tmp_path / "วันนี้.zip").write_bytes(buffer.getvalue())
    # when Alice imports it from her center's tray
    desk = open_as(alice)
    desk.goto("/")
    desk.get_by_role("link", name="เอกสารสแกน").first.click()
    desk.get_by_role("link", name="นำเข้าเป็นชุด (ไฟล์ ZIP)").click()
    assert violations(desk) == []
    desk.get_by_label("ไฟล์ ZIP ของเอกสารสแกน").set_input_files(str(tmp_path / "วันนี้.zip"))
    desk.get_by_role("button", name="นำเข้า").click()
    # then the batch's page shows it done, the broken file reported by name and reason
    expect(desk.get_by_test_id("batch-finished")).to_be_visible()
    expect(desk.get_by_test_id("batch-rejected")).to_contain_text("ขาด.jpg")
    expect(desk.get_by_test_id("batch-rejected")).to_contain_text("เป็นภาพที่เสียหรือไม่ครบ")
    expect(desk.get_by_test_id("batch-documents").get_by_test_id("document-status")).to_have_count(12)
    expect(desk.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    assert violations(desk) == []


def test_a_batch_being_read_moves_its_progress_bar(open_as, alice):
    # given a batch whose two documents wait to be read
    batch = Batch.objects.create(source=Batch.Source.FOLDER, name="เครื่องสแกน 1", district_id="7001", total=2)
    waiting = [stored_document(district="7001", name=f"scan{n}.pdf") for n in range(2)]
    for document in waiting:
        Document.objects.filter(pk=document.pk).update(batch=batch, status=Document.Status.QUEUED)
        document.pages.update(read_at=None)
    batch.finished_at = batch.created_at
    batch.save()
    desk = open_as(alice)
    desk.goto(f"/documents/batches/{batch.pk}/")
    bar = desk.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "10")
    # when the workers read one, then the other
    Document.objects.filter(pk=waiting[0].pk).update(status=Document.Status.DONE)
    waiting[0].pages.update(read_at=batch.created_at)
    expect(desk.get_by_test_id("batch-counts").locator('[data-count="pages_read"]')).to_have_text("1")
    expect(bar).to_have_attribute("aria-valuenow", "55")
    Document.objects.filter(pk=waiting[1].pk).update(status=Document.Status.DONE)
    waiting[1].pages.update(read_at=batch.created_at)
    # then the page shows the batch done, without Alice reloading it
    expect(desk.get_by_test_id("batch-finished")).to_be_visible()


@pytest.mark.usefixtures("quick_reading")
def test_the_case_page_lists_its_scans_and_takes_another(open_as, alice, new_case, tmp_path):
    stored_document(complaint=new_case, name="หนังสือร้องเรียน.pdf")
    (tmp_path / "หนังสือตอบ.pdf").write_bytes(pdf_of(thai_page()))
    desk = open_as(alice)
    desk.goto(new_case.get_absolute_url())
    panel = desk.get_by_test_id("documents-panel")
    expect(panel).to_contain_text("หนังสือร้องเรียน.pdf")
    panel.get_by_label("ไฟล์สแกน (PDF, TIFF, JPEG, PNG)").set_input_files(str(tmp_path / "หนังสือตอบ.pdf"))
    panel.get_by_role("button", name="เพิ่มเอกสารสแกน").click()
    expect(desk.get_by_role("status").first).to_contain_text("เพิ่มเอกสารสแกน 1 ไฟล์แล้ว")
    row = desk.get_by_test_id("document").filter(has_text="หนังสือตอบ.pdf")
    expect(row.get_by_test_id("document-status")).to_have_attribute("data-status", "done")
    row.get_by_role("link", name="หนังสือตอบ.pdf").click()
    expect(desk.get_by_test_id("page-text")).to_contain_text("อ่านแล้ว")
    assert violations(desk) == []
