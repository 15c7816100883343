"""A progress report from the field (a note, the phone's position, photos), files attached
and downloaded with their thumbnails."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, ProgressReport, Status
from tests.api.conftest import photo

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def progress_url(case):
    return f"/api/v1/cases/{case.pk}/progress/"


def test_tom_reports_progress_with_photos_and_his_position(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)

    response = phone.post_form(
        progress_url(case),
        {
            "note": "เจรจากับผู้ถูกร้องแล้ว ยินยอมรื้อถอนภายใน 7 วัน",
            "expected_status": "investigating",
            "latitude": "13.536530123456789",
            "longitude": "99.81710049876",
            "photos": [photo("หน้างาน1.jpg", (800, 600)), photo("หน้างาน2.jpg")],
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["version"] == "investigating"
    report = ProgressReport.objects.get(complaint=case)
    assert report.author == tom and report.text.startswith("เจรจากับผู้ถูกร้องแล้ว")
    assert (str(report.latitude), str(report.longitude)) == ("13.536530", "99.817100")
    photos = list(report.attachments.order_by("pk"))
    assert [p.original_name for p in photos] == ["หน้างาน1.jpg", "หน้างาน2.jpg"]
    assert all(p.kind == Attachment.Kind.PHOTO and p.thumbnail for p in photos)
    listed = [a for a in body["attachments"] if a["progress_report"] == report.pk]
    assert [a["id"] for a in listed] == [p.pk for p in photos]
    # the thumbnail and the photo download through the API
    thumbnail = phone.get(listed[0]["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert b"".join(thumbnail.streaming_content).startswith(b"\xff\xd8")
    full = phone.get(listed[0]["url"])
    assert full.status_code == 200 and b"".join(full.streaming_content) == photos[0].file.open("rb").read()


def test_a_progress_report_sent_twice_is_kept_once(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)
    key = str(uuid.uuid4())

    answers = [
        phone.post_form(
            progress_url(case),
            {"note": "ส่งซ้ำเมื่อสัญญาณกลับมา", "expected_status": "investigating", "photos": [photo()]},
            headers={"Idempotency-Key": key},
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1]["Idempotent-Replayed"] == "true" and answers[1].json() == answers[0].json()
    assert ProgressReport.objects.filter(complaint=case).count() == 1
    assert Attachment.objects.filter(complaint=case).count() == 1


def test_a_report_without_a_note_or_with_half_a_position_is_refused(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)

    no_note = phone.post_form(progress_url(case), {"expected_status": "investigating"})
    half = phone.post_form(progress_url(case), {"note": "x", "expected_status": "investigating", "latitude": "13.5"})
    far = phone.post_form(
        progress_url(case), {"note": "x", "expected_status": "investigating", "latitude": "48.8", "longitude": "2.3"}
    )

    assert no_note.status_code == half.status_code == far.status_code == 400
    assert "note" in no_note.json()["fields"]
    assert "latitude" in half.json()["fields"]
    assert set(far.json()["fields"]) == {"latitude", "longitude"}
    assert not ProgressReport.objects.exists()


def test_a_file_that_is_no_photo_is_refused_and_nothing_is_kept(device, tom, case_in, tmp_path):
    case = case_in(Status.INVESTIGATING)
    fake = SimpleUploadedFile("ภาพ.jpg", MINIMAL_PDF, content_type="image/jpeg")

    response = device(tom).post_form(
        progress_url(case), {"note": "x", "expected_status": "investigating", "photos": [fake]}
    )

    assert response.status_code == 400
    assert "photos" in response.json()["fields"]
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_progress_on_a_case_not_under_investigation_is_a_conflict(device, tom, case_in):
    case = case_in(Status.ASSIGNED)

    response = device(tom).post_form(progress_url(case), {"note": "x", "expected_status": "assigned"})

    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and response.json()["case"]["version"] == "assigned"


def test_a_file_is_attached_and_downloaded(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)

    response = phone.post_form(
        f"/api/v1/cases/{case.pk}/attachments/",
        {
            "file": SimpleUploadedFile("หนังสือ.pdf", MINIMAL_PDF, content_type="application/pdf"),
            "description": "หนังสือยินยอม",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["content_type"], body["kind"], body["thumbnail_url"]) == (
        "หนังสือ.pdf",
        "application/pdf",
        "document",
        None,
    )
    download = phone.get(body["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == MINIMAL_PDF
    assert "attachment" in download["Content-Disposition"]
    # a document has no thumbnail
    assert phone.get(body["url"] + "?thumbnail=1").status_code == 404
    assert case.events.filter(action="attach").count() == 1


def test_no_file_on_a_closed_case(device, alice, case_in):
    case = case_in(Status.CLOSED)

    response = device(alice).post_form(f"/api/v1/cases/{case.pk}/attachments/", {"file": photo()})

    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_an_attachment_of_another_case_is_404(device, tom, case_in, alice):
    mine, other = case_in(Status.INVESTIGATING), case_in(Status.INVESTIGATING)
    phone = device(tom)
    attached = phone.post_form(f"/api/v1/cases/{other.pk}/attachments/", {"file": photo()}).json()

    assert phone.get(f"/api/v1/cases/{mine.pk}/attachments/{attached['id']}/").status_code == 404
