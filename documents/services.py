"""The write path of scanned documents: adding one, filing it on a case, reading it again,
and the reading itself as the workers do it, page by page.

A document is added with its pages waiting (``queued``) and one outbox message per page
(``documents.read_page``), in the transaction that keeps the file: the pages are read
after the commit, by as many worker processes as there are, each page on its own. The
first page taken makes the document ``reading``; the last one read queues
``documents.finish``, which joins the pages' searchable PDFs and makes it ``done``. A page
that cannot be read makes the whole document ``failed``, with the reason; ``retry`` starts
a new attempt, and pages of an old attempt still in the queue are then ignored
(``attempts`` numbers them).

OCR takes seconds a page, so no transaction is held while a page is read: each step
locks the document row briefly, checks that its attempt is still the current one, and
writes.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from cases.models import Complaint
from cases.services import ActionRefused
from core import outbox
from core.models import District, User
from documents import ocr
from documents.files import Scan, checked_scan
from documents.models import Batch, Document, Page
from documents.selectors import may_add_to_tray
from documents.signals import document_changed
from permissions import rules

logger = logging.getLogger(__name__)

Status = Document.Status


# --- Adding, filing, reading again (the officers' actions) ----------------------------------


def add_document(
    *, uploaded, actor: User | None, complaint: Complaint | None = None, district: District | None = None,
    batch: Batch | None = None, description: str = "",
) -> Document:  # fmt: skip
    """Check ``uploaded`` as a scan (``documents.files``), keep it unchanged with its
    sha256, and queue its pages for reading after the commit.

    The document goes on ``complaint``, or into the tray of ``district`` (a letter not yet
    on a case). ``actor`` is None for a scanner's folder (``watch_scans``). Raises
    ValidationError ``{"file": [...]}`` for a file that is no scan we take, and
    ActionRefused if ``actor`` may not add documents there."""
    scan = checked_scan(uploaded)
    return add_scan(scan, actor=actor, complaint=complaint, district=district, batch=batch, description=description)


@transaction.atomic
def add_scan(
    scan: Scan, *, actor: User | None, complaint: Complaint | None = None, district: District | None = None,
    batch: Batch | None = None, description: str = "",
) -> Document:  # fmt: skip
    """``add_document`` for a file already checked (a ZIP's or a folder's, ``documents.batches``)."""
    if (complaint is None) == (district is None):
        raise ValueError("a document goes on a case or into a tray, one of the two")
    if actor is not None:
        _check_may_add(actor, complaint, district)
    document = Document(
        complaint=complaint,
        # The center it came to: the case's, or the tray's.
        district_id=complaint.district_id if complaint is not None else district.pk,
        batch=batch,
        original_name=scan.name,
        content_type=scan.content_type,
        size=len(scan.data),
        sha256=scan.sha256,
        description=(description or "").strip()[:300],
        page_count=scan.pages,
        status=Status.QUEUED,
        attempts=1,
        uploaded_by=actor,
    )
    document.original.save(f"{uuid.uuid4().hex}.{scan.extension}", ContentFile(scan.data), save=False)
    try:
        document.save()
        Page.objects.bulk_create([Page(document=document, number=n) for n in range(1, scan.pages + 1)])
        _queue_reading(document)
    except BaseException:
        # The transaction takes the rows back; the stored file must go too.
        document.original.delete(save=False)
        raise
    audit_events.document_added(actor, document, case=complaint)
    return document


def _check_may_add(actor: User, complaint: Complaint | None, district: District | None) -> None:
    if complaint is not None and not rules.can_attach(actor, complaint):
        raise ActionRefused(_("คุณไม่มีสิทธิ์เพิ่มเอกสารในเรื่องนี้"), code="forbidden")
    if district is not None and not may_add_to_tray(actor, district.pk):
        raise ActionRefused(_("คุณไม่มีสิทธิ์เพิ่มเอกสารในถาดของศูนย์นี้"), code="forbidden")


def may_change(user: User, document: Document) -> bool:
    """Whether ``user`` may read ``document`` again or file it elsewhere: whoever may add
    documents where it is (the case's handlers, the officers of the tray's center)."""
    if document.complaint_id is not None:
        return rules.can_attach(user, document.complaint)
    return may_add_to_tray(user, document.district_id)


@transaction.atomic
def file_on_case(document: Document, complaint: Complaint, actor: User) -> Document:
    """Put ``document`` (a letter of a tray, or a document of another case) on ``complaint``.

    Raises ActionRefused if ``actor`` may not take it from where it is or add it to
    ``complaint``. The caller's ``document`` is left current."""
    locked = Document.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=document.pk)
    if locked.complaint_id == complaint.pk:
        raise ActionRefused(_("เอกสารนี้อยู่ในเรื่องนี้แล้ว"), code="unchanged")
    if not may_change(actor, locked):
        raise ActionRefused(_("คุณไม่มีสิทธิ์ย้ายเอกสารนี้"), code="forbidden")
    if not rules.can_attach(actor, complaint):
        raise ActionRefused(
            _("คุณไม่มีสิทธิ์เพิ่มเอกสารในเรื่องเลขที่ %(number)s") % {"number": complaint.number}, code="forbidden"
        )
    previous = locked.complaint_id
    audit_events.document_filed(actor, locked, case=complaint, previous_case=locked.complaint)
    locked.complaint = complaint
    locked.save(update_fields=["complaint"])
    document.complaint = complaint
    _changed(locked, previous_complaint_id=previous)
    return locked


@transaction.atomic
def retry(document: Document, actor: User) -> Document:
    """Read a failed document again from its first page (a new attempt).

    Raises ActionRefused if it is not failed or ``actor`` may not. The caller's
    ``document`` is left current."""
    locked = Document.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=document.pk)
    if not may_change(actor, locked):
        raise ActionRefused(_("คุณไม่มีสิทธิ์สั่งอ่านเอกสารนี้ใหม่"), code="forbidden")
    if locked.status != Status.FAILED:
        raise ActionRefused(_("เอกสารนี้ไม่ได้อยู่ในสถานะอ่านไม่สำเร็จ จึงไม่ต้องอ่านใหม่"), code="state")
    _start_again(locked)
    for field in ("status", "error", "attempts", "read_at", "searchable_pdf"):
        setattr(document, field, getattr(locked, field))
    return locked


def _start_again(document: Document) -> None:
    old_pdf = document.searchable_pdf.name if document.searchable_pdf else ""
    document.status, document.error, document.read_at = Status.QUEUED, "", None
    document.attempts += 1
    document.searchable_pdf = ""
    document.save(update_fields=["status", "error", "read_at", "attempts", "searchable_pdf"])
    document.pages.update(text="", confidence=None, rotation=0, skew=0, read_at=None)
    _queue_reading(document)
    _changed(document)
    if old_pdf:
        transaction.on_commit(lambda: _delete_quietly(old_pdf))


def _queue_reading(document: Document) -> None:
    for number in range(1, document.page_count + 1):
        outbox.enqueue(
            "documents.read_page",
            kwargs={"document": document.pk, "number": number, "attempt": document.attempts},
            key=f"documents.read_page:{document.pk}:{document.attempts}:{number}",
        )


def _changed(document: Document, previous_complaint_id: int | None = None) -> None:
    document_changed.send(sender=Document, document=document, previous_complaint_id=previous_complaint_id)


@receiver(post_delete, sender=Document, dispatch_uid="documents.document_deleted")
def _deleted(sender, instance: Document, **kwargs) -> None:
    """A document deleted (in the admin, or with its case) takes its text away from its case.
    Its files go once the deletion commits."""
    _changed(instance, previous_complaint_id=instance.complaint_id)
    names = [field.name for field in (instance.original, instance.searchable_pdf) if field]
    transaction.on_commit(lambda: [_delete_quietly(name) for name in names])


# --- The reading, as the workers do it -----------------------------------------------------


def read_page(document_id: int, number: int, attempt: int) -> None:
    """Read page ``number`` of attempt ``attempt`` of a document (the task ``documents.read_page``).

    Nothing happens if the attempt is no longer current, the document failed meanwhile,
    or the page was read already (the outbox delivers at least once)."""
    document = _begin_page(document_id, number, attempt)
    if document is None:
        return
    try:
        with local_copy(document.original) as path:
            image, dpi, pdf_page = ocr.page_image(path, document.content_type, number)
        page = ocr.read_page(image, dpi=dpi, pdf_page=pdf_page)
    except ocr.OcrError as error:
        fail(document_id, attempt, _("หน้า %(number)d: %(reason)s") % {"number": number, "reason": error.message})
        return
    except Exception:
        logger.exception("documents: reading page %s of document %s failed", number, document_id)
        fail(document_id, attempt, _("หน้า %(number)d: ระบบอ่านหน้านี้ไม่สำเร็จ กรุณาลองอ่านใหม่") % {"number": number})
        return
    _save_page(document_id, number, attempt, page)


def _begin_page(document_id: int, number: int, attempt: int) -> Document | None:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.attempts != attempt or document.status not in (Status.QUEUED, Status.READING):
            return None
        if document.pages.filter(number=number, read_at__isnull=False).exists():
            return None
        if document.status == Status.QUEUED:
            document.status = Status.READING
            document.save(update_fields=["status"])
    return document


def _part_name(document_id: int, attempt: int, number: int) -> str:
    return f"documents/parts/{document_id}/{attempt}-{number}.pdf"


def _save_page(document_id: int, number: int, attempt: int, page: ocr.SearchablePage) -> None:
    name = _part_name(document_id, attempt, number)
    _delete_quietly(name)  # a page read twice (delivered again) writes the same name
    default_storage.save(name, ContentFile(page.pdf))
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.attempts != attempt or document.status != Status.READING:
            transaction.on_commit(lambda: _delete_quietly(name))
            return
        reading = page.reading
        document.pages.filter(number=number).update(
            text=reading.text, confidence=reading.confidence, rotation=reading.rotation, skew=reading.skew,
            read_at=timezone.now(),
        )  # fmt: skip
        if not document.pages.filter(read_at__isnull=True).exists():
            outbox.enqueue(
                "documents.finish",
                kwargs={"document": document_id, "attempt": attempt},
                key=f"documents.finish:{document_id}:{attempt}",
            )


def finish(document_id: int, attempt: int) -> None:
    """Join the pages' searchable PDFs into the document's and mark it read (the task ``documents.finish``)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.attempts != attempt or document.status != Status.READING:
        return
    names = [_part_name(document_id, attempt, number) for number in range(1, document.page_count + 1)]
    try:
        parts = []
        for name in names:
            with default_storage.open(name, "rb") as handle:
                parts.append(handle.read())
        searchable = ocr.merge(parts)
    except Exception:
        logger.exception("documents: joining the pages of document %s failed", document_id)
        fail(document_id, attempt, _("รวมหน้าที่อ่านแล้วเป็นไฟล์ PDF ไม่สำเร็จ กรุณาลองอ่านใหม่"))
        return
    stored = default_storage.save(
        Document._meta.get_field("searchable_pdf").generate_filename(document, f"{uuid.uuid4().hex}-ocr.pdf"),
        ContentFile(searchable),
    )
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.attempts != attempt or document.status != Status.READING:
            transaction.on_commit(lambda: _delete_quietly(stored))
            return
        document.searchable_pdf.name = stored
        document.status, document.read_at, document.error = Status.DONE, timezone.now(), ""
        document.save(update_fields=["searchable_pdf", "status", "read_at", "error"])
        _changed(document)
        transaction.on_commit(lambda: [_delete_quietly(name) for name in names])


def fail(document_id: int, attempt: int, reason: str) -> None:
    """Mark attempt ``attempt`` of a document failed, with ``reason`` (Thai) for the officer."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.attempts != attempt or document.status not in (Status.QUEUED, Status.READING):
            return
        document.status, document.error = Status.FAILED, reason[:2000]
        document.save(update_fields=["status", "error"])


# --- Files ---------------------------------------------------------------------------------


@contextmanager
def local_copy(field_file):
    """A path to ``field_file`` on this machine: its own on a file system, else a temporary copy."""
    try:
        path = Path(field_file.path)
    except NotImplementedError:  # a remote storage (S3) has no paths
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="scan-") as copy:
        with field_file.open("rb") as source:
            for chunk in source.chunks():
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # noqa: S110 - a file left behind is only space
        pass
