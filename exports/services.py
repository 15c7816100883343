"""Asking for an export, making its file, and deleting it when it expires."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import events as audit_events
from core import outbox
from exports.models import Export
from exports.registry import ExportRefused, renderer

logger = logging.getLogger(__name__)

State = Export.State
RENDER_TASK = "exports.render"


def request_export(
    request, *, kind: str, title: str, filename: str, content_type: str, params: dict | None = None,
    criteria: str = "", case=None,
) -> Export:  # fmt: skip
    """Record what ``request.user`` asked for and have a worker make it. The audit row
    and the task are written with the export, in one transaction: a broker outage
    leaves the export waiting for the outbox's next relay, never an error page."""
    renderer(kind)  # a kind nobody registered is a programming error: fail before writing
    with transaction.atomic():
        export = Export.objects.create(
            owner=request.user, kind=kind, title=title[:300], filename=filename, content_type=content_type,
            params=params or {}, criteria=criteria[:400], language=translation.get_language() or "th",
            case_id=getattr(case, "pk", None), case_number=getattr(case, "number", ""),
        )  # fmt: skip
        audit_events.export_requested(request, export)
        outbox.enqueue(RENDER_TASK, kwargs={"export_id": export.pk}, key=f"export:{export.pk}")
    return export


def _claim(export_id: int) -> Export | None:
    """Mark the export running, if it is waiting; or if a worker died making it (the
    broker hands the task again after its visibility timeout, long after the time limit)."""
    stale = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with transaction.atomic():
        export = Export.objects.select_for_update().filter(pk=export_id).first()
        if export is None:
            return None
        if not (export.state == State.QUEUED or (export.state == State.RUNNING and export.started_at < stale)):
            return None  # made already, or being made: the task came twice
        export.state, export.started_at = State.RUNNING, timezone.now()
        export.save(update_fields=["state", "started_at"])
    return export


def render(export_id: int) -> Export | None:
    """Make the export's file (the task ``exports.render``, delivered at least once)."""
    export = _claim(export_id)
    if export is None:
        return None
    try:
        with translation.override(export.language), tempfile.TemporaryFile() as out:
            rows = renderer(export.kind)(export, out)
            size, digest = out.tell(), _sha256(out)
            out.seek(0)
            export.file.save(f"{uuid.uuid4().hex}{PurePath(export.filename).suffix}", File(out), save=False)
    except ExportRefused as refusal:
        return _failed(export, str(refusal))
    except Exception:
        logger.exception("export %s (%s) failed", export.pk, export.kind)
        with translation.override(export.language):
            return _failed(export, _("จัดทำไฟล์ไม่สำเร็จเนื่องจากเกิดข้อผิดพลาดในระบบ กรุณาลองใหม่อีกครั้ง"))
    now = timezone.now()
    export.state, export.rows, export.size, export.sha256 = State.READY, rows, size, digest
    export.finished_at, export.expires_at = now, now + dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    export.save(update_fields=["state", "rows", "size", "sha256", "file", "finished_at", "expires_at"])
    return export


def _sha256(out) -> str:
    out.seek(0)
    return hashlib.file_digest(out, "sha256").hexdigest()


def _failed(export: Export, message: str) -> Export:
    export.state, export.error, export.finished_at = State.FAILED, message, timezone.now()
    export.save(update_fields=["state", "error", "finished_at"])
    return export


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their time (beat, hourly); their rows stay, as
    the officer's record of what they took away."""
    purged = 0
    for export in Export.objects.filter(state=State.READY, expires_at__lt=now or timezone.now()).iterator():
        export.file.delete(save=False)
        export.state = State.EXPIRED
        export.save(update_fields=["state", "file"])
        purged += 1
    return purged
