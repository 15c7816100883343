from celery import shared_task

from repeats import sweep as national_sweep


@shared_task(name="repeats.sweep", ignore_result=True)
def sweep() -> dict:
    """Nightly (Celery beat): compare the cases recorded since the last run with every case,
    queue the new candidate pairs for the owning heads (``repeats.sweep``)."""
    try:
        return national_sweep.run(max_cases=national_sweep.NIGHTLY_MAX_CASES).summary()
    except national_sweep.SweepBusy:
        return {"skipped": "another sweep is running"}
