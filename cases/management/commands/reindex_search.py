"""Index the cases for the Thai search (cases.search): all of them, or the outdated ones."""

from __future__ import annotations

import multiprocessing
import time
from collections import deque

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from cases.models import Complaint
from cases.search import SEARCH_VERSION, reindex_cases
from cases.textsearch import create_index


def _reindex(ids: list[int]) -> int:
    return reindex_cases(ids)


class Command(BaseCommand):
    help = (
        "Index the words of every case, its fields and its documents' pages, for the search; "
        "--outdated only the cases indexed by older rules or not yet (after the migration that "
        "brought the index to a large database, or after a document's index failed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--outdated",
            action="store_true",
            help=f"Only the cases not indexed by this version of the rules ({SEARCH_VERSION}).",
        )
        parser.add_argument("--batch", type=int, default=500, help="Cases read and written at a time (500).")
        parser.add_argument(
            "--processes", type=int, default=1, help="Worker processes, each with its own connection (1: none)."
        )

    def handle(self, *args, outdated=False, batch=500, processes=1, **options):
        if batch < 1 or processes < 1:
            raise CommandError("--batch and --processes must be at least 1")
        cases = Complaint.objects.all()
        if outdated:
            cases = cases.exclude(search_version=SEARCH_VERSION)
        total = cases.count()
        self.stdout.write(f"{total} case(s) to index, {processes} process(es), batches of {batch}")
        started, done, shown = time.monotonic(), 0, time.monotonic()
        pool = None
        if processes > 1:
            if connection.in_atomic_block:
                raise CommandError("--processes needs its own transactions: run it outside one")
            connections.close_all()  # each worker opens its own
            pool = multiprocessing.get_context("fork").Pool(processes)
        try:
            # Two batches a worker in flight: the ids are read here, as the workers need them.
            pending: deque = deque()
            for ids in self._batches(cases, batch):
                pending.append(pool.apply_async(_reindex, (ids,)) if pool else ids)
                while pending and (not pool or len(pending) >= 2 * processes):
                    done += self._finish(pending.popleft())
                    if time.monotonic() - shown >= 5:
                        shown = time.monotonic()
                        self.stdout.write(f"  {done}/{total} ({done / (shown - started):.0f} cases/s)")
            while pending:
                done += self._finish(pending.popleft())
        finally:
            if pool:
                pool.close()
                pool.join()
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed else 0
        self.stdout.write(f"indexed {done} case(s) in {elapsed:.1f} s ({rate:.0f} cases/s)")
        if connection.vendor == "postgresql":
            # A large database's migration leaves the GIN index to this command, made once the
            # vectors are written (twice as fast as through it); then the planner's statistics
            # of the words, without which it guesses how many cases a word finds.
            started = time.monotonic()
            create_index(connection)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_complaint")
            self.stdout.write(f"search index and statistics ready in {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("done"))

    @staticmethod
    def _finish(work) -> int:
        return _reindex(work) if isinstance(work, list) else work.get()

    @staticmethod
    def _batches(cases, size: int):
        """The cases' ids, ``size`` at a time, walking the primary key once."""
        last = 0
        while True:
            ids = list(cases.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
            if not ids:
                return
            yield ids
            last = ids[-1]
