"""One viewflow process per complaint.

The case's state machine (cases.models) is the truth; the flow mirrors it as
human tasks. Every move goes the same way: a case service validates and calls
``workflows.engine.perform``, which runs the case's open task (a ``Handle``
node) with the service's transition as the node's function; the node
completes and ``route`` opens the task the new state implies. Nodes never set
the status themselves.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process

from cases.models import Status
from core.roles import Role
from workflows.models import CaseTask


def _status(activation):
    return activation.process.artifact.status


# The human task each open state implies, and whose queue it sits in.
STATE_TASKS = {
    Status.RECEIVED: ("triage", Role.DISTRICT_OFFICER),
    Status.ASSIGNMENT_PENDING: ("approve_assignment", Role.DISTRICT_HEAD),
    Status.ASSIGNED: ("investigate", Role.TEAM_MEMBER),
    Status.INVESTIGATING: ("investigate", Role.TEAM_MEMBER),  # district officers when no team was assigned
    Status.RESOLUTION_PENDING: ("approve_closure", Role.DISTRICT_HEAD),  # province head once escalated
    Status.FORWARDED: ("await_agency", Role.DISTRICT_OFFICER),
    Status.ESCALATED: ("handle_escalation", Role.PROVINCE_OFFICER),
}
HUMAN_TASKS = sorted({name for name, _role in STATE_TASKS.values()})


def _is(*statuses):
    return lambda activation: _status(activation) in statuses


class CaseFlow(flow.Flow):
    process_class = Process
    task_class = CaseTask
    # Row lock on the process, retried (workflows.engine retries FlowLockFailed too).
    lock_impl = lock.select_for_update_lock
    process_title = _("เรื่องร้องเรียน")

    start = flow.StartHandle(this.start_case).Next(this.route)

    route = (
        flow.Switch()
        .Case(this.triage, _is(Status.RECEIVED))
        .Case(this.approve_assignment, _is(Status.ASSIGNMENT_PENDING))
        .Case(this.investigate, _is(Status.ASSIGNED, Status.INVESTIGATING))
        .Case(this.approve_closure, _is(Status.RESOLUTION_PENDING))
        .Case(this.await_agency, _is(Status.FORWARDED))
        .Case(this.handle_escalation, _is(Status.ESCALATED))
        .Default(this.end)
    )

    triage = flow.Handle(this.act).Next(this.route)
    approve_assignment = flow.Handle(this.act).Next(this.route)
    investigate = flow.Handle(this.act).Next(this.route)
    approve_closure = flow.Handle(this.act).Next(this.route)
    await_agency = flow.Handle(this.act).Next(this.route)
    handle_escalation = flow.Handle(this.act).Next(this.route)

    end = flow.End()

    def start_case(self, activation, complaint):
        activation.process.artifact = complaint
        activation.process.save()

    def act(self, activation, apply):
        """The node's work: the case service's transition, passed in by the engine."""
        return apply()
