"""The case list as CSV, made in the background (exports/) for the officer who asked.

The file holds what the list showed its owner when they asked: the same filters,
read through the same scope (``selectors.filtered_cases``), confidential
complainants masked unless the owner handles the case.
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from cases import selectors
from cases.forms import CaseFilterForm, case_filters
from core.csv import csv_lines
from core.thai import format_date
from exports.registry import register, write_text

CASE_LIST_CSV = "case_list_csv"


def filters_query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query


def render_case_list(export, out) -> int:
    user = export.owner
    form = CaseFilterForm(filters_query(export.params) or None, user=user)
    header = [_("เลขที่รับ"), _("วันที่รับเรื่อง"), _("ประเภทเรื่อง"), _("เรื่อง"), _("สถานะ"), _("ชุดปฏิบัติการ"),
              _("ผู้ร้อง"), _("กำหนดยุติเรื่อง"), _("ผลการดำเนินการ")]  # fmt: skip
    count = 0

    def lines():
        nonlocal count
        yield header
        for case, complainants in selectors.case_export_rows(user, case_filters(form)):
            count += 1
            yield [
                case.number, format_date(case.received_on), str(case.main_category), case.subject,
                case.get_status_display(), case.team.name if case.team else "", complainants,
                format_date(case.due_on), case.get_outcome_display(),
            ]  # fmt: skip

    write_text(out, csv_lines(lines()))
    return count


def register_kinds() -> None:
    register(CASE_LIST_CSV, render_case_list, label=lambda export: _("รายการเรื่องร้องเรียน (CSV)"))
