"""The tracking pages: a citizen follows a case by its code (no account, no cookie
unless a form asks for one), and the officers' pages of requests to reopen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases import public_wording as timeline
from cases.services import ActionRefused
from citizens.tracking import limits, selectors, services
from citizens.tracking.forms import DecisionForm, RatingForm, ReopenRequestForm, TrackingCodeForm, read_code
from core.forms import add_service_errors
from permissions import rules

FOUND_CACHE = "private, max-age=60"
ERROR_CACHE = "no-store"

# What the page says after a form was sent (?done=...): a page of its own address, so
# that a browser's copy of the page before it (cached for a minute) is not shown instead.
DONE_MESSAGES = {
    "rated": ("success", gettext_lazy("ขอบคุณที่ให้คะแนน ความเห็นของคุณช่วยให้ศูนย์ดำรงธรรมปรับปรุงการให้บริการ")),
    "already_rated": ("info", gettext_lazy("เรื่องนี้ได้รับการให้คะแนนแล้ว ให้คะแนนได้ครั้งเดียวต่อเรื่อง ขอบคุณที่ตอบแบบประเมิน")),
    "asked": ("success", gettext_lazy("ส่งคำขอให้เปิดเรื่องใหม่แล้ว ศูนย์ฯ จะพิจารณาและแจ้งผลในหน้านี้")),
    "already_asked": ("info", gettext_lazy("มีคำขอให้เปิดเรื่องใหม่ที่รอศูนย์ฯ พิจารณาอยู่แล้ว ผลการพิจารณาจะแสดงในหน้านี้")),
}


def _with_cache(response, value: str):
    response["Cache-Control"] = value
    return response


@require_GET
def track(request):
    """The form: a GET (no CSRF cookie), sent on to the code's own page."""
    form = TrackingCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("public:track_case", code=form.cleaned_data["code"])
    if form.is_bound:
        return _with_cache(render(request, "public/tracking/lookup.html", {"form": form}, status=400), ERROR_CACHE)
    return _with_cache(render(request, "public/tracking/lookup.html", {"form": form}), "public, max-age=300")


def _find(request, typed: str):
    """``(case, None)`` for a code that finds a case, else ``(None, the page that says why)``:
    a malformed code, a wrong one (counted: ``limits``), or too many wrong ones."""
    code, problem = read_code(typed)
    if problem:
        return None, _not_found(request, typed, problem)
    if limits.refused(request, code):
        return None, _too_many(request)
    case = selectors.find_case(code)
    if case is None:
        limits.count_miss(request, code)
        return None, _not_found(request, typed, "")
    return case, None


def _not_found(request, typed: str, problem: str):
    form = TrackingCodeForm(initial={"code": typed})
    context = {"form": form, "problem": problem, "not_found": not problem}
    return _with_cache(render(request, "public/tracking/lookup.html", context, status=404), ERROR_CACHE)


def _too_many(request):
    response = render(request, "public/tracking/too_many.html", {"wait": limits.seconds_left()}, status=429)
    response["Retry-After"] = str(limits.seconds_left())
    return _with_cache(response, ERROR_CACHE)


def _page(request, case, *, refusal: str = "", status=200):
    context = {
        "page": selectors.tracking_page(case),
        "case": case,
        "done": DONE_MESSAGES.get(request.GET.get("done", "")),
        "refusal": refusal,
    }
    response = render(request, "public/tracking/case.html", context, status=status)
    return _with_cache(response, FOUND_CACHE if status == 200 else ERROR_CACHE)


@require_GET
def track_case(request, code: str):
    """The case's page: no form on it, so no cookie, and kept a minute by the browser.
    Rating and asking to reopen are pages of their own, opened by a button: the CSRF
    cookie comes with the form the citizen chose to open."""
    case, refusal = _find(request, code)
    if refusal is not None:
        return refusal
    if code != case.tracking_code:  # typed with dashes, lower case, look-alikes: one address per case
        return redirect("public:track_case", code=case.tracking_code)
    return _page(request, case)


def _done(case, what: str):
    return redirect(f"{reverse('public:track_case', args=[case.tracking_code])}?done={what}#feedback")


def _form_page(request, case, form, *, kind: str):
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "kind": kind, "status": timeline.status_text(case)}
    if kind == "not_solved":
        context["reopen_until"] = timeline.reopen_window_ends(case)
    return _with_cache(render(request, "public/tracking/feedback.html", context, status=status), ERROR_CACHE)


@require_http_methods(["GET", "POST"])
def track_rate(request, code: str):
    """The rating of a case that ended (1-5, a comment), once."""
    case, refusal = _find(request, code)
    if refusal is not None:
        return refusal
    if not selectors.may_rate(case):
        if selectors.is_rated(case):
            return _done(case, "already_rated")
        return _page(request, case, refusal=_("ให้คะแนนได้เมื่อศูนย์ฯ ยุติเรื่องแล้ว"), status=409)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_handling(case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionRefused as refused:
            if refused.code == "already":
                return _done(case, "already_rated")
            return _page(request, case, refusal=refused.message, status=409)
        else:
            return _done(case, "rated")
    return _form_page(request, case, form, kind="rate")


@require_http_methods(["GET", "POST"])
def track_not_solved(request, code: str):
    """The complainant says the problem is not solved: a request to reopen, for the head."""
    case, refusal = _find(request, code)
    if refusal is not None:
        return refusal
    if not selectors.may_ask_reopen(case):
        if selectors.pending_request(case) is not None:
            return _done(case, "already_asked")
        message = _("ขอให้เปิดเรื่องใหม่ทางเว็บไซต์ได้ภายในระยะเวลาที่กำหนดหลังยุติเรื่องเท่านั้น กรุณาติดต่อศูนย์ฯ")
        return _page(request, case, refusal=message, status=409)
    form = ReopenRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_reopen(case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionRefused as refused:
            if refused.code == "pending":
                return _done(case, "already_asked")
            return _page(request, case, refusal=refused.message, status=409)
        else:
            return _done(case, "asked")
    return _form_page(request, case, form, kind="not_solved")


# --- Officers: the complainants' requests to reopen ---------------------------------------

DECIDED_SHOWN = 50


@login_required
@require_GET
def reopen_requests(request):
    """The requests on the cases the officer sees: every waiting one, then the latest decided."""
    requests = selectors.reopen_requests_for(request.user)
    waiting = list(requests.filter(state="pending"))
    decided = list(requests.exclude(state="pending").order_by("-decided_at", "-id")[:DECIDED_SHOWN])
    context = {"waiting": waiting, "decided": decided, "decided_shown": DECIDED_SHOWN}
    return render(request, "public/tracking/requests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reopen_request(request, pk: int):
    item = selectors.get_reopen_request_for_user(request.user, pk)
    if item is None:
        raise Http404
    case = item.complaint
    decides = selectors.may_decide(request.user, item)
    if request.method == "POST" and not decides:
        raise PermissionDenied
    form = DecisionForm(request.POST or None) if decides else None
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_reopen_request(
                actor=request.user, reopen_request=item, reopen=form.cleaned_data["decision"] == DecisionForm.REOPEN,
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("public:reopen_request", pk=item.pk)
        else:
            if item.state == item.State.REOPENED:
                messages.success(request, _("เปิดเรื่อง %(number)s ใหม่แล้ว") % {"number": case.number})
                return redirect(case)
            messages.success(request, _("บันทึกผลการพิจารณาแล้ว ผู้ร้องจะเห็นเหตุผลในหน้าติดตามเรื่อง"))
            return redirect("public:reopen_request", pk=item.pk)
    context = {
        "item": item,
        "case": case,
        "form": form,
        "may_reopen_now": rules.can_reopen(request.user, case),
        "satisfaction": getattr(case, "satisfaction", None),
    }
    return render(request, "public/tracking/request.html", context, status=400 if request.method == "POST" else 200)
