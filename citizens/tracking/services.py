"""What a complainant does on the tracking page, and the head's answer.

A complainant rates the handling of a case that ended (once), or says within the
reopen window that the problem is not solved: a request that waits for the head
of the case's district, who reopens the case (through ``cases.services.case_reopen``,
the one write path of a case) or declines with a reason written for the citizen.
Refusals are ``cases.services.ActionRefused`` with a message for the reader.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from cases import services as case_services
from cases.models import CaseEvent, Complaint, Status
from cases.services import ActionRefused
from citizens.models import ReopenRequest, Satisfaction
from citizens.tracking.selectors import ENDED, may_decide
from core import outbox
from permissions import rules

NOTIFY_HEADS_TASK = "public.notify_reopen_request"


def _locked(case: Complaint) -> Complaint:
    # One complainant's clicks on the same case take turns (a double submit).
    return Complaint.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def rate_handling(*, case: Complaint, rating: int, comment: str = "") -> Satisfaction:
    """Record the complainant's rating (1-5) of the handling of a case that ended, once."""
    case = _locked(case)
    if case.status not in ENDED:
        raise ActionRefused(_("ให้คะแนนได้เมื่อศูนย์ฯ ยุติเรื่องแล้ว"), code="open")
    if Satisfaction.objects.filter(complaint=case).exists():
        raise ActionRefused(_("เรื่องนี้ได้รับการให้คะแนนแล้ว ให้คะแนนได้ครั้งเดียวต่อเรื่อง ขอบคุณที่ตอบแบบประเมิน"), code="already")
    satisfaction = Satisfaction(complaint=case, rating=rating, comment=(comment or "").strip())
    satisfaction.full_clean(exclude=["complaint"])
    try:
        with transaction.atomic():
            satisfaction.save()
    except IntegrityError:
        # The other click of a double submit won (OneToOne): it is the same rating.
        raise ActionRefused(
            _("เรื่องนี้ได้รับการให้คะแนนแล้ว ให้คะแนนได้ครั้งเดียวต่อเรื่อง ขอบคุณที่ตอบแบบประเมิน"), code="already"
        ) from None
    return satisfaction


@transaction.atomic
def request_reopen(*, case: Complaint, reason: str) -> ReopenRequest:
    """The complainant says the problem of a closed case is not solved: a request that
    waits for the district head (told in the app and by e-mail, after commit)."""
    case = _locked(case)
    if case.status != Status.CLOSED or not rules.within_reopen_window(case):
        raise ActionRefused(_("ขอให้เปิดเรื่องใหม่ทางเว็บไซต์ได้ภายในระยะเวลาที่กำหนดหลังยุติเรื่องเท่านั้น กรุณาติดต่อศูนย์ฯ"), code="window")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("กรุณาเล่าว่าปัญหาใดยังไม่ได้รับการแก้ไข")]})
    if ReopenRequest.objects.filter(complaint=case, state=ReopenRequest.State.PENDING).exists():
        raise ActionRefused(_("มีคำขอให้เปิดเรื่องใหม่ที่รอศูนย์ฯ พิจารณาอยู่แล้ว"), code="pending")
    request = ReopenRequest(complaint=case, reason=reason)
    request.full_clean(exclude=["complaint"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ActionRefused(_("มีคำขอให้เปิดเรื่องใหม่ที่รอศูนย์ฯ พิจารณาอยู่แล้ว"), code="pending") from None
    outbox.enqueue(NOTIFY_HEADS_TASK, kwargs={"request_id": request.pk}, key=f"reopen-request:{request.pk}")
    audit_events.reopen_request(None, case, request)
    return request


@transaction.atomic
def decide_reopen_request(*, actor, reopen_request: ReopenRequest, reopen: bool, note: str = "") -> ReopenRequest:
    """The head's answer to a request: reopen the case (the citizen's reason quoted in
    the case's note) or decline, with ``note`` written for the citizen (required)."""
    request = ReopenRequest.objects.select_for_update().select_related("complaint").get(pk=reopen_request.pk)
    if request.state != ReopenRequest.State.PENDING:
        raise ActionRefused(_("คำขอนี้มีผู้พิจารณาไปแล้ว"), code="decided")
    case = request.complaint
    if not may_decide(actor, request):
        raise ActionRefused(_("คุณไม่มีสิทธิ์พิจารณาคำขอนี้"), code="forbidden")
    note = (note or "").strip()
    if reopen:
        if case.status == Status.CLOSED:
            quoted = _("ผู้ร้องแจ้งทางหน้าติดตามเรื่องว่าปัญหายังไม่ได้รับการแก้ไข: “%(reason)s”") % {"reason": request.reason}
            case_services.case_reopen(actor=actor, case=case, reason=f"{quoted}\n{note}" if note else quoted)
        elif not CaseEvent.objects.filter(complaint=case, action="reopen", at__gte=request.created_at).exists():
            raise ActionRefused(_("เรื่องนี้ไม่ได้อยู่ในสถานะยุติเรื่อง จึงเปิดเรื่องใหม่ไม่ได้"), code="wrong_state")
        # else: reopened from the case page since the request came; the request is answered.
        request.state = ReopenRequest.State.REOPENED
    else:
        if not note:
            raise ValidationError({"note": [_("กรุณาเขียนเหตุผลที่ไม่เปิดเรื่องใหม่ถึงผู้ร้อง")]})
        request.state = ReopenRequest.State.DECLINED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_events.reopen_request(actor, case, request, before_state=ReopenRequest.State.PENDING, note=note)
    reopen_request.state, reopen_request.decided_by, reopen_request.decided_at = (
        request.state,
        actor,
        request.decided_at,
    )
    reopen_request.decision_note = note
    return request
