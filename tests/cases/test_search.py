"""Thai search by words (cases.search): pairs that differ by a tone mark stay apart, a
word is not found inside another, compounds are found by their parts, numbers in any
format, a confidential complainant never; the passage a hit shows.

The file runs on SQLite (the fallback: words, not positions) and on PostgreSQL (the
tsvector); what only positions can tell (word order) is asked of PostgreSQL only.
"""

from __future__ import annotations

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from cases import search, selectors
from cases.models import Complaint
from cases.selectors import CaseFilters
from cases.services import ComplainantData, case_intake
from cases.textsearch import SearchVectorField, quote, tsquery, vector_lexemes
from core.thai import make_national_id, to_thai_digits
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db

SOMSRI_ID = make_national_id("370010012345")


def record(actor, subject: str, description: str = "", **overrides) -> Complaint:
    data = intake_data(subject=subject, description=description or subject, **overrides)
    case, created = case_intake(actor=actor, district=actor.district, data=data)
    assert created
    return case


def found(user, query: str) -> list[int]:
    return sorted(selectors.filtered_cases(user, CaseFilters(query=query)).values_list("pk", flat=True))


# --- Words ------------------------------------------------------------------------------


def test_a_word_is_cut_into_dictionary_words_only():
    assert search.splits("น้ำท่วม") == (("น้ำ", "ท่วม"),)
    assert search.splits("ตาม") == ()  # ม is no word
    assert search.splits("ไม้") == ()
    assert ("ข้าว", "มัน", "ไก่") in search.splits("ข้าวมันไก่")


def test_numbers_in_groups_are_one_word_and_each_group():
    words = search.tokens(search.normalize("โทร ๐๘๑-๒๓๔-๕๖๗๘ บัตร 1 2345 67890 12 1"))
    numbers = [(w.text, w.groups) for w in words if w.kind == "number"]
    assert numbers == [("0812345678", ("081", "234", "5678")), ("1234567890121", ("1", "2345", "67890", "12", "1"))]


def test_the_query_asks_for_a_compound_whole_or_in_pieces():
    assert tsquery(search.parse_query("น้ำท่วม")) == "('น้ำท่วม' | ('น้ำ' <-> 'ท่วม') | ('น้ำ' <0> 'ท่วม'))"
    assert tsquery(search.parse_query("ตา")) == "'ตา'"  # a whole word: no prefix, ตาม is not ตา
    assert search.parse_query("  ,.;  ") is None


def test_quotes_and_backslashes_are_escaped_in_lexemes():
    assert quote("it's\\") == "'it''s\\\\'"
    assert vector_lexemes(quote("it's\\") + ":1 'ไม้':2") == ["it's\\", "ไม้"]


def test_words_past_the_last_position_are_kept_without_one():
    words = " ".join(f"คำ{n}" for n in range(search.MAX_POSITION + 10))
    literal = search._Vector()
    literal.add(words + " สุดท้าย")
    assert literal.positions["สุดท้าย"] == []  # found as a word, not in a phrase
    assert max(p for found in literal.positions.values() for p in found) <= search.MAX_POSITION
    assert len(literal.positions["คำ"]) == search.MAX_POSITIONS  # what a tsvector keeps of one word


def test_sqlite_keeps_the_lexemes_as_spaced_text(settings):
    class Vendor:
        vendor = "sqlite"

    field = SearchVectorField()
    assert field.get_db_prep_value("'ไม้':1 'ดี':2", Vendor()) == " ไม้ ดี "


# --- Finding cases ----------------------------------------------------------------------


@pytest.fixture
def pairs(alice):
    """Cases whose words differ by a tone mark, or hold another word inside them."""
    return {
        "wood": record(alice, "ขอให้ตัดกิ่งไม้ที่หักลงมาขวางทางเดิน"),
        "not": record(alice, "ผู้ร้องไม่ได้รับความเป็นธรรมจากนายจ้าง"),
        "rice": record(alice, "ชาวนาขายข้าวเปลือกได้ราคาต่ำ"),
        "news": record(alice, "มีข่าวลือเรื่องการเวนคืนที่ดินทำกิน"),
        "forest": record(alice, "มีผู้ลักลอบตัดต้นไม้ในป่าสงวนแห่งชาติ"),
        "aunt": record(alice, "ป้าข้างบ้านเลี้ยงสุนัขส่งเสียงเห่าทั้งคืน"),
        "follow": record(alice, "ขอให้ดำเนินการตามที่ร้องขอโดยเร็ว"),
        "eye": record(alice, "ฝุ่นจากโรงโม่หินทำให้ชาวบ้านแสบตา"),
        "flood": record(alice, "น้ำท่วมขังถนนในหมู่บ้านนานหลายสัปดาห์"),
    }


def test_tone_marks_tell_words_apart(pairs, alice):
    assert found(alice, "ไม้") == sorted([pairs["wood"].pk, pairs["forest"].pk])
    assert found(alice, "ไม่") == [pairs["not"].pk]
    assert found(alice, "ข้าว") == [pairs["rice"].pk]
    assert found(alice, "ข่าว") == [pairs["news"].pk]
    assert found(alice, "ป่า") == [pairs["forest"].pk]
    assert found(alice, "ป้า") == [pairs["aunt"].pk]


def test_a_word_is_not_found_inside_another(pairs, alice):
    assert found(alice, "ตา") == [pairs["eye"].pk]
    assert found(alice, "ตาม") == [pairs["follow"].pk]


def test_a_word_is_not_found_inside_a_proper_name(alice):
    takhli = record(
        alice, "ขอให้ซ่อมถนนในอำเภอตาคลี", complainants=[ComplainantData(first_name="สมชาย", last_name="ทองมา")]
    )
    gold = record(alice, "ถูกหลอกขายทองคำปลอม")
    assert found(alice, "ตา") == []
    assert found(alice, "ชาย") == []
    assert found(alice, "ตาคลี") == [takhli.pk]
    assert found(alice, "สมชาย") == [takhli.pk]
    assert found(alice, "ทอง") == [gold.pk]  # a name that is a word too (ทองคำ) is cut as a word


def test_a_compound_is_found_whole_and_by_its_parts(pairs, alice):
    flood = [pairs["flood"].pk]
    assert found(alice, "น้ำท่วม") == flood
    assert found(alice, "ท่วม") == flood
    assert found(alice, "น้ำ ท่วม") == flood  # typed apart, held as one word
    assert found(alice, "น้ำท่วมขัง") == flood


def test_a_phrase_must_be_there_in_its_order(pairs, alice):
    flood = [pairs["flood"].pk]
    assert found(alice, "ถนนในหมู่บ้าน") == flood
    assert found(alice, "ไม้ ข้าว") == []  # every word must be there
    assert found(alice, "ถนน ท่วม") == flood  # typed apart: both, anywhere
    if connection.vendor == "postgresql":  # SQLite keeps no positions
        assert found(alice, "ท่วมถนน") == []  # ขัง stands between them
        assert found(alice, "หมู่บ้านในถนน") == []


def test_the_last_word_being_typed_finds_the_words_it_begins(pairs, alice):
    assert found(alice, "ดำเนินการตามที่ร้อ") == [pairs["follow"].pk]
    assert found(alice, "ลักลอบตัดต้นไ") == [pairs["forest"].pk]


def test_numbers_are_found_however_they_are_typed(alice):
    case = record(
        alice,
        "ถูกหลอกให้โอนเงิน",
        complainants=[
            ComplainantData(
                title="นาง", first_name="สมหญิง", last_name="ใจงาม", national_id=SOMSRI_ID, phone="089-765-4321"
            )
        ],
    )
    record(alice, "เรื่องอื่น")  # whose complainant has the fixtures' phone
    dashed = f"{SOMSRI_ID[0]}-{SOMSRI_ID[1:5]}-{SOMSRI_ID[5:10]}-{SOMSRI_ID[10:12]}-{SOMSRI_ID[12]}"
    for query in (
        SOMSRI_ID,
        dashed,
        dashed.replace("-", " "),
        to_thai_digits(dashed),
        "0897654321",
        "089 765 4321",
        "๐๘๙๗๖๕๔๓๒๑",
    ):
        assert found(alice, query) == [case.pk], query
    assert found(alice, "765") == [case.pk]  # a group of the number
    assert found(alice, "7654") == []  # not digits inside a group
    assert found(alice, "0897654322") == []


def test_a_confidential_complainant_is_not_found_by_name(alice):
    hidden = ComplainantData(
        title="นางสาว", first_name="ลำดวน", last_name="พิกุลทอง", national_id=SOMSRI_ID, phone="0899999999",
        is_confidential=True,
    )  # fmt: skip
    case = record(alice, "ร้องเรียนเจ้าหน้าที่เรียกรับเงิน", complainants=[hidden])
    for query in ("ลำดวน", "พิกุลทอง", SOMSRI_ID, "0899999999"):
        assert found(alice, query) == [], query
    assert found(alice, "เรียกรับเงิน") == [case.pk]


def test_a_tracking_code_is_still_an_exact_filter(pairs, alice):
    case = pairs["eye"]
    assert found(alice, case.tracking_code_display.lower()) == [case.pk]


def test_the_search_is_scoped_to_what_the_user_may_see(pairs, bob):
    assert found(bob, "ไม้") == []


def test_a_case_s_own_text_gives_its_passage(pairs, alice):
    page = selectors.case_list(alice, CaseFilters(query="ขวางทาง"))
    passage = page.items[0].search_passage
    assert passage.page is None
    assert "<mark>ขวางทางเดิน</mark>" in passage.html  # the word that holds the pieces


# --- Indexing existing cases ------------------------------------------------------------


def test_reindex_search_indexes_the_outdated_cases(pairs, alice):
    Complaint.objects.filter(pk=pairs["wood"].pk).update(search_vector="", search_version=0)
    assert found(alice, "กิ่งไม้") == []

    out = io.StringIO()
    call_command("reindex_search", "--outdated", "--batch", "2", stdout=out)

    assert found(alice, "กิ่งไม้") == [pairs["wood"].pk]
    assert "1 case(s) to index" in out.getvalue()
    assert Complaint.objects.exclude(search_version=search.SEARCH_VERSION).count() == 0


def test_the_migration_indexes_a_small_database(pairs, alice):
    Complaint.objects.update(search_vector="", search_version=0)
    import_module("cases.migrations.0012_search_vector").backfill(apps, None)
    assert found(alice, "ข่าว") == [pairs["news"].pk]
    assert not Complaint.objects.filter(search_version=0).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="column statistics are PostgreSQL's; CI runs on it")
def test_the_search_column_keeps_enough_statistics_for_rare_words_to_take_the_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'cases_complaint'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == 2000
