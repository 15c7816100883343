"""The live repeat check of the intake page, and asking for access from a candidate's card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Complaint
from core.forms import add_service_errors
from permissions import rules
from permissions import services as sharing
from repeats import display
from repeats.access_forms import AskForm


@login_required
@require_POST
def check(request):
    """The panel "อาจเป็นเรื่องซ้ำ" for the intake form's fields as typed so far (the page
    posts the form's own FormData, debounced): one engine call, then the cards."""
    if not rules.can_open_intake(request.user):
        raise PermissionDenied
    draft = display.draft_from_form(request.POST)
    cards = display.intake_cards(request.user, draft) if draft is not None else []
    return fragment(request, "repeats/intake_panel.html", {"cards": cards, "checked": draft is not None})


def fragment(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """A piece of a page for the script to put in place: rendered without the context
    processors, which read the menu's counts (four queries) for a page it is not."""
    context = {**context, "csrf_token": get_token(request)}
    return HttpResponse(render_to_string(template, context), status=status)


def _from_page(request) -> bool:
    """Whether the card's script sent this (it takes a piece of HTML back), not a plain form."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@login_required
@require_POST
def ask_access(request):
    """Ask the owning center for access to a case shown on a minimal card (the card's token
    names it: only a case shown to this officer as a candidate can be asked for here)."""
    form = AskForm(request.POST)
    case = None
    if form.is_valid():
        case_id = display.case_id_from_token(request.user, form.cleaned_data["token"])
        case = Complaint.objects.filter(pk=case_id).first() if case_id else None
        if case is None:
            form.add_error(None, _("ขอเข้าถึงได้จากผลการตรวจเรื่องซ้ำเท่านั้น กรุณาตรวจเรื่องซ้ำอีกครั้ง"))
    asked = refusal = None
    if case is not None:
        try:
            asked = sharing.request_access(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except sharing.AccessRefused as refused:
            refusal = refused.message
    if not _from_page(request):
        if asked is not None:
            messages.success(request, _("ส่งคำขอเข้าถึงเรื่อง %(number)s แล้ว") % {"number": case.number})
            return redirect("repeats:access_request", pk=asked.pk)
        messages.error(request, refusal or _("ยังส่งคำขอไม่ได้ กรุณาระบุเหตุผลที่ขอเข้าถึงเรื่อง"))
        return redirect("repeats:access_requests")
    context = {"form": form, "asked": asked, "refusal": refusal, "token": request.POST.get("token", "")}
    status = 200 if asked is not None else 409 if refusal else 400
    return fragment(request, "repeats/includes/ask_result.html", context, status=status)
