"""Sharing a case outside its jurisdiction, and ending the share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import events as audit_events
from core import outbox
from core.roles import Role
from permissions import rules
from permissions.models import AccessRequest, CaseShare, district_group

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


# --- Requests for access: an officer asks the owning center to share a case with him -------

# The step names of a request, for the notices sent after commit (``NOTIFY_ACCESS_TASK``).
ACCESS_REQUESTED, ACCESS_GRANTED, ACCESS_REFUSED = "requested", "granted", "refused"
# The task that words and sends the notices (repeats.access, above us: it writes through
# workflows.notify); enqueued by name through the outbox, as every side effect is.
NOTIFY_ACCESS_TASK = "repeats.notify_access_request"
DEFAULT_ACCESS_DAYS = 30
# Who asks: the officers of a center, who record and handle cases. A team member works on
# his team's cases only; national officers see every case already.
REQUESTING_ROLES = (Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD, Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD)


class AccessRefused(ShareRefused):
    """A request for access that cannot be made, or a step on it that cannot be taken."""


def may_request_access(user, case) -> bool:
    """Whether ``user`` may ask for access to ``case``: an officer of a center who does not
    see it, and is not named in it as respondent (he never sees it, and is never told why)."""
    return (
        user.is_active
        and user.has_role(*REQUESTING_ROLES)
        and not rules.is_respondent(user, case)
        and not rules.sees(user, case)
    )


def may_decide_access(user, access_request: AccessRequest) -> bool:
    """Whether ``user`` answers ``access_request`` now: whoever may share its case."""
    return access_request.state == AccessRequest.State.PENDING and rules.can_share(user, access_request.complaint)


def _notify_access(access_request: AccessRequest, step: str) -> None:
    outbox.enqueue(
        NOTIFY_ACCESS_TASK, kwargs={"request_id": access_request.pk, "step": step},
        key=f"access-request:{access_request.pk}:{step}",
    )  # fmt: skip


def _locked_request(access_request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update().select_related("complaint", "requested_by").get(pk=access_request.pk)
    )


def _leave_current(given: AccessRequest, saved: AccessRequest) -> None:
    # The caller's instance shows what the service did (STYLE.md 14).
    for name in ("state", "decided_by", "decided_at", "decision_note", "share"):
        setattr(given, name, getattr(saved, name))


@transaction.atomic
def request_access(*, actor, case, reason: str) -> AccessRequest:
    """Ask the center that owns ``case`` to share it with ``actor``, for ``reason``; the
    heads who may share it are told (after commit). One request waits per officer and case."""
    if not may_request_access(actor, case):
        if actor.is_active and rules.sees(actor, case):
            raise AccessRefused(_("คุณเข้าถึงเรื่องนี้ได้อยู่แล้ว"))
        raise AccessRefused(_("คุณขอเข้าถึงเรื่องนี้ไม่ได้"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("กรุณาระบุเหตุผลที่ขอเข้าถึงเรื่องนี้")]})
    pending = _("คุณขอเข้าถึงเรื่องนี้ไว้แล้ว คำขอรอการพิจารณาอยู่")
    if AccessRequest.objects.filter(complaint=case, requested_by=actor, state=AccessRequest.State.PENDING).exists():
        raise AccessRefused(pending)
    access_request = AccessRequest(complaint=case, requested_by=actor, reason=reason)
    access_request._history_user = actor
    try:
        with transaction.atomic():
            access_request.save()
    except IntegrityError:  # the other click of a double submit
        raise AccessRefused(pending) from None
    _notify_access(access_request, ACCESS_REQUESTED)
    audit_events.access_request(actor, case, access_request)
    return access_request


@transaction.atomic
def grant_access(*, actor, access_request: AccessRequest, expires_on: dt.date, note: str = "") -> AccessRequest:
    """Share the case with its requester until ``expires_on`` (``share_case``: the rule, the
    limits and the audit of a share), answer the request, and tell the requester."""
    saved = _locked_request(access_request)
    if saved.state != AccessRequest.State.PENDING:
        raise AccessRefused(_("คำขอนี้มีผู้พิจารณาไปแล้ว"))
    case = saved.complaint
    if not rules.can_share(actor, case):
        raise AccessRefused(_("เฉพาะหัวหน้าศูนย์ดำรงธรรมที่รับผิดชอบเรื่องนี้ที่พิจารณาคำขอได้"))
    note = (note or "").strip()
    reason = _("ตามคำขอเข้าถึงเรื่อง: %(reason)s") % {"reason": saved.reason}
    share = share_case(actor=actor, case=case, reason=reason, expires_on=expires_on, user=saved.requested_by)
    saved.state, saved.decided_by, saved.decided_at = AccessRequest.State.GRANTED, actor, timezone.now()
    saved.decision_note, saved.share = note, share
    saved._history_user = actor
    saved.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "share"])
    _notify_access(saved, ACCESS_GRANTED)
    audit_events.access_request(actor, case, saved, before_state=AccessRequest.State.PENDING, note=note)
    _leave_current(access_request, saved)
    return access_request


@transaction.atomic
def refuse_access(*, actor, access_request: AccessRequest, note: str) -> AccessRequest:
    """Refuse the request, with ``note`` (required) for the requester, who is told."""
    saved = _locked_request(access_request)
    if saved.state != AccessRequest.State.PENDING:
        raise AccessRefused(_("คำขอนี้มีผู้พิจารณาไปแล้ว"))
    case = saved.complaint
    if not rules.can_share(actor, case):
        raise AccessRefused(_("เฉพาะหัวหน้าศูนย์ดำรงธรรมที่รับผิดชอบเรื่องนี้ที่พิจารณาคำขอได้"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("กรุณาระบุเหตุผลที่ไม่อนุญาต ผู้ขอจะเห็นเหตุผลนี้")]})
    saved.state, saved.decided_by, saved.decided_at = AccessRequest.State.REFUSED, actor, timezone.now()
    saved.decision_note = note
    saved._history_user = actor
    saved.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _notify_access(saved, ACCESS_REFUSED)
    audit_events.access_request(actor, case, saved, before_state=AccessRequest.State.PENDING, note=note)
    _leave_current(access_request, saved)
    return access_request


@transaction.atomic
def withdraw_access(*, actor, access_request: AccessRequest) -> AccessRequest:
    """The requester takes back his request while it waits."""
    saved = _locked_request(access_request)
    if saved.requested_by_id != actor.pk:
        raise AccessRefused(_("ถอนได้เฉพาะคำขอของคุณเอง"))
    if saved.state != AccessRequest.State.PENDING:
        raise AccessRefused(_("คำขอนี้มีผู้พิจารณาไปแล้ว ถอนไม่ได้"))
    saved.state, saved.decided_by, saved.decided_at = AccessRequest.State.WITHDRAWN, actor, timezone.now()
    saved._history_user = actor
    saved.save(update_fields=["state", "decided_by", "decided_at"])
    audit_events.access_request(actor, saved.complaint, saved, before_state=AccessRequest.State.PENDING)
    _leave_current(access_request, saved)
    return access_request
