"""The one CSV writer: every export neutralises cells a spreadsheet would run as formulas."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases import services
from core.csv import BOM, csv_lines, safe_cell
from tests.case_fixtures import intake_data

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x.example")']


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_cell_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("บุกรุกที่สาธารณะ", "บุกรุกที่สาธารณะ"), ("1-2", "1-2"), (None, ""), (7, "7"), ({}, ""), ({"a": 1}, '{"a": 1}')],
)
def test_other_cells_are_kept(value, expected):
    assert safe_cell(value) == expected


def test_csv_lines_start_with_a_bom_and_quote_as_excel_expects():
    text = "".join(csv_lines([["a,b", "=1"], ['say "hi"']]))
    assert text.startswith(BOM)
    assert list(csv.reader(io.StringIO(text[1:]))) == [["a,b", "'=1"], ['say "hi"']]


@pytest.mark.django_db
def test_the_case_list_csv_neutralises_formulas(signed_in, alice):
    services.case_intake(
        actor=alice, district=alice.district, data=intake_data(subject='=HYPERLINK("http://x.example")')
    )
    response = signed_in(alice).get(reverse("cases:list_csv"))
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert '\'=HYPERLINK("http://x.example")' in [cell for row in rows for cell in row]


@pytest.mark.django_db
def test_the_case_list_csv_is_logged_before_its_first_byte(signed_in, alice, new_case):
    # given a case list export that has been started but not read
    response = signed_in(alice).get(reverse("cases:list_csv"))
    # then its audit row is already there, with the number of rows it holds
    export = AuditEvent.objects.get(kind=Kind.EXPORT, actor_id=alice.pk)
    assert export.detail == "case list CSV (1)"
    # and reading the stream adds no second row
    b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(kind=Kind.EXPORT, actor_id=alice.pk).count() == 1
