"""The requests for access: the list (waiting for me, mine), one request, and its answer.

The write path is ``permissions.services``; who reads a request is ``repeats.access``
(its requester, and the officers who see its case); who answers it is the rule of sharing
(``permissions.rules.can_share``), asked again by the service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_errors
from permissions import rules
from permissions import services as sharing
from permissions.models import AccessRequest
from repeats import access
from repeats.access_forms import GrantForm, RefuseForm

DECIDED_SHOWN = 50


@login_required
@require_GET
def access_requests(request):
    """Waiting for my answer (a head), then my own requests, then the latest answered."""
    user = request.user
    waiting, _count = access.waiting_for(user, limit=200)
    mine = list(access.requests_for(user).filter(requested_by=user)[:DECIDED_SHOWN])
    context = {"waiting": waiting, "mine": mine, "shown": DECIDED_SHOWN}
    return render(request, "repeats/access_requests.html", context)


def _get(request, pk) -> AccessRequest:
    item = access.get_request_for_user(request.user, pk)
    if item is None:
        raise Http404
    return item


def _page(request, item, *, grant_form=None, refuse_form=None, status=200):
    user = request.user
    decides = sharing.may_decide_access(user, item)
    context = {
        "item": item,
        "case": item.complaint,
        "decides": decides,
        "mine": item.requested_by_id == user.pk,
        # The requester reads the case's number, center, date and status only, until granted.
        "sees_case": rules.sees(user, item.complaint),
        "grant_form": grant_form or (GrantForm() if decides else None),
        "refuse_form": refuse_form or (RefuseForm() if decides else None),
    }
    return render(request, "repeats/access_request.html", context, status=status)


@login_required
@require_GET
def access_request(request, pk):
    return _page(request, _get(request, pk))


def _decision(request, pk, form_class, decide):
    item = _get(request, pk)
    if not rules.can_share(request.user, item.complaint):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            decide(item, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except sharing.AccessRefused as refused:
            messages.error(request, refused.message)
            return redirect("repeats:access_request", pk=item.pk)
        else:
            return None
    key = "grant_form" if form_class is GrantForm else "refuse_form"
    return _page(request, item, **{key: form}, status=400)


@login_required
@require_POST
def grant_access(request, pk):
    def grant(item, data):
        sharing.grant_access(actor=request.user, access_request=item, expires_on=data["expires_on"], note=data["note"])
        messages.success(request, _("อนุญาตให้ %(name)s เข้าถึงเรื่องแล้ว") % {"name": item.requested_by.get_full_name()})

    return _decision(request, pk, GrantForm, grant) or redirect("repeats:access_request", pk=pk)


@login_required
@require_POST
def refuse_access(request, pk):
    def refuse(item, data):
        sharing.refuse_access(actor=request.user, access_request=item, note=data["note"])
        messages.success(request, _("บันทึกว่าไม่อนุญาตแล้ว ผู้ขอจะได้รับแจ้งพร้อมเหตุผล"))

    return _decision(request, pk, RefuseForm, refuse) or redirect("repeats:access_request", pk=pk)


@login_required
@require_POST
def withdraw_access(request, pk):
    item = _get(request, pk)
    if item.requested_by_id != request.user.pk:
        raise PermissionDenied
    try:
        sharing.withdraw_access(actor=request.user, access_request=item)
    except sharing.AccessRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("ถอนคำขอเข้าถึงเรื่อง %(number)s แล้ว") % {"number": item.complaint.number})
    return redirect("repeats:access_request", pk=item.pk)
