from celery import shared_task

from imports import services


@shared_task(name=services.RUN_TASK, ignore_result=True)
def run_job(job_id: int) -> None:
    """Import an uploaded file (queued through the outbox by ``services.queue_import``)."""
    services.run_job(job_id)
