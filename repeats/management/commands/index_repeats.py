"""Fingerprint the cases recorded before the repeat check existed (or all of them again)."""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import time
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Complainant, Complaint, Respondent
from cases.services import ComplainantData
from repeats.indexing import VERSION, Draft, SavedRespondent, fingerprint_of
from repeats.models import Fingerprint

_COMPLAINANT_FIELDS = [f for f in ComplainantData.__dataclass_fields__ if f != "subdistrict"]
_RESPONDENT_FIELDS = list(SavedRespondent.__dataclass_fields__)


def _fingerprint(item: tuple[int, Draft]) -> tuple[int, list[int], bytes]:
    case_id, draft = item
    keys, signature = fingerprint_of(draft)
    return case_id, keys, signature


class Command(BaseCommand):
    help = (
        "Compute the repeat check's fingerprint of every case that has none (the cases recorded "
        "before it existed, or imported around it); --outdated also those made by an earlier "
        "version of the matching, --all every case."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="Fingerprint every case again.")
        which.add_argument(
            "--outdated",
            action="store_true",
            help=f"Also the cases fingerprinted by another version than this one ({VERSION}).",
        )
        parser.add_argument("--batch", type=int, default=2000, help="Cases read and written at a time (2000).")
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes computing fingerprints (default: the number of cores; 1: none).",
        )

    def handle(self, *args, all=False, outdated=False, batch=2000, processes=1, **options):
        if batch < 1 or processes < 1:
            raise CommandError("--batch and --processes must be at least 1")
        # The cases are walked once in id order; each batch leaves out those that have a
        # fingerprint (one index lookup), rather than asking for "the next cases without
        # one", an anti-join that reads every fingerprint again for each batch.
        kept = Fingerprint.objects.all() if not all else Fingerprint.objects.none()
        if outdated:
            kept = kept.filter(version=VERSION)
        total = Complaint.objects.filter(~Exists(kept.filter(complaint_id=OuterRef("pk")))).count()
        self.stdout.write(f"{total} case(s) to fingerprint, {processes} process(es), batches of {batch}")
        started, done, last = time.monotonic(), 0, 0
        pool = None
        if processes > 1:
            if not connection.in_atomic_block:
                connection.close()  # the workers only compute; they need no copy of the connection
            pool = multiprocessing.get_context("fork").Pool(processes)
        try:
            pending = None  # computed, to write while the next batch is computed
            while True:
                last, todo = self._next_batch(last, batch, kept)
                items = _drafts(todo) if todo else []
                work = pool.map_async(_fingerprint, items, chunksize=100) if pool and items else None
                if pending:
                    done += self._write(pending)
                    self._progress(done, total, started)
                if last is None:
                    break
                pending = work.get() if work else [_fingerprint(item) for item in items]
        finally:
            if pool:
                pool.close()
                pool.join()
        seconds = time.monotonic() - started
        rate = done / seconds if seconds else 0
        if sys.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(f"fingerprinted {done} case(s) in {seconds:.1f} s ({rate:.0f} cases/s)")
        if done and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Rows COPYed into a GIN index wait in its pending list, which every lookup
            # reads through until a vacuum merges it (measured: 0.18 ms a key before, 0.02
            # after); the statistics tell the planner the table is no longer empty.
            vacuumed = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {Fingerprint._meta.db_table}")
            self.stdout.write(f"vacuumed and analysed the fingerprints in {time.monotonic() - vacuumed:.1f} s")

    def _next_batch(self, last: int, batch: int, kept) -> tuple[int | None, list[int]]:
        """The last of the next ``batch`` case ids after ``last`` (None at the end), and
        those of them to fingerprint."""
        ids = list(Complaint.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return None, []
        skip = set(kept.filter(complaint_id__in=ids).values_list("complaint_id", flat=True))
        return ids[-1], [pk for pk in ids if pk not in skip]

    def _write(self, rows: list[tuple[int, list[int], bytes]]) -> int:
        now = timezone.now()
        ids = [row[0] for row in rows]
        with transaction.atomic():
            # Also when not replacing: a case fingerprinted by its intake meanwhile is done again.
            Fingerprint.objects.filter(pk__in=ids).delete()
            if connection.vendor == "postgresql":
                _copy(rows, now)
            else:
                Fingerprint.objects.bulk_create(
                    Fingerprint(complaint_id=pk, keys=keys, signature=signature, version=VERSION, indexed_at=now)
                    for pk, keys, signature in rows
                )
        return len(rows)

    def _progress(self, done: int, total: int, started: float) -> None:
        seconds = time.monotonic() - started
        rate = done / seconds if seconds else 0
        line = f"{done}/{total} cases ({rate:.0f}/s)"
        if sys.stdout.isatty():
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(line)


def _drafts(ids: list[int]) -> list[tuple[int, Draft]]:
    """The drafts of a batch of cases: three queries, whatever the batch's size."""
    complainants, respondents = defaultdict(list), defaultdict(list)
    for row in (
        Complainant.objects.filter(complaint_id__in=ids).order_by("pk").values("complaint_id", *_COMPLAINANT_FIELDS)
    ):
        complainants[row.pop("complaint_id")].append(ComplainantData(**row))
    for row in (
        Respondent.objects.filter(complaint_id__in=ids).order_by("pk").values("complaint_id", *_RESPONDENT_FIELDS)
    ):
        respondents[row.pop("complaint_id")].append(SavedRespondent(**row))
    fields = ("pk", "subject", "description", "incident_subdistrict_id", "main_category_id", "category_id")
    return [
        (
            row["pk"],
            Draft(
                complainants=complainants[row["pk"]],
                respondents=respondents[row["pk"]],
                subject=row["subject"],
                description=row["description"],
                incident_subdistrict_id=row["incident_subdistrict_id"],
                main_category_id=row["main_category_id"],
                category_id=row["category_id"],
            ),
        )
        for row in Complaint.objects.filter(pk__in=ids).order_by("pk").values(*fields)
    ]


def _copy(rows, now) -> None:
    """Write fingerprints with COPY (text format: arrays as {..}, bytea as \\\\x..)."""
    buffer = io.StringIO()
    stamp = now.isoformat()
    for pk, keys, signature in rows:
        buffer.write(f"{pk}\t{{{','.join(map(str, keys))}}}\t\\\\x{signature.hex()}\t{VERSION}\t{stamp}\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {Fingerprint._meta.db_table} (complaint_id, keys, signature, version, indexed_at) FROM STDIN",
            buffer,
        )
