"""Officer pages for complaints: thin views that parse, call a service or a selector, render."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit import events as audit_events
from cases import qr, selectors, services
from cases.actions import ACTIONS, available
from cases.exports import CASE_LIST_CSV
from cases.file_views import AttachmentForm
from cases.forms import CaseFilterForm, ComplainantFormSet, IntakeForm, RespondentFormSet, case_filters, intake_data
from cases.hooks import workflow
from cases.models import Category, Complaint, Status
from core.forms import add_service_errors
from core.thai import to_arabic_digits
from exports.services import request_export
from permissions import rules


@login_required
def case_list(request):
    if (kept := _kept_for_number(request, request.GET.get("q", ""))) is not None:
        return kept  # the number of a merged case opens the case kept for it
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = case_filters(form)
    page = selectors.case_list(
        request.user, filters, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    # Whose list spans districts sees each case's district; a national list, its province too.
    show_district = not request.user.district_id
    show_province = show_district and not request.user.province_id
    if show_province:
        prefetch_related_objects(page.items, "district__province")  # one query for the page
    context = {
        "form": form, "page": page, "query": query.urlencode(),
        "show_district": show_district, "show_province": show_province,
    }  # fmt: skip
    return render(request, "cases/list.html", context)


@login_required
@require_POST
def case_list_csv(request):
    """Ask for the filtered case list as CSV (cases/exports.py makes it in the background).
    The filters come in the query string, as the list page had them."""
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    export = request_export(
        request, kind=CASE_LIST_CSV, title=_("รายการเรื่องร้องเรียน (CSV)"), filename="complaints.csv",
        content_type="text/csv; charset=utf-8", params={key: query.getlist(key) for key in query},
        criteria=unquote_plus(query.urlencode()).replace("&", " "),
    )  # fmt: skip
    return redirect("exports:detail", pk=export.pk)


def _intake_district(user):
    if not rules.can_open_intake(user):
        raise PermissionDenied
    return user.district


@login_required
@require_http_methods(["GET", "POST"])
def case_intake(request):
    return intake_page(request, _intake_district(request.user))


def intake_page(
    request, district, *, record=services.case_intake, template="cases/intake.html", initial=None, context=None
):
    """The intake form of ``district``'s center and its saving, for the intake page and the
    pages built on it (a case from a letter, documents/): ``record`` is
    cases.services.case_intake or a service that records the case through it."""
    form = IntakeForm(request.POST or None, initial=initial, district=district)
    complainants = ComplainantFormSet(request.POST or None, prefix="complainant")
    respondents = RespondentFormSet(request.POST or None, prefix="respondent")
    duplicate = None
    if request.method == "POST" and all([form.is_valid(), complainants.is_valid(), respondents.is_valid()]):
        data = intake_data(form, complainants, respondents)
        key = form.cleaned_data["submission_key"]
        if not form.cleaned_data["confirm_duplicate"]:
            # A page restored by Back may carry a fresh key with the same typed
            # values: the officer decides, seeing the case already recorded.
            duplicate = selectors.identical_recent_case(request.user, district, data, submission_key=key)
        if duplicate is None:
            try:
                case, created = record(actor=request.user, district=district, data=data, submission_key=key)
            except ValidationError as error:
                add_service_errors(form, error)
            except services.ActionRefused as refused:
                messages.error(request, refused.message)
            else:
                if created:
                    messages.success(request, _("รับเรื่องแล้ว เลขที่รับ %(number)s") % {"number": case.number})
                else:
                    messages.warning(
                        request, _("บันทึกเรื่องนี้ไปแล้ว เลขที่รับ %(number)s (ไม่ได้บันทึกซ้ำ)") % {"number": case.number}
                    )
                return redirect(case)
    context = {
        **(context or {}),
        "form": form,
        "complainants": complainants,
        "respondents": respondents,
        "district": district,
        "duplicate": duplicate,
        "other_category_ids": list(
            Category.objects.filter(is_other=True, parent__isnull=True).values_list("pk", flat=True)
        ),
    }
    status = 200 if request.method == "GET" else 409 if duplicate else 400
    response = render(request, template, context, status=status)
    if settings.CARD_HELPER_URL:
        # The ID-card button reaches the helper on the officer's PC (cardhelper/): this page only.
        response._csp_update = {"connect-src": [settings.CARD_HELPER_URL]}
    return response


@login_required
def case_detail(request, pk):
    try:
        case = selectors.get_case_for_user(request.user, pk)
    except Http404:
        # Our own page, in Thai: a link from an older notification to a case
        # transferred away says where it went; anything else says only "not found".
        merged = Complaint.objects.filter(pk=pk, merged_into__isnull=False).first()
        if merged is not None and (kept := _open_kept(request, merged)) is not None:
            return kept
        context = {"transfer": selectors.transferred_away_from(request.user, pk)}
        return render(request, "cases/not_visible.html", context, status=404)
    # A merged case's address opens the case kept for it; its own record stays at ?merged=1.
    if case.merged_into_id and "merged" not in request.GET and (kept := _open_kept(request, case)) is not None:
        return kept
    can_share = rules.can_share(request.user, case)
    actions = available(request.user, case)
    context = {
        "case": case,
        "actions": actions,
        "may_transfer": any(action.name == "transfer" for action in actions),
        "show_identity": rules.can_see_confidential(request.user, case),
        "complainants": case.complainants.select_related("subdistrict"),
        "respondents": case.respondents.all(),
        "reports": case.progress_reports.select_related("author").prefetch_related("attachments"),
        "attachments": case.attachments.filter(progress_report__isnull=True).select_related("uploaded_by"),
        "forwardings": case.forwardings.all(),
        "events": case.events.select_related("actor"),
        "can_attach": rules.can_attach(request.user, case),
        "can_print_receipt": rules.can_print_receipt(request.user, case),
        "attachment_form": AttachmentForm(),
        "incident_elsewhere": case.incident_subdistrict.district_id != case.district_id
        and case.status == Status.RECEIVED,
        "can_share": can_share,
        "shares": case.shares.active().select_related("district__province", "user", "granted_by") if can_share else [],
        **workflow().case_page(request.user, case),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    _log_confidential_shown(request, case, context["show_identity"])
    return render(request, "cases/detail.html", context)


# A case's number as officers quote it: 7001/2569/000123 (Thai digits and spaces taken too).
_CASE_NUMBER = re.compile(r"^([0-9A-Za-z]{2,6})/(\d{4})/(\d{1,6})$")


def _kept_for_number(request, query: str):
    """The kept case opened when ``query`` is the number of a merged case whose kept case
    the user sees; None otherwise (the search runs as for any query)."""
    found = _CASE_NUMBER.match(re.sub(r"\s", "", to_arabic_digits(query or "")))
    if not found:
        return None
    district, year, running = found.groups()
    merged = Complaint.objects.filter(
        number_district_id=district, fiscal_year=int(year), running_number=int(running), merged_into__isnull=False
    ).first()
    return _open_kept(request, merged) if merged is not None else None


def _open_kept(request, merged):
    """The kept case of ``merged`` opened for the user, saying so, if he sees it; else None."""
    if rules.is_respondent(request.user, merged):
        return None
    kept = merged.kept_case()
    if kept.pk == merged.pk or not selectors.is_visible(request.user, kept.pk):
        return None
    messages.info(
        request, _("เรื่องเลขที่ %(merged)s รวมกับเรื่องเลขที่ %(kept)s แล้ว") % {"merged": merged.number, "kept": kept.number}
    )
    return redirect(kept)


def _log_confidential_shown(request, case, show_identity: bool) -> None:
    # Every time a confidential complainant's identity is shown, it is logged.
    if show_identity:
        for person in case.complainants.filter(is_confidential=True):
            audit_events.personal_data_viewed(request, case, person=person)


@login_required
def case_print(request, pk):
    """The case record on paper: what the case page shows, without the page around it."""
    case = selectors.get_case_for_user(request.user, pk)
    show_identity = rules.can_see_confidential(request.user, case)
    context = {
        "case": case,
        "show_identity": show_identity,
        "complainants": case.complainants.select_related("subdistrict"),
        "respondents": case.respondents.all(),
        "reports": case.progress_reports.select_related("author"),
        "attachments": case.attachments.filter(progress_report__isnull=True),
        "forwardings": case.forwardings.all(),
        "events": case.events.all(),
        "printed_at": timezone.now(),
    }
    _log_confidential_shown(request, case, show_identity)
    return render(request, "cases/print.html", context)


@login_required
def case_receipt(request, pk):
    """The receipt (ใบรับเรื่อง) handed to the complainant at the counter."""
    case = selectors.get_case_for_user(request.user, pk)
    if not rules.can_print_receipt(request.user, case):
        raise PermissionDenied
    show_identity = rules.can_see_confidential(request.user, case)
    tracking_url = qr.tracking_url(case.tracking_code, request=request)
    context = {
        "case": case,
        "show_identity": show_identity,
        "complainants": case.complainants.all(),
        "recorded_by": case.recorded_by,
        "printed_at": timezone.now(),
        "tracking_url": tracking_url,
        "tracking_qr": qr.qr_svg(tracking_url, title=_("คิวอาร์โค้ดสำหรับติดตามเรื่อง")),
    }
    _log_confidential_shown(request, case, show_identity)
    return render(request, "cases/receipt.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request, pk, action):
    if (entry := ACTIONS.get(action)) is None:
        raise Http404
    case = selectors.get_case_for_user(request.user, pk)
    if not entry.offered:
        # Offered on a page of its own (the merge: the repeats panel), never with the generic form.
        return redirect("repeats:merge", pk=case.pk)
    form_class = entry.form_class
    form = form_class(request.POST or None, request.FILES or None, case=case)
    if request.method == "GET" and not entry.allowed(request.user, case):
        messages.error(request, _("ทำรายการ “%(action)s” กับเรื่องนี้ไม่ได้ในขณะนี้") % {"action": entry})
        return redirect(case)
    if request.method == "POST" and form.is_valid():
        arguments = dict(form.cleaned_data)
        expected_status = arguments.pop("expected_status")
        try:
            entry.run(actor=request.user, case=case, expected_status=expected_status, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.CaseChanged as changed:
            # What the user typed stays on the form; it now carries the status
            # they have just been told of, so a second submit is a choice made
            # knowing the case moved.
            messages.error(request, changed.message)
            case = selectors.get_case_for_user(request.user, pk)
            data = request.POST.copy()
            data["expected_status"] = case.status
            form = form_class(data, request.FILES or None, case=case)
            form.is_valid()
        except services.ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect(case)
        else:
            messages.success(request, _("บันทึก “%(action)s” แล้ว") % {"action": entry})
            if not selectors.is_visible(request.user, case.pk):
                # A transfer (and the like) takes the case out of this user's sight:
                # the case page would be a 404, so land where they work.
                messages.info(request, _("เรื่อง %(number)s ไม่อยู่ในความรับผิดชอบของคุณแล้ว") % {"number": case.number})
                return redirect("cases:list")
            return redirect(case)
    context = {"case": case, "form": form, "action": action, "label": entry.label}
    return render(request, "cases/action.html", context, status=400 if request.method == "POST" else 200)
