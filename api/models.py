"""Device tokens (a phone signed in to the API) and the answers kept for idempotent requests.

Written through ``api.services`` only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeviceTokenQuerySet(models.QuerySet):
    def active(self, *, now: dt.datetime | None = None):
        """Tokens that authenticate now: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class DeviceToken(models.Model):
    """A device's own sign-in to the API, named after the device.

    The key is shown once, when the token is issued; only its SHA-256 digest is kept,
    so a copy of the database signs nobody in. A token ends at ``expires_at`` or when
    revoked (by its owner on the profile page, by signing out on the device, or by an
    administrator); either way the next request with it is refused.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens", verbose_name=_("ผู้ใช้งาน")
    )
    name = models.CharField(_("ชื่ออุปกรณ์"), max_length=100)
    digest = models.CharField(_("ค่าแฮชของโทเค็น"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ออกให้เมื่อ"), default=timezone.now)
    expires_at = models.DateTimeField(_("หมดอายุเมื่อ"))
    last_used_at = models.DateTimeField(_("ใช้งานล่าสุดเมื่อ"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    # Whoever revoked it: its owner, or an administrator (empty while it runs).
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ยกเลิกโดย"),
    )  # fmt: skip

    objects = DeviceTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("โทเค็นอุปกรณ์")
        verbose_name_plural = _("โทเค็นอุปกรณ์")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="devicetoken_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired


class IdempotencyRecord(models.Model):
    """The answer given to a request that carried an ``Idempotency-Key``, kept per user.

    The same key again (a phone resending what it queued offline) gets this answer
    back instead of acting twice. Only answers of requests that acted (2xx) are kept:
    a refused request changed nothing, and sending it again asks anew.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("คำขอที่ทำซ้ำได้อย่างปลอดภัย")
        verbose_name_plural = _("คำขอที่ทำซ้ำได้อย่างปลอดภัย")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_once_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
