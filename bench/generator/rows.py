"""Rows into PostgreSQL fast: COPY in batches, ids from the tables' own sequences.

A complaint, its complainant, its respondent and its forwardings are written from the
model instances the generator made and moved (their columns are the models' and their
simple-history models' fields); the other tables, the most frequent rows, from the values
each step gives, in the columns listed here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import operator
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

from cases.models import Complainant, Complaint, Forwarding, Respondent

NULL = "\\N"
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
to_json = json.JSONEncoder(ensure_ascii=False).encode  # as a JSONField stores it, Thai unescaped
HISTORY_FIELDS = ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")


# A case's few moments are written many times (its event, history row and tasks);
# the generator empties this for every case.
MOMENTS: dict[dt.datetime, str] = {}


def cell(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return NULL
    kind = type(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        text = MOMENTS.get(value)
        if text is None:
            text = MOMENTS[value] = value.isoformat(" ")
        return text
    if kind is dt.date:
        return value.isoformat()
    text = value if kind is str else str(value)  # choices, Decimal, UUID
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPE)
    return text


def line(values: Iterable) -> str:
    return "\t".join(map(cell, values)) + "\n"


class ModelRows:
    """Rows of a model's table, and of its simple-history table, from an instance."""

    def __init__(self, model: type[models.Model]):
        self.model, self.table = model, model._meta.db_table
        self._defaults = [(f.attname, f.get_default) for f in model._meta.concrete_fields]
        self.columns = [f.column for f in model._meta.concrete_fields]
        self._values = operator.attrgetter(*(f.attname for f in model._meta.concrete_fields))
        history = model.history.model
        self.history_table = history._meta.db_table
        self.history_columns = [f.column for f in history._meta.concrete_fields]
        tracked = [f.attname for f in history._meta.concrete_fields if f.attname not in ("id", *HISTORY_FIELDS)]
        # The order simple-history gives its table, which the rows below follow.
        assert [f.attname for f in history._meta.concrete_fields] == ["id", *tracked, *HISTORY_FIELDS], history
        self._tracked = operator.attrgetter(*tracked)

    def new(self, **values) -> models.Model:
        """An instance of the model, built as ``Model.from_db`` builds one (positional
        values: much faster than keywords); fields not given get their defaults."""
        return self.model(*[values[name] if name in values else default() for name, default in self._defaults])

    def row(self, obj) -> str:
        return line(self._values(obj))

    def history_row(
        self, obj, *, history_id: int, at, reason: str | None, kind: str, user_id, pk=None, cells: Cells | None = None
    ) -> str:
        """simple-history's row of ``obj`` (``kind`` "+" created, "~" changed) by ``user_id`` at ``at``;
        ``cells``: those of the object's previous row, for the values that stayed."""
        values = self._tracked(obj)
        tracked = "\t".join(cells.encode(values) if cells is not None else map(cell, values))
        return f"{obj.pk if pk is None else pk}\t{tracked}\t{history_id}\t{cell(at)}\t{cell(reason)}\t{kind}\t{cell(user_id)}\n"


class Cells:
    """The cells of an object's last row: a value that is still the same object is not encoded again."""

    __slots__ = ("cells", "values")

    def __init__(self):
        self.values: tuple = ()
        self.cells: list[str] = []

    def encode(self, values: tuple) -> list[str]:
        if len(values) == len(self.values):
            self.cells = [c if v is p else cell(v) for v, p, c in zip(values, self.values, self.cells, strict=True)]
        else:
            self.cells = [cell(v) for v in values]
        self.values = values
        return self.cells


COMPLAINTS, COMPLAINANTS, RESPONDENTS = ModelRows(Complaint), ModelRows(Complainant), ModelRows(Respondent)
FORWARDINGS = ModelRows(Forwarding)  # without history rows, as before

COLUMNS: dict[str, list[str]] = {
    COMPLAINTS.table: COMPLAINTS.columns,
    COMPLAINTS.history_table: COMPLAINTS.history_columns,
    COMPLAINANTS.table: COMPLAINANTS.columns,
    COMPLAINANTS.history_table: COMPLAINANTS.history_columns,
    RESPONDENTS.table: RESPONDENTS.columns,
    RESPONDENTS.history_table: RESPONDENTS.history_columns,
    FORWARDINGS.table: FORWARDINGS.columns,
    **{
        table: columns.split(", ")
        for table, columns in {
            "cases_caseevent": "id, action, from_status, to_status, actor_name, at, note, data, actor_id, complaint_id",
            "cases_progressreport": "id, text, latitude, longitude, reported_at, author_id, complaint_id",
            "viewflow_process": "id, flow_class, status, created, finished, artifact_content_type_id, "
            "artifact_object_id, data",
            "workflows_casetask": "id, flow_task, flow_task_type, status, created, assigned, started, finished, "
            "token, data, queue, due_at, complaint_id, district_id, owner_id, process_id, province_id, team_id",
            "workflows_casetask_previous": "id, from_casetask_id, to_casetask_id",
            "audit_auditevent": "id, at, kind, actor_id, actor_name, actor_national_id, ip, user_agent, complaint_id, "
            "case_number, action, detail, before, after, prev_hash, hash, hash_version",
        }.items()
    },
}
ID_COLUMNS = {table: ("history_id" if "historical" in table else "id") for table in COLUMNS}


def check_schema() -> list[str]:
    """What keeps the COPY from working: unapplied migrations, or a required column of a
    table written from a column list that the list lacks (the COPY would fail half-way)."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return ["the database has unapplied migrations: run manage.py migrate first"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ANY(%s) AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            [list(COLUMNS)],
        )
        missing = [f"{table}.{column}" for table, column in cursor.fetchall() if column not in COLUMNS[table]]
    if missing:
        return [f"required columns the generator does not fill: {', '.join(missing)} (bench/generator/rows.py)"]
    return []


class IdPool:
    """Ids from a table's own sequence, fetched in blocks (nextval), so that ORM inserts
    made later never collide. Unused ids at the end of a run are a harmless gap."""

    def __init__(self, table: str, block: int = 50_000):
        self.table, self.block = table, block
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, ID_COLUMNS[table]])
            self.sequence = cursor.fetchone()[0]
        self._ids: range | list[int] = []
        self._next = 0

    def take(self) -> int:
        if self._next == len(self._ids):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT min(id), max(id), count(*) FROM (SELECT nextval(%s) AS id FROM generate_series(1, %s)) ids",
                    [self.sequence, self.block],
                )
                low, high, count = cursor.fetchone()
                if high - low + 1 == count:  # no one else drew from the sequence meanwhile: a range
                    self._ids = range(low, high + 1)
                else:
                    cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, self.block])
                    self._ids = [row[0] for row in cursor.fetchall()]
            self._next = 0
        value = self._ids[self._next]
        self._next += 1
        return value


@dataclass
class Batch:
    rows: dict[str, list[str]] = field(default_factory=lambda: {table: [] for table in COLUMNS})
    running_numbers: dict[tuple[str, int], int] = field(default_factory=dict)
    cases: int = 0


class Writer:
    """COPYs batches into PostgreSQL, one transaction each, in a thread of its own (with its
    own connection), so that the next batch is generated meanwhile; ``serial``: in the
    caller's thread and connection (and inside the caller's transaction, if any)."""

    def __init__(self, *, replica: bool, serial: bool, on_done: Callable[[Batch], None]):
        self.replica, self.serial, self.on_done = replica, serial, on_done
        self.error: BaseException | None = None
        self.rows_written = dict.fromkeys(COLUMNS, 0)
        self.copy_seconds = 0.0
        if not serial:
            self._queue: queue.Queue = queue.Queue(maxsize=1)
            self._thread = threading.Thread(target=self._run, name="bench-copy", daemon=True)
            self._thread.start()

    def put(self, batch: Batch) -> None:
        if self.error:
            raise self.error
        if self.serial:
            self._write(batch)
        else:
            self._queue.put(batch)

    def close(self) -> None:
        if not self.serial:
            self._queue.put(None)
            self._thread.join()
        if self.error:
            raise self.error

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self.error is not None:
                    continue  # drain: the main thread raises the error at its next put()
                try:
                    self._write(batch)
                except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
                    self.error = error
        finally:
            connection.close()

    def _write(self, batch: Batch) -> None:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            if self.replica:
                # The rows are consistent by construction: no foreign-key triggers.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for table, lines in batch.rows.items():
                if not lines:
                    continue
                buffer = io.StringIO("".join(lines))
                # Large reads: each one needs the GIL, which the generating thread mostly holds.
                cursor.copy_expert(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN", buffer, 1 << 23)
                self.rows_written[table] += len(lines)
            if batch.running_numbers:
                values = ", ".join(["(%s, %s, %s)"] * len(batch.running_numbers))
                params = [v for (district, year), last in batch.running_numbers.items() for v in (district, year, last)]
                cursor.execute(
                    f"INSERT INTO cases_runningnumber (district_id, fiscal_year, last) VALUES {values} "  # noqa: S608
                    "ON CONFLICT (district_id, fiscal_year) "
                    "DO UPDATE SET last = GREATEST(cases_runningnumber.last, EXCLUDED.last)",
                    params,
                )
        self.copy_seconds += time.perf_counter() - started
        self.on_done(batch)
