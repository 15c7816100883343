"""Walk the audit chain and name the rows where it breaks."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from audit.anchors import Anchor
from audit.anchors import anchors as read_anchors
from audit.models import GENESIS, AuditEvent


@dataclass(frozen=True)
class Break:
    row: int
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.problem}"


@dataclass
class Report:
    checked: int
    breaks: list[Break]
    last_anchor: Anchor | None = None
    anchors: int = 0


def verify(batch: int = 5000) -> Report:
    """Walk the chain, then hold it against the signed checkpoints (``audit.anchors``).

    A changed row fails its own hash (or, written before the action had a field,
    holds an action its detail does not begin with); a deleted or reordered row
    shows as a row whose predecessor is not the one it names. A checkpoint whose row is gone, has
    another hash, or has another number of rows up to it shows what the chain
    cannot: the newest rows deleted, the table emptied, a row edited and every
    later hash recomputed. The checkpoints are met during the same walk, so the
    check costs no query per checkpoint."""
    breaks: list[Break] = []
    found, unreadable = read_anchors()
    breaks.extend(Break(0, problem) for problem in unreadable)
    signed = []
    for anchor in found:
        if anchor.signed_rightly():
            signed.append(anchor)
        else:
            breaks.append(Break(anchor.event_id, f"checkpoint signed {anchor.at:%Y-%m-%d %H:%M} ({'+'.join(anchor.sources)}): "
                                "signature does not match (forged, altered, or another AUDIT_ANCHOR_KEY)"))  # fmt: skip
    pending = iter(signed)
    anchor = next(pending, None)
    previous_hash, previous_id, last_id, checked = GENESIS, None, 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for row in rows:
            while anchor is not None and anchor.event_id < row.id:
                breaks.append(_missing(anchor, checked, previous_id))
                anchor = next(pending, None)
            checked += 1
            if row.prev_hash != previous_hash:
                where = f"after row {previous_id}" if previous_id else "at the start"
                breaks.append(Break(row.id, f"chain broken {where}: a row is missing, moved or changed before it"))
            if row.compute_hash(row.prev_hash) != row.hash:
                breaks.append(Break(row.id, "content changed after it was written (hash does not match)"))
            elif row.hash_version == 1 and row.action != row.legacy_action():
                # A version 1 hash does not cover the action: its detail does (AuditEvent.content).
                breaks.append(Break(row.id, "action changed after it was written (it is not the detail's)"))
            while anchor is not None and anchor.event_id == row.id:
                if anchor.event_hash != row.hash:
                    breaks.append(Break(row.id, f"rewritten since the checkpoint of {_when(anchor)}: its hash was "
                                        f"{anchor.event_hash[:16]}…, is {row.hash[:16]}… (rows edited and rehashed)"))  # fmt: skip
                if anchor.row_count != checked:
                    breaks.append(Break(row.id, f"the checkpoint of {_when(anchor)} counted {anchor.row_count} rows up "
                                        f"to here, the log holds {checked}: rows deleted or added"))  # fmt: skip
                anchor = next(pending, None)
            previous_hash, previous_id = row.hash, row.id
        last_id = rows[-1].id
    while anchor is not None:
        breaks.append(_missing(anchor, checked, previous_id))
        anchor = next(pending, None)
    return Report(checked, breaks, last_anchor=signed[-1] if signed else None, anchors=len(signed))


def _when(anchor: Anchor) -> str:
    return timezone.localtime(anchor.at).strftime("%Y-%m-%d %H:%M")


def _missing(anchor: Anchor, checked: int, last_id: int | None) -> Break:
    if last_id is None:
        what = "the log is empty (emptied, e.g. by TRUNCATE)"
    elif anchor.event_id > last_id:
        what = f"the log ends at row {last_id} with {checked} rows (the newest rows were deleted)"
    else:
        what = "that row was deleted"
    return Break(anchor.event_id, f"the checkpoint of {_when(anchor)} names row {anchor.event_id} "
                 f"({anchor.row_count} rows up to it), but {what}")  # fmt: skip
