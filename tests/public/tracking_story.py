"""The story the tracking tests tell: นางสมใจ ทองดี complains at Mueang Ratchaburi's
center (Alice records it), the head (Harry) sends it to Tom's team, Tom investigates,
reports, proposes the resolution, and Harry closes it. Each step through the services,
as officers take it."""

from __future__ import annotations

import uuid

import pytest

from cases import services
from cases.models import Complaint
from cases.services import ComplainantData, RespondentData
from citizens.tracking import limits
from core.thai import make_national_id
from tests.case_fixtures import intake_data

COMPLAINANT = ComplainantData(
    title="นาง", first_name="สมใจ", last_name="ทองดี", national_id=make_national_id("310010061234"), phone="0812345678",
    email="somjai@example.com", address="12 หมู่ 3 ตำบลหน้าเมือง",
)  # fmt: skip
RESPONDENT = RespondentData(kind="person", name="นายสมหมาย ใจร้าย", phone="0899999999", address="ริมคลองหนองหว้า")
SUBJECT = "บุกรุกที่สาธารณะริมคลองหนองหว้า"
DESCRIPTION = "นายสมหมายปลูกเพิงพักรุกล้ำที่สาธารณประโยชน์ ทำให้น้ำระบายไม่ได้"
PROGRESS_NOTE = "ลงพื้นที่พบเพิงพักจริง นัดไกล่เกลี่ยบ้านเลขที่ 45"
SUMMARY = "ไกล่เกลี่ยแล้ว ผู้ถูกร้องยอมรื้อถอนเพิงพักภายใน 7 วัน"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A cache of this test's own, so that one test's wrong codes are not the next one's."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"tracking-{uuid.uuid4()}"}
    }


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Every wrong code of a test falls in one minute's window (a test running across
    the turn of a minute would otherwise start counting again half-way)."""
    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_030.0)


def record(alice, **overrides) -> Complaint:
    data = intake_data(
        subject=SUBJECT, description=DESCRIPTION, complainants=[COMPLAINANT], respondents=[RESPONDENT], **overrides
    )
    case, _ = services.case_intake(actor=alice, district=alice.district, data=data)
    return case


def investigate(case, *, alice, harry, tom, team) -> Complaint:
    services.case_propose_assignment(actor=alice, case=case, team=team, note="ส่งชุดหน้าเมือง")
    services.case_approve_assignment(actor=harry, case=case, note="อนุมัติ เร่งด่วน")
    services.case_accept(actor=tom, case=case, note="รับทราบ")
    services.case_report_progress(actor=tom, case=case, text=PROGRESS_NOTE)
    return case


def close(case, *, harry, tom, outcome="resolved") -> Complaint:
    services.case_propose_resolution(actor=tom, case=case, outcome=outcome, summary=SUMMARY)
    services.case_approve_closure(actor=harry, case=case)
    return case


def closed_case(alice, harry, tom, team) -> Complaint:
    case = record(alice)
    investigate(case, alice=alice, harry=harry, tom=tom, team=team)
    return close(case, harry=harry, tom=tom)


def track_url(case) -> str:
    return f"/follow/{case.tracking_code}/"
