"""An import of earlier records uploaded in the admin, run in the background.

The administrator uploads a file (imports.admin); a Celery task reads it row by row
through ``imports.services.import_file``, and the job's counts are its progress,
which the job's admin page polls. The uploaded file holds people's names and ID
numbers: it is deleted when the job ends, and the job keeps only its counts and the
problems of its rows (row numbers and messages, never a row's content).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class ImportJob(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("รอนำเข้า")
        RUNNING = "running", _("กำลังนำเข้า")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("นำเข้าไม่สำเร็จ")

    class Phase(models.TextChoices):
        CHECK = "check", _("ตรวจสอบข้อมูล")
        IMPORT = "import", _("บันทึกเรื่อง")

    file = models.FileField(_("ไฟล์"), upload_to="imports/%Y/%m/", blank=True, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    source = models.CharField(_("แหล่งข้อมูลเดิม"), max_length=60, help_text=_("ชื่อแหล่งข้อมูล เลขที่อ้างอิงไม่ซ้ำกันภายในแหล่งเดียวกัน"))
    district_default = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("อำเภอตั้งต้น"), help_text=_("ใช้กับแถวที่ไม่ระบุรหัสอำเภอ"),
    )  # fmt: skip
    dry_run = models.BooleanField(_("ตรวจสอบอย่างเดียว ไม่บันทึก"), default=False)
    all_or_nothing = models.BooleanField(
        _("นำเข้าทั้งหมดหรือไม่นำเข้าเลย"), default=False, help_text=_("ถ้ามีแถวใดไม่ผ่าน จะไม่บันทึกเรื่องใดเลย")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้นำเข้า")
    )
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("ขั้นตอน"), max_length=10, choices=Phase.choices, blank=True)
    total = models.PositiveIntegerField(_("จำนวนแถว"), default=0)
    done = models.PositiveIntegerField(_("ดำเนินการแล้ว"), default=0)
    added = models.PositiveIntegerField(_("เพิ่มเรื่อง"), default=0)
    skipped = models.PositiveIntegerField(_("นำเข้าไว้ก่อนแล้ว"), default=0)
    failed = models.PositiveIntegerField(_("แถวที่ไม่ผ่าน"), default=0)
    # The first problems: [{"row": 12, "source_key": "...", "messages": ["...", ...]}, ...].
    errors = models.JSONField(_("ปัญหาของแต่ละแถว"), default=list, blank=True)
    # What stopped the whole file (a missing column, a file that is not a spreadsheet).
    message = models.TextField(_("ข้อความ"), blank=True)
    encoding = models.CharField(_("รหัสอักขระของไฟล์"), max_length=20, blank=True)
    ignored_columns = models.JSONField(_("คอลัมน์ที่ไม่ได้ใช้"), default=list, blank=True)
    rolled_back = models.BooleanField(_("ยกเลิกทั้งไฟล์"), default=False)
    created_at = models.DateTimeField(_("อัปโหลดเมื่อ"), default=timezone.now)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    # Moves with every saved count: a job whose worker died stands still.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("การนำเข้าเรื่องร้องเรียนเดิม")
        verbose_name_plural = _("การนำเข้าเรื่องร้องเรียนเดิม")

    def __str__(self) -> str:
        return f"{self.original_name} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
