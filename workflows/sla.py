"""Service levels: find overdue work, tell the people concerned, escalate.

Run by Celery beat (workflows.tasks.check_sla) every hour. Idempotent: a
notice is keyed by task (or case) and recipient, and a case already escalated
is not escalated again, so running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from cases.models import Complaint
from cases.services import ActionRefused, case_escalate_overdue
from workflows.engine import holders, node_name, overseers
from workflows.models import CaseTask
from workflows.notify import notify
from workflows.selectors import overdue as overdue_tasks


@dataclass
class SlaResult:
    overdue_tasks: int = 0
    notices: int = 0
    escalated: int = 0


def check(now: dt.datetime | None = None) -> SlaResult:
    now = now or timezone.now()
    result = SlaResult()
    overdue = (
        overdue_tasks(CaseTask.objects.all(), now=now)  # "overdue" as every page shows it
        # Not reported yet for this deadline (NULL compares as unknown, hence the OR).
        .filter(Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("due_at")))
        .select_related("complaint", "owner")
    )
    for task in overdue.iterator(chunk_size=500):
        result.overdue_tasks += 1
        case = task.complaint
        if case is None:
            continue
        people = holders(task) + overseers(task)
        # Stored as facts; workflows.notify.render words them in the reader's language.
        data = {"task": node_name(task), "due": timezone.localtime(task.due_at).date().isoformat()}
        key = f"overdue:{task.pk}:{task.due_at.isoformat()}"
        result.notices += notify(people, complaint=case, kind="overdue", data=data, key=key)
        CaseTask.objects.filter(pk=task.pk).update(overdue_notified_for=task.due_at)
    result.escalated = escalate_overdue(now.astimezone(timezone.get_current_timezone()).date())
    return result


def escalate_overdue(today: dt.date) -> int:
    """Send to the province the cases past their closure target plus the grace period."""
    escalated = 0
    candidates = Complaint.objects.due_for_automatic_escalation(today)
    for case in candidates.order_by("due_on", "pk").iterator(chunk_size=200):
        try:
            case_escalate_overdue(case=case, today=today)
        except ActionRefused:
            continue  # moved meanwhile; the next run looks again
        escalated += 1
    return escalated
