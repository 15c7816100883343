"""Exceptions to jurisdiction: a case shared with another district or a named officer.

The access itself is a django-guardian object permission (``view_complaint``)
on direct foreign-key tables, for a named officer or for the district's group;
``CaseShare`` records who granted it, why, and until when. Shares end by
themselves (``permissions.tasks.expire_shares``, every minute) and both the
grant and its end are in the audit log.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class ComplaintUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission", "content_object"], name="complaint_userperm")]


class ComplaintGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "permission", "content_object"], name="complaint_groupperm")]


def district_group(district_id: str) -> Group:
    """The group of a district center's staff (kept in step with accounts, core.signals)."""
    group, _created = Group.objects.get_or_create(name=f"district:{district_id}")
    return group


class ShareQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class CaseShare(models.Model):
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="shares")
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ศูนย์ดำรงธรรมอำเภอที่แชร์ให้"),
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="case_shares",
        verbose_name=_("เจ้าหน้าที่ที่แชร์ให้"),
    )  # fmt: skip
    reason = models.TextField(_("เหตุผล"))
    expires_at = models.DateTimeField(_("สิ้นสุดเมื่อ"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("การแชร์เรื่อง")
        verbose_name_plural = _("การแชร์เรื่อง")
        constraints = [
            models.CheckConstraint(
                name="share_one_recipient",
                condition=Q(district__isnull=False, user__isnull=True) | Q(district__isnull=True, user__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="share_expiry", condition=Q(revoked_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.user or self.district}"

    @property
    def recipient_name(self) -> str:
        return self.user.get_full_name() if self.user_id else self.district.full_name_th


class AccessRequest(models.Model):
    """An officer asks the center that owns a case for access to it (a repeat found in
    another center's case, for example). The request waits in that center's head's inbox;
    granting it makes a ``CaseShare`` (audited like every share); refusing it says why."""

    class State(models.TextChoices):
        PENDING = "pending", _("รอพิจารณา")
        GRANTED = "granted", _("อนุญาตแล้ว")
        REFUSED = "refused", _("ไม่อนุญาต")
        WITHDRAWN = "withdrawn", _("ถอนคำขอ")

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="access_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("เหตุผลที่ขอเข้าถึง"))
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("สถานะ"), max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("เหตุผลการพิจารณา"), blank=True)
    share = models.ForeignKey(CaseShare, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("คำขอเข้าถึงเรื่อง")
        verbose_name_plural = _("คำขอเข้าถึงเรื่อง")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "requested_by"], condition=Q(state="pending"), name="access_request_one_pending"
            )
        ]
        indexes = [models.Index(fields=["complaint", "state"], name="access_request_case_state")]

    def __str__(self) -> str:
        return f"{self.requested_by_id} → {self.complaint_id} ({self.state})"
