"""The task section of the start page: the officer's own tasks due soonest and
the cases waiting in her queues, read through workflows.selectors."""

from __future__ import annotations

from django.db.models import F

from workflows.selectors import capped_count, my_tasks, queue_tasks

SHOWN = 5


def tasks(user) -> dict:
    mine = my_tasks(user)
    waiting = queue_tasks(user)
    return {
        "mine": list(mine.order_by(F("due_at").asc(nulls_last=True), "pk")[:SHOWN]),
        "mine_count": capped_count(mine),
        "waiting": list(waiting.order_by(F("due_at").asc(nulls_last=True), "pk")[:SHOWN]),
        "waiting_count": capped_count(waiting),
    }
