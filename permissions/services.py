"""Sharing a case outside its jurisdiction, and ending the share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import events as audit_events
from permissions import rules
from permissions.models import CaseShare, district_group

MAX_SHARE_DAYS = 180
PERMISSION = "cases.view_complaint"


class ShareRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def share_case(*, actor, case, reason: str, expires_on: dt.date, district=None, user=None) -> CaseShare:
    """Let another district's staff, or a named officer, see ``case`` until ``expires_on``."""
    if not rules.can_share(actor, case):
        raise ShareRefused(_("เฉพาะหัวหน้าศูนย์ดำรงธรรมที่รับผิดชอบเรื่องนี้ที่แชร์เรื่องได้"))
    errors = {}
    if (district is None) == (user is None):
        errors["recipient"] = [_("กรุณาเลือกอำเภอหรือเจ้าหน้าที่ที่จะแชร์ให้ อย่างใดอย่างหนึ่ง")]
    if district is not None and district.pk == case.district_id:
        errors["district"] = [_("เรื่องนี้อยู่ในอำเภอนี้อยู่แล้ว")]
    if not (reason or "").strip():
        errors["reason"] = [_("กรุณาระบุเหตุผลที่แชร์เรื่อง")]
    today = timezone.localdate()
    if expires_on <= today:
        errors["expires_on"] = [_("วันสิ้นสุดต้องอยู่หลังวันนี้")]
    elif expires_on > today + dt.timedelta(days=MAX_SHARE_DAYS):
        errors["expires_on"] = [_("แชร์ได้ไม่เกิน %(days)d วัน") % {"days": MAX_SHARE_DAYS}]
    if errors:
        raise ValidationError(errors)
    expires_at = dt.datetime.combine(expires_on, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    share = CaseShare(
        complaint=case, district=district, user=user, reason=reason.strip(), expires_at=expires_at, granted_by=actor
    )
    share._history_user = actor
    share.save()
    assign_perm(PERMISSION, user if user is not None else district_group(district.pk), case)
    audit_events.permission_granted(
        actor, case, detail=f"view_complaint → {share.recipient_name}: {share.reason}",
        after={"share": share.pk, "district": district.pk if district else None, "user": user.pk if user else None,
               "expires_at": expires_at.isoformat()},
    )  # fmt: skip
    return share


@transaction.atomic
def end_share(share: CaseShare, *, actor=None, now=None, why: str = "") -> CaseShare:
    """Revoke a share (``actor``), or end it at its expiry (``actor`` None: the system), or
    for ``why`` (the system: its grantee's account or scope ended)."""
    share = CaseShare.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is not None:
        return share
    if actor is not None and not rules.can_share(actor, share.complaint):
        raise ShareRefused(_("เฉพาะหัวหน้าศูนย์ดำรงธรรมที่รับผิดชอบเรื่องนี้ที่ยกเลิกการแชร์ได้"))
    share.revoked_at, share.revoked_by = now or timezone.now(), actor
    share._history_user = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    still_shared = CaseShare.objects.active(now=share.revoked_at).filter(
        complaint_id=share.complaint_id, district_id=share.district_id, user_id=share.user_id
    )
    if not still_shared.exists():
        remove_perm(PERMISSION, share.user if share.user_id else district_group(share.district_id), share.complaint)
    audit_events.permission_revoked(
        actor, share.complaint,
        detail=f"view_complaint → {share.recipient_name}" + (f" ({why})" if why else "" if actor else " (expired)"),
        before={"share": share.pk, "expires_at": share.expires_at.isoformat()},
    )  # fmt: skip
    return share


def expire_shares(now=None) -> int:
    """End every share past its expiry; return how many ended."""
    now = now or timezone.now()
    ended = 0
    for share in CaseShare.objects.filter(revoked_at__isnull=True, expires_at__lte=now).select_related("complaint"):
        end_share(share, now=now)
        ended += 1
    return ended
