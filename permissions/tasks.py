from celery import shared_task

from permissions.services import expire_shares as end_expired_shares


@shared_task(name="permissions.expire_shares", ignore_result=True)
def expire_shares() -> int:
    """Every minute (Celery beat): end the case shares whose time is up."""
    return end_expired_shares()
