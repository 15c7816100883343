"""The labelled set of Thai search (bench/search_set/) holds together, and bench/search and
bench/generate_pages work: a smoke test.

The set: a few hundred unspaced Thai complaints and about a hundred query words, each with the
documents that hold it as a word (the traps, ตา inside ตาม, ไม้ beside ไม่, are not holders;
a compound's parts are); make_set.py writes exactly these files. The scanned letters are set
with shaping on A4 and read back by the OCR the bench uses. A few documents go through the
intake service into the test database and the search is scored against the truth; pages are
generated on cases as bench/generate_pages adds them.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Sum
from PIL import ImageChops
from rapidfuzz import fuzz

from bench.generator.pages import generate_pages
from bench.search_set import make_set, scans
from cases.models import Complaint
from documents.models import Document, Page

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "bench" / "search_set"


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (SET_DIR / name).read_text(encoding="utf-8").splitlines() if line]


DOCUMENTS = read("documents.jsonl")
QUERIES = {q["query"]: q for q in read("queries.jsonl")}
LETTERS = read("letters.jsonl")


def load_script(name: str, path: Path):
    """A script of bench/ as a module (it has no .py name to import it by)."""
    if module := sys.modules.get(name):
        return module
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    sys.modules[name] = module  # its dataclasses look their module up there
    loader.exec_module(module)
    return module


# --- The set ----------------------------------------------------------------------------------


def test_make_set_writes_exactly_these_files():
    documents, queries, letters = make_set.build()

    assert [{k: v for k, v in d.items() if k != "tokens"} for d in documents] == DOCUMENTS
    assert queries == list(QUERIES.values())
    assert letters == LETTERS


def test_a_few_hundred_documents_and_about_a_hundred_query_words_of_every_kind():
    assert 300 <= len(DOCUMENTS) <= 1000
    assert len(QUERIES) >= 100
    kinds = Counter(q["kind"] for q in QUERIES.values())
    assert set(kinds) == {"tone", "inside", "compound", "name", "place", "number", "word"}
    assert all(len(q["found_in"]) >= 3 for q in QUERIES.values())
    assert Counter(d["route"] for d in DOCUMENTS) == {"description": len(DOCUMENTS) // 2, "page": len(DOCUMENTS) // 2}
    # Thai is written without spaces between words: only between phrases
    assert all(len(d["text"]) > 10 * d["text"].count(" ") for d in DOCUMENTS)


def test_the_truth_tells_tone_marks_apart_and_letters_from_words():
    texts = {d["id"]: make_set.normalize(d["text"]) for d in DOCUMENTS}
    # ไม้ (wood) and ไม่ (not): a document that has only one is found by that one alone
    only_not = [i for i in QUERIES["ไม่"]["found_in"] if i not in QUERIES["ไม้"]["found_in"]]
    assert only_not and all("ไม้" not in texts[i] for i in only_not)
    # ตา (eye) is not in ตาม (follow) nor ตาย (die); the letters are there, the word is not
    assert QUERIES["ตา"]["letters_only"]
    assert not set(QUERIES["ตา"]["letters_only"]) & set(QUERIES["ตา"]["found_in"])
    # a compound's parts count: every flood is water and inundation
    for i in QUERIES["น้ำท่วม"]["found_in"]:
        assert i in QUERIES["น้ำ"]["found_in"] and i in QUERIES["ท่วม"]["found_in"]
    # a name's do not: เชียงใหม่ is not "new"
    assert set(QUERIES["ใหม่"]["letters_only"]) & set(QUERIES["เชียงใหม่"]["found_in"])
    # numbers by their digits: ๑,๕๐๐ is 1,500, 11,500 is not
    amount = QUERIES["1,500"]
    assert any("1,500" not in make_set.normalize(texts[i].replace("11,500", "")) for i in amount["letters_only"])
    assert any("๑,๕๐๐" in d["text"] for d in DOCUMENTS if d["id"] in amount["found_in"])
    assert not set(amount["letters_only"]) & set(amount["found_in"])


def test_every_word_that_holds_a_query_words_letters_says_whether_it_is_a_part():
    tokens = {t for d in make_set.build()[0] for t in d["tokens"]}

    assert make_set.check_vocabulary(tokens) == []
    assert make_set.check_vocabulary(tokens | {"ตากแดด"})  # undeclared: the set refuses to be written


def test_a_letters_words_are_its_content_words():
    words = LETTERS[0]["content_words"]
    assert len(LETTERS) >= 5 and len(words) >= 40
    assert not {"ที่", "และ", "ของ", "ไม่"} & set(words)


# --- Scanned letters and the OCR ----------------------------------------------------------------


def test_a_letter_is_set_on_a4_and_spoiled_as_scanners_spoil_it():
    page, text = scans.typeset(LETTERS[0], "Sarabun", 100)

    assert page.size == (827, 1169) and page.mode == "L"
    assert text.splitlines()[0].startswith("บ้านเลขที่")
    assert "".join(text.split()) == "".join(
        make_set.join(t for p in LETTERS[0]["paragraphs"] for t in p["tokens"]).split()
    )
    assert scans.degrade(page, "turned90", 100, 1).size == (1169, 827)
    assert ImageChops.difference(scans.degrade(page, "scan", 100, 1), page).getbbox() is not None


def test_the_error_rate_compares_thai_in_normal_form():
    bench = load_script("bench_search", ROOT / "bench" / "search")

    assert bench.error_rate("น้ํา ไหล", "น้ำไหล") == 0  # ํา is ำ; spaces do not count
    assert bench.error_rate("ไม่", "ไม้") == pytest.approx(1 / 3)
    assert bench.error_rate("๑๒", "12") == 1
    assert bench.error_rate("๑๒", "12", fold_digits=True) == 0


def test_the_ocr_reads_a_clean_letter():
    bench = load_script("bench_search", ROOT / "bench" / "search")
    read, _name = bench.ocr_reader()
    page, text = scans.typeset(LETTERS[4], "Sarabun", 200)
    page.info["dpi"] = (200, 200)

    reading = read(page)

    assert bench.error_rate(reading.text, text) < 0.15


# --- Search on the set, through the intake and the case list's filter --------------------------------


@pytest.mark.django_db
def test_the_script_files_documents_as_cases_and_scores_the_search(geography):
    bench = load_script("bench_search", ROOT / "bench" / "search")
    documents, queries = bench.read_set()
    bench.check_neutral(queries)
    # the documents that hold ไม้ or ไม่, ตา or ตาม: both routes, both sides of the traps
    wanted = {"ไม้", "ไม่", "ตา", "ตาม", "ถนน"}
    ids = {i for q in queries if q["query"] in wanted for i in q["found_in"][:4]}
    picked = [d for d in documents if d["id"] in ids]
    loader = bench.Loader()

    filed = bench.load_set(loader, picked, out=lambda line: None)
    loader.index(filed.values())
    result = bench.evaluate_set(loader, picked, [q for q in queries if q["query"] in wanted], filed)

    assert result["documents"] == len(picked) and {d["route"] for d in picked} == {"description", "page"}
    rows = {r["query"]: r for r in result["queries"]}
    assert rows["ถนน"]["expected"] == len({i for i in QUERIES["ถนน"]["found_in"] if i in ids})
    # a word as it is written in a case's description is found by any search
    assert result["by_route"]["description"]["recall"] > 0
    assert 0 <= result["all"]["precision"] <= 1
    assert {w["query"] for w in result["wrong"]} <= wanted


@pytest.mark.django_db
def test_letters_are_filed_as_pages_and_their_words_searched(geography):
    bench = load_script("bench_search", ROOT / "bench" / "search")
    letter = LETTERS[0]
    _page, text = scans.typeset(letter, "Loma", 100)
    loader = bench.Loader()

    filed = bench.load_letters(loader, {"Loma": {"letter": letter["id"], "ocr": text, "truth": text}})
    loader.index([filed["Loma"]["ocr"], filed["Loma"]["truth"]])
    result = bench.evaluate_letters(loader, filed)

    figures = result["fonts"]["Loma"]
    assert figures["words"] == len(letter["content_words"])
    assert figures["share_ocr"] == figures["share_text"]  # the same text twice


# --- Pages on the cases of a bench database -----------------------------------------------


@pytest.mark.django_db
def test_generate_pages_adds_documents_of_one_to_three_pages_on_existing_cases(geography):
    bench = load_script("bench_search", ROOT / "bench" / "search")
    loader = bench.Loader()
    cases = [loader.case("ถนนชำรุด") for _ in range(4)]

    added = generate_pages(25, batch=10, reindex=False, out=lambda line: None)
    # the cases with new pages wait for reindex_search --outdated, as after a document's change
    assert set(Complaint.objects.filter(search_version=0).values_list("pk", flat=True)) == set(
        Document.objects.values_list("complaint_id", flat=True)
    )
    generate_pages(5, batch=10, out=lambda line: None)  # a top-up, and the index brought up to date
    assert not Complaint.objects.filter(search_version=0).exists()

    assert added["pages"] == 25 and Page.objects.count() == 30
    documents = Document.objects.all()
    assert documents.aggregate(n=Sum("page_count"))["n"] == 30
    for document in documents.prefetch_related("pages"):
        assert 1 <= document.page_count <= 3
        assert [p.number for p in document.pages.all()] == list(range(1, document.page_count + 1))
        assert document.complaint_id in {c.pk for c in cases} and document.district_id == "5001"
        assert document.status == Document.Status.DONE and len(document.sha256) == 64
    # a letter as OCR reads it (a few characters misread): the address first, the signature last
    for document in documents:
        pages = list(document.pages.all())
        assert fuzz.partial_ratio("บ้านเลขที่", pages[0].text[:40]) > 80
        assert fuzz.partial_ratio("ขอแสดงความนับถือ", pages[-1].text) > 80
