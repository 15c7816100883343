"""The national sweep: the cases recorded since the last run, each compared with every case
in the country, the new candidate pairs queued for the owning heads.

``run`` is called every night by Celery beat (``repeats.tasks.sweep``) and by
``manage.py find_repeats``. It checks each case recorded in ``[since, until)`` as the
intake checks a draft (``repeats.matching.find_candidates``, the case itself excluded),
keeps each pair once per relation (the later case first, as ``RepeatLink`` stores it) and
hands the new ones to ``repeats.services.suggest``, which stores a suggestion unless the
pair has a link of that relation already, in any state: a pair dismissed by a head, or
unlinked, is never suggested again. The run is recorded (``SweepRun``); the next one starts
where it ended. Without a previous run, a run looks back one day. The nightly run checks at
most ``NIGHTLY_MAX_CASES`` cases and leaves the rest to the next night.

A pair a person has ruled out (dismissed, unlinked) is not reported either; one already
suggested, linked or merged is reported (``Pair.known``) but not stored twice. A merged
case is represented by the case it was merged into: it is neither checked nor reported.

``dry_run`` writes nothing (on PostgreSQL in a READ ONLY transaction): it reports the pairs
the run would find, for a look at a database one may not write to.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Complaint
from repeats import services
from repeats.matching import Draft, find_candidates
from repeats.models import RepeatLink, SweepRun

# Candidates read per case: as many as the intake's panel asks for.
LIMIT = 20
# Cases read and checked together (their candidates are read in one query).
BATCH = 200
# Without a previous run, a run looks back this far.
FIRST_LOOK_BACK = dt.timedelta(days=1)
# The nightly run checks at most this many cases (about two days of the nation's intake),
# so that it ends within the task's time limit after a big import; the rest is the next
# night's (it starts where this one ended).
NIGHTLY_MAX_CASES = 5_000
# Held for the whole run: a second run (beat and the command at once) stops at once.
_LOCK = 0x5245_5045_4154  # "REPEAT"

RULED_OUT = (RepeatLink.State.DISMISSED, RepeatLink.State.UNLINKED)
# What a pair shows of a case, and what the check reads of the cases it checks (so that no
# field is fetched again case by case).
_CASE_FIELDS = ("id", "received_on", "number_district_id", "fiscal_year", "running_number", "source_key")
_CHECKED_FIELDS = (*_CASE_FIELDS, "recorded_at", "subject", "description", "incident_subdistrict_id",
                   "main_category_id", "category_id")  # fmt: skip


class SweepBusy(Exception):
    """Another sweep is running."""


@dataclass(frozen=True)
class Pair:
    """Two cases the matching relates: ``case`` the later (received later), ``other`` the earlier."""

    case: Complaint
    other: Complaint
    relation: str
    score: float
    reasons: tuple = ()
    known: bool = False  # the pair has a link of this relation already (suggested, linked, merged)

    @property
    def key(self) -> tuple[int, int, str]:
        return self.case.pk, self.other.pk, str(self.relation)

    def as_json(self) -> dict:
        """The pair as ``find_repeats --format json`` prints it."""
        return {
            "a": _side(self.case),
            "b": _side(self.other),
            "relation": str(self.relation),
            "score": round(self.score, 3),
            "reasons": [{"code": r.code, "label": str(r.label), "detail": r.detail} for r in self.reasons],
        }


def _side(case: Complaint) -> dict:
    return {"number": case.number, "source_key": case.source_key or None}


@dataclass
class SweepResult:
    since: dt.datetime
    until: dt.datetime
    dry_run: bool
    cases_checked: int = 0
    pairs: int = 0  # found and reported (not ruled out)
    queued: int = 0  # of them, stored now as suggestions
    seconds: float = 0.0
    run: SweepRun | None = None
    by_relation: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "dry_run": self.dry_run,
            "cases_checked": self.cases_checked,
            "pairs": self.pairs,
            "queued": self.queued,
            "by_relation": self.by_relation,
            "seconds": round(self.seconds, 1),
        }


def default_since(until: dt.datetime) -> dt.datetime:
    """Where the last finished run ended; one day back without one."""
    last = SweepRun.objects.filter(finished_at__isnull=False, until__isnull=False).order_by("-until").first()
    return last.until if last else until - FIRST_LOOK_BACK


def cases_recorded(since: dt.datetime, until: dt.datetime):
    """The cases recorded in ``[since, until)``, oldest first; not those merged into another."""
    return (
        Complaint.objects.filter(recorded_at__gte=since, recorded_at__lt=until, merged_into__isnull=True)
        .order_by("recorded_at", "id")
        .only(*_CHECKED_FIELDS)
    )


def run(
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    dry_run: bool = False,
    limit: int = LIMIT,
    max_cases: int | None = None,
    on_pair: Callable[[Pair], None] | None = None,
) -> SweepResult:
    """Sweep the cases recorded in ``[since, until)`` (default: since the last run, until
    now), or the first ``max_cases`` of them (the run then ends before the next one); call
    ``on_pair`` with each pair found. Raise ``SweepBusy`` when a sweep is running."""
    until = until or timezone.now()
    since = since or default_since(until)
    if max_cases:
        beyond = cases_recorded(since, until).values_list("recorded_at", flat=True)[max_cases : max_cases + 1]
        # (Cases recorded at one instant are not split: a run that would end where it
        # starts checks them all.)
        if beyond and beyond[0] > since:
            until = beyond[0]
    result = SweepResult(since=since, until=until, dry_run=dry_run)
    started = time.perf_counter()
    if dry_run:
        # READ ONLY only as the outermost transaction: inside another, it would stay so
        # after this block, to the caller's surprise.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION READ ONLY")
            _sweep(result, limit=limit, on_pair=on_pair, store=False)
        result.seconds = time.perf_counter() - started
        return result
    with _only_run():
        result.run = SweepRun.objects.create(since=since, until=until)
        _sweep(result, limit=limit, on_pair=on_pair, store=True)
        result.seconds = time.perf_counter() - started
        result.run.finished_at = timezone.now()
        result.run.cases_checked, result.run.pairs_found = result.cases_checked, result.queued
        result.run.save(update_fields=["finished_at", "cases_checked", "pairs_found"])
    return result


class _only_run:
    """A session lock for the run (PostgreSQL); nothing to hold on SQLite, which serialises writes."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK])
                if not cursor.fetchone()[0]:
                    raise SweepBusy("another sweep is running")
        return self

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])
        return False


def _sweep(result: SweepResult, *, limit: int, on_pair, store: bool) -> None:
    seen: set[tuple[int, int, str]] = set()
    for batch in _batches(cases_recorded(result.since, result.until).iterator(chunk_size=BATCH), BATCH):
        result.cases_checked += len(batch)
        for pair in _pairs(batch, limit=limit, seen=seen):
            if store and not pair.known:
                made = services.suggest(
                    case=pair.case, other=pair.other, relation=pair.relation, score=pair.score, reasons=pair.reasons
                )
                result.queued += made is not None
            result.pairs += 1
            result.by_relation[str(pair.relation)] = result.by_relation.get(str(pair.relation), 0) + 1
            if on_pair:
                on_pair(pair)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pairs(batch: list[Complaint], *, limit: int, seen: set) -> Iterator[Pair]:
    """The pairs of a batch of cases, each once per relation across the run."""
    found = []
    for case in batch:
        candidates = find_candidates(Draft.from_case(case), exclude_ids=[case.pk], limit=limit)
        found.append((case, candidates))
    other_ids = {c.complaint_id for _case, candidates in found for c in candidates}
    others = Complaint.objects.filter(pk__in=other_ids, merged_into__isnull=True).only(*_CASE_FIELDS).in_bulk()
    ids = {case.pk for case in batch} | set(others)
    links = {
        (case_id, other_id, relation): state
        for case_id, other_id, relation, state in RepeatLink.objects.filter(
            Q(case_id__in=ids) & Q(other_id__in=ids)
        ).values_list("case_id", "other_id", "relation", "state")
    }
    for case, candidates in found:
        for candidate in candidates:
            other = others.get(candidate.complaint_id)
            if other is None:  # merged into another case: that one stands for it
                continue
            later, earlier = services._ordered(case, other)
            key = (later.pk, earlier.pk, str(candidate.relation))
            if key in seen:
                continue
            seen.add(key)
            state = links.get(key)
            if state in RULED_OUT:
                continue
            yield Pair(
                case=later, other=earlier, relation=str(candidate.relation), score=candidate.score,
                reasons=tuple(candidate.reasons), known=state is not None,
            )  # fmt: skip
