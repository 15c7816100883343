"""The audit log of the generated steps, hash-chained as ``audit.events`` chains it.

Each step (intake and every action) writes the row ``audit.events.transition`` writes in
the step's service: the actor's copies, the case's id and number, the action, the note as
detail, and ``cases.services._snapshot`` before and after. The row is an unsaved
``AuditEvent`` and its hash the model's own ``compute_hash``; the rows are chained in the
generating thread, in the order their ids are taken, from the table's last row (a top-up
continues the chain), so that ``manage.py audit_verify`` finds the log whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

from audit.events import _CHAIN_LOCK
from audit.models import GENESIS, HASH_VERSION, AuditEvent, Kind
from cases.models import Complaint
from core.models import User

from .rows import COLUMNS, cell, to_json

TABLE = AuditEvent._meta.db_table
# The unsaved instances are built positionally (as ``Model.from_db`` builds them: fast), in
# the order of the table's columns, which are the COPY's.
assert [f.attname for f in AuditEvent._meta.concrete_fields] == COLUMNS[TABLE], "rows.COLUMNS lags the model"
# What audit.events._append cuts the actor's name and the detail to: their columns' lengths.
NAME_LENGTH = AuditEvent._meta.get_field("actor_name").max_length
DETAIL_LENGTH = AuditEvent._meta.get_field("detail").max_length
KIND = Kind.TRANSITION.value
# The browser of a district office's PC, as the audit middleware records it.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)


@contextmanager
def chain_held() -> Iterator[None]:
    """Hold the audit chain's lock for the whole run. An audited write committed meanwhile
    (the application, ``bench/intake``) would follow the same last row as the generated
    ones and fork the chain; it waits instead, and then follows the last generated row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_CHAIN_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_CHAIN_LOCK])


class AuditLog:
    """The chain's head and the rows that extend it; read the head with the chain held."""

    def __init__(self, take: Callable[[str], int]):
        self.take = take
        self.head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        self._actors: dict[int, tuple] = {}
        self._snapshot: tuple[dict | None, str] = (None, "")  # the last one and its cell

    def transition(
        self, rows: dict[str, list[str]], actor: User, case: Complaint, complaint_id: int, action: str,
        at: dt.datetime, *, before: dict, after: dict, note: str = "",
    ) -> None:  # fmt: skip
        """Append the row of ``actor``'s step ``action`` on ``case`` (not saved: ``complaint_id`` is its id)."""
        name, national_id, ip, actor_cells = self._actor(actor)
        event = AuditEvent(
            self.take(TABLE), at, KIND, actor.pk, name, national_id, ip, USER_AGENT, complaint_id, case.number,
            action, note[:DETAIL_LENGTH], before, after, self.head, "", HASH_VERSION,
        )  # fmt: skip
        event.hash = self.head = event.compute_hash(event.prev_hash)
        # The columns of rows.COLUMNS[TABLE], spelled out: the most frequent row.
        rows[TABLE].append(
            f"{event.id}\t{cell(at)}\t{KIND}\t{actor_cells}\t{complaint_id}\t{event.case_number}\t{action}\t"
            f"{cell(event.detail)}\t{self._json(before)}\t{self._json(after)}\t{event.prev_hash}\t{event.hash}\t"
            f"{HASH_VERSION}\n"
        )

    def _json(self, snapshot: dict) -> str:
        """The snapshot's cell; a step's before is the step before's after, encoded once."""
        last, text = self._snapshot
        if snapshot != last:
            text = cell(to_json(snapshot))
            self._snapshot = (snapshot, text)
        return text

    def _actor(self, actor: User) -> tuple[str, str, str, str]:
        """The actor's name and national ID as the row copies them, his office's address, and
        their cells. There is no request to read an address from: each district office (and
        province hall) gets one fixed private address, 10.<province>.<district or 0>.10."""
        found = self._actors.get(actor.pk)
        if found is None:
            office = actor.district_id or f"{actor.province_id}00"
            ip = f"10.{int(office[:2])}.{int(office[2:4])}.10"
            name, national_id = actor.get_full_name()[:NAME_LENGTH], actor.national_id or ""
            cells = "\t".join(map(cell, (actor.pk, name, national_id, ip, USER_AGENT)))
            found = self._actors[actor.pk] = (name, national_id, ip, cells)
        return found
