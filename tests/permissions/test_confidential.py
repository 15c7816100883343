"""A confidential complainant (for example, against an official) is masked for
everyone but the heads and the officers handling the case, and auditors."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases import services
from cases.services import ComplainantData
from tests.case_fixtures import intake_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME = "สุดา"
SURNAME = "ลับเฉพาะ"
PHONE = "0899990000"


@pytest.fixture
def confidential_case(alice):
    data = intake_data(
        complainants=[
            ComplainantData(title="นาง", first_name=NAME, last_name=SURNAME, phone=PHONE, is_confidential=True)
        ]
    )
    case, _ = services.case_intake(actor=alice, district=alice.district, data=data)
    return case


@pytest.fixture
def colleague(geography):
    """An officer of the same district who is not handling the case."""
    return UserFactory(first_name="เพื่อนร่วมงาน", roles=["district_officer"], district="7001")


def page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_masked_for_a_colleague_the_province_and_in_exports(
    signed_in, confidential_case, colleague, paula, export_file
):
    for person in (colleague, paula):
        content = page(signed_in(person), confidential_case)
        assert confidential_case.number in content
        assert NAME not in content and SURNAME not in content and PHONE not in content
        assert "ปกปิดข้อมูลผู้ร้อง" in content
    csv = export_file(signed_in(colleague), reverse("cases:list_csv")).content.decode("utf-8-sig")
    assert confidential_case.number in csv
    assert NAME not in csv and "[ปกปิดข้อมูลผู้ร้อง]" in csv
    assert AuditEvent.objects.filter(kind=Kind.EXPORT, actor_id=colleague.pk).exists()
    assert not AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW).exists()


def test_search_does_not_reveal_the_name(signed_in, confidential_case, colleague):
    content = signed_in(colleague).get(reverse("cases:list"), {"q": SURNAME}).content.decode()
    assert confidential_case.number not in content


def test_the_handling_officer_sees_it_and_the_view_is_logged(signed_in, confidential_case, alice, harry, export_file):
    content = page(signed_in(alice), confidential_case)  # Alice recorded it: she handles it
    assert NAME in content and PHONE in content
    viewed = AuditEvent.objects.get(kind=Kind.PERSONAL_DATA_VIEW, actor_id=alice.pk)
    person = confidential_case.complainants.get(is_confidential=True)
    # The row names the person by reference, never by name (tests/audit/test_audit_rendering.py).
    assert viewed.complaint_id == confidential_case.pk and viewed.detail == f"complainant:{person.pk}"
    assert NAME in page(signed_in(harry), confidential_case)  # the head of the center
    assert AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=harry.pk).count() == 1
    csv = export_file(signed_in(alice), reverse("cases:list_csv")).content.decode("utf-8-sig")
    assert f"นาง{NAME} {SURNAME}" in csv


def test_an_official_named_as_respondent_never_sees_the_case(signed_in, alice):
    from cases.services import RespondentData

    official = UserFactory(first_name="ผู้ถูกร้อง", roles=["district_officer"], district="7001")
    data = intake_data(respondents=[RespondentData(kind="official", name="เจ้าหน้าที่", national_id=official.national_id)])
    case, _ = services.case_intake(actor=alice, district=alice.district, data=data)
    client = signed_in(official)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case.number not in client.get(reverse("cases:list")).content.decode()


def test_an_auditor_sees_it_in_the_history_and_that_view_is_logged(signed_in, confidential_case, audrey):
    content = signed_in(audrey).get(reverse("audit:case", args=[confidential_case.pk])).content.decode()
    assert NAME in content
    assert AuditEvent.objects.filter(
        kind=Kind.PERSONAL_DATA_VIEW, actor_id=audrey.pk, complaint_id=confidential_case.pk
    ).exists()


def test_claiming_the_queue_task_or_attaching_a_file_does_not_unmask(
    signed_in, confidential_case, colleague, harry, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(photo, "JPEG")

    from workflows import engine

    # given a colleague of the district, not handling the case, who claims its queue task
    task = engine.open_tasks(confidential_case).get()
    engine.claim(task, colleague)
    # and attaches a file to it
    services.case_attach(
        actor=colleague, case=confidential_case, uploaded=SimpleUploadedFile("site.jpg", photo.getvalue(), "image/jpeg")
    )
    assert confidential_case.events.filter(actor=colleague, action="attach").exists()

    # then the name stays masked for him
    content = page(signed_in(colleague), confidential_case)
    assert NAME not in content and PHONE not in content and "ปกปิดข้อมูลผู้ร้อง" in content

    # but once the head hands him the task, he handles the case and sees it
    engine.release(engine.open_tasks(confidential_case).get(), colleague)
    engine.reassign(engine.open_tasks(confidential_case).get(), harry, colleague)
    assert NAME in page(signed_in(colleague), confidential_case)
