"""The workflow invariant under random use: whatever allowed actions people take,
in whatever order, an open case has exactly the one open task its state implies,
in the right queue, and a closed or rejected case has none.

Each example takes a fresh case through intake, then lets hypothesis pick, step
after step, one (person, action) among those the case page would offer someone
in a fixed cast, and performs it through the case service.
"""

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from viewflow.workflow.models import Process

from cases import services
from cases.actions import available
from cases.models import Complaint, Status
from core.models import District
from tests.case_fixtures import intake_data
from workflows import engine
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db

MAX_STEPS = 12
OUTCOMES = ["resolved", "partly_resolved", "not_resolvable", "outside_authority"]


@pytest.fixture
def world(alice, harry, tom, team, paula, pete, bob, hank, tina, ban_pong_team):
    """The cast (made once per test; every example shares it) and each district's team."""
    # Transfer moves a case to Ban Pong (7005) and back: its officer, head and
    # team member are in the cast, so that a transferred case can go on moving.
    cast = {"alice": alice, "harry": harry, "tom": tom, "paula": paula, "pete": pete,
            "bob": bob, "hank": hank, "tina": tina}  # fmt: skip
    districts = {"7001": District.objects.get(code="7001"), "7005": District.objects.get(code="7005")}
    return {"cast": cast, "teams": {"7001": team, "7005": ban_pong_team}, "districts": districts}


def arguments(action: str, case: Complaint, world, data) -> dict:
    today = timezone.localdate()
    if action == "propose_assignment":
        return {"team": world["teams"][case.district_id]}
    if action == "report_progress":
        return {"text": "ลงพื้นที่ตรวจสอบแล้ว"}
    if action == "propose_resolution":
        return {"outcome": data.draw(st.sampled_from(OUTCOMES), label="outcome"), "summary": "สรุปผลการไกล่เกลี่ย"}
    if action == "approve_closure":
        return {}  # the proposed outcome and summary
    if action == "forward":
        return {"agency": "สำนักงานที่ดินจังหวัดราชบุรี", "letter_number": "รบ 0018/77", "letter_date": today}
    if action == "agency_replied":
        return {"reply": "ตรวจสอบแล้วเป็นที่สาธารณประโยชน์", "replied_on": today}
    if action == "transfer":
        other = "7005" if case.district_id == "7001" else "7001"
        return {"district": world["districts"][other], "reason": "เหตุเกิดในอีกอำเภอ"}
    if action == "return_to_district":
        return {"instructions": "ให้อำเภอไกล่เกลี่ยก่อน"}
    if action in ("send_back_assignment", "send_back_resolution", "escalate", "reject", "withdraw", "reopen"):
        return {"reason": "เหตุผลประกอบการทำรายการ"}
    return {}


def assert_invariant(case: Complaint, world, trail: list) -> None:
    assert engine.check_case(case) == [], trail
    # At most one live process per case.
    live = Process.objects.filter(artifact_object_id=case.pk, finished__isnull=True).count()
    assert live == (1 if case.is_open else 0), trail
    if not case.is_open:
        return
    task = CaseTask.objects.get(complaint=case, status="NEW")
    assert (task.district_id, task.province_id) == (case.district_id, case.province_id), trail
    assert task.due_at is not None, trail
    # Unclaimed, or with the one who took it by acting (accepting keeps the investigation).
    assert task.owner_id is None or engine.may_take(task.owner, task), trail
    # Someone in the cast holds the queue, and whoever holds it has something to do.
    holders = [name for name, person in world["cast"].items() if engine.may_take(person, task)]
    assert holders, (trail, engine.node_name(task), task.queue)
    for name in holders:
        assert available(world["cast"][name], case), (trail, name, engine.node_name(task))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
@given(data=st.data())
def test_every_allowed_sequence_keeps_one_right_task(world, data):
    alice = world["cast"]["alice"]
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    trail = ["intake"]
    assert_invariant(case, world, trail)
    steps = data.draw(st.integers(min_value=1, max_value=MAX_STEPS), label="steps")
    for _ in range(steps):
        case = Complaint.objects.select_related("district").get(pk=case.pk)
        choices = sorted(
            (name, action.name) for name, person in world["cast"].items() for action in available(person, case)
        )
        if not choices:
            assert case.status == Status.REJECTED, trail
            break
        name, action = data.draw(st.sampled_from(choices), label="move")
        event(f"{action} from {case.status}")
        kwargs = arguments(action, case, world, data)
        trail.append(f"{name}:{action}@{case.status}")
        service = getattr(services, f"case_{action}")
        service(actor=world["cast"][name], case=case, expected_status=case.status, **kwargs)
        case = Complaint.objects.get(pk=case.pk)
        assert_invariant(case, world, trail)
