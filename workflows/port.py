"""What the case app asks of the workflow (``cases.hooks.Workflow``), answered here.

Installed by ``WorkflowsConfig.ready``; the case services reach the engine, the
notices and the case page's task panel only through this module.
"""

from __future__ import annotations

from core import outbox
from core.roles import Role
from workflows import engine, process
from workflows.selectors import workflow_history

start = engine.start
perform = engine.perform
progress_reported = engine.progress_reported


def announce(case, event) -> None:
    """Write the notice of ``event`` to the outbox, in the caller's transaction.

    The recipients are read now, while the case is as the event left it: a second
    action before the worker runs must not change who hears of the first. Nothing
    here talks to the broker (core/outbox.py); ``workflows.tasks.notify_case_event``
    delivers it.
    """
    recipients = [user.pk for user in engine.next_actors(case) if user.pk != event.actor_id]
    outbox.enqueue(
        "cases.notify_case_event",
        kwargs={"event_id": event.pk, "recipient_ids": recipients},
        key=f"notify:event:{event.pk}",
    )


def case_page(user, case) -> dict:
    """The case page's workflow part: its open task and what ``user`` may do with it,
    and the tasks' history."""
    context = {"workflow_steps": workflow_history(case), "current_task": None}
    task = engine.open_tasks(case).select_related("owner").first()
    if task is None:
        return context
    task.complaint = case  # the page's case, whose respondents the rules have read already
    return {
        **context,
        "current_task": task,
        "current_task_label": process.label(engine.node_name(task)),
        "current_task_queue": Role(task.queue).label if task.queue else "",
        # Where taking the task is an action of the case (accepting it), that action is the one button.
        "may_claim": task.owner_id is None and engine.may_take(user, task) and not engine.opening_action(user, task),
        "may_release": task.owner_id == user.pk,
        "may_reassign": engine.may_reassign(user, task),
    }
