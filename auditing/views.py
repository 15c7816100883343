"""The auditors' pages: the audit log browser and a case's history ("replay").

Read-only. Auditors see the log within their scope; the heads of a case's
district or province may open that case's history too. Every page and every
export leaves an audit row of its own.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import events as audit_events
from audit.models import AuditEvent
from auditing import replay
from auditing.exports import AUDIT_LOG_CSV, CASE_RECORD_CSV, CASE_RECORD_PDF, record_title
from auditing.forms import AsOfForm, LogFilterForm
from auditing.record import case_record
from auditing.selectors import (
    LogFilters,
    PersonalDataMask,
    detail_text,
    filter_log,
    is_auditor,
    log_page,
    may_audit_case,
    read_names,
    row_changes,
    visible_log,
)
from cases.models import Complaint
from cases.selectors import get_case_for_user
from exports.services import request_export
from permissions import rules

__all__ = ["may_audit_case"]

# The latest rows of the case's audit trail on its history page; the audit log
# (filtered by the case) and the exports hold them all. Every view of the case
# adds a row: 500 on the page made it 250 KB and 85 ms (bench/pages).
CASE_PAGE_AUDIT_ROWS = 50


def _require_auditor(user) -> None:
    if not is_auditor(user):
        raise PermissionDenied


def _filtered_log(request):
    form = LogFilterForm(request.GET or None)
    filters = LogFilters.from_form(form)
    return form, filters, filter_log(visible_log(request.user), filters)


@login_required
@require_GET
def log(request):
    _require_auditor(request.user)
    form, filters, rows = _filtered_log(request)
    audit_events.audit_viewed(request, what=f"audit_log {filters.describe()}".strip())
    page = log_page(rows, after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    names, mask = replay.Names(), PersonalDataMask(request.user)
    read_names(page.items, names)
    items = [(event, detail_text(event, mask), row_changes(event, names)) for event in page.items]
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "items": items, "query": query.urlencode()})


@login_required
@require_POST
def log_csv(request):
    """Ask for the filtered log as CSV (made in the background: it may hold millions of rows)."""
    _require_auditor(request.user)
    _form, filters, _rows = _filtered_log(request)
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    # The export holds the rows up to now: its own audit row, and all after it, come later.
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    export = request_export(
        request, kind=AUDIT_LOG_CSV, title=_("บันทึกการตรวจสอบ (CSV)"), content_type="text/csv; charset=utf-8",
        filename=f"audit-log-{timezone.localtime():%Y%m%d-%H%M}.csv", criteria=filters.describe(),
        params={"query": {key: query.getlist(key) for key in query}, "last": last},
    )  # fmt: skip
    return redirect("exports:detail", pk=export.pk)


# --- A case's history -------------------------------------------------------------------


def _case_for_audit(request, pk) -> Complaint:
    """The case, if it is in the user's scope (else 404) and they may audit it (else 403)."""
    case = get_case_for_user(request.user, pk)
    if not may_audit_case(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_GET
def case_history(request, pk):
    case = _case_for_audit(request, pk)
    # A time without a date is bound too, so that the form says the date is missing.
    form = AsOfForm(request.GET if request.GET.get("date") or request.GET.get("time") else None)
    reveal = rules.can_see_confidential(request.user, case)
    moment = form.moment() if form.is_bound and form.is_valid() else None
    what = f"case_history as_of={moment.isoformat(timespec='minutes')}" if moment else "case_history"
    audit_events.audit_viewed(request, what=what, case=case)
    if reveal:
        # The history shows confidential complainants unmasked to this viewer: log it, as the case page does.
        for person in case.complainants.filter(is_confidential=True):
            audit_events.personal_data_viewed(request, case, person=person)
    record = case_record(request.user, case, limit=CASE_PAGE_AUDIT_ROWS, reveal=reveal)
    as_of = None
    if moment:
        as_of = replay.case_as_of(case, moment, reveal=reveal, rows=record.rows, events=record.events)
    context = {
        "case": case,
        "record": record,
        "form": form,
        "as_of": as_of,
        "show_identity": reveal,
        "audit_items": [(e, detail_text(e, record.mask), row_changes(e, record.names)) for e in record.audit_rows],
        "events": record.events,
        "as_of_events": as_of.events if as_of else [],
        "may_browse_log": is_auditor(request.user),
        "log_url": f"{reverse('audit:log')}?{urlencode({'case': case.number})}",
    }
    return render(request, "audit/case.html", context)


@login_required
@require_POST
def case_csv(request, pk):
    return _case_export(request, pk, CASE_RECORD_CSV, "csv", "text/csv; charset=utf-8")


@login_required
@require_POST
def case_pdf(request, pk):
    return _case_export(request, pk, CASE_RECORD_PDF, "pdf", "application/pdf")


def _case_export(request, pk, kind: str, extension: str, content_type: str):
    """Ask for a case's whole audit record as a file (made in the background)."""
    case = _case_for_audit(request, pk)
    title = record_title(case.number, extension.upper())
    export = request_export(
        request, kind=kind, title=title, filename=f"audit-{case.number.replace('/', '-')}.{extension}",
        content_type=content_type, params={"case": case.pk}, case=case,
    )  # fmt: skip
    return redirect("exports:detail", pk=export.pk)
