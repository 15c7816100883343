"""DESIGN.md's transition table, walked row by row.

For every action and every state, each person either may act (right role,
right jurisdiction, right state) and the case moves, or is refused with a
message and nothing changes.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.actions import ACTIONS as REGISTRY
from cases.models import CaseEvent, Complaint, Status

OPEN = [s for s in Status.values if s not in (Status.CLOSED, Status.REJECTED)]

# (action, from states, who may, to state)
TABLE = [
    ("propose_assignment", [Status.RECEIVED], {"alice"}, Status.ASSIGNMENT_PENDING),
    ("approve_assignment", [Status.ASSIGNMENT_PENDING], {"harry"}, Status.ASSIGNED),
    ("send_back_assignment", [Status.ASSIGNMENT_PENDING], {"harry"}, Status.RECEIVED),
    ("accept", [Status.ASSIGNED], {"tom"}, Status.INVESTIGATING),
    ("report_progress", [Status.INVESTIGATING], {"tom", "alice"}, Status.INVESTIGATING),
    ("propose_resolution", [Status.INVESTIGATING], {"tom", "alice"}, Status.RESOLUTION_PENDING),
    ("propose_resolution", ["escalated"], {"paula"}, Status.RESOLUTION_PENDING),
    ("approve_closure", [Status.RESOLUTION_PENDING], {"harry"}, Status.CLOSED),
    ("approve_closure", ["resolution_pending+escalated"], {"pete"}, Status.CLOSED),
    ("send_back_resolution", [Status.RESOLUTION_PENDING], {"harry"}, Status.INVESTIGATING),
    ("send_back_resolution", ["resolution_pending+escalated"], {"pete"}, Status.ESCALATED),
    ("forward", [Status.RECEIVED, Status.INVESTIGATING], {"alice"}, Status.FORWARDED),
    ("agency_replied", [Status.FORWARDED], {"alice"}, Status.INVESTIGATING),
    (
        "escalate",
        [Status.RECEIVED, Status.ASSIGNED, Status.INVESTIGATING, Status.FORWARDED],
        {"harry"},
        Status.ESCALATED,
    ),
    ("return_to_district", [Status.ESCALATED], {"paula"}, Status.RECEIVED),
    ("transfer", [Status.RECEIVED], {"harry"}, Status.RECEIVED),
    ("reject", [Status.RECEIVED], {"harry"}, Status.REJECTED),
    ("withdraw", OPEN, {"alice"}, Status.CLOSED),
    ("reopen", [Status.CLOSED], {"harry"}, Status.RECEIVED),
    # Into another case of the district (repeats.services.merge checks first that it is the same grievance).
    ("merge", [s for s in OPEN if s != Status.ESCALATED], {"harry"}, Status.CLOSED),
    ("merge", [Status.ESCALATED, "resolution_pending+escalated"], {"pete"}, Status.CLOSED),
]

PEOPLE = ["alice", "harry", "tom", "bob", "paula", "pete", "carol", "audrey", "ada"]
STATES = [*Status.values, "resolution_pending+escalated"]


def arguments(action, request):
    today = timezone.localdate()
    return {
        "propose_assignment": {"team": request.getfixturevalue("team")},
        "send_back_assignment": {"reason": "ชุดนี้ติดภารกิจ"},
        "report_progress": {"text": "ลงพื้นที่ตรวจสอบแล้ว"},
        "propose_resolution": {"outcome": "resolved", "summary": "ไกล่เกลี่ยสำเร็จ"},
        "approve_closure": {},
        "send_back_resolution": {"reason": "ขอข้อมูลเพิ่ม"},
        "forward": {"agency": "สำนักงานที่ดินจังหวัดราชบุรี", "letter_number": "รบ 0018/9", "letter_date": today},
        "agency_replied": {"reply": "ตรวจสอบแล้วเป็นที่สาธารณะ", "replied_on": today},
        "escalate": {"reason": "เกินอำนาจอำเภอ"},
        "return_to_district": {"instructions": "ให้อำเภอเชิญคู่กรณีไกล่เกลี่ย"},
        "transfer": {"district": request.getfixturevalue("ban_pong"), "reason": "เหตุเกิดในเขตบ้านโป่ง"},
        "reject": {"reason": "ไม่ใช่เรื่องร้องเรียน"},
        "withdraw": {"reason": "ผู้ร้องแจ้งถอนเรื่องเป็นหนังสือ"},
        "reopen": {"reason": "ผู้ร้องแจ้งว่ายังมีการบุกรุกซ้ำ"},
        "merge": {"into": request.getfixturevalue("new_case")},
    }.get(action, {})


def make_case(case_in, state):
    if state == "resolution_pending+escalated":
        return case_in(Status.RESOLUTION_PENDING, escalated=True)
    return case_in(state)


class Rollback(Exception):
    pass


def expectation(action, state):
    """Who may take ``action`` from ``state`` according to TABLE, and where it leads."""
    rows = [row for row in TABLE if row[0] == action]
    for _action, sources, allowed, target in rows:
        if state in sources:
            return allowed, target
    if state == "resolution_pending+escalated":
        # An escalated case awaiting closure is still resolution_pending for
        # every action that has no row of its own for the escalated variant.
        return expectation(action, Status.RESOLUTION_PENDING)
    return set(), None


TABLE_ACTIONS = list(dict.fromkeys(row[0] for row in TABLE))


@pytest.mark.django_db
@pytest.mark.parametrize("action", TABLE_ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_transition_table(request, case_in, action, state):
    people = {name: request.getfixturevalue(name) for name in PEOPLE}
    case = make_case(case_in, state)
    service = REGISTRY[action].run
    allowed, target = expectation(action, state)
    given = arguments(action, request)  # made once, before the savepoints each person's try rolls back
    for name, person in people.items():
        expected = name in allowed
        before = Complaint.objects.get(pk=case.pk)
        status_before = before.status  # the service moves ``before`` itself; the rollback does not
        try:
            with transaction.atomic():
                try:
                    service(actor=person, case=before, **given)
                except services.ActionRefused as refused:
                    assert not expected, f"{name} was refused {action} from {state}: {refused.message}"
                    assert refused.message
                    assert refused.code in ("wrong_state", "forbidden", "window")
                    assert not CaseEvent.objects.filter(complaint=case, action=action).exists()
                else:
                    assert expected, f"{name} may not {action} from {state}, but did"
                    after = Complaint.objects.get(pk=case.pk)
                    assert after.status == target
                    event = CaseEvent.objects.filter(complaint=case, action=action).get()
                    assert event.actor == person
                    assert after.history.first().history_change_reason == action
                raise Rollback
        except Rollback:
            pass
        assert Complaint.objects.get(pk=case.pk).status == status_before  # rolled back


def test_table_covers_every_transition_of_the_model():
    declared = {t.name for t in Complaint._meta.get_field("status").get_all_transitions(Complaint)}
    assert declared == {row[0] for row in TABLE} == set(REGISTRY)
