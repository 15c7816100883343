"""Walk the audit chain and name the rows where it breaks."""

from __future__ import annotations

from dataclasses import dataclass

from audit.models import GENESIS, AuditEvent


@dataclass(frozen=True)
class Break:
    row: int
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.problem}"


def verify(batch: int = 5000) -> tuple[int, list[Break]]:
    """Return (rows checked, breaks). A changed row fails its own hash; a deleted
    or reordered row shows as a row whose predecessor is not the one it names."""
    breaks: list[Break] = []
    previous_hash, previous_id, last_id, checked = GENESIS, None, 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for row in rows:
            checked += 1
            if row.prev_hash != previous_hash:
                where = f"after row {previous_id}" if previous_id else "at the start"
                breaks.append(Break(row.id, f"chain broken {where}: a row is missing, moved or changed before it"))
            if row.compute_hash(row.prev_hash) != row.hash:
                breaks.append(Break(row.id, "content changed after it was written (hash does not match)"))
            previous_hash, previous_id = row.hash, row.id
        last_id = rows[-1].id
    return checked, breaks
