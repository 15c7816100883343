"""The auditors' pages: the audit log browser and a case's history ("replay").

Read-only. Auditors see the log within their scope; the heads of a case's
district or province may open that case's history too. Every page and every
export leaves an audit row of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit import events as audit_events
from audit.models import AuditEvent
from auditing import replay
from auditing.exports import case_record_pdf, case_record_rows, kind_labels, log_header, log_rows
from auditing.forms import AsOfForm, LogFilterForm
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
from core.csv import csv_lines
from permissions import rules
from workflows.selectors import workflow_history

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
@require_GET
def log_csv(request):
    _require_auditor(request.user)
    _form, filters, rows = _filtered_log(request)
    # The export covers the rows up to now: its own audit row comes after them.
    last = rows.order_by("-id").values_list("id", flat=True).first()
    rows = rows.filter(id__lte=last) if last is not None else rows.none()
    count = rows.count() if last is not None else 0
    audit_events.exported(request, what=f"audit_log_csv {filters.describe()}".strip(), rows=count)
    header, kinds = log_header(), kind_labels()  # translated now, before the stream starts
    response = StreamingHttpResponse(
        csv_lines(_chain([header], log_rows(rows, kinds, PersonalDataMask(request.user)))),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


def _chain(*parts):
    for part in parts:
        yield from part


# --- A case's history -------------------------------------------------------------------


@dataclass
class CaseRecord:
    """Everything the history page and its exports show of one case."""

    case: Complaint
    viewer: str
    generated_at: dt.datetime
    history: list
    events: list
    workflow_steps: list
    audit_rows: list
    audit_rows_cut: bool = False
    names: replay.Names = field(default_factory=replay.Names)
    mask: PersonalDataMask | None = None

    @property
    def size(self) -> int:
        return len(self.audit_rows) + sum(max(len(e.changes), 1) for e in self.history) + len(self.events)


def case_record(request, case, *, limit: int | None = None) -> CaseRecord:
    reveal = rules.can_see_confidential(request.user, case)
    audit_rows = AuditEvent.objects.filter(complaint_id=case.pk).order_by("-id")
    audit_rows = list(audit_rows[: limit + 1] if limit else audit_rows)
    cut = bool(limit) and len(audit_rows) > limit
    audit_rows = audit_rows[:limit] if limit else audit_rows
    audit_rows.reverse()
    return CaseRecord(
        case=case,
        viewer=request.user.get_full_name(),
        generated_at=timezone.now(),
        history=replay.case_history(case, reveal=reveal),
        events=list(case.events.order_by("at", "id")),
        workflow_steps=workflow_history(case),
        audit_rows=audit_rows,
        audit_rows_cut=cut,
        mask=PersonalDataMask(request.user),
    )


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
    as_of = None
    what = "case_history"
    if form.is_bound and form.is_valid():
        moment = form.moment()
        as_of = replay.case_as_of(case, moment, reveal=rules.can_see_confidential(request.user, case))
        what += f" as_of={moment.isoformat(timespec='minutes')}"
    audit_events.audit_viewed(request, what=what, case=case)
    if rules.can_see_confidential(request.user, case):
        # The history shows confidential complainants unmasked to this viewer: log it, as the case page does.
        for person in case.complainants.filter(is_confidential=True):
            audit_events.personal_data_viewed(request, case, person=person)
    record = case_record(request, case, limit=CASE_PAGE_AUDIT_ROWS)
    context = {
        "case": case,
        "record": record,
        "form": form,
        "as_of": as_of,
        "show_identity": rules.can_see_confidential(request.user, case),
        "audit_items": [(e, detail_text(e, record.mask), row_changes(e, record.names)) for e in record.audit_rows],
        "events": record.events,
        "as_of_events": as_of.events if as_of else [],
        "may_browse_log": is_auditor(request.user),
        "log_url": f"{reverse('audit:log')}?{urlencode({'case': case.number})}",
    }
    return render(request, "audit/case.html", context)


def _filename(case, extension: str) -> str:
    return f"audit-{case.number.replace('/', '-')}.{extension}"


@login_required
@require_GET
def case_csv(request, pk):
    return _case_export(
        request, pk, "csv", lambda record: "".join(csv_lines(case_record_rows(record))), "text/csv; charset=utf-8"
    )


@login_required
@require_GET
def case_pdf(request, pk):
    return _case_export(request, pk, "pdf", case_record_pdf, "application/pdf")


def _case_export(request, pk, extension: str, render_record, content_type: str) -> HttpResponse:
    """A case's audit record as a file, logged (``case_audit_<extension>``) before it is made."""
    case = _case_for_audit(request, pk)
    record = case_record(request, case)
    audit_events.exported(request, what=f"case_audit_{extension}", rows=record.size, case=case)
    response = HttpResponse(render_record(record), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, extension)}"'
    return response
