"""The apps that may file complaints through Open311, and what each filed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """An app registered to POST service requests with its ``api_key``.

    Only the key's SHA-256 is kept (``open311.services``): the administrator sees the key
    once, when the client is made or given a new key, and hands it to the app's operator.
    """

    name = models.CharField(_("ชื่อแอปพลิเคชัน"), max_length=200)
    contact = models.CharField(
        _("ผู้ติดต่อ"), max_length=300, blank=True, help_text=_("ผู้ดูแลแอปพลิเคชัน: ชื่อ หน่วยงาน อีเมลหรือโทรศัพท์")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, for the administrator to tell keys apart; never enough to use.
    key_prefix = models.CharField(_("ต้นรหัส"), max_length=12, editable=False)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("ส่งเรื่องล่าสุดเมื่อ"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("แอปพลิเคชัน Open311")
        verbose_name_plural = _("แอปพลิเคชัน Open311")

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A case an app filed: what lists the app's own requests (``GET requests`` with its api_key)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="submissions")
    complaint = models.OneToOneField("cases.Complaint", on_delete=models.CASCADE, related_name="open311_submission")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "-created_at"], name="open311_client_recent")]

    def __str__(self) -> str:
        return f"{self.client} → {self.complaint_id}"
