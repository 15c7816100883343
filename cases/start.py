"""The case sections of the start page: what the officer does most, and her district's counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from cases.models import OPEN_STATUSES, Complaint, Status
from permissions import rules


def quick_actions(user) -> dict:
    district = user.district if user.district_id else None
    return {"may_intake": district is not None and rules.can_intake(user, district)}


def district_counts(user, *, today: dt.date | None = None) -> dict | None:
    """Counts over the cases of the user's own district that she may see, in one query."""
    if not user.district_id:
        return None
    today = today or timezone.localdate()
    month_start = dt.datetime.combine(today.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    open_cases = Q(status__in=OPEN_STATUSES)
    counts = (
        Complaint.objects.visible_to(user)
        .filter(district_id=user.district_id)
        .aggregate(
            open=Count("pk", filter=open_cases),
            overdue=Count("pk", filter=open_cases & Q(due_on__lt=today)),
            pending=Count("pk", filter=Q(status__in=[Status.ASSIGNMENT_PENDING, Status.RESOLUTION_PENDING])),
            received_this_month=Count("pk", filter=Q(received_on__gte=today.replace(day=1))),
            closed_this_month=Count("pk", filter=Q(status=Status.CLOSED, closed_at__gte=month_start)),
        )
    )
    return {"counts": counts, "district": user.district}
