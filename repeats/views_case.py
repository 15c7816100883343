"""The case page's repeats: link, a step on a link (unlink, confirm, dismiss), merge; the review
of suggested pairs; people complained about (or complaining) often. Thin views: they parse,
call ``repeats.services`` or ``repeats.selectors``, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit import events as audit_events
from cases import selectors as case_selectors
from cases.services import ActionRefused, CaseChanged
from core.forms import add_service_errors
from permissions import rules
from repeats import selectors, services
from repeats.forms import LinkForm, MergeForm, NoteForm, ReasonForm
from repeats.models import Relation, RepeatLink


@login_required
@require_GET
def case_panel(request, pk):
    """The repeats panel of a case's page, fetched by the page once it is shown: the matching
    and the people's other cases (one engine call, a dozen queries) made the case page itself
    40 queries and 75 ms p95 at 100,000 cases (bench/pages); without them it is 22."""
    case = case_selectors.get_case_for_user(request.user, pk)
    panel = selectors.case_panel(request.user, case)
    # A confidential complainant of a merged case shown to him by name is logged, as on that case's own page.
    for merged in panel.merged_cases:
        if merged.show_identity:
            for person in merged.complainants:
                if person.is_confidential:
                    audit_events.personal_data_viewed(request, merged.side.case, person=person)
    response = render(request, "repeats/case_panel.html", {"case": case, "panel": panel})
    response["Cache-Control"] = "private, no-store"
    return response


def _back(case):
    return redirect(f"{case.get_absolute_url()}#repeats")


def _errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
@require_POST
def link_case(request, pk):
    """Link the page's case to another (typed by its number, or a candidate's card)."""
    case = case_selectors.get_case_for_user(request.user, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            made = services.link(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return _back(case)
        else:
            other = made.other if made.case_id == case.pk else made.case
            messages.success(
                request,
                _("เชื่อมโยงกับเรื่องเลขที่ %(number)s เป็น “%(relation)s” แล้ว")
                % {"number": other.number, "relation": made.get_relation_display()},
            )
            return _back(case)
    messages.error(request, _("เชื่อมโยงเรื่องไม่ได้: %(errors)s") % {"errors": _errors(form)})
    return _back(case)


# A step on a link: its form, its service, its words.
STEPS = {
    "unlink": (ReasonForm, services.unlink, gettext_lazy("ยกเลิกการเชื่อมโยง"), gettext_lazy("ยกเลิกการเชื่อมโยงแล้ว")),
    "confirm": (NoteForm, services.confirm, gettext_lazy("ยืนยันว่าเป็นเรื่องซ้ำ"), gettext_lazy("ยืนยันว่าเป็นเรื่องซ้ำแล้ว")),
    "dismiss": (ReasonForm, services.dismiss, gettext_lazy("ไม่ใช่เรื่องซ้ำ"), gettext_lazy("บันทึกว่าไม่ใช่เรื่องซ้ำแล้ว")),
}


@login_required
@require_http_methods(["GET", "POST"])
def link_step(request, pk, link_pk, step):
    """Unlink (with a reason), confirm or dismiss (with a reason) a link of the page's case."""
    if step not in STEPS:
        raise Http404
    case = case_selectors.get_case_for_user(request.user, pk)
    link = RepeatLink.objects.filter(Q(case=case) | Q(other=case), pk=link_pk).select_related("case", "other").first()
    if link is None:
        raise Http404
    other = link.other if link.case_id == case.pk else link.case
    form_class, service, label, done = STEPS[step]
    from_review = request.GET.get("next") == "review"
    back = redirect("repeats:review") if from_review else _back(case)
    if not services.may_decide(request.user, link) or rules.is_respondent(request.user, other):
        messages.error(request, _("คุณไม่มีสิทธิ์ดำเนินการกับความเชื่อมโยงนี้"))
        return back
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return back
        else:
            messages.success(request, str(done))
            return back
    context = {
        "case": case, "link": link, "other": other, "other_in_sight": case_selectors.is_visible(request.user, other.pk),
        "form": form, "label": label, "step": step, "from_review": from_review,
    }  # fmt: skip
    return render(request, "repeats/link_step.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, pk):
    """Merge the page's case into another (the head who would close it)."""
    case = case_selectors.get_case_for_user(request.user, pk)
    if case.merged_into_id:
        kept = case.kept_case()
        messages.info(request, _("เรื่องนี้รวมกับเรื่องเลขที่ %(number)s แล้ว") % {"number": kept.number})
        return redirect(f"{case.get_absolute_url()}?merged=1")
    if not services.may_merge(request.user, case):
        messages.error(request, _("รวมเรื่องนี้กับเรื่องอื่นไม่ได้: เฉพาะหัวหน้าศูนย์ฯ ผู้อนุมัติยุติเรื่อง และเรื่องที่ยังดำเนินการอยู่"))
        return _back(case)
    initial = {"into": request.GET.get("into", "")}
    form = MergeForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = dict(form.cleaned_data)
        try:
            services.merge(actor=request.user, case=case, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        except CaseChanged as changed:
            messages.error(request, changed.message)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return _back(case)
        else:
            kept = case.merged_into
            messages.success(
                request,
                _("รวมเรื่องเลขที่ %(merged)s เข้ากับเรื่องเลขที่ %(kept)s แล้ว") % {"merged": case.number, "kept": kept.number},
            )
            return redirect(kept)
    into = form.cleaned_data.get("into") if form.is_bound and hasattr(form, "cleaned_data") else None
    if into is None and initial["into"]:
        into = selectors.case_by_number(initial["into"])
    kept = into.kept_case() if into is not None else None
    context = {
        "case": case, "form": form,
        "kept": kept if kept is not None and case_selectors.is_visible(request.user, kept.pk) else None,
        "relations": [Relation(r).label for r in sorted(services.MERGE_RELATIONS)],
    }  # fmt: skip
    return render(request, "repeats/merge.html", context, status=400 if request.method == "POST" else 200)


@login_required
def people(request):
    """The respondents complained about most this fiscal year, and the complainants with many cases."""
    if not selectors.may_open_people_page(request.user):
        raise PermissionDenied
    context = {"page": selectors.people_page_for(request.user), "may_review": selectors.may_review(request.user)}
    return render(request, "repeats/people.html", context)


@login_required
def review(request):
    """The pairs the nightly sweep suggested, for the heads who own the cases."""
    if not selectors.may_review(request.user):
        raise PermissionDenied
    context = {"review": selectors.review(request.user), "next": reverse("repeats:review")}
    return render(request, "repeats/review.html", context)
