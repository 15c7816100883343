"""The task section of the start page: the officer's own tasks due soonest and
the cases waiting in her queues, read through workflows.selectors."""

from __future__ import annotations

from django.db.models import F

from workflows.selectors import my_tasks, page_counts, queue_tasks

SHOWN = 5


def tasks(user) -> dict:
    mine = my_tasks(user)
    waiting = queue_tasks(user)
    counts = page_counts(user)  # the menu's badge counts the same
    return {
        "mine": list(mine.order_by(F("due_at").asc(nulls_last=True), "pk")[:SHOWN]),
        "mine_count": counts["mine"],
        "waiting": list(waiting.order_by(F("due_at").asc(nulls_last=True), "pk")[:SHOWN]),
        "waiting_count": counts["queue"],
    }
