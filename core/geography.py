"""Load Thai administrative geography from the ``geothai`` package.

geothai carries the Department of Provincial Administration's codes with Thai and
English names and postal codes (data CC-BY-4.0, GeoThai/data). Loading is an
upsert by code, so it can run on every deploy: new rows are added, renamed rows
updated, nothing is deleted (cases keep pointing at abolished areas).
"""

from __future__ import annotations

from dataclasses import dataclass

import geothai
from django.db import transaction

EXPECTED = {"provinces": 77, "districts": 928, "subdistricts": 7436}


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    districts: int
    subdistricts: int
    data_version: str


def load_geography(province_model=None, district_model=None, subdistrict_model=None) -> LoadResult:
    """Upsert every province, district and subdistrict; return the counts now stored.

    The models can be passed in so that a data migration can use its historical
    models.
    """
    if province_model is None:
        # Not at the top: the data migration imports this module and passes its
        # historical models; the current ones must not load inside a migration.
        from core.models import District, Province, Subdistrict

        province_model, district_model, subdistrict_model = Province, District, Subdistrict

    provinces = [province_model(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in geothai.provinces()]
    districts = [
        district_model(code=d.code, province_id=d.province_code, name_th=d.name_th, name_en=d.name_en)
        for p in provinces
        for d in geothai.districts(p.code)
    ]
    subdistricts = [
        subdistrict_model(
            code=s.code,
            district_id=s.district_code,
            name_th=s.name_th,
            name_en=s.name_en,
            postal_codes=" ".join(s.postal_codes),
        )
        for d in districts
        for s in geothai.subdistricts(d.code)
    ]
    with transaction.atomic():
        for model, rows, fields in (
            (province_model, provinces, ["name_th", "name_en"]),
            (district_model, districts, ["province", "name_th", "name_en"]),
            (subdistrict_model, subdistricts, ["district", "name_th", "name_en", "postal_codes"]),
        ):
            model.objects.bulk_create(
                rows,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=fields,
            )
    return LoadResult(
        provinces=province_model.objects.count(),
        districts=district_model.objects.count(),
        subdistricts=subdistrict_model.objects.count(),
        data_version=geothai.DATA_VERSION,
    )
