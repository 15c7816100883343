"""Requests for access to a case outside an officer's sight: what the pages read, and the notices.

The write path is ``permissions.services`` (``request_access``, ``grant_access``,
``refuse_access``, ``withdraw_access``), below us; it queues the notices by the task's name
through the outbox, and the task here words them through ``workflows.notify``.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db.models import Case, Count, Q, Value, When, Window
from django.utils.translation import gettext as _

from cases.models import Complaint
from core.home import HomeSection
from core.home import register as register_section
from core.roles import Role, ScopeLevel
from core.thai import format_date
from permissions import rules
from permissions import services as sharing
from permissions.models import AccessRequest
from workflows import engine
from workflows.notify import notify, register_renderer

# The kinds of notice: to the heads (a request waits), to the requester (the answer).
WAITING_NOTICE, ANSWER_NOTICE = "access_request", "access_request_answer"
BOX_SHOWN = 10


def _rows():
    return AccessRequest.objects.select_related(
        "complaint__district__province", "complaint__province", "requested_by__district__province",
        "requested_by__province", "decided_by",
    )  # fmt: skip


def _waiting_first(requests):
    pending = Case(When(state=AccessRequest.State.PENDING, then=Value(0)), default=Value(1))
    return requests.order_by(pending, "-requested_at", "-id")


def requests_for(user):
    """The requests ``user`` may read: his own, and those on the cases he sees (the heads
    who answer them, and the case's other officers, who read them only)."""
    visible = Complaint.objects.visible_to(user).values("pk")
    return _waiting_first(_rows().filter(Q(requested_by=user) | Q(complaint__in=visible)))


def get_request_for_user(user, pk) -> AccessRequest | None:
    return requests_for(user).filter(pk=pk).first()


def _deciding_reach(user) -> Q | None:
    """The cases whose requests ``user`` may answer, as a condition narrowing the query
    (``permissions.rules.can_share`` decides each): his district's, or the escalated cases
    of his province; None for anyone who answers none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.scope_level == ScopeLevel.DISTRICT and user.district_id and user.has_role(Role.DISTRICT_HEAD):
        return Q(complaint__district_id=user.district_id)
    if user.scope_level == ScopeLevel.PROVINCE and user.province_id and user.has_role(Role.PROVINCE_HEAD):
        return Q(complaint__province_id=user.province_id, complaint__is_escalated=True)
    return None


def waiting_for(user, *, limit: int = BOX_SHOWN) -> tuple[list[AccessRequest], int]:
    """The requests waiting for ``user``'s answer (the box on a head's inbox): the first
    ``limit`` and how many there are. Nobody else answers them: no query for them."""
    reach = _deciding_reach(user)
    if reach is None:
        return [], 0
    visible = Complaint.objects.visible_to(user).values("pk")
    pending = AccessRequest.objects.filter(reach, state=AccessRequest.State.PENDING, complaint__in=visible)
    # Every inbox page of a head asks, and almost always none waits: a key first, on the
    # partial index of pending requests; the rows and their joins only when some wait.
    if not pending.values_list("pk", flat=True)[:1]:
        return [], 0
    waiting = _rows().filter(pk__in=pending.values("pk"))
    # How many in the same statement (a window over the rows before the limit): one query
    # whether two wait or fifty.
    rows = list(waiting.annotate(total=Window(Count("id"))).order_by("requested_at", "id")[:limit])
    return rows, rows[0].total if rows else 0


def waiting_section(user) -> dict | None:
    """The inbox box's (and the start page's) context: None when nothing waits for him."""
    rows, count = waiting_for(user)
    return {"rows": rows, "count": count} if count else None


def center_of(user) -> str:
    """The requester's center, as the head reads it."""
    return user.scope_name


# --- Notices (queued by permissions.services after commit, through the outbox) ----------------


@shared_task(name=sharing.NOTIFY_ACCESS_TASK, ignore_result=True)
def notify_access_request(request_id: int, step: str) -> int:
    """Tell the heads who may share the case that a request waits (``step`` "requested"), or
    the requester of the answer; return how many were told. Idempotent (core/outbox.py): one
    notice per request, step and person."""
    access_request = _rows().filter(pk=request_id).first()
    if access_request is None:
        return 0
    case, requester = access_request.complaint, access_request.requested_by
    if step == sharing.ACCESS_REQUESTED:
        if access_request.state != AccessRequest.State.PENDING:
            return 0
        heads = engine.eligible(case, Role.DISTRICT_HEAD) + engine.eligible(case, Role.PROVINCE_HEAD)
        return notify(
            [head for head in heads if rules.can_share(head, case)], complaint=case, kind=WAITING_NOTICE,
            key=f"access-request:{access_request.pk}",
            data={"request": access_request.pk, "name": requester.get_full_name(), "center": center_of(requester)},
        )  # fmt: skip
    return notify(
        [requester], complaint=case, kind=ANSWER_NOTICE, key=f"access-request:{access_request.pk}:{step}",
        data={"request": access_request.pk, "step": step, "note": access_request.decision_note,
              "until": access_request.share.expires_at.date().isoformat() if access_request.share_id else ""},
    )  # fmt: skip


def render_notice(notice) -> str:
    """The notice's words in the reader's language (workflows.notify.render asks)."""
    data = notice.data
    if notice.kind == WAITING_NOTICE:
        return _("%(name)s (%(center)s) ขอเข้าถึงเรื่องนี้ — รอคุณพิจารณา") % data
    if data.get("step") == sharing.ACCESS_GRANTED:
        return _("คำขอเข้าถึงเรื่องของคุณได้รับอนุญาตแล้ว เปิดดูเรื่องได้ถึงวันที่ %(until)s") % {
            "until": _thai_day(data.get("until", ""))
        }
    return _("คำขอเข้าถึงเรื่องของคุณไม่ได้รับอนุญาต: %(note)s") % {"note": data.get("note", "")}


def _thai_day(iso: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def install() -> None:
    """Word the notices, and put the waiting requests on a head's start page (called from ``RepeatsConfig.ready``, which also makes workers know the task)."""
    register_renderer(WAITING_NOTICE, render_notice)
    register_renderer(ANSWER_NOTICE, render_notice)
    register_section(HomeSection("repeats/includes/access_requests_box.html", waiting_section, order=6))
