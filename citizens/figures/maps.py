"""The boundaries the public maps draw (public/figures/data/, credited in its SOURCE.md).

Each feature keeps only its DOPA code, for the page to colour by its figures; a
province's map carries its own districts only (the country's 928 weigh 0.9 MB).
Read once per process: the files never change while it runs.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _slim(path: Path, key: str) -> list[dict]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [
        {"type": "Feature", "properties": {"code": f["properties"][key].removeprefix("TH")}, "geometry": f["geometry"]}
        for f in features
    ]


@functools.cache
def provinces_geojson() -> bytes:
    return _collection(_slim(DATA / "th_provinces.geojson", "ADM1_PCODE"))


@functools.cache
def _districts() -> tuple[dict, ...]:
    return tuple(_slim(DATA / "th_districts.geojson", "ADM2_PCODE"))


@functools.cache
def districts_geojson(province_code: str) -> bytes:
    return _collection([f for f in _districts() if f["properties"]["code"][:2] == province_code])


def _collection(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
