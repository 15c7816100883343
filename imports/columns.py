"""The columns of a file of earlier records, and the Thai headers that name them.

One table: the reader maps a file's headers through it, the row parser names its
columns in messages by it, and the README's table of columns is checked against it
(``tests/imports/test_columns.py``). A header is matched after ``header_key``:
case, spaces, dashes, a trailing ``*`` (a required mark) and a hint in parentheses
(``วันที่รับเรื่อง (วว/ดด/ปปปป)``) do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str  # the canonical header, as the README lists it
    aliases: tuple[str, ...]  # Thai headers that mean the same; the first is how messages name it
    required: bool = False  # the file must have the column (a row may still leave an optional cell empty)

    @property
    def label(self) -> str:
        """How a message names the column: ``received_on (วันที่รับเรื่อง)``."""
        return f"{self.name} ({self.aliases[0]})" if self.aliases else self.name


COLUMNS: tuple[Column, ...] = (
    Column("source_key", ("เลขที่อ้างอิง", "รหัสอ้างอิง", "เลขที่อ้างอิงเดิม", "รหัสอ้างอิงเดิม", "เลขที่เรื่องเดิม"), required=True),
    Column("district_code", ("รหัสอำเภอ", "รหัสศูนย์", "รหัสอำเภอที่รับเรื่อง")),
    Column("received_on", ("วันที่รับเรื่อง", "วันที่รับ"), required=True),
    Column("channel", ("ช่องทาง", "ช่องทางที่รับเรื่อง", "ช่องทางการร้องเรียน"), required=True),
    Column("main_category", ("ประเภทเรื่อง", "ประเภทเรื่องหลัก"), required=True),
    Column("sub_category", ("ประเภทย่อย", "ประเภทเรื่องย่อย")),
    Column("category_other_text", ("รายละเอียดประเภทเรื่อง", "ประเภทเรื่องอื่นๆ", "รายละเอียดประเภทเรื่องอื่นๆ")),
    Column("subject", ("เรื่อง", "เรื่องที่ร้องเรียน", "หัวเรื่อง"), required=True),
    Column("description", ("รายละเอียด", "รายละเอียดเรื่อง", "รายละเอียดการร้องเรียน"), required=True),
    Column("incident_subdistrict_code", ("รหัสตำบล", "รหัสตำบลที่เกิดเหตุ"), required=True),
    Column("incident_address", ("สถานที่เกิดเหตุ", "ที่อยู่ที่เกิดเหตุ")),
    Column("latitude", ("ละติจูด",)),
    Column("longitude", ("ลองจิจูด",)),
    Column("complainant_title", ("คำนำหน้า", "คำนำหน้านาม", "คำนำหน้าชื่อ")),
    Column("complainant_first_name", ("ชื่อ", "ชื่อตัว", "ชื่อผู้ร้อง")),
    Column("complainant_last_name", ("นามสกุล", "ชื่อสกุล", "นามสกุลผู้ร้อง")),
    Column("complainant_national_id", ("เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชนผู้ร้อง")),
    Column("complainant_phone", ("โทรศัพท์", "เบอร์โทรศัพท์", "หมายเลขโทรศัพท์", "โทรศัพท์ผู้ร้อง")),
    Column("complainant_address", ("ที่อยู่", "ที่อยู่ผู้ร้อง")),
    Column("complainant_confidential", ("ปกปิดข้อมูลผู้ร้อง", "ปกปิดชื่อผู้ร้อง", "ปกปิด")),
    Column("respondent_kind", ("ประเภทผู้ถูกร้อง",)),
    Column("respondent_name", ("ผู้ถูกร้อง", "ชื่อผู้ถูกร้อง")),
    Column(
        "respondent_national_id",
        ("เลขประจำตัวผู้ถูกร้อง", "เลขประจำตัวประชาชนผู้ถูกร้อง", "เลขนิติบุคคล", "เลขประจำตัวประชาชน/เลขนิติบุคคล"),
    ),
    Column("respondent_position", ("ตำแหน่ง", "ตำแหน่ง/สังกัด", "ตำแหน่งผู้ถูกร้อง")),
    Column("status", ("สถานะ", "สถานะเรื่อง")),
    Column("outcome", ("ผลการดำเนินการ", "ผล")),
    Column("closed_on", ("วันที่ยุติเรื่อง", "วันที่ยุติ")),
    Column("closing_summary", ("สรุปผลการดำเนินการ", "สรุปผล")),
)  # fmt: skip

BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}

_HINT = re.compile(r"\s*[(\[（].*?[)\]）]\s*$")
_SPACING = re.compile(r"[\s\-_.]+")


def header_key(header: object) -> str:
    """What a header is matched by: NFC, no BOM, case-folded, no spacing or dashes, no ``*``."""
    text = unicodedata.normalize("NFC", str(header or "")).replace("\ufeff", "").strip().rstrip("*").strip()
    return _SPACING.sub("", text.casefold())


def _keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in COLUMNS:
        for header in (column.name, *column.aliases):
            key = header_key(header)
            assert keys.get(key, column.name) == column.name, f"header {header!r} names two columns"  # noqa: S101
            keys[key] = column.name
    return keys


HEADERS: dict[str, str] = _keys()


def column_for(header: object) -> str | None:
    """The canonical column a file's ``header`` names, or None for a column we do not read."""
    key = header_key(header)
    if key in HEADERS:
        return HEADERS[key]
    # "วันที่รับเรื่อง (วว/ดด/ปปปป)": the hint in parentheses is the file's, not the column's name.
    bare = header_key(_HINT.sub("", unicodedata.normalize("NFC", str(header or "")).replace("\ufeff", "").strip()))
    return HEADERS.get(bare)
