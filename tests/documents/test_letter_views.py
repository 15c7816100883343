"""รับเรื่องจากหนังสือ through its pages: Alice, an officer of Mueang Ratchaburi, uploads a
scanned letter (or picks one from her center's tray), waits while it is read, and records
the case on the intake form beside it, taking the letter's suggestions one by one. The
case is recorded as at the counter, channel letter, with the letter filed on it, in one
transaction; bad input keeps the letter and what she typed. Bob, of Ban Pong, never
reaches her center's letters; whoever does not take intake reaches none."""

import hashlib
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases.models import Channel, Complaint
from cases.services import ActionRefused
from documents import letters
from documents.models import Document, Page
from tests.cases.test_intake import form_data
from tests.documents.test_suggest import OFFICIAL, SOMCHAI_ID

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (200, 280), 255).save(buffer, "PNG")
    return buffer.getvalue()


def tray_letter(district="7001", *, status=Document.Status.DONE, text=OFFICIAL, error="") -> Document:
    """A scanned letter in ``district``'s tray, read (or not) as ``status`` says."""
    content = png_bytes()
    document = Document.objects.create(
        district_id=district, original=ContentFile(content, name="letter.png"), original_name="หนังสือนายสมชาย.png",
        content_type="image/png", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        status=status, error=error, page_count=1 if text else 0,
    )  # fmt: skip
    if text:
        Page.objects.create(document=document, number=1, text=text)
    return document


def url(name, document):
    return reverse(f"documents:{name}", args=[document.pk])


def letter_form(**overrides):
    """The intake form as Alice posts it after taking the letter's suggestions."""
    values = dict(
        channel="letter",
        subject="ขอให้ตรวจสอบการบุกรุกที่ดินสาธารณประโยชน์",
        **{
            "complainant-0-title": "นาย",
            "complainant-0-first_name": "สมชาย",
            "complainant-0-last_name": "ใจดี",
            "complainant-0-national_id": SOMCHAI_ID,
            "complainant-0-phone": "081-234-5678",
            "respondent-0-name": "นายสมศักดิ์ มั่งมี",
            "incident_subdistrict": "700120",
        },
    )
    values.update(overrides)
    return form_data(**values)


# --- The way in ---------------------------------------------------------------------------


def test_the_intake_page_leads_to_a_case_from_a_letter(signed_in, alice):
    response = signed_in(alice).get(reverse("cases:intake"))
    assert reverse("documents:letter_start") in response.content.decode()


def test_the_upload_page_offers_the_centers_tray_only(signed_in, alice, new_case):
    mine, theirs, filed = tray_letter(), tray_letter("7005"), tray_letter()
    Document.objects.filter(pk=filed.pk).update(complaint=new_case)

    response = signed_in(alice).get(reverse("documents:letter_start"))

    page = response.content.decode()
    assert response.status_code == 200
    assert url("letter_reading", mine) in page
    assert url("letter_reading", theirs) not in page and url("letter_reading", filed) not in page


def test_an_upload_becomes_a_letter_in_the_centers_tray_and_waits_to_be_read(signed_in, alice):
    client = signed_in(alice)
    upload = SimpleUploadedFile("หนังสือ.png", png_bytes(), content_type="image/png")

    response = client.post(reverse("documents:letter_start"), {"file": upload, "description": "จากผู้ร้อง"})

    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == url("letter_reading", document)
    assert document.district_id == "7001" and document.complaint_id is None
    assert document.uploaded_by == alice and document.description == "จากผู้ร้อง"
    # Nothing committed in this test, so the reading has not run: the page waits.
    waiting = client.get(url("letter_reading", document))
    assert waiting.status_code == 200
    assert url("letter_status", document) in waiting.content.decode()


def test_a_file_that_is_no_scan_is_refused_in_thai(signed_in, alice):
    upload = SimpleUploadedFile("หนังสือ.pdf", b"not a pdf at all", content_type="application/pdf")
    response = signed_in(alice).post(reverse("documents:letter_start"), {"file": upload})
    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert response.context["form"].errors


def test_no_file_is_asked_for(signed_in, alice):
    response = signed_in(alice).post(reverse("documents:letter_start"), {})
    assert response.status_code == 400
    assert "กรุณาเลือกไฟล์หนังสือที่สแกน" in response.content.decode()


# --- Waiting while it is read ---------------------------------------------------------------


@pytest.mark.parametrize(
    "status, next_page",
    [
        (Document.Status.QUEUED, ""),
        (Document.Status.READING, ""),
        (Document.Status.DONE, "letter_intake"),
        (Document.Status.FAILED, "letter_reading"),
    ],
)
def test_the_progress_says_where_to_go_when_the_reading_ends(signed_in, alice, status, next_page):
    document = tray_letter(status=status, error="ไฟล์ PDF เสียหาย" if status == "failed" else "")
    data = signed_in(alice).get(url("letter_status", document)).json()
    assert data["status"] == status
    assert data["next"] == (url(next_page, document) if next_page else "")
    assert data["error"] == ("ไฟล์ PDF เสียหาย" if status == "failed" else "")


def test_a_letter_read_opens_the_intake_form(signed_in, alice):
    document = tray_letter()
    response = signed_in(alice).get(url("letter_reading", document))
    assert response.status_code == 302 and response["Location"] == url("letter_intake", document)


def test_a_failed_reading_says_why_and_offers_to_retry_or_go_on_without(signed_in, alice):
    document = tray_letter(status=Document.Status.FAILED, text="", error="อ่านไฟล์ไม่ได้: ไฟล์ PDF เสียหาย")
    client = signed_in(alice)

    page = client.get(url("letter_reading", document)).content.decode()
    assert "อ่านไฟล์ไม่ได้: ไฟล์ PDF เสียหาย" in page
    assert url("letter_retry", document) in page and url("letter_intake", document) in page

    # Going on without: the form, the letter beside it, no suggestions.
    form = client.get(url("letter_intake", document))
    assert form.status_code == 200 and form.context["suggestions"] == []
    assert "อ่านหนังสือไม่สำเร็จ จึงไม่มีข้อมูลแนะนำ" in form.content.decode()


def test_retrying_queues_the_reading_again(signed_in, alice):
    document = tray_letter(status=Document.Status.FAILED, text="", error="อ่านไม่สำเร็จ")
    response = signed_in(alice).post(url("letter_retry", document))
    assert response.status_code == 302 and response["Location"] == url("letter_reading", document)
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.error == ""


# --- The form beside the letter ---------------------------------------------------------------


def test_the_form_shows_the_letter_and_its_suggestions_and_fills_nothing(signed_in, alice):
    document = tray_letter()
    response = signed_in(alice).get(url("letter_intake", document))

    assert response.status_code == 200
    page = response.content.decode()
    suggested = {s.field: s.value for s in reversed(response.context["suggestions"])}
    assert suggested["first_name"] == "สมชาย" and suggested["national_id"] == SOMCHAI_ID
    assert 'data-value="สมชาย"' in page  # the button that takes it
    assert "ข้าพเจ้า นายสมชาย ใจดี อายุ 52 ปี" in page  # the letter's text, beside the form
    # Nothing taken yet: the fields are empty, only the channel says it came by letter.
    form, complainants = response.context["form"], response.context["complainants"]
    assert form["subject"].value() is None and form["description"].value() is None
    assert complainants.forms[0]["first_name"].value() is None
    assert form["channel"].value() == Channel.LETTER


def test_saving_records_the_case_as_at_the_counter_and_files_the_letter(signed_in, alice):
    document = tray_letter()

    response = signed_in(alice).post(url("letter_intake", document), letter_form())

    case = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.channel == Channel.LETTER and case.district_id == "7001" and case.recorded_by == alice
    complainant = case.complainants.get()
    assert (complainant.first_name, complainant.national_id) == ("สมชาย", SOMCHAI_ID)
    document.refresh_from_db()
    assert document.complaint == case


def test_bad_input_keeps_the_letter_and_everything_typed(signed_in, alice):
    document = tray_letter()

    response = signed_in(alice).post(url("letter_intake", document), letter_form(subject=""))

    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    page = response.content.decode()
    assert 'value="สมชาย"' in page and 'value="081-234-5678"' in page  # what she typed
    assert "ข้าพเจ้า นายสมชาย ใจดี" in page and response.context["suggestions"]  # the letter
    document.refresh_from_db()
    assert document.complaint_id is None


def test_the_case_and_the_filing_are_one_transaction(signed_in, alice, monkeypatch):
    document = tray_letter()

    def refuse(document, complaint, actor):
        raise ActionRefused("ไม่สามารถแนบหนังสือได้")

    monkeypatch.setattr(letters.services, "file_on_case", refuse)
    response = signed_in(alice).post(url("letter_intake", document), letter_form())

    assert response.status_code == 400
    assert Complaint.objects.count() == 0  # the case went back with the filing
    assert "ไม่สามารถแนบหนังสือได้" in response.content.decode()


def test_the_same_form_saved_again_records_no_second_case(signed_in, alice):
    document = tray_letter()
    client = signed_in(alice)
    data = letter_form(submission_key=str(uuid.uuid4()))
    client.post(url("letter_intake", document), data)

    again = client.post(url("letter_intake", document), data, follow=True)

    assert Complaint.objects.count() == 1
    assert "บันทึกเรื่องนี้ไปแล้ว" in again.content.decode()
    # Opening the letter again leads to its case.
    opened = client.get(url("letter_intake", document))
    assert opened.status_code == 302 and opened["Location"] == Complaint.objects.get().get_absolute_url()


def test_a_letter_filed_on_a_case_is_filed_on_no_other(signed_in, alice):
    document = tray_letter()
    client = signed_in(alice)
    client.post(url("letter_intake", document), letter_form())

    # Another submission of the same complaint, confirmed as a new case past the duplicate warning.
    other = client.post(
        url("letter_intake", document), letter_form(submission_key=str(uuid.uuid4()), confirm_duplicate="1")
    )

    assert Complaint.objects.count() == 1
    assert "หนังสือนี้บันทึกเข้าเรื่องอื่นไปแล้ว" in other.content.decode()


# --- Who reaches a letter ----------------------------------------------------------------------

LETTER_PAGES = [
    ("get", "letter_reading"),
    ("get", "letter_status"),
    ("post", "letter_retry"),
    ("get", "letter_intake"),
    ("post", "letter_intake"),
]


@pytest.mark.parametrize("method, name", LETTER_PAGES)
def test_another_centers_letter_is_not_found(signed_in, bob, method, name):
    document = tray_letter("7001")
    response = getattr(signed_in(bob), method)(url(name, document))
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.complaint_id is None


@pytest.mark.parametrize("person", ["tom", "harry", "paula", "carol"])
@pytest.mark.parametrize("method, name", [*LETTER_PAGES, ("get", None)])
def test_who_does_not_take_intake_reaches_no_letter(signed_in, request, person, method, name):
    document = tray_letter("7001")
    target = url(name, document) if name else reverse("documents:letter_start")
    response = getattr(signed_in(request.getfixturevalue(person)), method)(target)
    assert response.status_code == 403


@pytest.mark.parametrize("method, name", LETTER_PAGES)
def test_signing_in_comes_first(client, geography, method, name):
    document = tray_letter("7001")
    response = getattr(client, method)(url(name, document))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
