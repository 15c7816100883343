"""A scan added to a case is read in the background, page by page: queued with the file, one
outbox message a page, read after the commit (for real here: a two-page Thai letter), the
pages' searchable PDFs joined, the document done and the search told. A reading that fails
says why and can be started again; what an old attempt still had in the queue is ignored;
a document filed on another case or deleted tells the search too."""

import subprocess

import pytest
from django.core.files.base import ContentFile

from cases.services import ActionRefused
from core import outbox
from core.models import OutboxMessage
from documents import services
from documents.models import Document
from documents.signals import document_changed
from tests.documents.scans import LETTER, pdf_of, thai_page, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    """The documents ``document_changed`` was sent for, with the case each left."""
    sent = []

    def receive(sender, document, previous_complaint_id=None, **kwargs):
        sent.append((document.pk, document.complaint_id, previous_complaint_id))

    document_changed.connect(receive, dispatch_uid="tests.documents.changes")
    yield sent
    document_changed.disconnect(dispatch_uid="tests.documents.changes")


def add(case, actor, data, name, capture, execute=True):
    with capture(execute=execute):
        document = services.add_document(uploaded=upload(data, name), actor=actor, complaint=case)
    document.refresh_from_db()
    return document


def test_a_letter_added_to_a_case_is_read_after_the_commit(
    alice, new_case, django_capture_on_commit_callbacks, changes
):
    # given a two-page Thai letter, scanned at 200 dpi, its second page upside down
    second = "หน้าที่สอง ผู้ใหญ่บ้านรับทราบแล้ว\n" + LETTER
    scan = pdf_of(thai_page(dpi=200), thai_page(second, dpi=200, height_in=3.6).rotate(180), dpi=200)
    # when Alice adds it to her case: it waits, a message a page in the outbox
    with django_capture_on_commit_callbacks(execute=False):
        document = services.add_document(uploaded=upload(scan, "หนังสือร้องเรียน.pdf"), actor=alice, complaint=new_case)
    assert (document.status, document.page_count, document.attempts) == ("queued", 2, 1)
    assert OutboxMessage.objects.filter(task_name="documents.read_page").count() == 2
    # and once it is committed the workers read it
    with django_capture_on_commit_callbacks(execute=True):
        outbox.relay()
    document.refresh_from_db()
    # then it is read, page by page, the original kept as it came
    assert document.status == Document.Status.DONE, document.error
    pages = list(document.pages.order_by("number"))
    assert "ขอให้ตรวจสอบ" in pages[0].text and "ผู้ใหญ่บ้านรับทราบแล้ว" in pages[1].text
    assert all(page.read_at and page.confidence > 50 for page in pages)
    assert [page.rotation for page in pages] == [0, 180]
    assert "somjai2512" in pages[0].text and "081-234-5678" in pages[0].text
    with document.original.open("rb") as original:
        assert original.read() == scan
    # and the searchable PDF's second page extracts the second page's words
    with document.searchable_pdf.open("rb") as searchable:
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-f", "2", "-l", "2", "-enc", "UTF-8", "-", "-"],  # noqa: S607
            input=searchable.read(), capture_output=True, check=True,
        ).stdout.decode()  # fmt: skip
    assert "ผู้ใหญ่บ้านรับทราบแล้ว" in text
    # and the search was told once, when the text was there
    assert changes == [(document.pk, new_case.pk, None)]


def test_a_reading_that_fails_says_why_and_can_be_started_again(
    alice, new_case, django_capture_on_commit_callbacks, quick_reading
):
    # given a scan whose stored file is damaged before it is read
    document = add(new_case, alice, pdf_of(thai_page()), "letter.pdf", django_capture_on_commit_callbacks, False)
    good = document.original.read()
    document.original.close()
    document.original.storage.delete(document.original.name)
    document.original.storage.save(document.original.name, ContentFile(b"%PDF-1.4\n" + b"\x00" * 300))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.relay()
    document.refresh_from_db()
    # then it failed, with the page and the reason, in Thai
    assert document.status == Document.Status.FAILED
    assert document.error.startswith("หน้า 1: ") and "PDF" in document.error
    # when the file is put right and Alice asks for a new reading
    document.original.storage.delete(document.original.name)
    document.original.storage.save(document.original.name, ContentFile(good))
    with django_capture_on_commit_callbacks(execute=True):
        services.retry(document, alice)
    document.refresh_from_db()
    # then the second attempt read it
    assert (document.status, document.attempts, document.error) == (Document.Status.DONE, 2, "")
    assert document.pages.get().text.startswith("อ่านแล้ว")


def test_only_a_failed_reading_is_started_again_and_by_whoever_may_add_there(
    alice, bob, new_case, django_capture_on_commit_callbacks, quick_reading
):
    document = add(new_case, alice, pdf_of(thai_page()), "letter.pdf", django_capture_on_commit_callbacks)
    assert document.status == "done"
    with pytest.raises(ActionRefused, match="ไม่ได้อยู่ในสถานะอ่านไม่สำเร็จ"):
        services.retry(document, alice)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED, error="x")
    with pytest.raises(ActionRefused, match="ไม่มีสิทธิ์"):
        services.retry(document, bob)


def test_what_an_old_attempt_left_in_the_queue_is_ignored(
    alice, new_case, django_capture_on_commit_callbacks, quick_reading
):
    document = add(new_case, alice, pdf_of(thai_page(), thai_page()), "two.pdf", django_capture_on_commit_callbacks)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED, error="x")
    with django_capture_on_commit_callbacks(execute=False):
        services.retry(document, alice)
    quick_reading.clear()
    # a page of attempt 1 delivered late reads nothing and changes nothing
    services.read_page(document.pk, 1, attempt=1)
    services.finish(document.pk, attempt=1)
    document.refresh_from_db()
    assert not quick_reading
    assert (document.status, document.attempts) == (Document.Status.QUEUED, 2)
    # the current attempt's page, delivered twice, is read once
    services.read_page(document.pk, 1, attempt=2)
    services.read_page(document.pk, 1, attempt=2)
    assert len(quick_reading) == 1


def test_filing_and_deleting_tell_the_search(
    alice, new_case, case_in, django_capture_on_commit_callbacks, quick_reading, changes
):
    other = case_in("received")
    document = add(new_case, alice, pdf_of(thai_page()), "letter.pdf", django_capture_on_commit_callbacks)
    changes.clear()
    services.file_on_case(document, other, alice)
    assert changes == [(document.pk, other.pk, new_case.pk)]
    assert Document.objects.get(pk=document.pk).complaint_id == other.pk
    Document.objects.get(pk=document.pk).delete()
    assert changes[-1] == (document.pk, other.pk, other.pk)


def test_a_tray_letter_goes_only_on_a_case_its_officer_may_add_to(
    alice, bob, new_case, case_in, django_capture_on_commit_callbacks, quick_reading
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.add_document(
            uploaded=upload(pdf_of(thai_page()), "l.pdf"), actor=alice, district=alice.district
        )
    assert (letter.complaint_id, letter.district_id) == (None, "7001")
    with pytest.raises(ActionRefused):
        services.file_on_case(letter, new_case, bob)  # not his tray
    closed = case_in("closed")
    with pytest.raises(ActionRefused, match="ไม่มีสิทธิ์เพิ่มเอกสาร"):
        services.file_on_case(letter, closed, alice)  # a closed case takes no more files
    services.file_on_case(letter, new_case, alice)
    assert letter.complaint_id == new_case.pk
    with pytest.raises(ActionRefused):
        services.add_document(uploaded=upload(pdf_of(thai_page()), "l.pdf"), actor=bob, district=alice.district)
