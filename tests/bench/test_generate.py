"""The bench generator's data is data the application could have made: a smoke test.

Fifty generated cases, then ``check_workflow`` (every case has exactly the open task
its state implies) finds nothing wrong, and the cases hold together: a timeline per
case that ends in its state, a search vector as ``cases.search`` builds it, running
numbers that continue per district and fiscal year, also after a top-up, and an audit
row per step as the services write it, in a chain that ``audit_verify`` finds whole.

The generator runs ``serial``: its COPY then goes through the test's own connection,
inside the test's transaction, so the rows are rolled back with it. The default mode
copies from a second connection, which would not see the officers this transaction
creates and would commit its rows past the test's end.
"""

import datetime as dt
import io
from collections import Counter
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q

from audit.models import AuditEvent, Kind
from audit.verify import verify
from bench.generator import generate
from cases import search
from cases.models import CaseEvent, Complaint, Forwarding, ProgressReport, RunningNumber

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator COPYs into PostgreSQL; CI runs on it"),
]

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)  # a fixed clock: the same cases every run


def run(count: int) -> str:
    out = io.StringIO()
    generate(count, seed=7, batch=20, serial=True, analyze_only=True, now=NOW, out=lambda line: print(line, file=out))
    return out.getvalue()


def audit_breaks() -> list[str]:
    """What ``manage.py audit_verify`` reports: the chain's breaks, none when it is whole."""
    report = verify()
    assert report.checked == AuditEvent.objects.count()
    return [str(item) for item in report.breaks]


def check_workflow() -> str:
    out = io.StringIO()
    call_command("check_workflow", stdout=out)
    return out.getvalue()


def test_fifty_generated_cases_are_consistent_with_the_workflow(geography):
    # when
    run(50)

    # then every case has the open task its state implies, and none too many
    assert "checked 50 cases: 0 problem(s)" in check_workflow()
    cases = list(Complaint.objects.annotate(open_tasks=Count("tasks", filter=Q(tasks__status="NEW"))).order_by("pk"))
    assert len(cases) == 50
    assert len({case.number for case in cases}) == 50
    assert all(case.open_tasks == (1 if case.is_open else 0) for case in cases)

    # and the timeline of each case starts at intake, ends in its state, one history row per step
    events = Counter(CaseEvent.objects.values_list("complaint_id", flat=True))
    history = Counter(Complaint.history.values_list("id", flat=True))
    for case in cases:
        timeline = list(case.events.order_by("at", "pk"))
        assert timeline[0].action == "intake"
        assert timeline[-1].to_status == case.status
        assert events[case.pk] == history[case.pk]
    # the stories cover more than one state, and the steps wrote their own rows
    assert len({case.status for case in cases}) >= 4
    assert ProgressReport.objects.count() == CaseEvent.objects.filter(action="report_progress").count()
    assert Forwarding.objects.count() == CaseEvent.objects.filter(action="forward").count()

    # and each step wrote its audit row as the services do: one per timeline event (intake and
    # every action), by its actor, at its moment, the note as detail, the case's state after it
    steps = Counter((e.complaint_id, e.action, e.actor_id, e.at, e.note, e.to_status) for e in CaseEvent.objects.all())
    numbers = {case.pk: case.number for case in cases}
    rows = list(AuditEvent.objects.all())
    assert len(rows) == sum(steps.values())
    assert {row.kind for row in rows} == {Kind.TRANSITION}
    assert all(row.case_number == numbers[row.complaint_id] and row.actor_national_id and row.ip for row in rows)
    assert Counter((r.complaint_id, r.action, r.actor_id, r.at, r.detail, r.after["status"]) for r in rows) == steps
    timelines: dict[int, list[AuditEvent]] = {}
    for row in rows:
        timelines.setdefault(row.complaint_id, []).append(row)
    assert all(timeline[0].action == "intake" and timeline[0].before == {} for timeline in timelines.values())
    assert all(b.before == a.after for timeline in timelines.values() for a, b in pairwise(timeline))
    # in a chain that holds
    assert audit_breaks() == []

    # and the search vector is the one the application builds
    built = search.vectors(list(Complaint.objects.values_list("pk", flat=True)))
    for case in Complaint.objects.all():
        assert case.search_version == search.SEARCH_VERSION
        assert sorted(case.search_vector.split()) == sorted(built[case.pk].split())


def test_a_top_up_continues_the_running_numbers_and_the_audit_chain(geography):
    # given fifty cases
    run(50)

    # when ten more are added
    run(10)

    # then each district's numbers of a fiscal year run 1, 2, 3, … with no gap or repeat
    assert "checked 60 cases: 0 problem(s)" in check_workflow()
    numbers: dict[tuple[str, int], list[int]] = {}
    for district, year, number in Complaint.objects.values_list("number_district_id", "fiscal_year", "running_number"):
        numbers.setdefault((district, year), []).append(number)
    assert all(sorted(used) == list(range(1, len(used) + 1)) for used in numbers.values())
    # and the counters the next intake reads are where the numbers got to
    last = {(r.district_id, r.fiscal_year): r.last for r in RunningNumber.objects.all()}
    assert last == {key: max(used) for key, used in numbers.items()}
    # and the audit chain goes on from the last row the first run wrote
    assert AuditEvent.objects.count() == CaseEvent.objects.count()
    assert audit_breaks() == []
