from celery import shared_task

from api.services import purge_idempotency_records as purge


@shared_task(name="api.purge_idempotency_records", ignore_result=True)
def purge_idempotency_records() -> int:
    """Daily (Celery beat): forget the answers kept for idempotent requests after API_IDEMPOTENCY_DAYS."""
    return purge()
