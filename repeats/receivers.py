"""Connected in RepeatsConfig.ready: keep each case's fingerprint with the case."""

from django.dispatch import receiver

from cases.signals import case_step_recorded
from repeats.indexing import index_case

# The steps after which a case is matched by something else than before: those that record
# it (at a counter, online, or imported from an earlier record). Only they set the parties
# and the text today; a step that changes them joins this list.
INDEXED_STEPS = frozenset({"intake", "import"})


@receiver(case_step_recorded, dispatch_uid="repeats.index_case")
def index_on_intake(sender, case, event, **kwargs):
    """Fingerprint a case in the transaction that records it, so that the next intake
    finds it, and a rolled-back intake leaves no fingerprint behind (three queries)."""
    if event.action in INDEXED_STEPS:
        index_case(case)
