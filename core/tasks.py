from celery import shared_task
from django.core.cache import cache


@shared_task(name="core.ping")
def ping(token: str = "") -> str:
    """Answer ``pong`` and, given a token, leave it in the cache for a minute.

    Lets an operator or a test see that a worker consumed the queue without a
    result backend (``celery -A core call core.ping --args='["t1"]'``).
    """
    if token:
        cache.set(f"core.ping:{token}", "pong", timeout=60)
    return "pong"


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Hand the due outbox messages to the broker (beat runs this every few seconds)."""
    from core import outbox  # core.outbox imports the Celery app, which loads this module

    return outbox.relay().sent


@shared_task(name="core.purge_outbox", ignore_result=True)
def purge_outbox() -> int:
    """Delete long-sent outbox messages (beat runs this daily)."""
    from core import outbox  # as in relay_outbox

    return outbox.purge_sent()
