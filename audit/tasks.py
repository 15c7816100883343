from celery import shared_task

from audit.anchors import take_checkpoint


@shared_task(name="audit.checkpoint", ignore_result=True)
def checkpoint() -> int | None:
    """Every few minutes (Celery beat): sign the audit chain's head (``audit.anchors``)."""
    taken = take_checkpoint()
    return taken.event_id if taken is not None else None
