"""The task that sends a notice to a complainant, relayed from the outbox."""

from celery import shared_task

from citizens.notices import services


@shared_task(name=services.SEND_TASK, ignore_result=True)
def send_citizen_notice(notice_id: int, event_id: int) -> str:
    """Send notice ``notice_id`` of step ``event_id`` (public/notices/services.py ``deliver``).

    Idempotent, as every outbox consumer must be: a sent notice is not sent again.
    A failure never raises: it is recorded on the notice and the sending queued again.
    """
    return services.deliver(notice_id, event_id)
