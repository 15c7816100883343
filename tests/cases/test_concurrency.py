"""Two people at once, on real PostgreSQL: row locks, not luck, decide."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cases import services
from cases.models import CaseEvent, Complaint, RunningNumber, Status
from tests.cases.conftest import intake_data
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs on it"),
]


def in_thread(work):
    """Run ``work`` on its own database connection, as a second web worker would."""

    def run(*args):
        try:
            return work(*args)
        finally:
            connections.close_all()

    return run


def test_two_heads_act_on_the_same_case_and_exactly_one_wins(case_in, harry):
    # given a case waiting for the head's decision, and a deputy who may decide too
    deputy = UserFactory(first_name="รองนายอำเภอ", roles=["district_head"], district="7001")
    case = case_in(Status.ASSIGNMENT_PENDING)
    start = threading.Barrier(2)

    def approve(actor):
        start.wait()
        try:
            # Each request reads its own instance of the case, as two browsers would:
            # the service moves the instance it is given.
            mine = Complaint.objects.get(pk=case.pk)
            services.case_approve_assignment(actor=actor, case=mine, expected_status=Status.ASSIGNMENT_PENDING)
            return "ok"
        except services.ActionRefused as refused:
            return refused

    def send_back(actor):
        start.wait()
        try:
            mine = Complaint.objects.get(pk=case.pk)
            services.case_send_back_assignment(
                actor=actor, case=mine, reason="ขอเปลี่ยนชุด", expected_status=Status.ASSIGNMENT_PENDING
            )
            return "ok"
        except services.ActionRefused as refused:
            return refused

    # when both press their button at the same moment
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [pool.submit(in_thread(approve), harry), pool.submit(in_thread(send_back), deputy)]
        outcomes = [future.result(timeout=600) for future in results]

    # then one succeeded and the other was told, in Thai, that the case had changed
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    refused = next(o for o in outcomes if o != "ok")
    assert isinstance(refused, services.CaseChanged)
    assert "มีผู้ดำเนินการไปก่อนแล้ว" in refused.message
    events = CaseEvent.objects.filter(complaint=case, action__in=["approve_assignment", "send_back_assignment"])
    assert events.count() == 1
    final = Complaint.objects.get(pk=case.pk)
    assert final.status == (Status.ASSIGNED if events.get().action == "approve_assignment" else Status.RECEIVED)


def test_two_hundred_concurrent_intakes_get_consecutive_numbers(alice):
    data = intake_data()
    district = alice.district

    def record(_):
        case, created = services.case_intake(actor=alice, district=district, data=intake_data())
        assert created
        return case.running_number

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(in_thread(record), range(200)))

    assert sorted(numbers) == list(range(1, 201))
    assert Complaint.objects.filter(district=district).count() == 200
    assert RunningNumber.objects.get(district=district, fiscal_year=Complaint.objects.first().fiscal_year).last == 200
    assert data.subject  # the same story, 200 times


def test_a_double_submit_at_the_same_moment_makes_one_case(alice):
    import uuid

    key = uuid.uuid4()
    start = threading.Barrier(2)

    def submit(_):
        start.wait()
        case, created = services.case_intake(
            actor=alice, district=alice.district, data=intake_data(), submission_key=key
        )
        return case.pk, created

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(in_thread(submit), range(2)))

    assert len({pk for pk, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]
    assert Complaint.objects.count() == 1
    # the loser's running number was given back: the next case is number 2
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    assert case.running_number == 2
