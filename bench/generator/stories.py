"""The steps that led a generated case to its state: walks over the model's transitions.

A case's final state is drawn by its age (young cases are often still open, most are
closed). Its steps are then a walk from intake over ``workflows.flows.transitions()``,
the model's transitions that move the workflow: in each state one of the actions the
state allows is taken, as often as ``WEIGHTS`` says, and of all such walks the ones
that end as drawn are kept, each as likely as the walk makes it. Progress reports (the
registry's actions that keep the case where it is) are added while the state allows
them. Nothing here knows which state an action leads to: the model says.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from itertools import accumulate

from cases.actions import ACTIONS
from cases.models import Complaint, Status
from workflows.flows import transitions

# How often an action is taken when the case's state allows it, against the other
# actions that state allows. Actions not listed are never taken here: generated
# cases are not returned by the province, transferred, refused a closure or reopened.
WEIGHTS = {
    "propose_assignment": 100, "approve_assignment": 95, "send_back_assignment": 5, "accept": 100,
    "propose_resolution": 100, "approve_closure": 100, "forward": 8, "agency_replied": 100, "escalate": 6,
    "reject": 5, "withdraw": 3,
}  # fmt: skip
MAX_MOVES = 9  # the longest story: sent back once, forwarded, then closed
MAX_REPEATS = 2  # an action at most twice in a story (sent back once, forwarded twice)

# Progress reports in each stay in a state that allows them; at least one before a
# resolution is proposed on the investigation.
REPORTS = (0, 1, 1, 1, 2, 2, 3)
REPORTS_BEFORE = {"propose_resolution": 1}


@dataclass(frozen=True)
class Goal:
    """Where a story ends: a state, optionally by which action and through which detours
    (``through=None``: any walk to the state; ``()``: none of the detours)."""

    state: str
    last: str | None = None
    through: tuple[str, ...] | None = None


# Final states by the case's age (days since received): open ones are young, most are closed.
OPEN_MIX = {
    "new": [(Status.RECEIVED, 55), (Status.ASSIGNMENT_PENDING, 20), (Status.ASSIGNED, 10),
            (Status.INVESTIGATING, 5), (Status.FORWARDED, 5), (Status.ESCALATED, 2), (Status.RESOLUTION_PENDING, 3)],
    "recent": [(Status.RECEIVED, 20), (Status.ASSIGNMENT_PENDING, 8), (Status.ASSIGNED, 10),
               (Status.INVESTIGATING, 35), (Status.RESOLUTION_PENDING, 10), (Status.FORWARDED, 10),
               (Status.ESCALATED, 7)],
    "old": [(Status.RECEIVED, 8), (Status.ASSIGNMENT_PENDING, 3), (Status.ASSIGNED, 5), (Status.INVESTIGATING, 40),
            (Status.RESOLUTION_PENDING, 10), (Status.FORWARDED, 20), (Status.ESCALATED, 14)],
}  # fmt: skip
FINISHED_MIX = [
    (Goal(Status.CLOSED, "approve_closure", through=()), 78),
    (Goal(Status.CLOSED, "approve_closure", through=("forward",)), 7),
    (Goal(Status.CLOSED, "approve_closure", through=("escalate",)), 4),
    (Goal(Status.CLOSED, "withdraw", through=()), 6),
    (Goal(Status.REJECTED, "reject", through=()), 5),
]
DETOURS = frozenset(name for goal, _weight in FINISHED_MIX for name in goal.through or ())


class Stories:
    """Draw a case's final state and the steps that led there."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        assert set(WEIGHTS) <= set(ACTIONS), f"not actions of cases.actions: {set(WEIGHTS) - set(ACTIONS)}"
        self.moves: dict[str, list[tuple[str, str]]] = {}
        for transition in transitions():
            if transition.name in WEIGHTS:
                assert isinstance(transition.target, str), transition.name  # one target: the walk knows where it is
                self.moves.setdefault(transition.source, []).append((transition.name, transition.target))
        # The action that keeps the case where it is (the progress report), and where it may be taken.
        (self.report,) = [name for name, action in ACTIONS.items() if not action.moves_task]
        status = Complaint._meta.get_field("status")
        self.report_states = {t.source for t in status.get_all_transitions(Complaint) if t.name == self.report}
        walks = list(self._walks(Status.RECEIVED, (), 1.0))
        goals = [Goal(state) for mix in OPEN_MIX.values() for state, _w in mix] + [g for g, _w in FINISHED_MIX]
        self.paths: dict[Goal, tuple[list[tuple[str, ...]], list[float]]] = {}
        for goal in goals:
            found = [(path, p) for path, state, p in walks if self._reaches(goal, path, state)]
            assert found, f"no walk over the model's transitions reaches {goal}"
            self.paths[goal] = ([path for path, _p in found], list(accumulate(p for _path, p in found)))
        self.open_mix = {age: _weighted([(Goal(state), w) for state, w in mix]) for age, mix in OPEN_MIX.items()}
        self.finished_mix = _weighted(FINISHED_MIX)

    def _walks(self, state: str, path: tuple[str, ...], p: float):
        """Every walk from ``state`` (reached by ``path`` with probability ``p``): (path, state, p)."""
        yield path, state, p
        options = self.moves.get(state, []) if len(path) < MAX_MOVES else []
        total = sum(WEIGHTS[name] for name, _target in options)
        for name, target in options:
            if path.count(name) < MAX_REPEATS:
                yield from self._walks(target, (*path, name), p * WEIGHTS[name] / total)

    def _reaches(self, goal: Goal, path: tuple[str, ...], state: str) -> bool:
        if state != goal.state or (goal.last is not None and (not path or path[-1] != goal.last)):
            return False
        return goal.through is None or DETOURS.intersection(path) == set(goal.through)

    def goal(self, age_days: float) -> Goal:
        """The state a case received ``age_days`` ago is in now."""
        rng = self.rng
        if rng.random() < 0.03 + 0.85 * math.exp(-age_days / 90):
            goals, cum = self.open_mix["new" if age_days < 3 else ("recent" if age_days < 30 else "old")]
        else:
            goals, cum = self.finished_mix
        return rng.choices(goals, cum_weights=cum)[0]

    def steps(self, goal: Goal) -> list[str]:
        """The actions that led a case to ``goal``, progress reports included."""
        rng = self.rng
        paths, cum = self.paths[goal]
        path = rng.choices(paths, cum_weights=cum)[0]
        steps: list[str] = []
        state = Status.RECEIVED
        for name in (*path, None):
            if state in self.report_states:
                steps += [self.report] * max(rng.choice(REPORTS), REPORTS_BEFORE.get(name, 0))
            if name is None:
                break
            steps.append(name)
            state = dict(self.moves[state])[name]
        return steps


def _weighted(pairs):
    return [value for value, _w in pairs], list(accumulate(w for _v, w in pairs))
