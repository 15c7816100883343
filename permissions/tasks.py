from celery import shared_task


@shared_task(name="permissions.expire_shares", ignore_result=True)
def expire_shares() -> int:
    """Every minute (Celery beat): end the case shares whose time is up."""
    from permissions.services import expire_shares as run

    return run()
