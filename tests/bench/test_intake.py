"""bench/intake records real complaints, several officers at once: a smoke test.

The script's core (``run_level``) with one officer, then two at once, a warm-up intake and
two measured ones each: every case gets its district's next running number, none twice and
none skipped, and the audit chain that serialised them still verifies. The officers' threads
have connections of their own, which see only committed rows: hence a transactional test.
"""

import importlib.machinery
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verify import verify
from cases.models import Complaint

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the audit chain's lock and the officers' threads need PostgreSQL; CI runs on it",
    ),
]

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "intake"


def bench_intake():
    """The script as a module (it has no .py name to import it by)."""
    if module := sys.modules.get("bench_intake"):
        return module
    loader = importlib.machinery.SourceFileLoader("bench_intake", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("bench_intake", loader))
    sys.modules["bench_intake"] = module  # its dataclasses look their module up there
    loader.exec_module(module)
    return module


@pytest.mark.parametrize("processes", [False, True], ids=["threads", "processes"])
@pytest.mark.parametrize("same_district", [False, True], ids=["two districts", "one district"])
def test_officers_at_once_get_consecutive_numbers_and_the_chain_verifies(alice, amy, bob, same_district, processes):
    bench = bench_intake()

    # when Alice records complaints alone, then two officers at once (Alice and Bob of
    # another district, or Alice and Amy of hers, whose numbers then contend), each
    # officer a thread of this process or a process of his own
    results = [
        bench.run_level(
            bench.pick_counters(n, same_district=same_district), per_thread=2, warmup=1, processes=processes
        )
        for n in (1, 2)
    ]

    # then each level measured its intakes, and every intake made a case
    assert [r["intakes"] for r in results] == [2, 4]
    assert [r["districts"] for r in results] == [1, 1 if same_district else 2]
    assert Complaint.objects.count() == sum(r["created"] for r in results) == 3 + 6
    assert all(r["lock_held_mean_ms"] > 0 and r["p95_ms"] > 0 and r["processes"] == processes for r in results)
    assert all(r["client_cpu_per_intake_ms"] > 0 for r in results)

    # and each district's numbers of the year run 1, 2, 3, … with no gap or repeat
    numbers = defaultdict(list)
    for district, year, number in Complaint.objects.values_list("number_district_id", "fiscal_year", "running_number"):
        numbers[(district, year)].append(number)
    assert all(sorted(used) == list(range(1, len(used) + 1)) for used in numbers.values())
    assert len(numbers) == (1 if same_district else 2)
    measured = [number for r in results for number in r["numbers"]]
    assert len(set(measured)) == len(measured) == 6

    # and the audit chain holds one row per intake, unbroken
    report = verify()
    assert report.breaks == []
    assert report.checked == AuditEvent.objects.filter(action="intake").count() == 9
