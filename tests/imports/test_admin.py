"""Ada uploads a register in the admin: it imports in the background (the outbox relays on
commit, Celery eager), and the job's page shows its progress until it ends."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases.models import Complaint
from core.models import OutboxMessage
from imports import services
from imports.models import ImportJob
from tests.factories import UserFactory
from tests.imports.conftest import closed, record, xlsx_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes, *, name="ทะเบียน.xlsx", **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type=XLSX), "source": "", "district_code": "", **fields}
    return client.post(reverse("admin:imports_importjob_add"), data)


@pytest.fixture
def admin_client(signed_in, ada):
    return signed_in(ada)


def test_an_upload_imports_in_the_background_and_shows_its_progress(
    admin_client, ada, django_capture_on_commit_callbacks
):
    # when Ada uploads a register of three records
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, xlsx_bytes([record(1), closed(2), record(3)]))
    # then she is taken to the job's page, and the worker has imported it
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:imports_importjob_change", args=[job.pk]
    )
    assert (job.status, job.total, job.done, job.added, job.skipped, job.failed) == ("done", 3, 3, 3, 0, 0)
    assert job.source == "ทะเบียน" and job.uploaded_by == ada and job.finished_at is not None
    assert Complaint.objects.filter(source="ทะเบียน").count() == 3
    assert Complaint.objects.get(source_key="OLD-000001").recorded_by == ada
    # the file and the names it held are gone; the job keeps its counts
    assert not job.file
    # the page shows the bar, full, and the endpoint it polls says it is finished
    page = admin_client.get(response["Location"]).content.decode()
    assert '<progress max="100" value="100"' in page and 'data-testid="import-added">3<' in page
    assert "fetch(" not in page  # a finished job's page asks nothing more
    progress = admin_client.get(reverse("admin:imports_importjob_progress", args=[job.pk])).json()
    assert progress["finished"] and progress["percent"] == 100 and progress["added"] == 3
    assert progress["status_label"] == "เสร็จแล้ว"
    # the upload is on the audit log
    assert AuditEvent.objects.filter(
        kind=Kind.SETTINGS_CHANGE, detail__startswith=f"imports.ImportJob #{job.pk}"
    ).exists()


def test_a_running_job_page_polls_its_progress(admin_client, ada):
    job = ImportJob.objects.create(
        original_name="r.xlsx", source="r", uploaded_by=ada, status="running", phase="import", total=200, done=50,
        added=40, skipped=5, failed=5,
    )  # fmt: skip
    page = admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    html = page.content.decode()
    assert '<progress max="100" value="25"' in html
    nonce = re.search(r'<script nonce="([^"]+)">\s*\(function', html)
    assert nonce and nonce.group(1) in page["Content-Security-Policy"]
    assert f'data-url="{reverse("admin:imports_importjob_progress", args=[job.pk])}"' in html
    progress = admin_client.get(reverse("admin:imports_importjob_progress", args=[job.pk]))
    assert "no-store" in progress["Cache-Control"]
    assert progress.json() == {
        "status": "running", "status_label": "กำลังนำเข้า", "phase": "import", "phase_label": "บันทึกเรื่อง",
        "total": 200, "done": 50, "added": 40, "skipped": 5, "failed": 5, "percent": 25, "finished": False,
        "rolled_back": False, "message": "",
    }  # fmt: skip


def test_bad_rows_are_listed_on_the_job_page(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, xlsx_bytes([record(1), record(2, district_code="9999"), record(3, channel="?")]))
    job = ImportJob.objects.get()
    assert (job.added, job.failed) == (1, 2)
    assert [error["row"] for error in job.errors] == [3, 4]
    page = admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk])).content.decode()
    assert 'data-testid="import-errors"' in page and "ไม่พบอำเภอรหัส “9999”" in page and "<td>4</td>" in page


def test_a_dry_run_job_writes_nothing(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, xlsx_bytes([record(1), record(2)]), dry_run="on")
    job = ImportJob.objects.get()
    assert (job.status, job.phase, job.added) == ("done", "check", 2)
    assert not Complaint.objects.exists()


def test_an_all_or_nothing_job_with_a_bad_row_writes_nothing(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, xlsx_bytes([record(1), record(2, channel="?")]), all_or_nothing="on")
    job = ImportJob.objects.get()
    assert job.rolled_back and job.added == 0 and not Complaint.objects.exists()
    page = admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk])).content.decode()
    assert "จึงไม่ได้บันทึกเรื่องใดเลย" in page


def test_the_district_default_and_the_source_from_the_form(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, xlsx_bytes([record(1, district_code="")]), source="ทะเบียนบ้านโป่ง", district_code="๗๐๐๕")
    job = ImportJob.objects.get()
    assert job.district_default_id == "7005" and job.source == "ทะเบียนบ้านโป่ง"
    assert Complaint.objects.get(source="ทะเบียนบ้านโป่ง").district_id == "7005"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a,b\n1,2\n", "r.csv", "ไฟล์ไม่มีคอลัมน์ที่ต้องมี"),
        (b"x", "r.xls", "นำเข้าได้เฉพาะไฟล์"),
        (b"not a workbook", "r.xlsx", "อ่านไฟล์ Excel ไม่ได้"),
    ],
)
def test_a_file_it_cannot_import_is_refused_in_the_form(admin_client, content, name, message):
    response = upload(admin_client, content, name=name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_long_file_is_imported_in_parts(admin_client, django_capture_on_commit_callbacks, monkeypatch):
    # A part stops after its first row (its time is up) and queues the next, which goes on.
    monkeypatch.setattr(services, "JOB_SECONDS", 1e-9)
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, xlsx_bytes([record(n) for n in range(1, 5)]))
    job = ImportJob.objects.get()
    assert (job.status, job.done, job.added, job.skipped) == ("done", 4, 4, 0)
    keys = set(OutboxMessage.objects.filter(task_name=services.RUN_TASK).values_list("key", flat=True))
    assert keys == {f"import:{job.pk}:{n}" for n in range(4)}


def test_a_job_whose_file_cannot_be_read_fails_with_its_reason(ada, geography):
    job = ImportJob(source="r", uploaded_by=ada, original_name="r.csv")
    job.file.save("r.csv", ContentFile(b"a,b\n1,2\n"), save=False)
    job.save()
    services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.message.startswith("ไฟล์ไม่มีคอลัมน์ที่ต้องมี") and not job.file


def test_a_task_delivered_twice_runs_once(ada, geography):
    job = ImportJob(source="r", uploaded_by=ada, original_name="r.xlsx")
    job.file.save("r.xlsx", ContentFile(xlsx_bytes([record(1)])), save=False)
    job.save()
    assert services.run_job(job.pk).added == 1
    assert services.run_job(job.pk) is None


# --- Who may ---------------------------------------------------------------------------------


def test_officers_are_sent_to_the_admin_login(signed_in, alice, ada):
    job = ImportJob.objects.create(original_name="r.xlsx", source="r", uploaded_by=ada)
    client = signed_in(alice)
    for url in (
        reverse("admin:imports_importjob_add"),
        reverse("admin:imports_importjob_change", args=[job.pk]),
        reverse("admin:imports_importjob_progress", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_staff_without_the_administrator_role_may_not_upload(signed_in, geography):
    staff = UserFactory(roles=["central_officer"], nation=True, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="importjob"))
    assert signed_in(staff).get(reverse("admin:imports_importjob_add")).status_code == 403


def test_an_administrator_sees_her_own_jobs_only(signed_in, ada, geography):
    other = UserFactory(roles=["administrator"], province="70", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="add_importjob"))
    job = ImportJob.objects.create(original_name="r.xlsx", source="r", uploaded_by=ada)
    client = signed_in(other)
    assert client.get(reverse("admin:imports_importjob_add")).status_code == 200
    assert client.get(reverse("admin:imports_importjob_progress", args=[job.pk])).status_code == 404
    change = client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    assert change.status_code == 302  # the admin's "no such object" goes back to the index
    assert "r.xlsx" not in client.get(reverse("admin:imports_importjob_changelist")).content.decode()


def test_a_province_administrator_imports_her_provinces_rows_only(
    signed_in, geography, django_capture_on_commit_callbacks
):
    other = UserFactory(roles=["administrator"], province="70", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="add_importjob"))
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(other), xlsx_bytes([record(1, district_code="7005"), record(2, district_code="7101")]))
    job = ImportJob.objects.get()
    assert (job.added, job.failed) == (1, 1) and job.errors[0]["row"] == 3
