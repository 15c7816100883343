"""Reading a file of earlier records: .csv, .xlsx or .jsonl, into numbered rows by column.

``open_table`` reads the header (or, for JSON lines, the keys), maps it through
``imports.columns`` and returns a ``Table`` whose rows are ``(number, {column: value})``
with the number a person finds the row by: the spreadsheet's row (the header is row 1)
or the file's line. Blank rows are left out. A file we cannot read raises
``ImportFileError`` with a Thai message; nothing about a row is decided here.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from imports.columns import BY_NAME, COLUMNS, column_for

EXTENSIONS = (".csv", ".xlsx", ".jsonl")
# CSV delimiters a spreadsheet program writes: comma, tab (Excel's "Unicode text"), semicolon.
DELIMITERS = ",\t;"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Row = tuple[int, dict[str, object]]


@dataclass
class Table:
    kind: str  # csv, xlsx or jsonl
    rows: Iterator[Row]
    total: int  # data rows (blank ones aside), for the progress bar
    encoding: str = ""  # of a CSV file: utf-8, utf-8-sig, utf-16 or cp874 (TIS-620)
    ignored: list[str] = field(default_factory=list)  # headers that name no column
    columns: frozenset[str] = frozenset()
    close: Callable[[], None] = lambda: None  # noqa: E731 - frees a workbook whose rows are not read to the end


def open_table(file: BinaryIO, name: str) -> Table:
    """Read ``file`` (opened binary, seekable) by the extension of ``name``."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        return _csv(file)
    if suffix == ".xlsx":
        return _xlsx(file)
    if suffix == ".jsonl":
        return _jsonl(file)
    raise ImportFileError(
        _("นำเข้าได้เฉพาะไฟล์ .csv .xlsx หรือ .jsonl (ไฟล์นี้เป็น “%(suffix)s”)") % {"suffix": suffix or name}
    )


def _mapping(headers: list[object]) -> tuple[dict[int, str], list[str]]:
    """Column index -> canonical column; the headers that name none. Two headers that
    name one column, or a required column missing, make the file unreadable."""
    by_index: dict[int, str] = {}
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        name = column_for(header)
        if name is None:
            ignored.append(str(header).strip())
            continue
        if name in seen:
            raise ImportFileError(
                _("หัวคอลัมน์ “%(first)s” และ “%(second)s” หมายถึงคอลัมน์เดียวกัน (%(column)s) กรุณาเหลือไว้คอลัมน์เดียว")
                % {"first": seen[name], "second": str(header).strip(), "column": BY_NAME[name].label}
            )
        seen[name] = str(header).strip()
        by_index[index] = name
    missing = [column.label for column in COLUMNS if column.required and column.name not in seen]
    if missing:
        raise ImportFileError(_("ไฟล์ไม่มีคอลัมน์ที่ต้องมี: %(columns)s") % {"columns": ", ".join(missing)})
    return by_index, ignored


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# A register's title and notes may stand above its header: the header is the first of
# the first rows that names two columns or more (or else the first row that is not blank).
HEADER_SEARCH_ROWS = 20


def _header(rows: Iterator[tuple[int, list]]) -> tuple[int, list] | None:
    first = None
    for seen, (number, values) in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if all(_blank(value) for value in values):
            continue
        first = first or (number, list(values))
        if sum(1 for value in values if not _blank(value) and column_for(value)) >= 2:
            return number, list(values)
    return first


# --- CSV ---------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 with or without a byte-order mark,
    UTF-16 with one, or else TIS-620 (read as its superset cp874, Windows' Thai)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp874"), "cp874"
    except UnicodeDecodeError:
        raise ImportFileError(_("อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620")) from None


def _csv(file: BinaryIO) -> Table:
    try:
        text, encoding = decode(file.read())
    except UnicodeDecodeError:
        raise ImportFileError(_("อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(_("อ่านไฟล์ CSV ไม่ได้: %(error)s") % {"error": error}) from None
    found = _header(enumerate(records, start=1))
    if found is None:
        raise ImportFileError(_("ไฟล์ว่าง ไม่มีหัวคอลัมน์"))
    header_row, header = found
    by_index, ignored = _mapping(header)
    rows = [
        (number, {name: record[index] for index, name in by_index.items() if index < len(record)})
        for number, record in enumerate(records[header_row:], start=header_row + 1)
        if any(not _blank(cell) for cell in record)
    ]
    return Table("csv", iter(rows), len(rows), encoding, ignored, frozenset(by_index.values()))


# --- XLSX --------------------------------------------------------------------------------


def _xlsx(file: BinaryIO) -> Table:
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("อ่านไฟล์ Excel ไม่ได้: %(error)s") % {"error": type(error).__name__}) from None
    sheet = book.worksheets[0]
    found = _header(enumerate(sheet.iter_rows(values_only=True), start=1))
    if found is None:
        book.close()
        raise ImportFileError(_("ไฟล์ว่าง ไม่มีหัวคอลัมน์"))
    number, header = found
    try:
        by_index, ignored = _mapping(header)
    except ImportFileError:
        book.close()
        raise
    # The sheet's recorded size (its <dimension>), for the progress bar; or its rows counted.
    recorded = sheet.max_row if sheet.max_row and sheet.max_row > number else None
    total = (recorded or _count_rows(sheet)) - number

    def rows() -> Iterator[Row]:
        try:
            yield from _xlsx_rows(sheet, by_index, number)
        finally:
            book.close()

    return Table("xlsx", rows(), total, "", ignored, frozenset(by_index.values()), book.close)


# A <row> element of the sheet's XML, whatever its namespace prefix (not <rowBreaks>).
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CHUNK = 1 << 20


def _count_rows(sheet) -> int:
    """The rows of a sheet whose writer recorded no size (openpyxl's own write-only mode):
    its <row> elements counted in the raw XML, ten times faster than reading its cells.
    Formatted blank rows count too; the import sets the total right when it ends."""
    count, pending = 0, b""
    with sheet._get_source() as source:  # openpyxl's opening of the sheet's XML in the workbook
        while True:
            chunk = source.read(_CHUNK)
            data = pending + chunk
            if not chunk:
                return count + len(_ROW_TAG.findall(data))
            # A tag may straddle two chunks: the end of this one is read again with the next.
            cut = max(len(data) - 16, 0)
            count += sum(1 for match in _ROW_TAG.finditer(data) if match.start() < cut)
            pending = data[cut:]


def _xlsx_rows(sheet, by_index: dict[int, str], header_row: int) -> Iterator[Row]:
    for number, values in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        if any(not _blank(value) for value in values):
            yield number, {name: values[index] for index, name in by_index.items() if index < len(values)}


# --- JSON lines --------------------------------------------------------------------------


def _jsonl(file: BinaryIO) -> Table:
    try:
        text, _encoding = decode(file.read())
    except UnicodeDecodeError:
        raise ImportFileError(_("อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ UTF-8")) from None
    records: list[tuple[int, dict]] = []
    keys: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                _("บรรทัดที่ %(line)d ไม่ใช่ JSON: %(error)s") % {"line": number, "error": error.msg}
            ) from None
        if not isinstance(record, dict):
            raise ImportFileError(_("บรรทัดที่ %(line)d ต้องเป็นออบเจกต์ JSON ({…})") % {"line": number})
        keys.update(dict.fromkeys(record))
        records.append((number, record))
    if not records:
        raise ImportFileError(_("ไฟล์ว่าง ไม่มีข้อมูล"))
    headers = list(keys)
    by_index, ignored = _mapping(headers)
    names = {headers[index]: name for index, name in by_index.items()}
    rows = [
        (number, {names[key]: value for key, value in record.items() if key in names}) for number, record in records
    ]
    return Table("jsonl", iter(rows), len(rows), "", ignored, frozenset(names.values()))
