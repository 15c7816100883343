"""The figures the public sees: per province and per district, a month's complaints
received and resolved and the resolution rate against its target.

Counted the way the district head's dashboard counts (``workflows.selectors``:
``resolution_counts``, ``closed_in``, ``RESOLUTION_TARGET``), over every case of the
area: these are totals, never a case, so they are not read through ``visible_to``.
A case counts where it is handled now (``district``). Until month-end snapshots
exist (the reports issue), each figure is computed and kept in the cache for
``PUBLIC_FIGURES_CACHE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from cases.models import Complaint
from core.models import District, Province
from workflows.selectors import ResolutionRate, closed_in, resolution_counts

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Area:
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class AreaFigures:
    area: Area
    received: int
    rate: ResolutionRate


@dataclass(frozen=True)
class Month:
    first: dt.date

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.first, dt.time.min, tzinfo=zone),
            dt.datetime.combine(self.next, dt.time.min, tzinfo=zone),
        )


def recent_months(today: dt.date | None = None) -> list[Month]:
    """This month and the ones before it, newest first."""
    first = (today or timezone.localdate()).replace(day=1)
    months = []
    for _ in range(MONTHS_SHOWN):
        months.append(Month(first))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


def month_from(key: str, today: dt.date | None = None) -> Month:
    """The month ``key`` (YYYY-MM) among ``recent_months``, else this month."""
    months = recent_months(today)
    return next((m for m in months if m.key == key), months[0])


def _areas(level: str, province_code: str | None) -> list[Area]:
    if level == "province":
        rows = Province.objects.order_by("name_th")
    else:
        rows = District.objects.filter(province_id=province_code).order_by("name_th")
    return [Area(r.code, r.name_th, r.name_en) for r in rows]


def _figures(level: str, month: Month, province_code: str | None) -> list[AreaFigures]:
    since, until = month.bounds()
    cases = Complaint.objects.all()
    if province_code:
        cases = cases.filter(province_id=province_code)
    key = f"{level}_id"
    received = dict(
        cases.filter(received_on__gte=month.first, received_on__lt=month.next)
        .order_by()
        .values_list(key)
        .annotate(n=Count("pk"))
    )
    rates = {
        row.pop(key): ResolutionRate(**row)
        for row in closed_in(cases, since=since, until=until).order_by().values(key).annotate(**resolution_counts())
    }
    empty = ResolutionRate(resolved=0, closed=0, withdrawn=0)
    return [
        AreaFigures(area, received.get(area.code, 0), rates.get(area.code, empty))
        for area in _areas(level, province_code)
    ]


def area_figures(level: str, month: Month, *, province_code: str | None = None) -> list[AreaFigures]:
    """Each province's figures for ``month`` (``level`` "province"), or each district's of
    ``province_code`` ("district"), every area listed, those without a case with zeros."""
    key = f"public-figures:{level}:{province_code or 'all'}:{month.key}"
    figures = cache.get(key)
    if figures is None:
        figures = _figures(level, month, province_code)
        cache.set(key, figures, settings.PUBLIC_FIGURES_CACHE_SECONDS)
    return figures


def total(figures: list[AreaFigures]) -> AreaFigures:
    """The sum of ``figures`` (the country's, or the province's)."""
    return AreaFigures(
        Area("", "", ""),
        sum(f.received for f in figures),
        ResolutionRate(
            resolved=sum(f.rate.resolved for f in figures),
            closed=sum(f.rate.closed for f in figures),
            withdrawn=sum(f.rate.withdrawn for f in figures),
        ),
    )
