"""The case sections of the start page: what the officer does most, and her district's counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Subquery
from django.utils import timezone

from cases.models import OPEN_STATUSES, Complaint, Status
from core.models import District
from permissions import rules


def quick_actions(user) -> dict:
    district = user.district if user.district_id else None
    return {"may_intake": district is not None and rules.can_intake(user, district)}


def district_counts(user, *, today: dt.date | None = None) -> dict | None:
    """Counts over the cases of the user's own district that she may see, in one query.

    Each count is a subquery of its own, answered by the index that fits it (the
    district's open statuses, its open cases by due date, its month of intake, its
    closures): one pass over the district's cases filtering for all five read every
    case the district ever had (959 at 100,000 cases, ten times that at 1,000,000)."""
    if not user.district_id:
        return None
    today = today or timezone.localdate()
    month_start = dt.datetime.combine(today.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    cases = Complaint.objects.visible_to(user).filter(district_id=user.district_id).order_by()

    def count(**conditions):
        return Subquery(cases.filter(**conditions).values("district_id").annotate(n=Count("pk")).values("n"))

    counts = (
        District.objects.filter(pk=user.district_id)
        .annotate(
            open=count(status__in=OPEN_STATUSES),
            overdue=count(status__in=OPEN_STATUSES, due_on__lt=today),
            pending=count(status__in=[Status.ASSIGNMENT_PENDING, Status.RESOLUTION_PENDING]),
            received_this_month=count(received_on__gte=today.replace(day=1)),
            closed_this_month=count(status=Status.CLOSED, closed_at__gte=month_start),
        )
        .values("open", "overdue", "pending", "received_this_month", "closed_this_month")
        .first()
    )
    return {"counts": {key: value or 0 for key, value in counts.items()}, "district": user.district}
