"""Exports made in the background: asked for with a button, made by a worker, kept for
their owner alone for a while, then deleted; each request and download on the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from core.models import OutboxMessage
from exports import services
from exports.models import Export
from exports.registry import ExportRefused, register
from tests.core.test_outbox import broker_down  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

State = Export.State


def ask(client, url=None):
    """Ask for the case list as CSV, without letting the worker run (nothing commits in a test)."""
    response = client.post(url or reverse("cases:list_csv"))
    assert response.status_code == 302
    return Export.objects.get(pk=int(response["Location"].strip("/").split("/")[-1])), response


def test_asking_records_the_export_its_audit_row_and_its_task_and_waits_for_the_worker(signed_in, alice, new_case):
    client = signed_in(alice)
    export, response = ask(client, f"{reverse('cases:list_csv')}?status=received&after=abc")
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.state == State.QUEUED and export.owner == alice
    assert export.params == {"status": ["received"]}  # the list's filters, not its page
    assert OutboxMessage.objects.filter(task_name="exports.render", key=f"export:{export.pk}").exists()
    assert AuditEvent.objects.get(kind=Kind.EXPORT).detail == f"case_list_csv status=received [export {export.pk}]"
    # The page waits and reloads itself; downloading now says it is not ready.
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and 'data-testid="export-wait"' in page
    early = client.get(reverse("exports:download", args=[export.pk]), follow=True)
    assert "ไฟล์นี้ยังดาวน์โหลดไม่ได้" in early.content.decode()


@pytest.mark.usefixtures("broker_down")
def test_asking_while_the_broker_is_down_still_leads_to_the_export_page(
    signed_in, alice, new_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export, response = ask(signed_in(alice))
    assert export.state == State.QUEUED
    assert OutboxMessage.objects.get(key=f"export:{export.pk}").state == OutboxMessage.State.PENDING
    assert signed_in(alice).get(response["Location"]).status_code == 200


def test_the_worker_makes_the_file_once_and_the_owner_downloads_it(signed_in, alice, new_case):
    client = signed_in(alice)
    export, _ = ask(client)
    made = services.render(export.pk)
    assert made.state == State.READY and made.rows == 1 and made.size == made.file.size
    assert made.expires_at - made.finished_at == dt.timedelta(hours=24)
    assert services.render(export.pk) is None  # the task delivered twice changes nothing
    page = client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert made.sha256 in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert 'filename="complaints.csv"' in download["Content-Disposition"]
    assert new_case.number in b"".join(download.streaming_content).decode("utf-8-sig")
    listed = client.get(reverse("exports:list")).content.decode()
    assert reverse("exports:download", args=[export.pk]) in listed


def test_another_officer_cannot_see_or_download_an_export(signed_in, alice, amy, harry, new_case):
    export, _ = ask(signed_in(alice))
    services.render(export.pk)
    for other in (amy, harry):
        client = signed_in(other)
        assert client.get(reverse("exports:detail", args=[export.pk])).status_code == 404
        assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
        assert reverse("exports:detail", args=[export.pk]) not in client.get(reverse("exports:list")).content.decode()


def test_a_worker_that_died_mid_way_is_replaced_once_the_time_limit_has_passed(signed_in, alice, new_case, settings):
    export, _ = ask(signed_in(alice))
    Export.objects.filter(pk=export.pk).update(state=State.RUNNING, started_at=timezone.now())
    assert services.render(export.pk) is None  # still being made by another worker
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    Export.objects.filter(pk=export.pk).update(started_at=long_ago)
    assert services.render(export.pk).state == State.READY


def test_a_failure_is_shown_in_thai_and_logged_and_nothing_is_kept(signed_in, alice, new_case, caplog):
    def broken(export, out):
        out.write(b"half")
        raise RuntimeError("disk full")

    register("broken_test_kind", broken)
    export = Export.objects.create(owner=alice, kind="broken_test_kind", title="t", filename="t.csv", content_type="x")
    made = services.render(export.pk)
    assert made.state == State.FAILED and not made.file
    assert made.error == "จัดทำไฟล์ไม่สำเร็จเนื่องจากเกิดข้อผิดพลาดในระบบ กรุณาลองใหม่อีกครั้ง"
    assert "disk full" in caplog.text and "disk full" not in made.error
    page = signed_in(alice).get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert made.error in page


def test_a_refusal_says_why_in_the_owners_language(signed_in, alice):
    def refused(export, out):
        raise ExportRefused("no longer yours")

    register("refused_test_kind", refused)
    export = Export.objects.create(owner=alice, kind="refused_test_kind", title="t", filename="t", content_type="x")
    assert services.render(export.pk).error == "no longer yours"


def test_an_auditor_who_lost_the_case_can_no_longer_download_its_record(signed_in, audrey, new_case):
    export, _ = ask(signed_in(audrey), reverse("audit:case_csv", args=[new_case.pk]))
    services.render(export.pk)
    audrey.roles.clear()
    audrey.roles.add("district_officer")
    response = signed_in(audrey).get(reverse("exports:download", args=[export.pk]), follow=True)
    assert "คุณไม่มีสิทธิ์ดูข้อมูลในไฟล์นี้แล้ว" in response.content.decode()
    assert not AuditEvent.objects.filter(kind=Kind.EXPORT, detail__contains="downloaded").exists()


def test_files_are_deleted_when_they_expire_and_their_rows_stay(signed_in, alice, new_case):
    export, _ = ask(signed_in(alice))
    made = services.render(export.pk)
    storage, name = made.file.storage, made.file.name
    assert services.purge_expired(now=made.expires_at - dt.timedelta(seconds=1)) == 0
    assert services.purge_expired(now=made.expires_at + dt.timedelta(seconds=1)) == 1
    assert not storage.exists(name)
    expired = Export.objects.get(pk=export.pk)
    assert expired.state == State.EXPIRED and not expired.file
    response = signed_in(alice).get(reverse("exports:download", args=[export.pk]), follow=True)
    assert "ไฟล์นี้ไม่มีให้ดาวน์โหลดแล้ว" in response.content.decode()


def test_the_purge_is_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["purge-exports"]["task"] == "exports.purge_expired"


def test_the_export_is_made_in_the_language_it_was_asked_in(signed_in, alice, new_case, client):
    client = signed_in(alice)
    client.cookies["dd_language"] = "en"
    export, _ = ask(client)
    assert export.language == "en"
    services.render(export.pk)
    download = client.get(reverse("exports:download", args=[export.pk]))
    header = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Case number,")
