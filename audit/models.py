"""The append-only, hash-chained audit log.

Each row copies who (id, name and national ID), from where (IP, user agent),
which case (id and number) and what (kind, a transition's action, detail, before
and after), so that it outlives deletions; copies, not foreign keys, so that the
log depends on nothing above core. Each row's hash covers the previous row's hash
and its own content: editing, deleting or reordering a row breaks the chain at
that row, which ``manage.py audit_verify`` reports. The ORM refuses updates and deletes;
on PostgreSQL a trigger refuses them too (migration 0002).
"""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels

GENESIS = "0" * 64

# What a row's hash covers (``AuditEvent.content``): 1 for the rows written before
# a transition's action had a field of its own, 2 since (the action is covered).
HASH_VERSION = 2


class Kind(models.TextChoices):
    SIGN_IN = "sign_in", _("เข้าสู่ระบบ")
    SIGN_OUT = "sign_out", _("ออกจากระบบ")
    SIGN_IN_FAILED = "sign_in_failed", _("เข้าสู่ระบบไม่สำเร็จ")
    LOCKOUT = "lockout", _("ถูกระงับการเข้าสู่ระบบ")
    TRANSITION = "transition", _("ดำเนินการกับเรื่อง")
    PERSONAL_DATA_VIEW = "personal_data_view", _("ดูข้อมูลส่วนบุคคล")
    EXPORT = "export", _("ส่งออกข้อมูล")
    PERMISSION_GRANT = "permission_grant", _("ให้สิทธิ์")
    PERMISSION_REVOKE = "permission_revoke", _("ยกเลิกสิทธิ์")
    SETTINGS_CHANGE = "settings_change", _("เปลี่ยนการตั้งค่า")
    AUDIT_VIEW = "audit_view", _("ผู้ตรวจสอบเรียกดู")
    ATTACHMENT = "attachment", _("แนบไฟล์")
    TASK_CLAIM = "task_claim", _("รับงาน")
    TASK_RELEASE = "task_release", _("คืนงาน")
    TASK_REASSIGN = "task_reassign", _("มอบหมายงาน")
    PUBLICATION = "publication", _("เผยแพร่บนเว็บไซต์ประชาชน")
    ACCOUNT = "account", _("บัญชีผู้ใช้งาน")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")

    _raw_delete = delete


class AuditEvent(ChoiceLabels, models.Model):
    at = models.DateTimeField(_("เวลา"), default=timezone.now)
    kind = models.CharField(_("ประเภทเหตุการณ์"), max_length=30, choices=Kind.choices)
    actor_id = models.BigIntegerField(_("รหัสผู้ใช้"), null=True, blank=True)
    actor_name = models.CharField(_("ผู้กระทำ"), max_length=250, blank=True)
    actor_national_id = models.CharField(_("เลขประจำตัวประชาชนผู้กระทำ"), max_length=13, blank=True)
    ip = models.GenericIPAddressField(_("ที่อยู่ IP"), null=True, blank=True)
    user_agent = models.CharField(_("โปรแกรมที่ใช้"), max_length=300, blank=True)
    complaint_id = models.BigIntegerField(_("รหัสเรื่อง"), null=True, blank=True)
    case_number = models.CharField(_("เลขที่รับ"), max_length=30, blank=True)
    # A transition's step (a name of cases.actions, or intake); empty for other kinds.
    action = models.CharField(_("การดำเนินการ"), max_length=50, blank=True)
    detail = models.CharField(_("รายละเอียด"), max_length=500, blank=True)
    before = models.JSONField(_("ก่อน"), default=dict, blank=True)
    after = models.JSONField(_("หลัง"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    hash_version = models.PositiveSmallIntegerField(default=HASH_VERSION, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("บันทึกการตรวจสอบ")
        verbose_name_plural = _("บันทึกการตรวจสอบ")
        indexes = [
            models.Index(fields=["complaint_id", "id"], name="audit_case"),
            models.Index(fields=["actor_id", "-at"], name="audit_actor"),
            models.Index(fields=["kind", "-at"], name="audit_kind"),
            models.Index(fields=["-at"], name="audit_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.kind} {self.actor_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    def content(self) -> str:
        """The row's content in one canonical text: what its hash covers.

        Version 2 rows cover their action. Version 1 rows were hashed before the
        action had a field, when a transition's detail began with it
        (``approve_closure: note``); migration 0005 copied that first word into the
        field, and their hash, which cannot be recomputed without looking like
        tampering, covers the detail only. So the action is hashed by version, not
        "when non-empty": the filled-in rows would fail. A version 1 row's action is
        checked against its detail instead (``legacy_action``, ``audit.verify``). The
        version needs no hash of its own: changing it changes what is hashed."""
        values = [
            self.at.isoformat(timespec="microseconds"), self.kind, self.actor_id, self.actor_name,
            self.actor_national_id, self.ip, self.user_agent, self.complaint_id, self.case_number,
            self.detail, self.before, self.after,
        ]  # fmt: skip
        if self.hash_version >= 2:
            values.append(self.action)
        return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)

    def compute_hash(self, prev_hash: str) -> str:
        return hashlib.sha256((prev_hash + self.content()).encode()).hexdigest()

    def legacy_action(self) -> str:
        """The action a version 1 row holds in its detail: a transition's first word, up to ": "."""
        return self.detail.partition(": ")[0] if self.kind == Kind.TRANSITION else ""

    @property
    def note(self) -> str:
        """What a transition's detail says beside its action (a version 1 row's detail began with it)."""
        if self.hash_version == 1 and self.action:
            return self.detail.removeprefix(self.action).removeprefix(": ")
        return self.detail


class AuditCheckpoint(models.Model):
    """A signed note of the chain's head: the newest row's id and hash and how many
    rows there were up to it (``audit.anchors``).

    The chain alone cannot tell that its newest rows were deleted, that the table
    was emptied, or that a row was edited and every later hash recomputed: each of
    those leaves a chain that is whole. A checkpoint can, because it is signed with
    a key the database does not hold and kept outside the audit table (here, and
    in a file: ``settings.AUDIT_ANCHOR_PATH``)."""

    at = models.DateTimeField(_("เวลา"), default=timezone.now)
    event_id = models.BigIntegerField(_("ลำดับที่ของรายการล่าสุด"))
    event_hash = models.CharField(_("ค่าแฮชของรายการล่าสุด"), max_length=64)
    row_count = models.BigIntegerField(_("จำนวนรายการถึงรายการล่าสุด"))
    signature = models.CharField(_("ลายมือชื่อ (HMAC-SHA256)"), max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("จุดยืนยันบันทึกการตรวจสอบ")
        verbose_name_plural = _("จุดยืนยันบันทึกการตรวจสอบ")

    def __str__(self) -> str:
        return f"#{self.event_id} {self.event_hash[:12]}… ({self.row_count})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit checkpoints are append-only")
        super().save(*args, **kwargs)
