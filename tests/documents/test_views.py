"""The documents' pages, as Alice (an officer of Mueang Ratchaburi) uses them: the panel of her
case's page, adding scans, a document's pages and files, her center's tray and filing a letter
on a case by its number, a ZIP batch followed by its progress bar. Bob (Ban Pong) sees none of
it; Tom (a team member) no tray; the province and the nation see the trays in their scope."""

import io
import zipfile

import pytest
from django.urls import reverse

from cases.services import case_intake
from documents.models import Batch, Document
from tests.case_fixtures import intake_data
from tests.documents.scans import pdf_of, stored_document, thai_page, tiny_scan, upload

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"documents:{name}", args=args)


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


# --- The case page -----------------------------------------------------------------------------


def test_the_case_page_fetches_its_documents_panel(signed_in, alice, new_case):
    page = signed_in(alice).get(new_case.get_absolute_url()).content.decode()
    assert url("case_panel", new_case.pk) in page and "js/documents.js" in page


def test_scans_added_from_the_case_page_are_listed_with_their_status(
    signed_in, alice, new_case, django_capture_on_commit_callbacks, quick_reading
):
    client = signed_in(alice)
    files = [upload(pdf_of(thai_page(), thai_page()), "หนังสือ.pdf"), upload(b"<html></html>", "page.pdf")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("case_upload", new_case.pk), {"file": files, "description": "หนังสือร้องเรียน"})
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("เพิ่มเอกสารสแกน 1 ไฟล์แล้ว" in m for m in shown)
    assert any("“page.pdf” ไม่ใช่ไฟล์สแกน" in m for m in shown)
    panel = client.get(url("case_panel", new_case.pk)).content.decode()
    document = Document.objects.get()
    assert "หนังสือ.pdf" in panel and 'data-status="done"' in panel and "2 หน้า" in panel
    assert url("searchable", document.pk) in panel and "data-documents-pending" not in panel


def test_a_failed_document_shows_why_and_is_read_again(
    signed_in, alice, new_case, django_capture_on_commit_callbacks, quick_reading
):
    document = stored_document(complaint=new_case)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED, error="หน้า 1: เปิดไฟล์ไม่ได้")
    client = signed_in(alice)
    panel = client.get(url("case_panel", new_case.pk)).content.decode()
    assert "หน้า 1: เปิดไฟล์ไม่ได้" in panel and url("retry", document.pk) in panel
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("retry", document.pk), {"next": new_case.get_absolute_url()})
    assert response["Location"] == new_case.get_absolute_url()
    document.refresh_from_db()
    assert (document.status, document.attempts) == (Document.Status.DONE, 2)


# --- A document, its pages and files ---------------------------------------------------------------


def test_a_documents_pages_and_files(signed_in, alice, new_case):
    document = stored_document(complaint=new_case, text="ข้าพเจ้าขอร้องเรียนเรื่องน้ำท่วม")
    client = signed_in(alice)
    page = client.get(url("document", document.pk)).content.decode()
    assert "ข้าพเจ้าขอร้องเรียนเรื่องน้ำท่วม" in page and new_case.number in page and document.sha256 in page
    one = client.get(url("page", document.pk, 1)).content.decode()
    assert "ข้าพเจ้าขอร้องเรียนเรื่องน้ำท่วม" in one and f"{url('searchable', document.pk)}#page=1" in one
    assert client.get(url("page", document.pk, 2)).status_code == 404
    original = client.get(url("original", document.pk))
    with document.original.open("rb") as stored:
        assert b"".join(original.streaming_content) == stored.read()
    assert original["Content-Disposition"].startswith("attachment") and "sandbox" in original["Content-Security-Policy"]
    searchable = client.get(url("searchable", document.pk))
    assert searchable["Content-Type"] == "application/pdf" and searchable["Content-Disposition"].startswith("inline")


# --- The tray --------------------------------------------------------------------------------------


def test_the_tray_lists_the_centers_letters_and_files_one_on_a_case(
    signed_in, alice, bob, new_case, django_capture_on_commit_callbacks, quick_reading
):
    client = signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("tray_upload"), {"file": [upload(tiny_scan(1), "เก่า.png")]})
        client.post(url("tray_upload"), {"file": [upload(tiny_scan(2), "ใหม่.png")]})
    older, newer = Document.objects.order_by("pk")
    bobs = stored_document(district="7005", name="ของบ้านโป่ง.pdf")
    tray = client.get(url("tray")).content.decode()
    assert tray.index("ใหม่.png") < tray.index("เก่า.png") and "ของบ้านโป่ง.pdf" not in tray
    # a case number she does not see is "not found", as one that does not exist
    bob_case = _bobs_case(bob)
    response = client.post(url("file_on_case", newer.pk), {"case": bob_case.number, "next": url("tray")})
    assert "ไม่พบเรื่องเลขที่นี้" in str(list(response.wsgi_request._messages)[0])
    # her own case's number files the letter on it
    number = new_case.number.replace("/", " / ")
    response = client.post(url("file_on_case", newer.pk), {"case": number})
    assert response["Location"] == new_case.get_absolute_url() + "#documents"
    assert Document.objects.get(pk=newer.pk).complaint_id == new_case.pk
    tray = client.get(url("tray")).content.decode()
    assert tray.count('data-testid="tray-document"') == 1 and f'data-document="{newer.pk}"' not in tray
    assert client.get(url("document", bobs.pk)).status_code == 404


def _bobs_case(bob):
    case, _ = case_intake(actor=bob, district=bob.district, data=intake_data())
    return case


def test_a_zip_batch_and_its_progress(signed_in, alice, django_capture_on_commit_callbacks, quick_reading):
    client = signed_in(alice)
    assert client.get(url("batch_new")).status_code == 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.png", tiny_scan(1))
        archive.writestr("b.png", tiny_scan(2))
        archive.writestr("readme.txt", "ไม่ใช่ไฟล์สแกน")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("batch_new"), {"file": upload(buffer.getvalue(), "ชุดที่1.zip")})
    batch = Batch.objects.get()
    assert response["Location"] == url("batch", batch.pk)
    page = client.get(url("batch", batch.pk)).content.decode()
    assert 'data-testid="batch-finished"' in page and "readme.txt" in page and "ไม่ใช่ไฟล์สแกน" in page
    status = client.get(url("batch_status", batch.pk)).json()
    assert (status["finished"], status["percent"], status["documents"], status["pages_read"]) == (True, 100, 2, 2)
    assert status["rejected"][0]["name"] == "readme.txt"
    refused = client.post(url("batch_new"), {"file": upload(b"nope", "x.zip")})
    assert refused.status_code == 400 and "ไม่ใช่ไฟล์ ZIP" in refused.content.decode()


# --- Who sees what ---------------------------------------------------------------------------------


def test_outside_their_scope_people_get_nothing(signed_in, alice, bob, tom, paula, kim, carol, new_case):
    on_case = stored_document(complaint=new_case)
    in_tray = stored_document(district="7001")
    batch = Batch.objects.create(source=Batch.Source.UPLOAD, name="b", district_id="7001", total=0)
    case_urls = [url("case_panel", new_case.pk), url("document", on_case.pk), url("original", on_case.pk)]
    tray_urls = [url("document", in_tray.pk), url("page", in_tray.pk, 1), url("searchable", in_tray.pk),
                 url("batch", batch.pk), url("batch_status", batch.pk)]  # fmt: skip
    for person, sees_case, sees_tray in ((bob, False, False), (kim, False, False), (tom, False, False),
                                         (paula, True, True), (carol, True, True), (alice, True, True)):  # fmt: skip
        client = signed_in(person)
        for address in case_urls:
            assert client.get(address).status_code == (200 if sees_case else 404), (person, address)
        for address in tray_urls:
            assert client.get(address).status_code == (200 if sees_tray else 404), (person, address)
    # the tray page itself: none for a team member; posts from outside change nothing
    assert signed_in(tom).get(url("tray")).status_code == 403
    assert signed_in(bob).post(url("file_on_case", in_tray.pk), {"case": new_case.number}).status_code == 404
    assert (
        signed_in(bob).post(url("case_upload", new_case.pk), {"file": upload(tiny_scan(), "x.png")}).status_code == 404
    )
    assert Document.objects.get(pk=in_tray.pk).complaint_id is None and Document.objects.count() == 2


def test_the_menu_offers_the_tray_to_who_sees_one(signed_in, alice, tom):
    assert url("tray") in signed_in(alice).get(reverse("home")).content.decode()
    assert url("tray") not in signed_in(tom).get(reverse("home")).content.decode()


def test_a_letter_in_the_tray_becomes_a_case_from_there(signed_in, alice, harry):
    letter = stored_document(district="7001", name="หนังสือ.pdf")
    reading = reverse("documents:letter_reading", args=[letter.pk])
    assert reading in signed_in(alice).get(url("tray")).content.decode()
    # The head sees the tray, but takes no intake: no such button for him.
    assert reading not in signed_in(harry).get(url("tray")).content.decode()
