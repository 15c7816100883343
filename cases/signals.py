"""What the case's write path tells the apps above it, which it must not import.

``case_step_recorded`` is sent by ``cases.services`` each time a step joins a case's
timeline (intake, every transition, an attached file), inside the step's transaction,
with ``case`` (as the step left it) and ``event`` (its ``CaseEvent``). A receiver
writes what must happen with the step (a row, an outbox message), so that it commits
or rolls back with it; it does nothing that can fail outside the database (mail, the
broker), because an exception here undoes the officer's action.
"""

from django.dispatch import Signal

case_step_recorded = Signal()
