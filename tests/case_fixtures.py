"""Case fixtures: complaints in each state, made through the services, for the
people of ``tests/cast.py``."""

import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS

from cases.models import Category, Complaint, Forwarding, Status
from cases.services import ComplainantData, IntakeData, RespondentData, case_intake
from core.models import District, Subdistrict
from workflows import engine


@pytest.fixture
def land():
    return Category.objects.get(name_th="บุกรุกที่ดินสาธารณประโยชน์")


def intake_data(**overrides) -> IntakeData:
    sub = Category.objects.get(name_th="บุกรุกที่ดินสาธารณประโยชน์")
    values = dict(
        channel="walk_in",
        received_on=timezone.localdate(),
        main_category=sub.parent,
        category=sub,
        subject="บุกรุกที่สาธารณะริมคลองหนองหว้า",
        description="มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง ทำให้น้ำระบายไม่ได้",
        incident_subdistrict=Subdistrict.objects.get(code="700101"),
        complainants=[ComplainantData(title="นาง", first_name="สมใจ", last_name="ทองดี", phone="0812345678")],
        respondents=[RespondentData(kind="person", name="นายสมหมาย ใจร้าย")],
    )
    values.update(overrides)
    return IntakeData(**values)


@pytest.fixture
def new_case(alice):
    """A complaint Alice has just recorded through the intake service."""
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    return case


@pytest.fixture
def case_in(alice, team):
    """Make a case that is in ``status`` now, as if it had got there (for table tests)."""

    def make(status: str, *, escalated: bool = False) -> Complaint:
        case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
        fields = {"status": status, "is_escalated": escalated or status == Status.ESCALATED}
        if status in (Status.ASSIGNMENT_PENDING, Status.ASSIGNED, Status.INVESTIGATING, Status.RESOLUTION_PENDING):
            fields["team"] = team
        if status == Status.RESOLUTION_PENDING:
            fields.update(proposed_outcome="resolved", proposed_summary="ไกล่เกลี่ยแล้ว ผู้ถูกร้องรื้อถอนเพิงพัก")
        if status in (Status.CLOSED, Status.REJECTED):
            fields.update(
                closed_at=timezone.now() - dt.timedelta(days=1), outcome="resolved" if status == Status.CLOSED else ""
            )
        Complaint.objects.filter(pk=case.pk).update(**fields)
        _restart_workflow(case)
        if status == Status.FORWARDED:
            Forwarding.objects.create(
                complaint=case, agency="สำนักงานที่ดินจังหวัดราชบุรี", letter_number="รบ 0018/1",
                letter_date=timezone.localdate(), forwarded_by=alice,
            )  # fmt: skip
        return Complaint.objects.get(pk=case.pk)

    return make


def _restart_workflow(case: Complaint) -> None:
    """Give a case put straight into a state the workflow that state implies: the
    intake's process ends, a new one opens at the state's task (as for a case made
    before its workflow existed), or none for a closed case."""
    open_tasks = engine.open_tasks(case)
    Process.objects.filter(pk__in=open_tasks.values("process_id")).update(
        status=STATUS.CANCELED, finished=timezone.now()
    )
    open_tasks.update(status=STATUS.CANCELED, finished=timezone.now())
    case = Complaint.objects.get(pk=case.pk)
    if case.is_open:
        engine.start(case)


@pytest.fixture
def ban_pong():
    return District.objects.get(code="7005")
