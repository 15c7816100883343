"""The district head's dashboard: figures over the cases he may see, "overdue" as the
inbox shows it, and the resolution rate with its terms."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Complaint
from cases.services import RespondentData
from tests.case_fixtures import intake_data
from tests.factories import UserFactory
from tests.workflows.helpers import closed_case, the_open_task
from workflows import selectors
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workflows:dashboard")


def intake(officer, **overrides) -> Complaint:
    case, _ = services.case_intake(actor=officer, district=officer.district, data=intake_data(**overrides))
    return case


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def figure(content: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">([^<]*)<', content)
    assert found, testid
    return found.group(1).strip()


def make_late(case) -> CaseTask:
    task = the_open_task(case)
    CaseTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    return task


def overdue_marks(content: str) -> set[str]:
    """The case numbers an inbox page marks overdue."""
    rows = content.split('<tr data-testid="task-row"')[1:]
    return {
        re.match(r' data-case="([^"]+)"', row).group(1)
        for row in rows
        if 'data-testid="overdue"' in row.split("</tr>")[0]
    }


# --- The page ---------------------------------------------------------------------------------


def test_the_heads_dashboard(signed_in, alice, harry, tom, team, other_team, nora):
    for outcome in ("resolved", "resolved", "not_resolvable"):
        closed_case(officer=alice, head=harry, team=team, member=tom, outcome=outcome)
    pending = [intake(alice), intake(alice)]
    for case in pending:
        services.case_propose_assignment(actor=alice, case=case, team=team)
    investigating = intake(alice)
    services.case_propose_assignment(actor=alice, case=investigating, team=other_team)
    services.case_approve_assignment(actor=harry, case=investigating)
    late = intake(alice)
    make_late(late)

    content = page_of(signed_in(harry), DASHBOARD)

    assert figure(content, "approvals-count") == "2"
    for case in pending:
        assert case.number in content
    assert figure(content, "overdue-count") == "1"
    assert late.number in content
    assert figure(content, "resolution-rate") == "66.7%"
    per_team = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"text-end\">(\d+)</td></tr>", content))
    assert per_team == {team.name: "2", other_team.name: "1"}


def test_the_approvals_count_says_how_many_wait_and_the_list_shows_the_longest_waiting(signed_in, alice, harry, team):
    """The count is of every approval waiting (it was the length of the list shown, so 137
    waiting read "50"); the list shows the DASHBOARD_SHOWN that waited longest and leads to
    the queue, which lists them all."""
    waiting = [intake(alice) for _ in range(selectors.DASHBOARD_SHOWN + 3)]
    for case in waiting:
        services.case_propose_assignment(actor=alice, case=case, team=team)

    content = page_of(signed_in(harry), DASHBOARD)

    assert figure(content, "approvals-count") == str(len(waiting))
    listed = content.split('id="approvals-heading"')[1].split("</ul>")[0]
    assert [case.number for case in waiting if case.number in listed] == [
        case.number for case in waiting[: selectors.DASHBOARD_SHOWN]
    ]
    more = content.split('data-testid="approvals-more"')[0].rsplit("<a ", 1)[1]
    assert f'href="{reverse("workflows:queue")}"' in more


def test_the_dashboard_is_for_district_heads(signed_in, alice, paula, pete, hank):
    assert signed_in(alice).get(DASHBOARD).status_code == 403
    assert signed_in(paula).get(DASHBOARD).status_code == 403
    assert signed_in(pete).get(DASHBOARD).status_code == 403
    content = page_of(signed_in(hank), DASHBOARD)  # another district: nothing of 7001's
    assert figure(content, "approvals-count") == "0"
    assert figure(content, "resolution-rate") == "—"


# --- The resolution rate: resolved ÷ closed, withdrawn excluded, both terms shown ------------------


def test_withdrawn_cases_do_not_count_against_the_rate(signed_in, alice, harry, tom, team):
    # given: this month, 2 resolved, 1 not resolvable, and 2 the complainants withdrew
    for outcome in ("resolved", "resolved", "not_resolvable"):
        closed_case(officer=alice, head=harry, team=team, member=tom, outcome=outcome)
    for _ in range(2):
        services.case_withdraw(actor=alice, case=intake(alice), reason="ผู้ร้องขอถอน")

    board = selectors.district_dashboard(harry)
    content = page_of(signed_in(harry), DASHBOARD)

    # then: 2 ÷ 3, not 2 ÷ 5, and the page says so
    assert (board.rate.resolved, board.rate.closed, board.rate.withdrawn) == (2, 3, 2)
    assert round(board.rate.percent, 1) == 66.7
    assert figure(content, "resolution-rate") == "66.7%"
    assert figure(content, "rate-terms") == "แก้ไขปัญหาได้ 2 ÷ ยุติเรื่อง 3"
    assert figure(content, "closed-count") == "3"
    assert figure(content, "withdrawn-count") == "ไม่นับเรื่องที่ผู้ร้องถอน 2 เรื่อง"
    assert "ไม่นับเรื่องที่ผู้ร้องถอนและเรื่องที่รวมกับเรื่องอื่น (เป้าหมายร้อยละ 80)" in content


def test_last_months_closures_do_not_count(alice, harry, tom, team):
    case = closed_case(officer=alice, head=harry, team=team, member=tom)
    month_start = timezone.localdate().replace(day=1)
    Complaint.objects.filter(pk=case.pk).update(
        closed_at=dt.datetime.combine(month_start, dt.time.min, tzinfo=timezone.get_current_timezone())
        - dt.timedelta(seconds=1)
    )
    rate = selectors.district_dashboard(harry).rate
    assert (rate.resolved, rate.closed) == (0, 0) and rate.percent is None


# --- One "overdue" --------------------------------------------------------------------------------


def test_overdue_is_the_same_on_the_dashboard_and_in_the_inboxes(signed_in, alice, harry, team):
    # given: one case whose task is past its due time, one past its closure deadline
    # with its current task on time, and one on time in the head's queue
    late = intake(alice, subject="งานเลยกำหนด")
    make_late(late)
    past_closure = intake(alice, subject="เลยกำหนดยุติเรื่องแต่งานยังไม่เลย")
    Complaint.objects.filter(pk=past_closure.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    waiting = intake(alice)
    services.case_propose_assignment(actor=alice, case=waiting, team=team)

    dashboard = page_of(signed_in(harry), DASHBOARD)
    queue = page_of(signed_in(alice), reverse("workflows:queue"))

    # then: the dashboard counts and lists what the inbox marks, and nothing else
    assert overdue_marks(queue) == {late.number}
    board = selectors.district_dashboard(harry)
    assert [task.complaint_id for task in board.overdue] == [late.pk] and board.overdue_count == 1
    assert figure(dashboard, "overdue-count") == "1"
    listed = re.findall(r'data-testid="overdue-item"><a href="[^"]+">([^<]+)</a>', dashboard)
    assert listed == [late.number]
    # The model's test on one row agrees with the query.
    open_tasks = CaseTask.objects.filter(complaint__district_id="7001", status="NEW")
    assert {t.pk for t in open_tasks if t.is_overdue} == {t.pk for t in selectors.overdue(open_tasks)}


def test_a_case_back_from_the_province_is_not_overdue_on_the_dashboard(signed_in, alice, harry, paula):
    case = intake(alice)
    services.case_escalate(actor=harry, case=case, reason="เกินอำนาจอำเภอ")
    long_ago = timezone.localdate() - dt.timedelta(days=40)
    Complaint.objects.filter(pk=case.pk).update(received_on=long_ago)
    services.case_return_to_district(actor=paula, case=case, instructions="ให้อำเภอไกล่เกลี่ยก่อน")
    assert selectors.district_dashboard(harry).overdue_count == 0
    assert overdue_marks(page_of(signed_in(alice), reverse("workflows:queue"))) == set()


# --- Only what the viewer may see ------------------------------------------------------------------


def test_a_case_naming_the_head_is_neither_counted_nor_listed_on_his_dashboard(signed_in, alice, harry, tom, team):
    # given: complaints about Harry himself, in every figure's way: waiting for approval,
    # overdue, open with a team, closed this month
    about_harry = [RespondentData(kind="official", name="นายอำเภอ", national_id=harry.national_id)]
    pending = intake(alice, respondents=about_harry, subject="ร้องเรียนหัวหน้าศูนย์")
    services.case_propose_assignment(actor=alice, case=pending, team=team)
    late = intake(alice, respondents=about_harry)
    make_late(late)
    closed, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(respondents=about_harry))
    services.case_withdraw(actor=alice, case=closed, reason="ผู้ร้องขอถอน")
    assert not Complaint.objects.visible_to(harry).filter(pk__in=[pending.pk, late.pk, closed.pk]).exists()

    board = selectors.district_dashboard(harry)
    content = page_of(signed_in(harry), DASHBOARD)

    assert board.approvals == [] and board.overdue == [] and board.overdue_count == 0
    assert board.per_team == [] and (board.rate.closed, board.rate.withdrawn) == (0, 0)
    for case in (pending, late, closed):
        assert case.number not in content
    assert "ร้องเรียนหัวหน้าศูนย์" not in content
    # Another head of the district, not named, sees them.
    other_head = UserFactory(first_name="รองหัวหน้า", roles=["district_head"], district="7001")
    assert selectors.district_dashboard(other_head).overdue_count == 1
