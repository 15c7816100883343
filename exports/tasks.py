from celery import shared_task

from exports import services


@shared_task(name=services.RENDER_TASK, ignore_result=True)
def render(export_id: int) -> None:
    """Make an export's file (queued through the outbox by ``services.request_export``)."""
    services.render(export_id)


@shared_task(name="exports.purge_expired", ignore_result=True)
def purge_expired() -> int:
    return services.purge_expired()
