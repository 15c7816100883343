"""One viewflow process per complaint, its graph built from the task table.

The case's state machine (cases.models) is the truth; the flow mirrors it as human
tasks (``workflows.process.TASKS``). The graph is derived, not drawn by hand: each
task is a ``Handle`` node, followed by a ``Switch`` whose branches are the tasks the
model's transitions can lead to from that task's states (from triage: the head's
approval, the agency's reply, the province, triage again after a transfer, or the
end), so the chart states the real process. The process starts at intake (``start``)
and again at a reopening (``reopen``: a transition out of a state with no task is a
start node of its own).

Every move goes the same way: a case service validates and calls
``workflows.engine.perform``, which runs the case's open task (or the start node)
with the service's transition as the node's function; the node completes and its
switch opens the task of the new state. Nodes never set the status themselves.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process

from cases.actions import ACTIONS
from cases.models import Complaint
from workflows.models import CaseTask
from workflows.process import TASKS, task_for

END = "end"


def _targets(transition) -> tuple[str, ...]:
    target = transition.target
    return tuple(target.allowed_states) if isinstance(target, RETURN_VALUE) else (target,)


def transitions():
    """The model's transitions that move the workflow (a progress report does not),
    one per source state (django-fsm keeps a transition per source)."""
    field = Complaint._meta.get_field("status")
    return [t for t in field.get_all_transitions(Complaint) if ACTIONS[t.name].moves_task]


def node_for(status: str) -> str:
    task = task_for(status)
    return task.name if task else END


def successors(states) -> dict[str, tuple[str, ...]]:
    """Node name → the states that lead to it, for every transition out of ``states``."""
    found: dict[str, set[str]] = {}
    for transition in transitions():
        if transition.source in states:
            for target in _targets(transition):
                found.setdefault(node_for(target), set()).add(target)
    return {node: tuple(sorted(states)) for node, states in sorted(found.items())}


def start_actions() -> list[str]:
    """Transitions out of states that have no task (closed): each starts a new process."""
    sources: dict[str, set[str]] = {}
    for transition in transitions():
        sources.setdefault(transition.name, set()).add(transition.source)
    return sorted(name for name, states in sources.items() if all(task_for(state) is None for state in states))


def _in(*statuses):
    return lambda activation: activation.process.artifact.status in statuses


def _switch(branches: dict[str, tuple[str, ...]]):
    """Route to the node whose states the case is in now."""
    switch = flow.Switch()
    for target, states in branches.items():
        switch = switch.Case(getattr(this, target), _in(*states))
    return switch


class _CaseFlowBase(flow.Flow):
    process_class = Process
    task_class = CaseTask
    # Row lock on the process, retried (workflows.engine retries FlowLockFailed too).
    lock_impl = lock.select_for_update_lock
    process_title = _("เรื่องร้องเรียน")

    def start_case(self, activation, complaint, apply=None):
        """A start node's work: bind the process to its case (after the reopening's
        transition, when the start is a reopening)."""
        if apply is not None:
            apply()
        activation.process.artifact = complaint
        activation.process.save()

    def act(self, activation, apply):
        """A task node's work: the case service's transition, passed in by the engine."""
        return apply()


def _build():
    nodes: dict[str, object] = {}
    # A process starts at intake (a new case is received, its task is triage) and for
    # a case that has none (made before its workflow existed): at the task its state implies.
    nodes["start"] = flow.StartHandle(this.start_case).Next(this.after_start)
    nodes["after_start"] = _switch({task.name: task.states for task in TASKS})
    for name in start_actions():
        (target,) = {node_for(state) for t in transitions() if t.name == name for state in _targets(t)}
        nodes[name] = flow.StartHandle(this.start_case).Next(getattr(this, target))
    for task in TASKS:
        branches = successors(task.states)
        if len(branches) == 1:
            (target,) = branches
            nodes[task.name] = flow.Handle(this.act).Next(getattr(this, target))
            continue
        nodes[task.name] = flow.Handle(this.act).Next(getattr(this, f"after_{task.name}"))
        nodes[f"after_{task.name}"] = _switch(branches)
    nodes[END] = flow.End()
    # A class built from the table; its module and name are what viewflow stores in
    # each task's flow_task ("workflows/flows.CaseFlow.triage"), as for a written one.
    return type("CaseFlow", (_CaseFlowBase,), {"__module__": __name__, "__qualname__": "CaseFlow", **nodes})


CaseFlow = _build()
START_ACTIONS = frozenset(start_actions())
