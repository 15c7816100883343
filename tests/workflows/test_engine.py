"""The workflow engine: one process per case, one open task per open state,
stamped with the case's jurisdiction and due time; moved only by the case services."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS

from cases import services
from cases.models import Complaint, Status
from core.roles import Role
from tests.case_fixtures import intake_data
from tests.workflows.helpers import closed_case, end_of, fresh, open_tasks, the_open_task
from workflows import engine
from workflows.models import CaseTask
from workflows.process import task_for

pytestmark = pytest.mark.django_db


def processes(case):
    return Process.objects.filter(artifact_object_id=case.pk).order_by("pk")


def assert_task(case, name, queue, *, team=None, district="7001", province="70", owner=None) -> CaseTask:
    case = fresh(case)
    task = the_open_task(case)
    assert engine.node_name(task) == name
    assert (task.queue, task.district_id, task.province_id, task.team_id) == (
        queue, district, province, team.pk if team else None,
    )  # fmt: skip
    assert task.complaint_id == case.pk and task.owner_id == (owner.pk if owner else None)
    assert task.due_at is not None
    # The task is the one the state implies (escalated closure aside, the table's queue).
    kind = task_for(case.status)
    assert name == kind.name
    assert queue == kind.queue(case)
    assert engine.check_case(case) == []
    return task


def assert_done_by(task, actor):
    task = CaseTask.objects.get(pk=task.pk)
    assert task.status == STATUS.DONE and task.finished is not None
    assert task.owner_id == (actor.pk if actor else None)


# --- Intake -----------------------------------------------------------------------------


def test_intake_opens_a_process_with_one_triage_task(new_case):
    [process] = processes(new_case)
    assert process.finished is None and process.artifact == new_case
    task = assert_task(new_case, "triage", Role.DISTRICT_OFFICER)
    assert task.process_id == process.pk
    category = new_case.main_category
    assert task.due_at == end_of(new_case.received_on + dt.timedelta(days=category.first_reply_days))


def test_a_backdated_intake_is_due_from_the_day_it_was_received(alice):
    received = timezone.localdate() - dt.timedelta(days=10)
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(received_on=received))
    task = the_open_task(case)
    assert task.due_at == end_of(received + dt.timedelta(days=case.main_category.first_reply_days))
    assert timezone.localtime(task.due_at).time() == dt.time(23, 59, 59)


# --- The district path ------------------------------------------------------------------


def test_each_transition_closes_the_task_and_opens_the_next(new_case, alice, harry, tom, team):
    case = new_case
    triage = assert_task(case, "triage", Role.DISTRICT_OFFICER)

    services.case_propose_assignment(actor=alice, case=case, team=team)
    assert_done_by(triage, alice)
    approval = assert_task(case, "approve_assignment", Role.DISTRICT_HEAD)
    assert approval.due_at == approval.created + dt.timedelta(days=3)  # settings.SLA_APPROVAL_DAYS

    services.case_send_back_assignment(actor=harry, case=case, reason="ชุดนี้ไม่ว่าง")
    assert_done_by(approval, harry)
    triage = assert_task(case, "triage", Role.DISTRICT_OFFICER)

    services.case_propose_assignment(actor=alice, case=case, team=team)
    assert_done_by(triage, alice)
    approval = assert_task(case, "approve_assignment", Role.DISTRICT_HEAD)

    services.case_approve_assignment(actor=harry, case=case)
    assert_done_by(approval, harry)
    investigate = assert_task(case, "investigate", Role.TEAM_MEMBER, team=team)

    services.case_accept(actor=tom, case=case)
    assert_done_by(investigate, tom)
    investigate = assert_task(case, "investigate", Role.TEAM_MEMBER, team=team, owner=tom)
    progress_days = case.main_category.progress_days
    last = fresh(case).last_progress_at
    # The accept is the first progress; the clock starts at it or at the task's opening, the later.
    assert investigate.due_at == max(last, investigate.created) + dt.timedelta(days=progress_days)

    services.case_forward(
        actor=alice, case=case, agency="สำนักงานที่ดินจังหวัดราชบุรี", letter_number="รบ 0018/1",
        letter_date=timezone.localdate(),
    )  # fmt: skip
    assert_done_by(investigate, alice)
    waiting = assert_task(case, "await_agency", Role.DISTRICT_OFFICER)
    assert waiting.due_at == waiting.created + dt.timedelta(days=30)  # settings.SLA_AGENCY_REPLY_DAYS

    services.case_agency_replied(actor=alice, case=case, reply="เป็นที่สาธารณะจริง", replied_on=timezone.localdate())
    assert_done_by(waiting, alice)
    investigate = assert_task(case, "investigate", Role.TEAM_MEMBER, team=team)

    services.case_propose_resolution(actor=tom, case=case, outcome="resolved", summary="รื้อถอนแล้ว")
    assert_done_by(investigate, tom)
    closure = assert_task(case, "approve_closure", Role.DISTRICT_HEAD)

    services.case_send_back_resolution(actor=harry, case=case, reason="ขอภาพถ่ายเพิ่ม")
    assert_done_by(closure, harry)
    investigate = assert_task(case, "investigate", Role.TEAM_MEMBER, team=team)

    services.case_propose_resolution(actor=alice, case=case, outcome="resolved", summary="รื้อถอนแล้ว มีภาพถ่าย")
    closure = assert_task(case, "approve_closure", Role.DISTRICT_HEAD)

    services.case_approve_closure(actor=harry, case=case)
    assert_done_by(closure, harry)
    case = fresh(case)
    assert case.status == Status.CLOSED
    assert open_tasks(case) == []
    assert engine.current_process(case) is None
    [process] = processes(case)
    assert process.finished is not None and process.status == STATUS.DONE
    assert engine.check_case(case) == []


def test_report_progress_keeps_the_task_and_restarts_its_clock(new_case, alice, harry, tom, team):
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    services.case_approve_assignment(actor=harry, case=new_case)
    services.case_accept(actor=tom, case=new_case)
    task = the_open_task(new_case)
    # Make the clock visibly old, as if the last report were long ago.
    CaseTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(days=3))

    before = timezone.now()
    services.case_report_progress(actor=tom, case=new_case, text="ลงพื้นที่แล้ว นัดไกล่เกลี่ยสัปดาห์หน้า")
    after = timezone.now()

    same = the_open_task(new_case)
    assert same.pk == task.pk and same.status == STATUS.NEW
    days = dt.timedelta(days=new_case.main_category.progress_days)
    assert before + days <= same.due_at <= after + days
    assert same.due_at == fresh(new_case).last_progress_at + days
    assert engine.check_case(fresh(new_case)) == []


def test_escalation_goes_to_the_province_and_its_head_closes(new_case, harry, paula, pete):
    triage = the_open_task(new_case)
    services.case_escalate(actor=harry, case=new_case, reason="เกินอำนาจอำเภอ")
    assert_done_by(triage, harry)
    handling = assert_task(new_case, "handle_escalation", Role.PROVINCE_OFFICER)
    assert handling.due_at == handling.created + dt.timedelta(days=7)  # settings.SLA_ESCALATION_DAYS

    services.case_propose_resolution(actor=paula, case=new_case, outcome="partly_resolved", summary="ประสานแล้ว")
    assert_done_by(handling, paula)
    closure = assert_task(new_case, "approve_closure", Role.PROVINCE_HEAD, province="70")

    services.case_send_back_resolution(actor=pete, case=new_case, reason="ยังไม่ครบ")
    assert_done_by(closure, pete)
    assert_task(new_case, "handle_escalation", Role.PROVINCE_OFFICER)

    services.case_propose_resolution(actor=paula, case=new_case, outcome="partly_resolved", summary="ประสานครบแล้ว")
    closure = assert_task(new_case, "approve_closure", Role.PROVINCE_HEAD)
    services.case_approve_closure(actor=pete, case=new_case)
    assert_done_by(closure, pete)
    assert open_tasks(new_case) == [] and engine.current_process(new_case) is None


def test_return_to_district_reopens_triage(new_case, harry, paula):
    services.case_escalate(actor=harry, case=new_case, reason="เกินอำนาจอำเภอ")
    handling = the_open_task(new_case)
    services.case_return_to_district(actor=paula, case=new_case, instructions="ให้อำเภอไกล่เกลี่ยก่อน")
    assert_done_by(handling, paula)
    assert_task(new_case, "triage", Role.DISTRICT_OFFICER)


def test_rejecting_finishes_the_process(new_case, harry):
    triage = the_open_task(new_case)
    services.case_reject(actor=harry, case=new_case, reason="ไม่ใช่เรื่องร้องเรียน")
    assert_done_by(triage, harry)
    assert fresh(new_case).status == Status.REJECTED
    assert open_tasks(new_case) == []
    [process] = processes(new_case)
    assert process.finished is not None
    assert engine.check_case(fresh(new_case)) == []


def test_withdrawing_finishes_the_process(new_case, alice):
    services.case_withdraw(actor=alice, case=new_case, reason="ผู้ร้องขอถอน")
    assert open_tasks(new_case) == [] and engine.current_process(new_case) is None


def test_reopening_opens_a_new_process_with_a_triage_task(alice, harry, tom, team):
    case = closed_case(officer=alice, head=harry, team=team, member=tom)
    [old] = processes(case)

    services.case_reopen(actor=harry, case=case, reason="ผู้ถูกร้องกลับมาสร้างใหม่")

    old.refresh_from_db()
    assert old.finished is not None
    assert processes(case).count() == 2
    task = assert_task(case, "triage", Role.DISTRICT_OFFICER)
    assert task.process_id == processes(case).last().pk
    assert engine.current_process(case).pk == task.process_id
    # Then it moves on like any new case.
    services.case_propose_assignment(actor=alice, case=case, team=team)
    assert_task(case, "approve_assignment", Role.DISTRICT_HEAD)


def test_transfer_moves_the_triage_task_to_the_new_district(new_case, alice, harry, ban_pong, bob):
    triage = the_open_task(new_case)
    services.case_transfer(actor=harry, case=new_case, district=ban_pong, reason="เหตุเกิดในบ้านโป่ง")
    assert_done_by(triage, harry)
    moved = assert_task(new_case, "triage", Role.DISTRICT_OFFICER, district="7005")
    assert engine.may_take(bob, moved)
    assert not engine.may_take(alice, moved)


def test_the_automatic_escalation_finishes_the_task_without_an_owner(new_case):
    triage = the_open_task(new_case)
    later = new_case.due_on + dt.timedelta(days=30)
    services.case_escalate_overdue(case=new_case, today=later)
    assert_done_by(triage, None)
    assert_task(new_case, "handle_escalation", Role.PROVINCE_OFFICER)


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.ASSIGNMENT_PENDING, Status.ASSIGNED, Status.INVESTIGATING])
def test_withdraw_from_any_open_state_leaves_no_task(status, alice, harry, tom, team):
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    steps = [
        lambda: services.case_propose_assignment(actor=alice, case=case, team=team),
        lambda: services.case_approve_assignment(actor=harry, case=case),
        lambda: services.case_accept(actor=tom, case=case),
    ]
    order = [Status.RECEIVED, Status.ASSIGNMENT_PENDING, Status.ASSIGNED, Status.INVESTIGATING]
    for step in steps[: order.index(status)]:
        step()
    assert fresh(case).status == status
    services.case_withdraw(actor=alice, case=case, reason="ผู้ร้องขอถอน")
    assert open_tasks(case) == [] and engine.check_case(fresh(case)) == []


# --- Claiming, at the engine --------------------------------------------------------------


def test_a_claimed_task_finished_by_someone_else_belongs_to_who_finished_it(new_case, alice, amy, team):
    triage = the_open_task(new_case)
    engine.claim(triage, alice)
    services.case_propose_assignment(actor=amy, case=new_case, team=team)
    assert_done_by(triage, amy)


def test_claim_release_reassign_rules(new_case, alice, amy, bob, harry, tom):
    task = the_open_task(new_case)
    assert engine.may_take(alice, task) and engine.may_take(amy, task)
    assert not engine.may_take(bob, task) and not engine.may_take(harry, task) and not engine.may_take(tom, task)
    assert engine.may_reassign(harry, task) and not engine.may_reassign(alice, task)

    with pytest.raises(engine.WorkflowError) as refused:
        engine.claim(task, bob)
    assert refused.value.code == "forbidden"
    engine.claim(task, alice)
    engine.claim(task, alice)  # claiming one's own task again is fine
    with pytest.raises(engine.WorkflowError) as refused:
        engine.claim(task, amy)
    assert refused.value.code == "taken" and "รับงานนี้ไปแล้ว" in refused.value.message
    with pytest.raises(engine.WorkflowError) as refused:
        engine.release(task, amy)
    assert refused.value.code == "not_owner"
    with pytest.raises(engine.WorkflowError) as refused:
        engine.reassign(task, harry, bob)
    assert refused.value.code == "not_eligible"
    engine.reassign(task, harry, amy)
    assert CaseTask.objects.get(pk=task.pk).owner_id == amy.pk
    engine.release(task, amy)
    assert CaseTask.objects.get(pk=task.pk).owner_id is None


def test_a_finished_task_cannot_be_claimed(new_case, alice, team):
    task = the_open_task(new_case)
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    with pytest.raises(engine.WorkflowError) as refused:
        engine.claim(task, alice)
    assert refused.value.code == "closed"


# --- check_case and check_workflow ------------------------------------------------------------


@pytest.fixture
def cases_in_every_state(alice, harry, tom, team, paula, ban_pong):
    """One case in each state, each got there through the services."""

    def intake():
        case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
        return case

    made = {}
    made["received"] = intake()
    case = made["assignment_pending"] = intake()
    services.case_propose_assignment(actor=alice, case=case, team=team)
    case = made["assigned"] = intake()
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)
    case = made["investigating"] = intake()
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)
    services.case_accept(actor=tom, case=case)
    services.case_report_progress(actor=tom, case=case, text="คืบหน้า")
    case = made["resolution_pending"] = intake()
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)
    services.case_accept(actor=tom, case=case)
    services.case_propose_resolution(actor=tom, case=case, outcome="resolved", summary="จบ")
    case = made["forwarded"] = intake()
    services.case_forward(actor=alice, case=case, agency="อบต.", letter_number="1", letter_date=timezone.localdate())
    case = made["escalated"] = intake()
    services.case_escalate(actor=harry, case=case, reason="เกินอำนาจ")
    case = made["resolution_pending_escalated"] = intake()
    services.case_escalate(actor=harry, case=case, reason="เกินอำนาจ")
    services.case_propose_resolution(actor=paula, case=case, outcome="resolved", summary="จบ")
    made["closed"] = closed_case(officer=alice, head=harry, team=team, member=tom)
    case = made["rejected"] = intake()
    services.case_reject(actor=harry, case=case, reason="ไม่รับ")
    case = made["reopened"] = closed_case(officer=alice, head=harry, team=team, member=tom)
    services.case_reopen(actor=harry, case=case, reason="เปิดใหม่")
    case = made["transferred"] = intake()
    services.case_transfer(actor=harry, case=case, district=ban_pong, reason="โอน")
    return {name: fresh(case) for name, case in made.items()}


def test_check_case_is_empty_for_every_state_reached_through_services(cases_in_every_state):
    statuses = {case.status for case in cases_in_every_state.values()}
    assert statuses == set(Status.values)
    for name, case in cases_in_every_state.items():
        assert engine.check_case(case) == [], name


def run_check(*args) -> str:
    out = StringIO()
    call_command("check_workflow", *args, stdout=out)
    return out.getvalue()


def test_check_workflow_passes_on_data_made_through_services(cases_in_every_state):
    output = run_check()
    assert f"checked {len(cases_in_every_state)} cases: 0 problem(s)" in output
    assert "checked 1 cases" in run_check("--district", "7005")
    assert "0 problem(s)" in run_check("--batch", "2")


def test_check_workflow_names_a_case_that_lost_its_open_task(cases_in_every_state):
    case = cases_in_every_state["investigating"]
    the_open_task(case).delete()
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("check_workflow", stdout=out)
    assert "1 case(s)" in str(failed.value)
    assert case.number in out.getvalue() and "0 open tasks" in out.getvalue()
    assert engine.check_case(case) != []


def test_check_workflow_names_a_case_with_a_second_open_task(cases_in_every_state):
    case = cases_in_every_state["received"]
    extra = the_open_task(case)
    extra.pk = extra.id = None
    extra.save()
    assert len(open_tasks(case)) == 2
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_workflow", stdout=out)
    assert f"{case.number}: received has 2 open tasks" in out.getvalue()
    # The other cases are fine.
    assert out.getvalue().count(" open tasks, expected") == 1


def test_check_case_names_the_wrong_queue_and_team(cases_in_every_state, other_team):
    investigating = cases_in_every_state["investigating"]
    CaseTask.objects.filter(pk=the_open_task(investigating).pk).update(team=other_team)
    assert "for team" in engine.check_case(investigating)[0]
    escalated = cases_in_every_state["resolution_pending_escalated"]
    CaseTask.objects.filter(pk=the_open_task(escalated).pk).update(queue=Role.DISTRICT_HEAD)
    assert "expected province_head" in engine.check_case(escalated)[0]
    closed = cases_in_every_state["closed"]
    assert engine.check_case(closed) == []
    Complaint.objects.filter(pk=closed.pk).update(status=Status.INVESTIGATING)
    assert "0 open tasks" in engine.check_case(fresh(closed))[0]


def test_back_from_the_agency_without_a_team_the_officers_carry_on(new_case, alice, amy, tom, team):
    """Forwarded straight from intake, the case comes back investigating with no
    team: its investigation must sit in a queue someone sees (it used to sit in
    the team members' queue with no team, in nobody's inbox)."""
    services.case_forward(
        actor=alice, case=new_case, agency="สำนักงานที่ดินจังหวัดราชบุรี", letter_number="รบ 0018/2",
        letter_date=timezone.localdate(),
    )  # fmt: skip
    services.case_agency_replied(actor=alice, case=new_case, reply="ให้อำเภอดำเนินการต่อ", replied_on=timezone.localdate())
    case = fresh(new_case)
    assert case.status == Status.INVESTIGATING and case.team_id is None
    task = assert_task(case, "investigate", Role.DISTRICT_OFFICER)
    assert engine.may_take(alice, task) and engine.may_take(amy, task) and not engine.may_take(tom, task)
    from workflows.selectors import queue_tasks

    assert list(queue_tasks(alice)) == [task]

    CaseTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    services.case_report_progress(actor=alice, case=case, text="ประสานผู้ร้องแล้ว")
    assert the_open_task(case).due_at > timezone.now() + dt.timedelta(days=case.main_category.progress_days - 1)

    services.case_propose_resolution(actor=alice, case=case, outcome="resolved", summary="ได้ข้อยุติ")
    assert_task(case, "approve_closure", Role.DISTRICT_HEAD)


# --- Accepting is taking the task ---------------------------------------------------------------


@pytest.fixture
def assigned(new_case, alice, harry, team):
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    services.case_approve_assignment(actor=harry, case=new_case)
    return fresh(new_case)


def test_accepting_puts_the_investigation_in_the_members_own_tasks(assigned, tom):
    from workflows import selectors

    assert [task.complaint_id for task in selectors.queue_tasks(tom)] == [assigned.pk]

    services.case_accept(actor=tom, case=assigned)

    task = the_open_task(assigned)
    assert engine.node_name(task) == "investigate" and task.owner_id == tom.pk and task.assigned is not None
    assert list(selectors.my_tasks(tom)) == [task]
    assert list(selectors.queue_tasks(tom)) == []
    assert selectors.inbox_counts(tom) == {"mine": 1, "queue": 0}
    # The history says he took it, as a claim would.
    assert CaseTask.history.filter(id=task.pk, history_change_reason="claim", history_user=tom).exists()


def test_a_member_of_another_team_accepting_nothing_takes_nothing(assigned, nora, tom):
    # Nora is on another team: accepting is not hers, and nothing moves to her.
    with pytest.raises(services.ActionRefused):
        services.case_accept(actor=nora, case=assigned)
    assert the_open_task(assigned).owner_id is None


def test_other_steps_do_not_keep_the_next_task_with_the_actor(new_case, alice, team):
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    assert the_open_task(new_case).owner_id is None  # the head's approval waits in the head's queue


def test_the_assigned_case_offers_one_button_to_take_it(signed_in, assigned, tom):
    # given: Tom's queue and the case page, before he accepts
    client = signed_in(tom)
    queue = client.get("/inbox/queue/").content.decode()
    case_page = client.get(assigned.get_absolute_url()).content.decode()
    task = the_open_task(assigned)
    # then: both offer "accept the case" and no separate claim of its task
    assert engine.opening_action(tom, task).name == "accept"
    assert "รับเรื่องไปดำเนินการ" in queue and ">รับงาน<" not in queue
    assert f"/tasks/{task.pk}/claim/" not in queue and f"/tasks/{task.pk}/claim/" not in case_page
    assert f"/cases/{assigned.pk}/actions/accept/" in case_page

    # when: he presses the queue's button
    response = client.post(f"/cases/{assigned.pk}/actions/accept/", {"expected_status": "assigned"})

    # then: the case is his, in "my tasks"
    assert response.status_code == 302
    mine = client.get("/inbox/").content.decode()
    assert f'data-case="{assigned.number}"' in mine
    assert "ยังไม่มีงานที่คุณรับไว้" not in mine


def test_a_released_investigation_is_claimed_as_before(assigned, tom):
    services.case_accept(actor=tom, case=assigned)
    task = the_open_task(assigned)
    engine.release(task, tom)
    # Investigating, taking the task is no action of the case: the claim is the button.
    task = CaseTask.objects.select_related("complaint").get(pk=task.pk)
    assert engine.opening_action(tom, task) is None


# --- Due times count from when the work came, not from the day the case was received ----------


def long_ago(case, *, days: int = 40) -> None:
    """As if the case had been received ``days`` ago and last reported on then."""
    past = timezone.now() - dt.timedelta(days=days)
    Complaint.objects.filter(pk=case.pk).update(received_on=past.date(), last_progress_at=past)


def test_a_case_the_province_returns_does_not_start_overdue(new_case, harry, paula):
    # given: a case received long ago, escalated, handled by the province
    services.case_escalate(actor=harry, case=new_case, reason="เกินอำนาจอำเภอ")
    long_ago(new_case)
    # when: the province returns it
    before = timezone.now()
    services.case_return_to_district(actor=paula, case=new_case, instructions="ให้อำเภอไกล่เกลี่ยก่อน")
    # then: the district's new task is due as many days from the return as a new case's
    task = the_open_task(new_case)
    days = dt.timedelta(days=new_case.main_category.first_reply_days)
    assert engine.node_name(task) == "triage" and not task.is_overdue
    assert task.due_at == end_of(timezone.localtime(before).date() + days)


def test_a_transferred_or_reopened_case_gets_a_fresh_first_reply_clock(alice, harry, tom, team, ban_pong):
    transferred, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    long_ago(transferred)
    services.case_transfer(actor=harry, case=transferred, district=ban_pong, reason="เหตุเกิดในบ้านโป่ง")
    assert not the_open_task(transferred).is_overdue

    reopened = closed_case(officer=alice, head=harry, team=team, member=tom)
    long_ago(reopened)
    services.case_reopen(actor=harry, case=reopened, reason="ผู้ถูกร้องกลับมาสร้างใหม่")
    assert not the_open_task(reopened).is_overdue


def test_sent_back_by_the_head_the_first_reply_clock_keeps_running(alice, harry, team):
    # The district's own round trip: the complainant has waited since the receipt.
    received = timezone.localdate() - dt.timedelta(days=2)
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(received_on=received))
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_send_back_assignment(actor=harry, case=case, reason="ชุดนี้ไม่ว่าง")
    assert the_open_task(case).due_at == end_of(received + dt.timedelta(days=case.main_category.first_reply_days))


def test_an_investigation_reopened_after_a_while_does_not_start_overdue(assigned, tom, harry):
    # given: the team's last report was long ago, then it proposed to close
    services.case_accept(actor=tom, case=assigned)
    services.case_propose_resolution(actor=tom, case=assigned, outcome="resolved", summary="ไกล่เกลี่ยแล้ว")
    long_ago(assigned)
    # when: the head sends it back
    services.case_send_back_resolution(actor=harry, case=assigned, reason="ขอภาพถ่ายเพิ่ม")
    # then: the progress clock starts from the send-back
    task = the_open_task(assigned)
    assert not task.is_overdue
    assert task.due_at == task.created + dt.timedelta(days=assigned.main_category.progress_days)
