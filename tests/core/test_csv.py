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
def test_the_case_list_csv_neutralises_formulas(signed_in, alice, export_file):
    services.case_intake(
        actor=alice, district=alice.district, data=intake_data(subject='=HYPERLINK("http://x.example")')
    )
    text = export_file(signed_in(alice), reverse("cases:list_csv")).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert '\'=HYPERLINK("http://x.example")' in [cell for row in rows for cell in row]


@pytest.mark.django_db
def test_the_case_list_csv_is_logged_when_asked_for_and_at_each_download(signed_in, alice, new_case, export_file):
    # given a case list export, asked for with a filter and downloaded twice
    client = signed_in(alice)
    first = export_file(client, reverse("cases:list_csv"), {"status": new_case.status})
    again = client.get(reverse("exports:download", args=[first.export.pk]))
    assert b"".join(again.streaming_content) == first.content
    # then the request is on the log with its filters, and each download with the rows and the file's hash
    rows = AuditEvent.objects.filter(kind=Kind.EXPORT, actor_id=alice.pk).order_by("id")
    export = first.export
    assert [row.detail for row in rows] == [
        f"case_list_csv status={new_case.status} [export {export.pk}]",
        *[f"case_list_csv downloaded [export {export.pk}] (1) sha256={export.sha256}"] * 2,
    ]
