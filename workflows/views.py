"""Inbox, dashboard and notification pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Complaint
from core.roles import Role
from permissions import rules
from workflows import engine, notify, process, selectors
from workflows.models import CaseTask, Notification


@login_required
def inbox(request, tab="mine"):
    if tab not in selectors.TABS:
        raise Http404
    page = selectors.inbox_page(request.user, tab, after=request.GET.get("after", ""))
    context = {
        "tab": tab,
        "page": page,
        # Each task with the case action that takes it, when taking it is one (accepting
        # an assigned case): that is the row's one button, not a claim.
        "rows": list(
            zip(
                page.items,
                engine.opening_actions(request.user, page.items) if tab == "queue" else [None] * len(page.items),
                strict=True,
            )
        ),
        "counts": selectors.page_counts(request.user),
        "now": timezone.now(),
        "can_reassign": request.user.has_role(Role.DISTRICT_HEAD, Role.PROVINCE_HEAD),
        "labels": _inbox_labels(),
    }
    return render(request, "workflows/inbox.html", context)


def _inbox_labels() -> dict[str, str]:
    """The task table's words, for its headings and its rows (Jinja2, inbox_rows.html)."""
    return {
        "number": _("เลขที่รับ"),
        "task": _("งาน"),
        "subject": _("เรื่อง"),
        "category": _("ประเภทเรื่อง"),
        "finished": _("เสร็จเมื่อ"),
        "waiting": _("รอมาแล้ว"),
        "due": _("กำหนดเสร็จ"),
        "overdue": _("เกินกำหนด"),
        "claim": _("รับงาน"),
        "release": _("คืนงาน"),
        "reassign": _("มอบหมายให้ผู้อื่น"),
    }


def _visible_task(user, pk) -> CaseTask:
    """A task of a case the user may see, else 404."""
    task = get_object_or_404(CaseTask.objects.select_related("owner"), pk=pk)
    if not Complaint.objects.visible_to(user).filter(pk=task.complaint_id).exists():
        raise Http404
    return task


def _back(request, fallback="workflows:inbox"):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


def _take_step(request, pk, step, done: str):
    """Claim or release a task of a case the user sees; say how it went, go back."""
    task = _visible_task(request.user, pk)
    try:
        step(task, request.user)
    except engine.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(request)


@login_required
@require_POST
def claim(request, pk):
    return _take_step(request, pk, engine.claim, _("รับงานแล้ว งานอยู่ใน “งานของฉัน”"))


@login_required
@require_POST
def release(request, pk):
    return _take_step(request, pk, engine.release, _("คืนงานเข้าคิวแล้ว"))


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request, pk):
    task = _visible_task(request.user, pk)
    if not engine.may_reassign(request.user, task):
        raise PermissionDenied
    candidates = engine.eligible_people(task)
    if request.method == "POST":
        chosen = next((u for u in candidates if str(u.pk) == request.POST.get("user")), None)
        if chosen is None:
            messages.error(request, _("กรุณาเลือกผู้รับงานจากรายชื่อ"))
        else:
            try:
                engine.reassign(task, request.user, chosen)
            except engine.WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("มอบหมายงานให้ %(name)s แล้ว") % {"name": chosen.get_full_name()})
                return redirect("workflows:inbox")
    context = {"task": task, "candidates": candidates, "label": process.label(engine.node_name(task))}
    return render(request, "workflows/reassign.html", context)


@login_required
def dashboard(request):
    if not rules.can_open_district_dashboard(request.user):
        raise PermissionDenied
    board = selectors.district_dashboard(request.user)
    return render(request, "workflows/dashboard.html", {"board": board})


@login_required
def notifications(request):
    return render(request, "workflows/notifications.html", {"items": notify.notices_for(request.user)})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด"))
    return redirect("workflows:notifications")
