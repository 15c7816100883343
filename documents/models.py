"""Scanned documents: the file as the scanner made it (kept byte for byte, its hash
recorded), its pages as read by Thai OCR, and the searchable PDF made beside it.

A document belongs to a case, or, until an officer makes a case of it or files it
on one, to the tray of the center it came to (``district``). Batches group the scans
imported together (a ZIP uploaded, or the new files of a scanner's folder), so that
their progress can be followed and a file refused at import is reported, not lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import District


def _original_path(instance: Document, filename: str) -> str:
    # Server-made names only; the typed name is kept in original_name.
    return f"documents/{instance.uploaded_at:%Y/%m}/{filename}"


class Batch(models.Model):
    """Scans imported together: a ZIP an officer uploaded, or a scanner folder's new files."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("อัปโหลดไฟล์ ZIP")
        FOLDER = "folder", _("โฟลเดอร์ของเครื่องสแกน")

    source = models.CharField(_("ที่มา"), max_length=10, choices=Source.choices)
    name = models.CharField(_("ชื่อ"), max_length=255)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ศูนย์ดำรงธรรมอำเภอ")
    )
    # Empty for a folder watched by the system.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Files found in the ZIP or the folder, documents made of them, files refused (with the reason).
    total = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ชุดเอกสารสแกน")
        verbose_name_plural = _("ชุดเอกสารสแกน")

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """One scanned document (a letter, its enclosures): a PDF of pages, or a TIFF, JPEG or PNG."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอการอ่าน")
        READING = "reading", _("กำลังอ่าน")
        DONE = "done", _("อ่านแล้ว")
        FAILED = "failed", _("อ่านไม่สำเร็จ")

    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    # The center whose tray holds a document not yet on a case (and the center it came to).
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ศูนย์ดำรงธรรมอำเภอ")
    )
    batch = models.ForeignKey(Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    original = models.FileField(_("ไฟล์ต้นฉบับ"), upload_to=_original_path, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    description = models.CharField(_("คำอธิบาย"), max_length=300, blank=True)
    searchable_pdf = models.FileField(_("PDF ค้นหาข้อความได้"), upload_to=_original_path, max_length=200, blank=True)
    page_count = models.PositiveSmallIntegerField(_("จำนวนหน้า"), default=0)
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Why the reading failed, in the officer's words (Thai); empty otherwise.
    error = models.TextField(_("สาเหตุ"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("เอกสารสแกน")
        verbose_name_plural = _("เอกสารสแกน")
        indexes = [
            # The tray of a center: its letters not yet on a case, newest first.
            models.Index(
                fields=["district", "-uploaded_at"], name="document_tray", condition=Q(complaint__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Page(models.Model):
    """A page of a document as Thai OCR read it (text normalised for Thai: ํา → ำ, marks in order)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField(_("หน้า"))
    text = models.TextField(_("ข้อความ"), blank=True)
    # Tesseract's mean word confidence (0-100), the turn applied (degrees) and the skew corrected.
    confidence = models.FloatField(null=True, blank=True)
    rotation = models.SmallIntegerField(default=0)
    skew = models.FloatField(default=0)
    # When this reading of the page ended (empty while the page waits or is read again).
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("หน้าเอกสาร")
        verbose_name_plural = _("หน้าเอกสาร")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="page_number_once")]

    def __str__(self) -> str:
        return f"{self.document} p.{self.number}"
