"""Where a request happened: the district by its coordinates, the sub-district by its name.

A request comes with ``lat``/``long`` or an ``address_string`` (GeoReport v2 asks for one
of them). Coordinates find the district in the districts' boundaries
(``settings.OPEN311_DISTRICT_BOUNDARIES``: the public maps' simplified GeoJSON, each
feature's ``ADM2_PCODE`` the DOPA code with ``TH`` before it), by ray casting, a box test
first: 928 polygons, read once per process. Sub-districts have no boundaries here, so a
sub-district is found by its code (the ``subdistrict`` attribute) or its name in the
address; else the district's first sub-district (its code ends in 01: the district's seat).

Without coordinates the address alone must name the province and the district.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from django.conf import settings

from core.models import District, Province, Subdistrict

Ring = tuple[tuple[float, float], ...]  # (lng, lat) pairs, as GeoJSON writes them


@dataclass(frozen=True)
class Area:
    code: str
    box: tuple[float, float, float, float]  # min lng, min lat, max lng, max lat
    # Each polygon: its outer ring, then its holes.
    polygons: tuple[tuple[Ring, ...], ...]

    def contains(self, lng: float, lat: float) -> bool:
        west, south, east, north = self.box
        if not (west <= lng <= east and south <= lat <= north):
            return False
        return any(
            inside(lng, lat, rings[0]) and not any(inside(lng, lat, hole) for hole in rings[1:])
            for rings in self.polygons
        )


def inside(x: float, y: float, ring: Ring) -> bool:
    """Whether (x, y) lies inside ``ring`` (even-odd rule: count the edges a ray to the east crosses)."""
    crossings = False
    previous_x, previous_y = ring[-1]
    for current_x, current_y in ring:
        if (current_y > y) != (previous_y > y):
            at = previous_x + (y - previous_y) * (current_x - previous_x) / (current_y - previous_y)
            if x < at:
                crossings = not crossings
        previous_x, previous_y = current_x, current_y
    return crossings


@functools.cache
def district_areas() -> tuple[Area, ...]:
    path = settings.OPEN311_DISTRICT_BOUNDARIES
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    areas = []
    for feature in features:
        geometry = feature["geometry"]
        shapes = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        polygons = tuple(tuple(tuple((float(x), float(y)) for x, y, *_z in ring) for ring in shape) for shape in shapes)
        xs = [x for rings in polygons for x, _y in rings[0]]
        ys = [y for rings in polygons for _x, y in rings[0]]
        code = feature["properties"]["ADM2_PCODE"].removeprefix("TH")
        areas.append(Area(code, (min(xs), min(ys), max(xs), max(ys)), polygons))
    return tuple(areas)


def district_code_at(lat: float, lng: float) -> str | None:
    """The DOPA code of the district (อำเภอ/เขต) whose boundary holds the point, or None."""
    return next((area.code for area in district_areas() if area.contains(lng, lat)), None)


def district_at(lat: float, lng: float) -> District | None:
    code = district_code_at(lat, lng)
    return District.objects.select_related("province").filter(code=code).first() if code else None


# --- By name --------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _SPACES.sub("", text).casefold()


def _named(rows, plain: str) -> list:
    """The rows whose Thai or English name is in ``plain`` (a ``_plain`` text); of names
    inside another name found (บ้าน inside บ้านโป่ง), only the longer."""
    found = [row for row in rows if any(name and _plain(name) in plain for name in (row.name_th, row.name_en))]
    names = {_plain(row.name_th) for row in found}

    def inside_another(row) -> bool:
        own = _plain(row.name_th)
        return any(own != other and own in other for other in names)

    return [row for row in found if not inside_another(row)]


def _without(plain: str, row) -> str:
    """``plain`` less the last mention of ``row``'s name: an address goes from the closest
    unit to the widest, so the last is the row itself (บ้านโป่ง the district, after
    บ้านโป่ง the sub-district of the same name)."""
    for name in (row.name_th, row.name_en):
        at = plain.rfind(_plain(name)) if name else -1
        if at >= 0:
            return plain[:at] + plain[at + len(_plain(name)) :]
    return plain


def district_named(address: str) -> District | None:
    """The one district that ``address`` names with its province, or None (none, or several)."""
    plain = _plain(address)
    provinces = _named(Province.objects.all(), plain)
    if len(provinces) != 1:
        return None
    rest = _without(plain, provinces[0])
    districts = _named(District.objects.filter(province=provinces[0]).select_related("province"), rest)
    return districts[0] if len(districts) == 1 else None


def subdistrict_for(district: District, *, code: str = "", address: str = "") -> Subdistrict | None:
    """The sub-district of ``district`` that ``code`` (a DOPA code) or else ``address`` names
    (one only); failing both, its first sub-district, the district's seat. None if ``code``
    is not one of the district's."""
    rows = Subdistrict.objects.filter(district=district).select_related("district__province")
    if code:
        return rows.filter(code=code.strip()).first()
    if address:
        rest = _without(_without(_plain(address), district.province), district)
        if len(named := _named(rows, rest)) == 1:
            return named[0]
    return rows.order_by("code").first()
