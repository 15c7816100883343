"""A case's audit record: what its history page shows, and its CSV and PDF hold in full."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from audit.models import AuditEvent
from auditing import replay
from auditing.selectors import PersonalDataMask
from cases.models import Complaint
from permissions import rules
from workflows.selectors import workflow_history


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
    rows: replay.CaseRows | None = None  # the history rows the changes were made from

    @property
    def size(self) -> int:
        return len(self.audit_rows) + sum(max(len(e.changes), 1) for e in self.history) + len(self.events)


def case_record(user, case, *, limit: int | None = None, reveal: bool | None = None) -> CaseRecord:
    """The record of ``case`` as ``user`` may read it (``reveal``: whether they may see
    confidential complainants, if the caller knows); the latest ``limit`` audit rows only, if given."""
    if reveal is None:
        reveal = rules.can_see_confidential(user, case)
    rows = replay.CaseRows.read(case, reveal=reveal)
    audit_rows = AuditEvent.objects.filter(complaint_id=case.pk).order_by("-id")
    audit_rows = list(audit_rows[: limit + 1] if limit else audit_rows)
    cut = bool(limit) and len(audit_rows) > limit
    audit_rows = audit_rows[:limit] if limit else audit_rows
    audit_rows.reverse()
    return CaseRecord(
        case=case,
        viewer=user.get_full_name(),
        generated_at=timezone.now(),
        history=replay.case_history(case, reveal=reveal, rows=rows),
        events=list(case.events.order_by("at", "id")),
        workflow_steps=workflow_history(case),
        audit_rows=audit_rows,
        audit_rows_cut=cut,
        mask=PersonalDataMask(user),
        rows=rows,
    )
