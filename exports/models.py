"""An export: a file made for one officer in the background, kept for a while, then deleted.

An export of thousands of rows (a national case list, the audit log, a case's
whole record as PDF) takes seconds to minutes to make: too long for a request,
which the proxy cuts and the officer cannot leave. The request records what was
asked for (an ``Export``, and its audit row); a Celery task makes the file
(``exports.services.render``); the officer's page of exports says when it is
ready and downloads it. Only the officer who asked may download it, and every
download is on the audit log too.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from exports.registry import label as kind_label


class CaseRef(NamedTuple):
    """What the audit log needs of a case (``audit.events``): this app sits below the cases app."""

    pk: int
    number: str


class Export(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("รอจัดทำ")
        RUNNING = "running", _("กำลังจัดทำ")
        READY = "ready", _("พร้อมดาวน์โหลด")
        FAILED = "failed", _("จัดทำไม่สำเร็จ")
        EXPIRED = "expired", _("หมดอายุแล้ว")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports", verbose_name=_("ผู้ขอ")
    )
    # The name a renderer registered under (exports.registry).
    kind = models.CharField(_("ชนิด"), max_length=60)
    title = models.CharField(_("ชื่อ"), max_length=300)
    # What the renderer needs to make the same file the officer saw the page of: the
    # filters as the query string held them, a case's id, the last audit row to include.
    params = models.JSONField(_("เงื่อนไข"), default=dict, blank=True)
    # The filters in words, for the audit log and the officer's list ("status=closed q=น้ำ").
    criteria = models.CharField(_("เงื่อนไขที่เลือก"), max_length=400, blank=True)
    language = models.CharField(_("ภาษา"), max_length=10, default="th")
    case_id = models.PositiveBigIntegerField(_("เรื่องร้องเรียน"), null=True, blank=True)
    case_number = models.CharField(_("เลขที่รับ"), max_length=40, blank=True)
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.QUEUED)
    filename = models.CharField(_("ชื่อไฟล์"), max_length=200)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    file = models.FileField(_("ไฟล์"), upload_to="exports/%Y/%m/", blank=True)
    rows = models.PositiveIntegerField(_("จำนวนแถว"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), null=True, blank=True)
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    created_at = models.DateTimeField(_("ขอเมื่อ"), default=timezone.now)
    started_at = models.DateTimeField(_("เริ่มจัดทำเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("จัดทำเสร็จเมื่อ"), null=True, blank=True)
    expires_at = models.DateTimeField(_("ลบไฟล์เมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("ไฟล์ส่งออก")
        verbose_name_plural = _("ไฟล์ส่งออก")
        indexes = [
            models.Index(fields=["owner", "-id"], name="export_owner"),
            models.Index(fields=["expires_at"], name="export_expiry", condition=models.Q(state="ready")),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def label(self) -> str:
        return kind_label(self)

    @property
    def case_ref(self) -> CaseRef | None:
        return CaseRef(self.case_id, self.case_number) if self.case_id else None
