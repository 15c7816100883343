"""The reads of Open311: our categories as services, and cases as public service requests.

A service is a sub-category (its group the main category) or the main category "other"
(``is_other``, its sub-category a text). Its ``service_code`` is the category's id:
categories are never deleted (cases point at them), only retired (``is_active``).

A service request is a case seen as the citizens' tracking page sees it: its
``service_request_id`` is the case's tracking code, the secret the complainant holds,
and nothing personal or internal is shown: no name, phone, e-mail, address, description,
note or coordinates (the tracking page shows no location either). Requests are read by
their codes, or by the app that filed them: a list of everyone's codes would hand out
the keys to everyone's tracking pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import public_wording
from cases.codes import normalize_tracking_code
from cases.models import OPEN_STATUSES, Category, Complaint
from open311.models import Client, Submission

MAX_REQUESTS = 1000  # GeoReport v2: "90 days or 1000 requests, whichever is smallest"
MAX_DAYS = 90
MAX_IDS = 100
TRACKING_CODE_LENGTH = 26


def _name(row, language: str) -> str:
    return row.name_en if language == "en" and row.name_en else row.name_th


# --- Services -------------------------------------------------------------------------------


def services() -> list[Category]:
    """The services offered, in the categories' order: active sub-categories of active main
    categories, and the active main category "other"."""
    rows = Category.objects.filter(is_active=True).filter(
        Q(parent__isnull=True, is_other=True) | Q(parent__isnull=False, parent__is_active=True)
    )
    rows = rows.select_related("parent")
    return sorted(rows, key=lambda c: ((c.parent or c).sort_order, (c.parent or c).name_th, c.sort_order, c.name_th))


def is_service_code(code: str) -> bool:
    """Whether ``code`` could be a service's: an id, in digits a database column holds."""
    return code.isascii() and code.isdigit() and len(code) <= 9


def service(code: str) -> Category | None:
    """The service of ``code``, or None (no such category, retired, or a main category)."""
    if not is_service_code(code):
        return None
    return next((row for row in services() if row.pk == int(code)), None)


def service_row(category: Category, language: str) -> dict:
    main = category.parent or category
    if category.parent_id:
        description = _("เรื่องร้องเรียนประเภท%(main)s: %(name)s ศูนย์ดำรงธรรมกำหนดยุติเรื่องภายใน %(days)d วัน")
    else:
        description = _("เรื่องร้องเรียนประเภทอื่นที่ไม่อยู่ในรายการ (ระบุประเภทเรื่อง) ศูนย์ดำรงธรรมกำหนดยุติเรื่องภายใน %(days)d วัน")
    names = dict.fromkeys(n for n in (category.name_th, category.name_en, main.name_th, main.name_en) if n)
    return {
        "service_code": str(category.pk),
        "service_name": _name(category, language),
        "description": description
        % {"main": _name(main, language), "name": _name(category, language), "days": main.closure_days},
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(names),
        "group": _name(main, language),
    }


def attributes(category: Category) -> list[dict]:
    """The service definition's attributes: what a request may (or, for "other", must) add."""
    rows = [
        {
            "variable": True,
            "code": "subdistrict",
            "datatype": "string",
            "required": False,
            "datatype_description": _("รหัสตำบลของกรมการปกครอง 6 หลัก เช่น 700101"),
            "order": 1,
            "description": _(
                "ตำบลที่เกิดเหตุ ถ้าไม่ระบุ ระบบหาจากชื่อตำบลในที่อยู่ (address_string) หรือใช้ตำบลที่ตั้งที่ว่าการอำเภอ แล้วเจ้าหน้าที่ตรวจสอบ"
            ),
            "values": [],
        },
        {
            "variable": True,
            "code": "subject",
            "datatype": "string",
            "required": False,
            "datatype_description": _("ไม่เกิน 300 ตัวอักษร"),
            "order": 2,
            "description": _("เรื่องที่ร้องเรียนโดยย่อ ถ้าไม่ระบุ ใช้บรรทัดแรกของรายละเอียด"),
            "values": [],
        },
        {
            "variable": True,
            "code": "confidential",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 3,
            "description": _("ปกปิดชื่อและข้อมูลติดต่อของผู้ร้อง ให้เห็นเฉพาะผู้รับผิดชอบเรื่อง"),
            "values": [{"key": "true", "name": _("ปกปิด")}, {"key": "false", "name": _("ไม่ปกปิด")}],
        },
    ]
    if category.is_other:
        rows.append(
            {
                "variable": True,
                "code": "other_text",
                "datatype": "string",
                "required": True,
                "datatype_description": _("ไม่เกิน 200 ตัวอักษร"),
                "order": 4,
                "description": _("ประเภทของเรื่องที่ร้องเรียน"),
                "values": [],
            }
        )
    return rows


def definition(category: Category) -> dict:
    return {"service_code": str(category.pk), "attributes": attributes(category)}


# --- Requests -------------------------------------------------------------------------------


def _requests():
    return Complaint.objects.select_related(
        "district__province", "province", "main_category", "category", "incident_subdistrict__district__province"
    ).defer("search_vector", "closing_summary", "proposed_summary", "description")


def by_code(code: str) -> Complaint | None:
    """The case of a tracking code as typed (dashes, lower case and look-alikes forgiven)."""
    code = normalize_tracking_code(code)
    if len(code) != TRACKING_CODE_LENGTH:
        return None
    return _requests().filter(tracking_code=code).first()


def by_codes(codes: Iterable[str]) -> tuple[list[Complaint], int]:
    """The cases of the tracking codes ``codes`` (newest first), and how many codes found none."""
    wanted = {c for c in (normalize_tracking_code(code) for code in codes) if len(c) == TRACKING_CODE_LENGTH}
    found = list(_requests().filter(tracking_code__in=wanted).order_by("-recorded_at", "-id"))
    return found, len(wanted) - len(found)


@dataclass(frozen=True)
class Query:
    """GET requests' filters (checked by the view), for an app's own requests."""

    start: dt.datetime
    end: dt.datetime
    service_codes: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()  # "open", "closed"


def filed_by(client: Client, query: Query) -> list[Complaint]:
    """The cases ``client`` filed that ``query`` asks for, newest first, at most ``MAX_REQUESTS``."""
    rows = _requests().filter(
        pk__in=Submission.objects.filter(client=client).values("complaint_id"),
        recorded_at__gte=query.start,
        recorded_at__lte=query.end,
    )
    if query.service_codes:
        rows = rows.filter(
            Q(category_id__in=query.service_codes) | Q(category__isnull=True, main_category_id__in=query.service_codes)
        )
    if set(query.statuses) == {"open"}:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif set(query.statuses) == {"closed"}:
        rows = rows.exclude(status__in=OPEN_STATUSES)
    return list(rows.order_by("-recorded_at", "-id")[:MAX_REQUESTS])


def _when(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def status_notes(case: Complaint, language: str) -> str:
    """The status as the citizens' tracking page words it (a proposal waiting for its
    approval reads as the state it came from: whether the head approves is the officers')."""
    with translation.override(language):
        return public_wording.status_text(case)


def agency(case: Complaint, language: str) -> str:
    """The center that handles the case: the district's, or the province's once escalated."""
    with translation.override(language):
        return public_wording.handling_center(case)


def address(case: Complaint, language: str) -> str:
    """Where it happened, no closer than the sub-district."""
    subdistrict = case.incident_subdistrict
    district, province = subdistrict.district, subdistrict.district.province
    if language == "en":
        return f"{subdistrict.name_en}, {district.name_en}, {province.name_en}"
    if province.code == "10":
        return f"แขวง{subdistrict.name_th} {district.name_th} {province.name_th}"
    return f"ตำบล{subdistrict.name_th} {district.full_name_th}"


def tracking_url(case: Complaint) -> str:
    return settings.PUBLIC_SITE_URL.rstrip("/") + reverse("public:track_case", args=[case.tracking_code])


def public_request(case: Complaint, language: str) -> dict:
    """A case as GeoReport v2's request: public fields only."""
    service_category = case.category or case.main_category
    closed = not case.is_open
    return {
        "service_request_id": case.tracking_code,
        "status": "closed" if closed else "open",
        "status_notes": status_notes(case, language),
        "service_name": _name(service_category, language),
        "service_code": str(service_category.pk),
        "description": None,
        "agency_responsible": agency(case, language),
        "service_notice": _("ติดตามความคืบหน้าได้ที่ %(url)s") % {"url": tracking_url(case)},
        "requested_datetime": _when(case.recorded_at),
        "updated_datetime": _when(case.closed_at if closed and case.closed_at else case.updated_at),
        "expected_datetime": _when(_end_of(case.due_on)) if case.due_on and not closed else None,
        "address": address(case, language),
        "address_id": None,
        "zipcode": (case.incident_subdistrict.postal_codes.split() or [None])[0],
        "lat": None,
        "long": None,
        "media_url": None,
    }
