"""Generate many realistic complaints quickly on PostgreSQL, for the benchmarks in bench/.

``bench/generate N`` is the command line; ``generate()`` does the work (the smoke test
in tests/bench calls it). Per case: the complaint with its complainant and respondent,
its timeline, history rows, progress reports and forwardings, its viewflow process and
tasks (``bench.generator.complaints``), its audit rows (``bench.generator.auditlog``),
following a story drawn over the model's transitions (``bench.generator.stories``). Rows
go in with COPY, one transaction per batch, ids from each table's own sequence
(``bench.generator.rows``); running it again adds more cases, the running numbers and
the audit chain continuing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from cases.models import Complaint
from core.thai import fiscal_year_be, fiscal_year_start

from .auditlog import chain_held
from .complaints import Generator
from .reference import running_numbers
from .rows import COLUMNS, Batch, Writer, check_schema

# The other tables the run writes (officers, their roles, teams), analysed at the end.
STAFF_TABLES = ["cases_runningnumber", "core_user", "core_user_roles", "cases_team", "cases_teammembership"]


class Refused(Exception):
    """The database is not one to generate into (the message says why)."""


def generate(
    count: int,
    *,
    seed: int = 2569,
    batch: int = 20_000,
    since: dt.date | None = None,
    serial: bool = False,
    analyze_only: bool = False,
    now: dt.datetime | None = None,
    out: Callable[[str], None] = print,
) -> dict:
    """Add ``count`` complaints received from ``since`` (default: 1 October three fiscal
    years ago) to yesterday; return the counts of rows written and of open cases per state.

    ``serial``: copy each batch in this thread and connection, inside the caller's
    transaction if there is one (the next batch is otherwise generated while the
    previous one is copied). ``analyze_only``: ANALYZE the tables at the end instead of
    VACUUM (ANALYZE), which cannot run in a transaction."""
    if connection.vendor != "postgresql":
        raise Refused(
            f"the generator is a PostgreSQL tool (COPY, sequences); this database is {connection.vendor}. "
            "Set DATABASE_URL=postgres://... to a database of its own (see bench/README.md)."
        )
    if count < 1 or batch < 1:
        raise Refused("count and --batch must be positive.")
    if problems := check_schema():
        raise Refused("; ".join(problems))
    started = time.perf_counter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = since or fiscal_year_start(fiscal_year_be(today) - 3)
    first_id = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # The seed and the database's state together: a top-up never repeats a run's codes.
    rng = random.Random(f"{seed}:{first_id}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        replica = bool(cursor.fetchone()[0])
    out(
        f"database {connection.settings_dict['NAME']}: adding {count} cases received {since} to "
        f"{today - dt.timedelta(days=1)}, batches of {batch}"
        + ("" if replica else " (not a superuser: foreign-key triggers stay on, slower)")
    )

    # The audit chain is held from reading its last row (in Generator) until the last batch is in.
    with chain_held():
        try:
            generator = Generator(rng=rng, seed=seed, since=since, now=now)
        except ValueError as error:
            raise Refused(str(error)) from None
        counters = running_numbers()
        ref = generator.ref
        out(
            f"staff ready in {time.perf_counter() - started:.1f}s: {ref.staff.created_users} officers and "
            f"{ref.staff.created_teams} teams created, {len(ref.districts)} districts"
        )
        loading = time.perf_counter()
        progress = {"cases": 0}

        def done(finished: Batch) -> None:
            progress["cases"] += finished.cases
            elapsed = time.perf_counter() - loading
            out(f"  {progress['cases']:>9} cases  {elapsed:7.1f}s  {progress['cases'] / elapsed:7.0f} cases/s")

        writer = Writer(replica=replica, serial=serial, on_done=done)
        days = len(ref.day_ordinals)
        # Cases are generated in received order, spread over the days by their weights.
        day_cum, total_weight = ref.day_cum, ref.day_cum[-1]
        generate_seconds = 0.0
        try:
            for start, stop in _batches(count, batch):
                t_batch = time.perf_counter()
                current = Batch()
                for i in range(start, stop):
                    target = (i + rng.random()) / count * total_weight
                    generator.case(current, counters, min(days - 1, bisect.bisect_left(day_cum, target)))
                generate_seconds += time.perf_counter() - t_batch
                writer.put(current)
        finally:
            writer.close()
    load_seconds = time.perf_counter() - loading

    maintenance = time.perf_counter()
    command = "ANALYZE" if analyze_only else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in [*COLUMNS, *STAFF_TABLES]:
            cursor.execute(f"{command} {table}")
    maintenance_seconds = time.perf_counter() - maintenance
    total = time.perf_counter() - started

    written = writer.rows_written
    out("rows added: " + ", ".join(f"{table} {n}" for table, n in written.items() if n))
    out("open cases added: " + ", ".join(f"{state} {n}" for state, n in sorted(generator.open_states.items())))
    out(
        f"done: {count} cases in {total:.1f}s ({count / total:.0f} cases/s): loading {load_seconds:.1f}s "
        f"(generating {generate_seconds:.1f}s, copying {writer.copy_seconds:.1f}s, "
        f"{'serial' if serial else 'overlapped'}), {command} {maintenance_seconds:.1f}s"
    )
    out(f"complaints now: {Complaint.objects.count()}")
    return {"rows": dict(written), "open": dict(generator.open_states)}


def _batches(count: int, batch: int):
    """(start, stop) of each COPY transaction's cases. The first is smaller, so that the
    copying (which takes longer than the generating) starts early."""
    start, size = 0, min(batch, max(1_000, batch // 10))
    while start < count:
        stop = min(count, start + size)
        yield start, stop
        start, size = stop, batch
