"""The labelled set of repeat complaints (bench/repeats_set/) holds together, and bench/repeats
reads it.

The set: at least 300 records an officer could have typed (real places and categories,
valid IDs, dates the intake accepts); its pairs name records that exist, every relation has
related and unrelated pairs, each label agrees with the records' truth, and every related
pair is listed; make_set.py writes exactly these files. The script: a few of the records go
through the intake service and the evaluation scores what the engine finds against the truth.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import geothai
import pytest

from cases.categories import OTHER, SEED
from core.thai import normalize_national_id

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "bench" / "repeats_set"
RELATIONS = ("complainant", "respondent", "grievance")


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (SET_DIR / name).read_text(encoding="utf-8").splitlines() if line]


RECORDS = read("records.jsonl")
PAIRS = read("pairs.jsonl")
BY_ID = {r["id"]: r for r in RECORDS}


def load_script(name: str, path: Path):
    """A script of bench/ as a module (it may have no .py name to import it by)."""
    if module := sys.modules.get(name):
        return module
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    sys.modules[name] = module  # its dataclasses look their module up there
    loader.exec_module(module)
    return module


def related(a: dict, b: dict, relation: str) -> bool:
    ta, tb = a["truth"], b["truth"]
    if relation == "complainant":
        return bool(set(ta["complainants"]) & set(tb["complainants"]))
    if relation == "respondent":
        return bool(set(ta["respondents"]) & set(tb["respondents"]))
    return ta["grievance"] == tb["grievance"]


# --- The records ------------------------------------------------------------------------------


def test_the_set_has_at_least_300_records_each_once():
    assert len(RECORDS) >= 300
    assert len(BY_ID) == len(RECORDS)


def test_every_record_is_a_complaint_the_intake_would_take():
    subs = {(main, sub) for main, _en, _days, children in SEED for sub, _sub_en in children}
    mains = {main for main, *_rest in SEED} | {OTHER[0]}
    districts = {d.code for p in geothai.provinces() for d in geothai.districts(p.code)}
    for r in RECORDS:
        assert r["center"] in districts, r["id"]
        assert geothai.subdistrict(r["incident_subdistrict"]) is not None, r["id"]
        assert r["main_category"] in mains, r["id"]
        if r["main_category"] == OTHER[0]:
            assert r["category_other_text"] and not r["category"], r["id"]
        else:
            assert (r["main_category"], r["category"]) in subs, r["id"]
        assert r["subject"].strip() and r["description"].strip(), r["id"]
        # back-dating reaches the start of the previous fiscal year: at least 365 days
        assert 0 <= r["received_days_ago"] <= 365, r["id"]
        assert r["channel"] in {"walk_in", "phone", "letter", "line"}, r["id"]
        assert r["complainants"], r["id"]
        for c in r["complainants"]:
            assert c.get("is_anonymous") or (c["first_name"].strip() or c["last_name"].strip()), r["id"]
            if c.get("national_id"):
                normalize_national_id(c["national_id"])  # Thai digits and dashes, a valid check digit
        for party in r["respondents"]:
            assert party["kind"] in {"person", "company", "agency", "official"} and party["name"].strip(), r["id"]
            if party["national_id"]:
                normalize_national_id(party["national_id"])


def test_each_record_says_its_truth():
    for r in RECORDS:
        truth = r["truth"]
        named = [c for c in r["complainants"] if not c.get("is_anonymous")]
        assert len(truth["complainants"]) == len(named), r["id"]
        assert len(truth["respondents"]) == len(r["respondents"]), r["id"]
        assert truth["grievance"], r["id"]


# --- The pairs --------------------------------------------------------------------------------


def test_pairs_name_records_of_the_set_once_each():
    seen = Counter((p["a"], p["b"], p["relation"]) for p in PAIRS)
    assert max(seen.values()) == 1
    for p in PAIRS:
        assert p["a"] in BY_ID and p["b"] in BY_ID and p["a"] < p["b"]
        assert p["relation"] in RELATIONS
        assert isinstance(p["same"], bool) and p["why"].strip() and p["tags"]


def test_every_relation_has_related_and_unrelated_pairs():
    counts = Counter((p["relation"], p["same"]) for p in PAIRS)
    for relation in RELATIONS:
        assert counts[(relation, True)] >= 40, relation
        assert counts[(relation, False)] >= 40, relation


def test_each_label_agrees_with_the_truth_and_every_related_pair_is_listed():
    for p in PAIRS:
        assert related(BY_ID[p["a"]], BY_ID[p["b"]], p["relation"]) == p["same"], p
    listed = {(p["a"], p["b"], p["relation"]) for p in PAIRS if p["same"]}
    for a, b in combinations(sorted(BY_ID), 2):
        for relation in RELATIONS:
            if related(BY_ID[a], BY_ID[b], relation):
                assert (a, b, relation) in listed


def test_make_set_writes_exactly_these_files():
    make_set = load_script("bench_make_repeats_set", SET_DIR / "make_set.py")

    builder = make_set.Builder()
    builder.build()

    records = [{k: v for k, v in r.items() if k != "_notes"} for r in builder.records]
    assert sorted(records, key=lambda r: r["id"]) == sorted(RECORDS, key=lambda r: r["id"])
    assert builder.pairs() == PAIRS


# --- bench/repeats reads it -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_script_records_the_set_through_the_intake_and_scores_the_engine(geography):
    bench = load_script("bench_repeats", ROOT / "bench" / "repeats")
    records, pairs = bench.read_set()
    # สมชาย ใจดี (his ID typed three ways, and two other men of his name), and the karaoke
    # bar that three neighbours complained about
    picked = [r for r in records if {"P01", "P02", "P03"} & set(r["truth"]["complainants"])]
    picked += [r for r in records if r["truth"]["grievance"] in ("G04", "G05")]
    ids, refused = bench.load_records(picked, out=lambda line: None)
    assert not refused and len(ids) == len(picked) == 10

    result = bench.evaluate(picked, pairs, ids)

    complainant = result["relations"]["complainant"]
    # his three filings find each other by the ID, from each side; the namesakes are not him
    assert complainant["positives"] == 3 * 2 + 1 * 2
    assert complainant["true_positives"] >= 6
    assert not any(
        w["relation"] == "complainant" and w["tags"] == ["common_name"] and "P01" in w["why"] for w in result["wrong"]
    )
    assert result["relations"]["grievance"]["positives"] == 3 * 2
    assert result["loaded"] == 10 and result["check_ms"]["p95"] > 0
    assert {m["relation"] for m in result["misses"]} <= set(RELATIONS)
