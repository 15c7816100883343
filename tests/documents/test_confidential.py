"""A scanned letter names its writer. On a case whose complainant asked not to be named, Amy (an
officer of the same center, not handling it) sees that there is a scan, never its name, text or
files; Harry (the head) reads it, and each reading is logged as a view of personal data. Adding
and filing a scan are audit rows with the file's hash."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases.services import ComplainantData, case_intake
from documents import services
from tests.case_fixtures import intake_data
from tests.documents.scans import stored_document, tiny_scan, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def confidential_letter(alice):
    case, _ = case_intake(
        actor=alice,
        district=alice.district,
        data=intake_data(complainants=[ComplainantData(first_name="ลับเฉพาะ", last_name="ผู้ร้อง", is_confidential=True)]),
    )
    return stored_document(complaint=case, text="ข้าพเจ้า นายลับเฉพาะ ผู้ร้อง", name="หนังสือนายลับเฉพาะ.pdf")


def urls(document):
    return [
        reverse("documents:document", args=[document.pk]),
        reverse("documents:page", args=[document.pk, 1]),
        reverse("documents:original", args=[document.pk]),
        reverse("documents:searchable", args=[document.pk]),
    ]


def test_an_officer_who_may_not_see_the_complainant_reads_nothing_of_the_letter(signed_in, amy, confidential_letter):
    client = signed_in(amy)
    panel = client.get(reverse("documents:case_panel", args=[confidential_letter.complaint_id])).content.decode()
    assert "ลับเฉพาะ" not in panel and 'data-testid="document-masked"' in panel
    for url in urls(confidential_letter):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "ลับเฉพาะ" not in response.content.decode(), url
    assert not AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=amy.pk).exists()


def test_the_head_reads_it_and_each_reading_is_logged(signed_in, harry, confidential_letter):
    client = signed_in(harry)
    page = client.get(reverse("documents:page", args=[confidential_letter.pk, 1])).content.decode()
    assert "ลับเฉพาะ" in page
    logged = AuditEvent.objects.filter(
        kind=Kind.PERSONAL_DATA_VIEW, actor_id=harry.pk, complaint_id=confidential_letter.complaint_id
    )
    assert logged.count() == 1


def test_adding_and_filing_a_scan_are_audited_with_its_hash(alice, new_case, quick_reading):
    letter = services.add_document(uploaded=upload(tiny_scan(), "letter.png"), actor=alice, district=alice.district)
    added = AuditEvent.objects.get(action="document_added")
    assert added.complaint_id is None and added.after["sha256"] == letter.sha256 and added.actor_id == alice.pk
    services.file_on_case(letter, new_case, alice)
    filed = AuditEvent.objects.get(action="document_filed")
    assert filed.complaint_id == new_case.pk and filed.after["case"] == new_case.number
