"""The inbox pages, through the test client: queues, claiming, reassigning,
"done by me", paging, the district dashboard and the workflow history."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from viewflow.workflow.status import STATUS

from cases import services
from cases.models import Complaint
from core.templatetags.thai import thai_date
from tests.case_fixtures import intake_data
from tests.workflows.helpers import fresh, the_open_task
from workflows import selectors
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db

QUEUE, MINE, DONE = reverse("workflows:queue"), reverse("workflows:inbox"), reverse("workflows:done")


def intake(officer, **overrides) -> Complaint:
    case, _ = services.case_intake(actor=officer, district=officer.district, data=intake_data(**overrides))
    return case


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row_chunks(content: str) -> dict[str, str]:
    """The inbox rows by case number, each as its HTML."""
    chunks = content.split('<tr data-testid="task-row"')[1:]
    rows = {}
    for chunk in chunks:
        number = re.match(r' data-case="([^"]+)"', chunk).group(1)
        assert number not in rows, f"{number} listed twice"
        rows[number] = chunk.split("</tr>")[0]
    return rows


def numbers(client, url) -> set[str]:
    return set(row_chunks(page_of(client, url)))


def badge(content: str, icon: str) -> str | None:
    found = re.search(rf'data-testid="badge-{icon}">(\d+\+?|99\+)<', content)
    return found.group(1) if found else None


def claim(client, task, follow=True):
    return client.post(reverse("workflows:claim", args=[task.pk]), {"next": QUEUE}, follow=follow)


# --- Queues -------------------------------------------------------------------------------


def test_new_cases_sit_in_the_district_officers_queue(signed_in, alice, amy, bob, harry, ban_pong):
    ours = {intake(alice).number, intake(alice).number}
    theirs = intake(bob).number

    assert numbers(signed_in(alice), QUEUE) == ours
    assert numbers(signed_in(amy), QUEUE) == ours
    assert numbers(signed_in(bob), QUEUE) == {theirs}
    # Triage is the officers' work, not the head's.
    assert numbers(signed_in(harry), QUEUE) == set()
    assert 'data-testid="empty"' in page_of(signed_in(harry), QUEUE)


def test_claim_moves_a_task_to_my_tasks_and_release_puts_it_back(signed_in, alice, amy, new_case):
    task = the_open_task(new_case)
    client = signed_in(alice)
    response = claim(client, task)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "รับงานแล้ว" in response.content.decode()
    assert numbers(client, QUEUE) == set()
    assert numbers(client, MINE) == {new_case.number}
    assert CaseTask.objects.get(pk=task.pk).owner_id == alice.pk

    other = signed_in(amy)
    assert numbers(other, QUEUE) == set()  # taken: out of everyone's queue
    response = claim(other, task)
    assert "รับงานนี้ไปแล้ว" in response.content.decode()
    assert alice.get_full_name() in response.content.decode()
    assert CaseTask.objects.get(pk=task.pk).owner_id == alice.pk
    assert numbers(other, MINE) == set()

    client = signed_in(alice)
    response = client.post(reverse("workflows:release", args=[task.pk]), {"next": MINE}, follow=True)
    assert "คืนงานเข้าคิวแล้ว" in response.content.decode()
    assert numbers(client, MINE) == set()
    assert numbers(client, QUEUE) == {new_case.number}
    assert numbers(signed_in(amy), QUEUE) == {new_case.number}


def test_only_the_owner_releases_and_only_eligible_people_claim(signed_in, alice, amy, bob, tom, new_case):
    task = the_open_task(new_case)
    claim(signed_in(alice), task)
    response = signed_in(amy).post(reverse("workflows:release", args=[task.pk]), follow=True)
    assert "คืนได้เฉพาะงานที่คุณรับไว้" in response.content.decode()
    assert CaseTask.objects.get(pk=task.pk).owner_id == alice.pk
    # Bob cannot even see the case; claiming it is a 404.
    assert signed_in(bob).post(reverse("workflows:claim", args=[task.pk])).status_code == 404
    assert signed_in(bob).post(reverse("workflows:claim", args=[999999])).status_code == 404


def test_claim_and_release_only_by_post(signed_in, alice, new_case):
    task = the_open_task(new_case)
    client = signed_in(alice)
    assert client.get(reverse("workflows:claim", args=[task.pk])).status_code == 405
    assert client.get(reverse("workflows:release", args=[task.pk])).status_code == 405


def test_claim_ignores_an_offsite_next(signed_in, alice, new_case):
    task = the_open_task(new_case)
    response = signed_in(alice).post(reverse("workflows:claim", args=[task.pk]), {"next": "//evil.example/x"})
    assert response.status_code == 302 and response["Location"] == MINE


def test_the_head_reassigns_a_task(signed_in, alice, amy, bob, harry, tom, new_case):
    task = the_open_task(new_case)
    claim(signed_in(alice), task)
    url = reverse("workflows:reassign", args=[task.pk])

    assert signed_in(bob).get(url).status_code == 404
    assert signed_in(alice).get(url).status_code == 403
    assert signed_in(alice).post(url, {"user": amy.pk}).status_code == 403

    client = signed_in(harry)
    content = page_of(client, url)
    offered = set(re.findall(r'<option value="(\d+)">', content))
    assert offered == {str(alice.pk), str(amy.pk)}
    assert html.escape(alice.get_full_name()) in content  # "now with Alice"

    # Someone outside the queue is refused, and the task stays where it was.
    for outsider in (bob, tom, harry):
        response = client.post(url, {"user": outsider.pk}, follow=True)
        assert response.status_code == 200
        assert "กรุณาเลือกผู้รับงานจากรายชื่อ" in response.content.decode()
        assert CaseTask.objects.get(pk=task.pk).owner_id == alice.pk

    response = client.post(url, {"user": amy.pk}, follow=True)
    assert response.redirect_chain[-1][0] == MINE
    assert "มอบหมายงานให้" in response.content.decode()
    assert CaseTask.objects.get(pk=task.pk).owner_id == amy.pk
    assert numbers(signed_in(amy), MINE) == {new_case.number}
    assert numbers(signed_in(alice), MINE) == set()


def test_the_head_reassigns_an_unclaimed_task(signed_in, amy, harry, new_case):
    task = the_open_task(new_case)
    client = signed_in(harry)
    client.post(reverse("workflows:reassign", args=[task.pk]), {"user": amy.pk})
    assert CaseTask.objects.get(pk=task.pk).owner_id == amy.pk


def test_a_team_member_sees_his_teams_investigations_only(signed_in, alice, harry, tom, team, nora, other_team):
    ours, theirs = intake(alice), intake(alice)
    for case, chosen in ((ours, team), (theirs, other_team)):
        services.case_propose_assignment(actor=alice, case=case, team=chosen)
        services.case_approve_assignment(actor=harry, case=case)

    assert numbers(signed_in(tom), QUEUE) == {ours.number}
    assert numbers(signed_in(nora), QUEUE) == {theirs.number}
    assert numbers(signed_in(alice), QUEUE) == set()
    # Tom cannot claim the other team's task: he cannot even see the case.
    assert signed_in(tom).post(reverse("workflows:claim", args=[the_open_task(theirs).pk])).status_code == 404

    claim(signed_in(tom), the_open_task(ours))
    assert numbers(signed_in(tom), MINE) == {ours.number}


def test_a_province_officer_sees_escalations_of_her_province_only(signed_in, harry, paula, pete, kim, ken, new_case):
    elsewhere = intake(kim)
    services.case_escalate(actor=harry, case=new_case, reason="เกินอำนาจอำเภอ")
    services.case_escalate(actor=ken, case=elsewhere, reason="เกินอำนาจอำเภอ")

    assert numbers(signed_in(paula), QUEUE) == {new_case.number}
    assert numbers(signed_in(pete), QUEUE) == set()  # handling is the officers' work
    assert numbers(signed_in(harry), QUEUE) == set()

    services.case_propose_resolution(actor=paula, case=new_case, outcome="resolved", summary="ประสานแล้ว")
    assert numbers(signed_in(pete), QUEUE) == {new_case.number}
    assert numbers(signed_in(paula), QUEUE) == set()
    assert numbers(signed_in(harry), QUEUE) == set()  # an escalated closure is the province head's


# --- What an inbox row shows ---------------------------------------------------------------


def test_an_inbox_row_shows_number_subject_category_due_date_and_overdue(signed_in, alice):
    late = intake(alice, subject="ถนนชำรุดหน้าวัด")
    on_time = intake(alice, subject="ไฟฟ้าส่องสว่างดับ")
    late_task = the_open_task(late)
    CaseTask.objects.filter(pk=late_task.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))

    client = signed_in(alice)
    rows = row_chunks(page_of(client, QUEUE))
    with translation.override("th"):
        for case in (late, on_time):
            row, task = rows[case.number], CaseTask.objects.get(pk=the_open_task(case).pk)
            assert case.number in row and case.subject in row
            assert case.main_category.name_th in row
            assert "พิจารณาเรื่องใหม่" in row  # the task's label
            assert thai_date(task.due_at) in row
    assert 'data-testid="overdue"' in rows[late.number]
    assert 'data-testid="overdue"' not in rows[on_time.number]

    claim(client, late_task)
    assert 'data-testid="overdue"' in row_chunks(page_of(client, MINE))[late.number]


def test_the_nav_badge_counts_my_open_tasks(signed_in, alice, harry, new_case):
    intake(alice)
    client = signed_in(alice)
    assert badge(page_of(client, MINE), "inbox") == "2"
    claim(client, the_open_task(new_case))
    content = page_of(client, reverse("home"))
    assert badge(content, "inbox") == "2"  # one mine, one in the queue
    assert re.search(r'data-testid="tab-mine">[^<]*<span class="badge text-bg-secondary">1<', page_of(client, MINE))
    assert badge(page_of(signed_in(harry), MINE), "inbox") is None


def test_done_by_me_lists_what_i_completed(signed_in, alice, amy, harry, team, new_case):
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    services.case_approve_assignment(actor=harry, case=new_case)

    done = row_chunks(page_of(signed_in(alice), DONE))
    assert set(done) == {new_case.number}
    assert "พิจารณาเรื่องใหม่" in done[new_case.number]
    assert numbers(signed_in(amy), DONE) == set()
    harrys = row_chunks(page_of(signed_in(harry), DONE))
    assert "อนุมัติการมอบหมายชุดปฏิบัติการ" in harrys[new_case.number]
    assert 'data-testid="empty"' in page_of(signed_in(amy), DONE)


# --- Paging ---------------------------------------------------------------------------------


def test_the_queue_pages_through_30_tasks_each_once(signed_in, alice):
    made = [intake(alice).number for _ in range(30)]
    client = signed_in(alice)

    first = page_of(client, QUEUE)
    first_rows = list(row_chunks(first))
    assert len(first_rows) == selectors.PAGE_SIZE == 25
    assert first_rows == made[::-1][:25]  # newest first
    cursor = re.search(r'rel="next" href="\?after=([^"]+)"', first).group(1)

    second = page_of(client, f"{QUEUE}?after={cursor}")
    second_rows = list(row_chunks(second))
    assert len(second_rows) == 5
    assert 'rel="next"' not in second
    assert sorted(first_rows + second_rows) == sorted(made)


def test_keyset_paging_in_small_pages_and_with_bad_cursors(alice):
    made = {intake(alice).pk for _ in range(11)}
    queryset = selectors.queue_tasks(alice)
    seen, after = [], ""
    while True:
        page = selectors.page(queryset, after=after, size=4)
        seen += [task.complaint_id for task in page.items]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert len(seen) == len(set(seen)) == 11 and set(seen) == made
    # A cursor nobody made is the first page, never an error.
    for bad in ("garbage", "W10", "WyIyMDI1LTAxLTAxIiwgLTFd", "eyJ4IjogMX0"):
        assert len(selectors.page(queryset, after=bad, size=4).items) == 4


def test_the_done_tab_pages_on_when_finished(alice, team):
    cases = [intake(alice) for _ in range(5)]
    for case in cases:
        services.case_propose_assignment(actor=alice, case=case, team=team)
    seen, after = [], ""
    while True:
        page = selectors.inbox_page(alice, "done", after=after, size=2)
        seen += [task.complaint_id for task in page.items]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == [case.pk for case in reversed(cases)]


def test_the_done_tab_skips_cases_he_no_longer_sees_however_many(alice, team, ban_pong):
    """The done tab checks visibility on windows of his finished tasks (a page, then
    longer): a run of them on cases since moved away is skipped, pages stay full and in
    order, and they are exactly the done tasks he may see."""
    cases = [intake(alice) for _ in range(9)]
    for case in cases:
        services.case_propose_assignment(actor=alice, case=case, team=team)
    Complaint.objects.filter(pk__in=[case.pk for case in cases[4:]]).update(district=ban_pong)
    seen, after, sizes = [], "", []
    while True:
        page = selectors.inbox_page(alice, "done", after=after, size=2)
        seen += [task.complaint_id for task in page.items]
        sizes.append(len(page.items))
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == [case.pk for case in reversed(cases[:4])]
    assert sizes == [2, 2]
    expected = CaseTask.objects.filter(
        status=STATUS.DONE, owner=alice, complaint__in=Complaint.objects.visible_to(alice)
    ).order_by("-finished", "-pk")
    assert seen == list(expected.values_list("complaint_id", flat=True))


# The district dashboard: tests/workflows/test_dashboard.py.


# --- The workflow history on the case page ------------------------------------------------------


def history_rows(content: str) -> list[tuple[str, str, str]]:
    table = content.split('data-testid="workflow-history"')[1].split("</table>")[0]
    return [
        tuple(html.unescape(cell) for cell in row)
        for row in re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", table)
    ]


def test_the_case_page_shows_the_workflow_history(signed_in, alice, amy, harry, team, new_case):
    triage = the_open_task(new_case)
    claim(signed_in(alice), triage)
    signed_in(harry).post(reverse("workflows:reassign", args=[triage.pk]), {"user": amy.pk})
    services.case_propose_assignment(actor=amy, case=new_case, team=team)

    rows = history_rows(page_of(signed_in(alice), fresh(new_case).get_absolute_url()))
    triage_label, approve_label = "พิจารณาเรื่องใหม่", "อนุมัติการมอบหมายชุดปฏิบัติการ"
    assert rows == [
        (triage_label, "สร้างงาน", "ระบบ"),
        (triage_label, "รับงาน", alice.get_full_name()),
        (triage_label, f"มอบหมายงาน → {amy.get_full_name()}", harry.get_full_name()),
        (triage_label, "งานเสร็จ", amy.get_full_name()),
        (approve_label, "สร้างงาน", "ระบบ"),
    ]
    assert CaseTask.objects.get(pk=triage.pk).status == STATUS.DONE


def test_the_history_shows_a_release(signed_in, alice, new_case):
    triage = the_open_task(new_case)
    client = signed_in(alice)
    claim(client, triage)
    client.post(reverse("workflows:release", args=[triage.pk]))
    rows = history_rows(page_of(client, new_case.get_absolute_url()))
    assert [what for _task, what, _who in rows] == ["สร้างงาน", "รับงาน", "คืนงาน"]
    assert rows[-1][2] == alice.get_full_name()


def test_a_head_hands_an_approval_to_another_head_from_his_inbox(signed_in, alice, harry, team, new_case):
    from tests.factories import UserFactory

    deputy = UserFactory(first_name="รองนายอำเภอ", roles=["district_head"], district="7001")
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    approval = the_open_task(new_case)
    client = signed_in(harry)
    content = page_of(client, QUEUE)
    assert set(row_chunks(content)) == {new_case.number}
    assert reverse("workflows:reassign", args=[approval.pk]) in content
    offered = set(
        re.findall(r'<option value="(\d+)">', page_of(client, reverse("workflows:reassign", args=[approval.pk])))
    )
    assert offered == {str(harry.pk), str(deputy.pk)}
    client.post(reverse("workflows:reassign", args=[approval.pk]), {"user": deputy.pk})
    assert numbers(signed_in(deputy), MINE) == {new_case.number}


def test_the_reassign_page_does_not_look_at_everyone_in_the_country(signed_in, alice, amy, harry, new_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    url = reverse("workflows:reassign", args=[the_open_task(new_case).pk])
    client = signed_in(harry)
    with CaptureQueriesContext(connection) as few:
        page_of(client, url)
    for district in ("7002", "7003", "7004", "7005"):
        for _ in range(5):
            UserFactory(roles=["district_officer"], district=district)
    with CaptureQueriesContext(connection) as many:
        content = page_of(client, url)
    assert len(many) == len(few)
    assert set(re.findall(r'<option value="(\d+)">', content)) == {str(alice.pk), str(amy.pk)}


def test_the_case_page_shows_the_current_task_and_lets_a_head_reassign_it(signed_in, new_case, alice, harry, bob):
    page = signed_in(harry).get(reverse("cases:detail", args=[new_case.pk])).content.decode()
    assert 'data-testid="current-task"' in page
    assert "พิจารณาเรื่องใหม่" in page
    task = the_open_task(new_case)
    assert reverse("workflows:reassign", args=[task.pk]) in page  # the head may hand it to someone
    page = signed_in(alice).get(reverse("cases:detail", args=[new_case.pk])).content.decode()
    assert reverse("workflows:claim", args=[task.pk]) in page
    assert reverse("workflows:reassign", args=[task.pk]) not in page
