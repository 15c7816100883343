"""Public figures: the country by province, a province by district, a district over a year."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET

from citizens.figures import maps, selectors
from core.models import District, Province
from core.thai import MONTHS_TH, be_year
from workflows.selectors import RESOLUTION_TARGET

# A figures page is the same for every visitor (the language cookie aside, which the
# cache varies on): kept whole, it is served without rendering its 77 or 900-odd rows
# again (bench/public: the national page 94 requests/s rendered each time). Its scripts
# are files of this site, allowed by the policy's 'self' whatever nonce the copy holds.
PAGE_SECONDS = 300

# Rate bands of the maps and their legend, lowest first: (lower bound %, colour). From
# ColorBrewer's RdBu (safe for colour-blind readers); the table beside the map carries
# every figure, so the map is never the only way to read one.
BANDS = ((0, "#b2182b"), (60, "#ef8a62"), (RESOLUTION_TARGET, "#67a9cf"), (90, "#2166ac"))
NO_DATA = "#d9d9d9"


def month_label(month: selectors.Month) -> str:
    return f"{MONTHS_TH[month.first.month - 1]} {be_year(month.first.year)}"


def band(percent: float | None) -> str:
    if percent is None:
        return NO_DATA
    return [colour for bound, colour in BANDS if percent >= bound][-1]


def legend() -> list[tuple[str, str]]:
    """(words, colour) of each band, and of "no closed case yet", for the map's key."""
    entries = []
    for index, (bound, colour) in enumerate(BANDS):
        if index + 1 < len(BANDS):
            words = _("%(low)d–%(high)d%%") % {"low": bound, "high": BANDS[index + 1][0]}
            words = _("ต่ำกว่า %(high)d%%") % {"high": BANDS[1][0]} if index == 0 else words
        else:
            words = _("%(low)d%% ขึ้นไป") % {"low": bound}
        entries.append((words, colour))
    return [*entries, (_("ยังไม่มีเรื่องที่ยุติ"), NO_DATA)]


def _map(rows, geojson_url: str, link, highlight: str = "") -> dict:
    return {
        "geojson": geojson_url,
        "colours": {f.area.code: band(f.rate.percent) for f in rows},
        "links": {f.area.code: link(f.area.code) for f in rows},
        "names": {f.area.code: f.area.name_th for f in rows},
        "highlight": highlight,
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _common(request) -> tuple[selectors.Month, dict]:
    month = selectors.month_from(request.GET.get("month", ""))
    return month, {
        "month": month,
        "month_label": month_label(month),
        "months": [(m.key, month_label(m)) for m in selectors.recent_months()],
        "target": RESOLUTION_TARGET,
        "legend": legend(),
    }


def _province_link(code: str) -> str:
    return reverse("public:figures_province", args=[code])


def _district_link(code: str) -> str:
    return reverse("public:figures_district", args=[code])


@require_GET
@cache_control(public=True, max_age=PAGE_SECONDS)
@cache_page(PAGE_SECONDS)
def country(request):
    month, context = _common(request)
    rows = selectors.area_figures("province", month)
    context |= {
        "heading": _("สถิติเรื่องร้องเรียนทั่วประเทศ"),
        "area_heading": _("จังหวัด"),
        "rows": [(f, _province_link(f.area.code)) for f in rows],
        "summary": selectors.total(rows),
        "map": _map(rows, reverse("public:figures_map_provinces"), _province_link),
    }
    return render(request, "public/figures/area.html", context)


@require_GET
@cache_control(public=True, max_age=PAGE_SECONDS)
@cache_page(PAGE_SECONDS)
def province(request, code: str):
    area = get_object_or_404(Province, code=code)
    month, context = _common(request)
    rows = selectors.area_figures("district", month, province_code=area.code)
    context |= {
        "heading": _("สถิติเรื่องร้องเรียน จังหวัด%(name)s") % {"name": area.name_th},
        "area_heading": _("อำเภอ"),
        "up": (reverse("public:figures"), _("ทั่วประเทศ")),
        "rows": [(f, _district_link(f.area.code)) for f in rows],
        "summary": selectors.total(rows),
        "map": _map(rows, reverse("public:figures_map_province", args=[area.code]), _district_link),
    }
    return render(request, "public/figures/area.html", context)


@require_GET
@cache_control(public=True, max_age=PAGE_SECONDS)
@cache_page(PAGE_SECONDS)
def district(request, code: str):
    area = get_object_or_404(District.objects.select_related("province"), code=code)
    month, context = _common(request)
    rows = selectors.area_figures("district", month, province_code=area.province_id)
    mine = next(f for f in rows if f.area.code == area.code)
    year = [
        (
            m,
            month_label(m),
            next(
                f
                for f in selectors.area_figures("district", m, province_code=area.province_id)
                if f.area.code == area.code
            ),
        )
        for m in selectors.recent_months()
    ]
    context |= {
        "heading": _("สถิติเรื่องร้องเรียน %(name)s") % {"name": area.full_name_th},
        "up": (_province_link(area.province_id), _("จังหวัด%(name)s") % {"name": area.province.name_th}),
        "summary": mine,
        "year": year,
        "map": _map(rows, reverse("public:figures_map_province", args=[area.province_id]), _district_link, area.code),
    }
    return render(request, "public/figures/district.html", context)


@require_GET
@cache_control(public=True, max_age=86400)
def provinces_geojson(request):
    return HttpResponse(maps.provinces_geojson(), content_type="application/geo+json")


@require_GET
@cache_control(public=True, max_age=86400)
def province_geojson(request, code: str):
    if not Province.objects.filter(code=code).exists():
        raise Http404
    return HttpResponse(maps.districts_geojson(code), content_type="application/geo+json")
