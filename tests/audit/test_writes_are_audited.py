"""Writes that used to skip the service layer: a file attached to a case, and an
administrator deleting a case's workflow process."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases import services
from cases.models import Attachment, CaseEvent
from tests.cases.test_files import MINIMAL_PDF
from workflows import engine
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="หนังสือแจ้งผล.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def test_an_upload_is_on_the_timeline_and_in_the_audit_log(signed_in, alice, new_case, audrey):
    # when Alice attaches a letter on the case page
    client = signed_in(alice)
    response = client.post(reverse("cases:upload", args=[new_case.pk]), {"file": pdf(), "description": "หนังสืออำเภอ"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(complaint=new_case)
    # then the timeline has the step, by her
    event = CaseEvent.objects.get(complaint=new_case, action="attach")
    assert event.actor == alice and event.data == {"attachment": attachment.pk}
    assert event.note == "หนังสือแจ้งผล.pdf — หนังสืออำเภอ"
    assert event.from_status == event.to_status == new_case.status
    # and the audit log a row with what was stored
    row = AuditEvent.objects.get(kind=Kind.ATTACHMENT)
    assert (row.actor_id, row.complaint_id, row.detail) == (alice.pk, new_case.pk, "หนังสือแจ้งผล.pdf")
    assert row.after["sha256"] == attachment.sha256 and row.after["id"] == attachment.pk
    page = client.get(new_case.get_absolute_url()).content.decode()
    assert "แนบไฟล์" in page
    # and the auditor reads it in Thai
    audit_page = signed_in(audrey).get(reverse("audit:case", args=[new_case.pk])).content.decode()
    assert "ค่าตรวจสอบไฟล์ (SHA-256)" in audit_page and attachment.sha256 in audit_page


def test_a_refused_file_leaves_no_event_and_no_audit_row(signed_in, alice, new_case):
    client = signed_in(alice)
    client.post(reverse("cases:upload", args=[new_case.pk]), {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")})
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(action="attach").exists()
    assert not AuditEvent.objects.filter(kind=Kind.ATTACHMENT).exists()


def test_the_service_refuses_who_may_not_attach(bob, new_case):
    with pytest.raises(services.ActionRefused):
        services.case_attach(actor=bob, case=new_case, uploaded=pdf())
    assert not Attachment.objects.exists()


def test_the_admin_may_not_delete_a_cases_process(signed_in, ada, new_case):
    process = engine.current_process(new_case)
    tasks = CaseTask.objects.filter(process=process).count()
    assert process is not None and tasks
    client = signed_in(ada)
    delete = reverse("admin:viewflow_process_delete", args=[process.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:viewflow_process_changelist"))
    assert changelist.status_code == 200  # still there to look at
    assert client.get(reverse("admin:viewflow_process_change", args=[process.pk])).status_code == 200
    assert CaseTask.objects.filter(process=process).count() == tasks
    tasks_page = reverse("admin:viewflow_task_changelist")
    assert client.get(tasks_page).status_code == 200
