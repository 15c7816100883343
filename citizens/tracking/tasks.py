"""Telling the district head of a complainant's request to reopen (after commit, through the outbox)."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from citizens.models import ReopenRequest
from core.roles import Role
from workflows import engine
from workflows.notify import notify

NOTICE_KIND = "reopen_request"


@shared_task(name="public.notify_reopen_request", ignore_result=True)
def notify_reopen_request(request_id: int) -> int:
    """Tell the heads of the case's district (``workflows.engine.eligible``: never one
    named as respondent) that a complainant asks to reopen it; return how many were told.
    Idempotent (core/outbox.py): one notice per request and head."""
    request = ReopenRequest.objects.select_related("complaint").filter(pk=request_id).first()
    if request is None or request.state != ReopenRequest.State.PENDING:
        return 0
    case = request.complaint
    heads = engine.eligible(case, Role.DISTRICT_HEAD)
    return notify(
        heads, complaint=case, kind=NOTICE_KIND, key=f"reopen-request:{request.pk}", data={"request": request.pk}
    )


def render_notice(notice) -> str:
    """The notice's words in the reader's language (workflows.notify.render asks)."""
    return _("ผู้ร้องแจ้งทางหน้าติดตามเรื่องว่าปัญหายังไม่ได้รับการแก้ไข ขอให้เปิดเรื่องใหม่ — รอคุณพิจารณา")
