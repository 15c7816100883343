"""Importing a file of earlier records, row by row, through the intake service.

``import_file`` is the one way in: the command ``import_complaints`` and the admin's
background job (``run_job``) both call it. Each row is checked first (the file's
cells, then the intake service's own checks, with nothing written) and, unless it is
a dry run, recorded by ``cases.services.case_import``:

- by default each row is its own transaction: a row that fails writes nothing of
  itself and the next row goes on;
- ``all_or_nothing``: every row is checked first; only if none fails are they all
  recorded, in one transaction, which a failure rolls back whole;
- ``dry_run``: every row is checked, and nothing is written.

A row whose source key was imported before is "already imported" and changes nothing,
so a second run of the same file adds nothing (and a job cut short picks up again).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Complaint
from cases.services import ActionRefused, case_import, validate_import
from core import outbox
from core.models import District, User
from core.roles import Role
from imports.models import ImportJob
from imports.reading import ImportFileError, Row, open_table
from imports.rows import ParsedRow, Vocabulary, parse_row, service_errors, source_key_of
from permissions import rules

logger = logging.getLogger(__name__)

RUN_TASK = "imports.run_job"
BATCH = 500  # rows whose keys are looked up in one query
PROGRESS_SECONDS = 0.5  # the progress is told at most this often
# A background job works this long, then queues the rest of its file: a file of any
# size stays under the workers' time limit (CELERY_TASK_TIME_LIMIT).
JOB_SECONDS = 5 * 60
# A job keeps the problems of this many rows; the counts cover them all.
STORED_ERRORS = 500
MAX_UPLOAD_BYTES = 100 * 1024 * 1024

Phase = ImportJob.Phase


@dataclass
class RowFailure:
    row: int
    source_key: str
    messages: list[str]

    def as_dict(self) -> dict:
        return {"row": self.row, "source_key": self.source_key, "messages": self.messages}


@dataclass
class ImportResult:
    source: str
    dry_run: bool = False
    all_or_nothing: bool = False
    total: int = 0  # data rows in the file
    done: int = 0  # rows gone through in the current phase
    added: int = 0  # cases recorded (in a dry run: that would be)
    skipped: int = 0  # rows imported before
    failures: list[RowFailure] = field(default_factory=list)
    failed: int = 0
    phase: str = Phase.IMPORT
    rolled_back: bool = False  # all or nothing, and a row failed: nothing was written
    finished: bool = False  # False: a job stopped at its time, to go on in the next task
    encoding: str = ""
    ignored: list[str] = field(default_factory=list)

    def fail(self, row: int, source_key: str, messages: list[str]) -> None:
        self.failures.append(RowFailure(row, source_key, messages))
        self.failed += 1


Progress = Callable[[ImportResult], None]


def import_file(
    file: BinaryIO, *, name: str, actor: User, source: str, district_default: District | None = None,
    dry_run: bool = False, all_or_nothing: bool = False, progress: Progress | None = None,
    resume: ImportResult | None = None, seconds: float | None = None,
) -> ImportResult:  # fmt: skip
    """Import the records of ``file`` (named ``name``: .csv, .xlsx or .jsonl) as ``actor``,
    their keys unique within ``source``. ``progress`` is told of the counts as they grow.

    ``resume`` goes on with an earlier part's result, past the rows it went through;
    ``seconds`` stops after that long (``finished`` False), between two rows. Raise
    ``ImportFileError`` for a file that cannot be read at all.
    """
    table = open_table(file, name)
    result = resume or ImportResult(source=source, dry_run=dry_run, all_or_nothing=all_or_nothing)
    result.total, result.encoding, result.ignored = table.total, table.encoding, table.ignored
    run = _Run(result, actor=actor, district_default=district_default, progress=progress)
    if not (dry_run or all_or_nothing):
        deadline = time.monotonic() + seconds if seconds else None
        result.finished = run.rows(_skip(table.rows, result.done), write=True, deadline=deadline)
        return run.told()
    # Checked first, with nothing written: a bad file fails before taking any lock.
    result.phase, result.done, result.added, result.skipped = Phase.CHECK, 0, 0, 0
    result.failures, result.failed = [], 0
    run.rows(table.rows, write=False)
    if dry_run or result.failed:
        if not dry_run:
            result.rolled_back, result.added = True, 0  # all or nothing: a row failed, none is written
        result.finished = True
        return run.told()
    file.seek(0)
    table = open_table(file, name)
    result.phase, result.done, result.added, result.skipped = Phase.IMPORT, 0, 0, 0
    run.seen.clear()
    with transaction.atomic():
        # One transaction: on PostgreSQL the audit chain's lock is held until it ends, so
        # other writers wait for the whole file (README, "Importing earlier records").
        run.rows(table.rows, write=True)
        if result.failed:
            transaction.set_rollback(True)
            result.rolled_back, result.added = True, 0
    result.finished = True
    return run.told()


def _skip(rows: Iterator[Row], count: int) -> Iterator[Row]:
    return islice(rows, count, None)


class _Run:
    """The rows of one file going through the checks and (``write``) the intake service."""

    def __init__(self, result: ImportResult, *, actor: User, district_default, progress: Progress | None):
        self.result, self.actor, self.district_default, self.progress = result, actor, district_default, progress
        self.vocabulary = Vocabulary()
        self.today = timezone.localdate()
        self.seen: dict[str, int] = {}  # source key -> the row that had it first, in this file
        self.last_told = 0.0

    def rows(self, rows: Iterator[Row], *, write: bool, deadline: float | None = None) -> bool:
        """Go through ``rows``; return False if ``deadline`` came before the last (after one row at least)."""
        went = False
        while batch := list(islice(rows, BATCH)):
            keys = {source_key_of(values) for _number, values in batch}
            imported = set(
                Complaint.objects.filter(source=self.result.source, source_key__in=keys - {""}).values_list(
                    "source_key", flat=True
                )
            )
            for number, values in batch:
                if went and deadline is not None and time.monotonic() > deadline:
                    return False
                self.row(number, values, imported=imported, write=write)
                self.result.done += 1
                self.tell()
                went = True
        return True

    def row(self, number: int, values: dict, *, imported: set[str], write: bool) -> None:
        result = self.result
        key = source_key_of(values)
        if key and key in self.seen:
            result.fail(
                number, key, [_("เลขที่อ้างอิง “%(key)s” ซ้ำกับแถวที่ %(row)d ของไฟล์นี้") % {"key": key, "row": self.seen[key]}]
            )
            return
        if key:
            self.seen[key] = number
        if key in imported:
            result.skipped += 1  # changes nothing, and is not read further
            return
        parsed = parse_row(
            number, values, source=result.source, vocabulary=self.vocabulary, district_default=self.district_default
        )
        if not self.checked(parsed):
            result.fail(number, key, parsed.errors)
            return
        if not write:
            result.added += 1
            return
        try:
            _case, created = case_import(
                actor=self.actor, district=parsed.district, data=parsed.data, record=parsed.record
            )
        except ValidationError as error:
            result.fail(number, key, service_errors(error))
        except ActionRefused as refusal:
            result.fail(number, key, [refusal.message])
        except DatabaseError as error:
            logger.warning("import %s row %s: %s", result.source, number, error)
            result.fail(
                number, key, [_("บันทึกไม่สำเร็จ: ฐานข้อมูลไม่รับข้อมูลของแถวนี้ (%(error)s)") % {"error": type(error).__name__}]
            )
        else:
            if created:
                result.added += 1
            else:
                result.skipped += 1

    def checked(self, parsed: ParsedRow) -> bool:
        """The intake service's own checks of a row the file's cells made (nothing written)."""
        if not parsed.ok:
            return False
        if not rules.can_import(self.actor, parsed.district):
            parsed.errors.append(
                _("คุณไม่มีสิทธิ์นำเข้าเรื่องร้องเรียนของศูนย์ดำรงธรรม%(district)s") % {"district": parsed.district.name_th}
            )
            return False
        try:
            validate_import(parsed.data, parsed.record, today=self.today)
        except ValidationError as error:
            parsed.errors.extend(service_errors(error))
            return False
        return True

    def tell(self, *, now: bool = False) -> None:
        if self.progress is None:
            return
        moment = time.monotonic()
        if now or moment - self.last_told >= PROGRESS_SECONDS or self.result.done == self.result.total:
            self.last_told = moment
            self.progress(self.result)

    def told(self) -> ImportResult:
        if self.result.finished:
            self.result.total = self.result.done  # a sheet's recorded size may count blank rows
        self.tell(now=True)
        return self.result


# --- The admin's background job ------------------------------------------------------------


def default_source(name: str) -> str:
    """A file's source when none is given: its name without the extension."""
    return PurePath(name).stem.strip()[:60] or "import"


def may_upload(user: User) -> bool:
    """Who imports in the admin: an administrator who may use the admin site. Which rows
    she may import is ``permissions.rules.can_import``'s answer, row by row."""
    return user.is_active and user.is_staff and user.has_role(Role.ADMINISTRATOR)


@transaction.atomic
def queue_import(job: ImportJob) -> ImportJob:
    """Keep ``job`` (unsaved, its file attached) and have a worker import it (``run_job``,
    through the outbox, once this commits)."""
    job.original_name = PurePath(job.file.name).name[:255]
    job.source = (job.source or "").strip() or default_source(job.original_name)
    # Stored under a name of ours (the typed one is kept in original_name), as attachments are.
    job.file.name = f"{uuid.uuid4().hex}{PurePath(job.original_name).suffix.lower()}"
    job.save()
    outbox.enqueue(RUN_TASK, kwargs={"job_id": job.pk}, key=f"import:{job.pk}:0")
    return job


def _claim(job_id: int) -> ImportJob | None:
    """Mark the job running if it waits; or if its worker died (no count saved for longer
    than a task may run: the broker hands the task again long after)."""
    stale = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).select_related("uploaded_by").first()
        if job is None:
            return None
        if not (
            job.status == ImportJob.Status.QUEUED or (job.status == ImportJob.Status.RUNNING and job.updated_at < stale)
        ):
            return None  # done already, or running: the task came twice
        job.status, job.started_at = ImportJob.Status.RUNNING, job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    return job


def _resumed(job: ImportJob) -> ImportResult | None:
    """The result so far of a job that goes on where its last part stopped."""
    if not job.done or job.dry_run or job.all_or_nothing:
        return None  # checked and written from the start again: one pass, one transaction
    return ImportResult(
        source=job.source, total=job.total, done=job.done, added=job.added, skipped=job.skipped, failed=job.failed,
        failures=[RowFailure(**failure) for failure in job.errors],
    )  # fmt: skip


def _counts(result: ImportResult) -> dict:
    return {
        "phase": result.phase, "total": result.total, "done": result.done, "added": result.added,
        "skipped": result.skipped, "failed": result.failed, "rolled_back": result.rolled_back,
        "errors": [failure.as_dict() for failure in result.failures[:STORED_ERRORS]],
        "encoding": result.encoding, "ignored_columns": result.ignored, "updated_at": timezone.now(),
    }  # fmt: skip


def run_job(job_id: int) -> ImportJob | None:
    """Import an uploaded file (the task ``imports.run_job``, delivered at least once).

    A part runs ``JOB_SECONDS`` at most, then queues the next, which goes on past the
    rows done; an all-or-nothing job is one transaction, and must end within the task's
    time limit (a file too big for that is the command line's).
    """
    job = _claim(job_id)
    if job is None:
        return None

    def progress(result: ImportResult) -> None:
        ImportJob.objects.filter(pk=job.pk).update(**_counts(result))

    try:
        with job.file.open("rb") as file:
            result = import_file(
                file, name=job.original_name, actor=job.uploaded_by, source=job.source,
                district_default=job.district_default, dry_run=job.dry_run, all_or_nothing=job.all_or_nothing,
                progress=progress, resume=_resumed(job),
                seconds=None if job.all_or_nothing or job.dry_run else JOB_SECONDS,
            )  # fmt: skip
    except ImportFileError as problem:
        return _ended(job, ImportJob.Status.FAILED, message=problem.message)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        return _ended(job, ImportJob.Status.FAILED, message=_("นำเข้าไม่สำเร็จเนื่องจากเกิดข้อผิดพลาดในระบบ กรุณาลองใหม่อีกครั้ง"))
    ImportJob.objects.filter(pk=job.pk).update(**_counts(result))
    if not result.finished:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
            outbox.enqueue(RUN_TASK, kwargs={"job_id": job.pk}, key=f"import:{job.pk}:{result.done}")
        return ImportJob.objects.get(pk=job.pk)
    return _ended(job, ImportJob.Status.DONE)


def _ended(job: ImportJob, status: str, *, message: str = "") -> ImportJob:
    """The job's last state. Its file goes: what it holds of people is in the cases now."""
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at", "file", "updated_at"])
    return job
