"""The transactional outbox: side effects written with the change, sent to Celery later.

A service calls ``enqueue`` inside its transaction. The row commits with the
change or not at all, and nothing in the request talks to the broker before the
commit, so a Redis outage cannot turn a saved action into an error page, nor a
rolled-back one into a notice. After the commit a best-effort ``kick`` asks a
worker to relay at once; Celery beat runs ``core.relay_outbox`` every few
seconds anyway, so a lost kick only delays the effect.

Why the effect happens exactly once: the relay delivers *at least* once. It
marks a row sent only after the broker accepted the task, in the same
transaction that holds the row's lock, so a crash between the two sends the
task again; a worker killed mid-task gets it back too (late acknowledgement,
reject on worker loss). Every consumer is therefore idempotent, keyed by what
it acts on (the notification task writes one row per event and recipient under
a unique constraint). At-least-once delivery of an idempotent effect is an
effect that happens once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.celery import app
from core.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = dt.timedelta(seconds=5)
BACKOFF_CAP = dt.timedelta(minutes=10)
BATCH_SIZE = 100

State = OutboxMessage.State


def enqueue(task_name: str, *, kwargs: dict, key: str, delay: dt.timedelta | None = None) -> None:
    """Record that ``task_name(**kwargs)`` must run once the caller's transaction commits
    (and ``delay`` has passed: a consumer's own retry, after its back-off).

    ``key`` names the effect: a second ``enqueue`` with the same key is ignored.
    """
    message = OutboxMessage(task_name=task_name, kwargs=kwargs, key=key)
    if delay:
        message.available_at = timezone.now() + delay
    OutboxMessage.objects.bulk_create([message], ignore_conflicts=True)
    transaction.on_commit(kick)


def kick() -> None:
    """Relay now if we can; never raise (the periodic relay catches up).

    Eagerly (no broker: the embedded run, the tests) the relay runs here and
    the tasks inline; otherwise one relay task is published, failing fast when
    the broker is down instead of retrying while the user waits.
    """
    try:
        if app.conf.task_always_eager:
            relay()
            return
        from core.tasks import relay_outbox  # core.tasks imports this module

        with _connection() as connection:
            relay_outbox.apply_async(retry=False, connection=connection)
    except Exception:
        logger.warning("outbox: could not relay after commit; the periodic relay will", exc_info=True)


@dataclass
class RelayResult:
    sent: int = 0
    retried: int = 0
    dead: int = 0


def relay(*, limit: int = BATCH_SIZE) -> RelayResult:
    """Send the due pending messages to the broker; back off or dead-letter those that fail.

    Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``: relays running
    side by side (beat, kicks, several workers) each take different rows, and
    a row is marked sent in the transaction that locked it.
    """
    result = RelayResult()
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=State.PENDING, available_at__lte=timezone.now())
            .order_by("available_at", "id")[:limit]
        )
        if not due:
            return result
        with _connection() as connection:
            for message in due:
                try:
                    _send(message, connection)
                except Exception as error:
                    _failed(message, error, result)
                    if isinstance(error, BrokerError | ConnectionError):
                        # The broker is away: the rest would fail the same way;
                        # they keep their turn (and their attempts) for the next run.
                        break
                    continue
                message.state, message.sent_at, message.last_error = State.SENT, timezone.now(), ""
                message.save(update_fields=["state", "sent_at", "last_error"])
                result.sent += 1
    return result


def replay(messages) -> int:
    """Put dead-lettered messages back in the queue with a fresh set of attempts."""
    return messages.filter(state=State.DEAD).update(
        state=State.PENDING, attempts=0, available_at=timezone.now(), last_error=""
    )


def purge_sent(*, now: dt.datetime | None = None) -> int:
    """Delete the messages sent more than ``OUTBOX_RETENTION_DAYS`` ago; dead ones stay
    until someone replays or deletes them.

    A sent row is kept a while for the administrator's page ("was the notice of
    this case sent, and when?"). Its key is freed with it: keys name one event's
    effect, and no service enqueues an event's effect again weeks later.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(state=State.SENT, sent_at__lt=cutoff).delete()
    return deleted


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure: doubling from 5 s, at most 10 min."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _send(message: OutboxMessage, connection) -> None:
    if message.task_name not in app.tasks:
        # Outside a worker the apps' tasks modules load on first use (autodiscovery).
        app.loader.import_default_modules()
    task = app.tasks[message.task_name]
    if app.conf.task_always_eager:
        # The task runs here: its writes roll back alone if it fails.
        with transaction.atomic():
            task.apply_async(kwargs=message.kwargs, task_id=f"outbox-{message.pk}")
        return
    task.apply_async(kwargs=message.kwargs, task_id=f"outbox-{message.pk}", retry=False, connection=connection)


def _failed(message: OutboxMessage, error: Exception, result: RelayResult) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.state = State.DEAD
        result.dead += 1
        logger.error("outbox: %s dead after %s attempts: %s", message, message.attempts, message.last_error)
    else:
        message.available_at = timezone.now() + backoff(message.attempts)
        result.retried += 1
        logger.warning("outbox: %s failed (attempt %s): %s", message, message.attempts, message.last_error)
    message.save(update_fields=["attempts", "last_error", "state", "available_at"])


def _connection():
    """A broker connection that gives up at the first refusal (redis-py and kombu
    otherwise retry for seconds, which a relay holding row locks should not)."""
    return app.connection_for_write(transport_options={**app.conf.broker_transport_options, "max_retries": 0})
