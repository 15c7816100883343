"""The API's reads: the case list and the task lists, in keyset pages, through the
selectors the web pages use (``cases.selectors``, ``workflows.selectors``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from viewflow.workflow.status import STATUS

from cases.selectors import CaseFilters, filtered_cases
from core.keyset import decode_cursor, encode_cursor
from permissions.rules import team_ids
from workflows import engine
from workflows import selectors as inbox
from workflows.models import CaseTask

PAGE_SIZE = 25
TABS = ("mine", "queue")

# What a case summary shows beyond what the case list selects.
SUMMARY_RELATED = ("main_category", "category", "district", "incident_subdistrict")


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def mine(user) -> Q:
    """The cases of ``user``'s teams, and those whose open task he holds. The tasks he holds
    are few and read on their own index (``casetask_mine``): an IN over them, not a check
    of every case of his district for a task of his."""
    held = CaseTask.objects.filter(owner=user, status=STATUS.NEW).values("complaint_id")
    return Q(team_id__in=sorted(team_ids(user))) | Q(pk__in=held)


def case_page(user, *, status: str = "", only_mine: bool = False, after: str = "", size: int = PAGE_SIZE) -> Page:
    """A page of the cases ``user`` may see (``cases.selectors.filtered_cases``, through
    ``visible_to``), newest received first, after the cursor ``after``: keyset on
    (received_on, id) as the case list pages, so a deep page costs what the first does."""
    qs = filtered_cases(user, CaseFilters(status=status)).for_list().select_related(*SUMMARY_RELATED)
    if only_mine:
        qs = qs.filter(mine(user))
    cursor = decode_cursor(after, dt.date.fromisoformat) if after else None
    if cursor:
        day, pk = cursor
        qs = qs.filter(Q(received_on__lt=day) | Q(received_on=day, pk__lt=pk))
    rows = list(qs.order_by("-received_on", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if rows else None
    return Page(items=rows, next_cursor=encode_cursor(last.received_on.isoformat(), last.pk) if more else None)


def task_page(user, tab: str, *, after: str = "") -> Page:
    """A page of ``user``'s tasks (``mine``) or of his queues (``queue``), as his inbox
    reads them (``workflows.selectors``), each with the case action that takes it."""
    tasks = inbox.my_tasks(user) if tab == "mine" else inbox.queue_tasks(user)
    related = [f"complaint__{name}" for name in SUMMARY_RELATED]
    page = inbox.page(tasks.select_related(*related, "owner"), after=after)
    rows = page.items
    openings = engine.opening_actions(user, rows) if tab == "queue" else [None] * len(rows)
    for task, opening in zip(rows, openings, strict=True):
        task.node = engine.node_name(task)
        task.opening_action = opening.name if opening else None
    return Page(items=rows, next_cursor=page.next_cursor)
