"""Reading a file of earlier records: its encodings, its headers (Thai aliases too), its rows by number."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from imports import reading
from imports.columns import COLUMNS, column_for, header_key
from imports.reading import ImportFileError, open_table
from tests.imports.conftest import COLUMNS as WRITTEN
from tests.imports.conftest import csv_bytes, jsonl_bytes, record, xlsx_bytes

THAI_HEADERS = {
    "source_key": "เลขที่อ้างอิง", "district_code": "รหัสอำเภอ", "received_on": "วันที่รับเรื่อง (วว/ดด/ปปปป)",
    "channel": "ช่องทาง", "main_category": "ประเภทเรื่อง", "sub_category": "ประเภทย่อย", "subject": "เรื่อง",
    "description": "รายละเอียด", "incident_subdistrict_code": "รหัสตำบล", "complainant_title": "คำนำหน้า",
    "complainant_first_name": "ชื่อ", "complainant_last_name": "นามสกุล",
    "complainant_national_id": "เลขประจำตัวประชาชน", "complainant_phone": "โทรศัพท์",
    "respondent_kind": "ประเภทผู้ถูกร้อง", "respondent_name": "ผู้ถูกร้อง", "status": "สถานะ",
    "outcome": "ผลการดำเนินการ", "closed_on": "วันที่ยุติเรื่อง", "closing_summary": "สรุปผลการดำเนินการ",
}  # fmt: skip


def read(content: bytes, name: str):
    table = open_table(io.BytesIO(content), name)
    return table, list(table.rows)


def test_no_header_names_two_columns():
    # columns._keys() refuses it when the module loads; here, every alias finds its own column.
    for column in COLUMNS:
        for header in (column.name, *column.aliases):
            assert column_for(header) == column.name, header


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Source Key", "source_key"), ("  source-key * ", "source_key"), ("\ufeffsource_key", "source_key"),
        ("วันที่รับเรื่อง (วว/ดด/ปปปป)", "received_on"), ("เลขประจำตัวประชาชน/เลขนิติบุคคล", "respondent_national_id"),
        ("ชื่อผู้ถูกร้อง", "respondent_name"), ("ชื่อ", "complainant_first_name"), ("หมายเหตุ", None),
    ],
)  # fmt: skip
def test_a_header_is_matched_whatever_its_spacing_case_or_hint(header, column):
    assert column_for(header) == column


def test_header_key_ignores_case_spaces_and_the_required_mark():
    assert header_key(" Received On* ") == header_key("received_on") == "receivedon"


def test_a_utf8_csv_with_a_byte_order_mark_and_thai_headers():
    content = b"\xef\xbb\xbf" + csv_bytes([record(1), record(2)], names=THAI_HEADERS)
    table, rows = read(content, "register.csv")
    assert table.encoding == "utf-8-sig" and table.total == 2
    number, values = rows[0]
    assert number == 2 and values["source_key"] == "OLD-000001" and values["received_on"] == "15/01/2567"
    assert values["complainant_first_name"] == "สมใจ"


def test_a_tis620_csv_is_read_as_thai():
    table, rows = read(csv_bytes([record(1)], names=THAI_HEADERS, encoding="cp874"), "register.csv")
    assert table.encoding == "cp874"
    assert rows[0][1]["subject"].startswith("บุกรุกที่สาธารณะ")


def test_a_tab_separated_utf16_csv_as_excel_saves_unicode_text():
    content = csv_bytes([record(1)], encoding="utf-16", delimiter="\t")
    table, rows = read(content, "register.csv")
    assert table.encoding == "utf-16" and rows[0][1]["district_code"] == "7001"


def test_blank_rows_are_left_out_and_the_numbers_are_the_spreadsheets():
    content = csv_bytes([record(1), {key: "" for key in WRITTEN}, record(3)])
    table, rows = read(content, "register.csv")
    assert table.total == 2 and [number for number, _values in rows] == [2, 4]


def test_columns_we_do_not_read_are_named():
    table, _rows = read(csv_bytes([{**record(1), "หมายเหตุ": "x"}], headers=[*WRITTEN, "หมายเหตุ"]), "r.csv")
    assert table.ignored == ["หมายเหตุ"]


def test_a_missing_required_column_stops_the_file_with_its_name():
    headers = [column for column in WRITTEN if column != "received_on"]
    with pytest.raises(ImportFileError, match="received_on \\(วันที่รับเรื่อง\\)"):
        open_table(io.BytesIO(csv_bytes([record(1)], headers=headers)), "r.csv")


def test_two_headers_for_one_column_stop_the_file():
    content = "เรื่อง,subject\n".encode() + csv_bytes([record(1)])
    with pytest.raises(ImportFileError, match="คอลัมน์เดียวกัน"):
        open_table(io.BytesIO(content), "r.csv")


def test_another_kind_of_file_is_refused():
    with pytest.raises(ImportFileError, match=".csv .xlsx หรือ .jsonl"):
        open_table(io.BytesIO(b"x"), "register.xls")


def test_a_file_that_is_not_a_workbook():
    with pytest.raises(ImportFileError, match="Excel"):
        open_table(io.BytesIO(b"not a zip"), "register.xlsx")


def test_an_xlsx_keeps_its_cells_types_and_finds_its_header_below_a_title():
    book = Workbook()
    sheet = book.active
    sheet.append(["ทะเบียนเรื่องร้องเรียน อำเภอเมืองราชบุรี"])
    sheet.append([])
    sheet.append(WRITTEN)
    sheet.append(
        [{**record(1), "received_on": dt.date(2024, 1, 15), "complainant_phone": 812345678}[h] for h in WRITTEN]
    )
    out = io.BytesIO()
    book.save(out)
    table, rows = read(out.getvalue(), "register.xlsx")
    number, values = rows[0]
    assert number == 4 and table.total == 1
    assert values["received_on"] == dt.datetime(2024, 1, 15) and values["complainant_phone"] == 812345678


def test_jsonl_by_line_number():
    content = jsonl_bytes([record(1)]) + b"\n\n" + jsonl_bytes([{**record(2), "extra": 1}])
    table, rows = read(content, "old.jsonl")
    assert [number for number, _values in rows] == [1, 3] and table.ignored == ["extra"]


def test_a_jsonl_line_that_is_not_json_names_its_line():
    with pytest.raises(ImportFileError, match="บรรทัดที่ 2"):
        open_table(io.BytesIO(jsonl_bytes([record(1)]) + b"\n{broken"), "old.jsonl")


def test_an_xlsx_written_by_the_tests_reads_back():
    table, rows = read(xlsx_bytes([record(1), record(2)]), "r.xlsx")
    assert table.total == 2 and rows[1][0] == 3


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_a_sheet_without_its_size_has_its_rows_counted_across_chunks(monkeypatch, chunk):
    # openpyxl's write-only mode records no <dimension>: the rows are counted in the raw XML.
    monkeypatch.setattr(reading, "_CHUNK", chunk)
    table, rows = read(xlsx_bytes([record(n) for n in range(1, 51)]), "r.xlsx")
    assert table.total == len(rows) == 50
