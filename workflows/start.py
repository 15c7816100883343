"""The task section of the start page: the officer's own tasks due soonest and
the cases waiting in her queues, read through workflows.selectors."""

from __future__ import annotations

from django.db.models import F

from workflows.selectors import first, my_tasks, page_counts, queue_tasks

SHOWN = 5


def tasks(user) -> dict:
    soonest = (F("due_at").asc(nulls_last=True), "pk")
    counts = page_counts(user)  # the menu's badge counts the same
    return {
        "mine": first(my_tasks(user), soonest, SHOWN),
        "mine_count": counts["mine"],
        "waiting": first(queue_tasks(user), soonest, SHOWN),
        "waiting_count": counts["queue"],
    }
