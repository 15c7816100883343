"""Celery tasks of complaining online (registered from ``PublicConfig.ready``)."""

from celery import shared_task

from citizens.online import services


@shared_task(name=services.SEND_CONFIRMATION_TASK, ignore_result=True)
def send_confirmation(submission_id: int) -> bool:
    """E-mail the confirmation link (queued through the outbox by ``services.submit``)."""
    return services.send_confirmation(submission_id)


@shared_task(name="public.online.purge_submissions", ignore_result=True)
def purge_submissions() -> int:
    """Delete the submissions nobody confirmed within a day (beat runs this hourly)."""
    return services.purge_unconfirmed()
