"""Files of earlier records, written in the test: a row is a dict by canonical column."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook

COLUMNS = [
    "source_key", "district_code", "received_on", "channel", "main_category", "sub_category", "subject",
    "description", "incident_subdistrict_code", "complainant_title", "complainant_first_name",
    "complainant_last_name", "complainant_national_id", "complainant_phone", "respondent_kind", "respondent_name",
    "status", "outcome", "closed_on", "closing_summary",
]  # fmt: skip


def record(number: int = 1, **overrides) -> dict:
    """A good row of a center's register: received on 15/01/2567 (BE), still open."""
    values = {
        "source_key": f"OLD-{number:06d}", "district_code": "7001", "received_on": "15/01/2567",
        "channel": "มาด้วยตนเอง", "main_category": "ที่ดิน", "sub_category": "บุกรุกที่ดินสาธารณประโยชน์",
        "subject": f"บุกรุกที่สาธารณะริมคลองหนองหว้า แปลงที่ {number}",
        "description": "มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง ทำให้น้ำระบายไม่ได้",
        "incident_subdistrict_code": "700101", "complainant_title": "นาง", "complainant_first_name": "สมใจ",
        "complainant_last_name": f"ทองดี{number}", "complainant_national_id": "", "complainant_phone": "0812345678",
        "respondent_kind": "บุคคล", "respondent_name": "นายสมหมาย ใจร้าย", "status": "", "outcome": "",
        "closed_on": "", "closing_summary": "",
    }  # fmt: skip
    values.update(overrides)
    return values


def closed(number: int = 1, **overrides) -> dict:
    """A row of a complaint that ended: resolved on 20/02/2567."""
    ending = dict(
        status="ยุติเรื่องแล้ว", outcome="แก้ไขปัญหาได้", closed_on="20/02/2567",
        closing_summary="ไกล่เกลี่ยแล้ว ผู้ถูกร้องรื้อถอนเพิงพัก",
    )  # fmt: skip
    return record(number, **{**ending, **overrides})


def xlsx_bytes(rows: list[dict], headers: list[str] | None = None, names: dict | None = None) -> bytes:
    """An .xlsx of ``rows``; ``names`` renames headers (canonical -> as the file has it)."""
    headers = headers or COLUMNS
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([(names or {}).get(h, h) for h in headers])
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict], headers: list[str] | None = None, names: dict | None = None, encoding="utf-8",
              delimiter=",") -> bytes:  # fmt: skip
    headers = headers or COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([(names or {}).get(h, h) for h in headers])
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue().encode(encoding)


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()


@pytest.fixture
def write(tmp_path):
    """Write ``content`` to a file named ``name`` and return its path."""

    def write_file(name: str, content: bytes):
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write_file
