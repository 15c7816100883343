"""The one CSV writer every export uses: UTF-8 with a byte-order mark (so that Excel
reads the Thai), streamed line by line, each cell neutralised against formula injection.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some, a tab or a carriage return) as a formula: a complainant's subject such as
``=HYPERLINK("http://…")`` would run on the officer's machine. Such a cell gets a
leading apostrophe, which Excel and LibreOffice show as plain text (OWASP's advice).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator

BOM = "\ufeff"
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def safe_cell(value) -> str:
    """``value`` as the text of one CSV cell that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    text = str(value)
    return "'" + text if _FORMULA.match(text) else text


class _Echo:
    """A file that hands back what is written to it: csv.writer formats, we yield."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The byte-order mark, then each of ``rows`` as one CSV line of safe cells."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])
