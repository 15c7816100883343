"""Anchors for the audit chain: signed checkpoints of its head, kept outside the audit table.

The hash chain shows a row edited, deleted or moved in the middle of the log,
but three changes leave a chain that is whole: deleting the newest rows,
emptying the table (``TRUNCATE``), and editing a row then recomputing every later
hash. A checkpoint closes them. Every few minutes (Celery beat, or
``manage.py audit_checkpoint``) we note the newest row's id and hash and how many
rows there are up to it, and sign the note with HMAC-SHA256 under
``settings.AUDIT_ANCHOR_KEY``: a key that comes from the environment and that the
database does not hold, so whoever can write the database cannot forge a
checkpoint. ``audit_verify`` then checks that every row a checkpoint names is
still there, with the hash and the number of rows before it that it had.

Each checkpoint is kept twice, outside the audit table: in its own table
(``AuditCheckpoint``, which travels with the database's backups) and appended
to a file on the application server (``settings.AUDIT_ANCHOR_PATH``, one JSON
line each), which someone who controls only the database cannot reach, and
which can be shipped to write-once storage. Either copy is enough to verify.

What a checkpoint cannot see is a change to the rows written after it: the
interval of the checkpoints (``AUDIT_CHECKPOINT_SECONDS``) is that window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from audit.events import _CHAIN_LOCK
from audit.models import AuditCheckpoint, AuditEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """One checkpoint as read back, from the table, the file or both."""

    event_id: int
    event_hash: str
    row_count: int
    at: dt.datetime
    signature: str
    sources: tuple[str, ...] = ()

    def message(self) -> bytes:
        return _message(self.event_id, self.event_hash, self.row_count, self.at)

    def signed_rightly(self) -> bool:
        return hmac.compare_digest(self.signature, _sign(self.message()))

    def __str__(self) -> str:
        at = timezone.localtime(self.at).isoformat(timespec="seconds")
        return f"row {self.event_id}, hash {self.event_hash}, {self.row_count} rows, signed {at} ({'+'.join(self.sources)})"


def _message(event_id: int, event_hash: str, row_count: int, at: dt.datetime) -> bytes:
    return f"{event_id}|{event_hash}|{row_count}|{at.astimezone(dt.UTC).isoformat(timespec='microseconds')}".encode()


def _sign(message: bytes) -> str:
    key = settings.AUDIT_ANCHOR_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_ANCHOR_KEY is not set: audit checkpoints cannot be signed or checked.")
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def take_checkpoint() -> AuditCheckpoint | None:
    """Sign the chain's head now (nothing if the log is empty or has not grown since the last one)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # No row is being appended while we read the head and count up to it.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
        if head is None:
            return None
        last = _last_good(AuditCheckpoint.objects.order_by("-id")[:20])
        if last is not None and last.event_id == head["id"]:
            return None
        if last is not None and last.event_id < head["id"]:
            # Count only the rows since the last checkpoint: a row deleted before
            # it then still shows, as a count the table no longer reaches.
            count = last.row_count + AuditEvent.objects.filter(id__gt=last.event_id, id__lte=head["id"]).count()
        else:
            count = AuditEvent.objects.filter(id__lte=head["id"]).count()
        checkpoint = AuditCheckpoint(at=timezone.now(), event_id=head["id"], event_hash=head["hash"], row_count=count)
        checkpoint.signature = _sign(_message(checkpoint.event_id, checkpoint.event_hash, count, checkpoint.at))
        checkpoint.save()
        transaction.on_commit(lambda: _append_to_file(checkpoint))
    return checkpoint


def _last_good(checkpoints) -> AuditCheckpoint | None:
    for checkpoint in checkpoints:
        anchor = _from_row(checkpoint)
        if anchor.signed_rightly():
            return checkpoint
    return None


def _from_row(row: AuditCheckpoint) -> Anchor:
    return Anchor(row.event_id, row.event_hash, row.row_count, row.at, row.signature, ("table",))


def _append_to_file(checkpoint: AuditCheckpoint) -> None:
    path = settings.AUDIT_ANCHOR_PATH
    if not path:
        return
    line = json.dumps({
        "event_id": checkpoint.event_id, "event_hash": checkpoint.event_hash, "row_count": checkpoint.row_count,
        "at": checkpoint.at.isoformat(timespec="microseconds"), "signature": checkpoint.signature,
    }) + "\n"  # fmt: skip
    try:
        os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
        with open(path, "a", encoding="utf-8") as file:
            file.write(line)
            file.flush()
            os.fsync(file.fileno())
    except OSError:
        # The table still holds the checkpoint; the file's copy is the one missing.
        logger.exception("audit checkpoint %s not written to %s", checkpoint.pk, path)


def anchors() -> tuple[list[Anchor], list[str]]:
    """Every checkpoint from the table and the file, oldest first, and the file's unreadable lines."""
    found: dict[tuple, set[str]] = {}
    problems: list[str] = []

    def add(anchor: Anchor, source: str) -> None:
        key = (anchor.event_id, anchor.event_hash, anchor.row_count, anchor.at, anchor.signature)
        found.setdefault(key, set()).add(source)

    for row in AuditCheckpoint.objects.order_by("id").iterator(chunk_size=2000):
        add(_from_row(row), "table")
    path = settings.AUDIT_ANCHOR_PATH
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    anchor = Anchor(
                        int(data["event_id"]), str(data["event_hash"]), int(data["row_count"]),
                        dt.datetime.fromisoformat(data["at"]), str(data["signature"]),
                    )  # fmt: skip
                except (ValueError, KeyError, TypeError):
                    problems.append(f"{path} line {number}: not a checkpoint")
                    continue
                add(anchor, "file")
    result = [Anchor(*key, sources=tuple(sorted(sources))) for key, sources in found.items()]
    result.sort(key=lambda anchor: (anchor.event_id, anchor.at))
    return result, problems
