"""The transactional outbox (core/outbox.py): a side effect is a row written with
the change, relayed to Celery after the commit, retried with back-off, set aside
after its last attempt and replayed from the admin; a broker that is down never
reaches the user."""

import datetime as dt
import socket
import uuid
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Complaint
from core import outbox
from core.celery import app
from core.models import OutboxMessage
from tests.cases.test_intake import form_data

pytestmark = pytest.mark.django_db

State = OutboxMessage.State


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def celery_conf(**values):
    """Change Celery's configuration for a while (app.conf is not monkeypatch-able)."""
    before = {name: app.conf[name] for name in values}
    app.conf.update(values)
    try:
        yield
    finally:
        app.conf.update(before)


@pytest.fixture
def broker_down():
    """Celery as in production (not eager), with its Redis unreachable."""
    with celery_conf(task_always_eager=False, broker_url=f"redis://127.0.0.1:{closed_port()}/0"):
        yield


def ping(key: str, **fields) -> OutboxMessage:
    token = uuid.uuid4().hex
    return OutboxMessage.objects.create(task_name="core.ping", kwargs={"token": token}, key=key, **fields)


def ponged(message: OutboxMessage) -> bool:
    return cache.get(f"core.ping:{message.kwargs['token']}") == "pong"


# --- enqueue ------------------------------------------------------------------------------


def test_a_message_is_written_in_the_callers_transaction_and_rolls_back_with_it():
    with transaction.atomic():
        outbox.enqueue("core.ping", kwargs={"token": "kept"}, key="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("core.ping", kwargs={"token": "lost"}, key="lost")
        raise RuntimeError("the change failed")

    assert list(OutboxMessage.objects.values_list("key", "state", "attempts")) == [("kept", State.PENDING, 0)]


def test_the_same_effect_is_enqueued_once():
    outbox.enqueue("core.ping", kwargs={"token": "a"}, key="effect-1")
    outbox.enqueue("core.ping", kwargs={"token": "a"}, key="effect-1")

    assert OutboxMessage.objects.filter(key="effect-1").count() == 1


def test_enqueue_never_talks_to_the_broker(monkeypatch, django_capture_on_commit_callbacks):
    def no_broker(*args, **kwargs):
        raise AssertionError("the broker was contacted inside the transaction")

    monkeypatch.setattr(app, "connection_for_write", no_broker)

    with celery_conf(task_always_eager=False), django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.enqueue("core.ping", kwargs={"token": "t"}, key="quiet")

    assert OutboxMessage.objects.filter(key="quiet", state=State.PENDING).exists()
    assert callbacks == [outbox.kick]  # the only thing left for after the commit


def test_the_kick_after_commit_swallows_a_broker_that_is_down(broker_down, caplog):
    ping("waiting")

    outbox.kick()  # does not raise

    assert "periodic relay" in caplog.text
    assert OutboxMessage.objects.get(key="waiting").state == State.PENDING


# --- relay --------------------------------------------------------------------------------


def test_the_relay_runs_each_due_message_once_and_marks_it_sent():
    due = ping("due")
    later = ping("later", available_at=timezone.now() + dt.timedelta(hours=1))

    result = outbox.relay()

    assert (result.sent, result.retried, result.dead) == (1, 0, 0)
    assert ponged(due) and not ponged(later)
    due.refresh_from_db()
    assert due.state == State.SENT and due.sent_at is not None and due.attempts == 0
    assert outbox.relay().sent == 0  # nothing is sent twice
    assert OutboxMessage.objects.get(pk=later.pk).state == State.PENDING


def test_a_broker_error_backs_off_and_the_rest_keep_their_turn(broker_down):
    first, second = ping("first"), ping("second")
    before = timezone.now()

    result = outbox.relay()

    assert (result.sent, result.retried, result.dead) == (0, 1, 0)
    first.refresh_from_db()
    assert first.state == State.PENDING and first.attempts == 1
    assert first.last_error.startswith("OperationalError")
    assert first.available_at >= before + outbox.BACKOFF_BASE
    second.refresh_from_db()
    assert (second.state, second.attempts, second.last_error) == (State.PENDING, 0, "")


def test_a_message_that_cannot_be_sent_does_not_hold_up_the_others():
    broken = OutboxMessage.objects.create(task_name="nowhere.missing", kwargs={}, key="broken")
    fine = ping("fine")

    result = outbox.relay()

    assert (result.sent, result.retried) == (1, 1)
    assert ponged(fine)
    broken.refresh_from_db()
    assert broken.attempts == 1 and "NotRegistered" in broken.last_error


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 5), (2, 10), (3, 20), (4, 40), (7, 320), (8, 600), (30, 600)])
def test_back_off_doubles_and_is_capped(attempts, seconds):
    assert outbox.backoff(attempts) == dt.timedelta(seconds=seconds)


def test_after_its_last_attempt_a_message_is_dead_until_replayed():
    message = OutboxMessage.objects.create(
        task_name="nowhere.missing", kwargs={}, key="poison", attempts=outbox.MAX_ATTEMPTS - 1
    )

    assert outbox.relay().dead == 1
    message.refresh_from_db()
    assert message.state == State.DEAD and message.attempts == outbox.MAX_ATTEMPTS
    assert outbox.relay().sent == 0  # a dead message is not retried on its own

    # The cause is fixed (here: the task exists now); the operator replays it.
    OutboxMessage.objects.filter(pk=message.pk).update(task_name="core.ping", kwargs={"token": "revived"})
    assert outbox.replay(OutboxMessage.objects.all()) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.PENDING, 0, "")
    assert outbox.relay().sent == 1
    assert cache.get("core.ping:revived") == "pong"


def test_the_relay_task_is_on_the_beat_schedule():
    entry = app.conf.beat_schedule["relay-outbox"]
    assert entry["task"] == "core.relay_outbox" and entry["schedule"] <= 10
    assert "core.relay_outbox" in app.tasks


def test_sent_messages_are_deleted_after_the_retention_the_rest_stay(settings):
    settings.OUTBOX_RETENTION_DAYS = 14
    now = timezone.now()
    old_sent = OutboxMessage.objects.create(
        task_name="core.ping", key="old-sent", state=State.SENT, sent_at=now - dt.timedelta(days=15)
    )
    new_sent = OutboxMessage.objects.create(
        task_name="core.ping", key="new-sent", state=State.SENT, sent_at=now - dt.timedelta(days=13)
    )
    old_dead = OutboxMessage.objects.create(
        task_name="core.ping", key="old-dead", state=State.DEAD, created_at=now - dt.timedelta(days=90)
    )
    old_pending = OutboxMessage.objects.create(
        task_name="core.ping", key="old-pending", created_at=now - dt.timedelta(days=90)
    )

    assert outbox.purge_sent(now=now) == 1

    left = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert left == {new_sent.pk, old_dead.pk, old_pending.pk} and old_sent.pk not in left
    entry = app.conf.beat_schedule["purge-outbox"]
    assert entry["task"] == "core.purge_outbox" and "core.purge_outbox" in app.tasks


# --- the admin page ---------------------------------------------------------------------


def test_the_admin_lists_messages_by_state_and_replays_the_dead(ada, signed_in):
    dead = ping("dead", state=State.DEAD, attempts=outbox.MAX_ATTEMPTS, last_error="OperationalError: refused")
    sent = ping("sent", state=State.SENT, sent_at=timezone.now())
    client = signed_in(ada)
    changelist = reverse("admin:core_outboxmessage_changelist")

    page = client.get(changelist, {"state__exact": State.DEAD}).content.decode()
    assert f'value="{dead.pk}"' in page and f'value="{sent.pk}"' not in page
    assert "OperationalError: refused" in page

    response = client.post(changelist, {"action": "replay", "_selected_action": [dead.pk, sent.pk]}, follow=True)

    assert response.status_code == 200
    dead.refresh_from_db()
    sent.refresh_from_db()
    assert (dead.state, dead.attempts) == (State.PENDING, 0)
    assert sent.state == State.SENT  # only dead messages are replayed
    assert AuditEvent.objects.filter(actor_id=ada.pk, detail__contains=f"replayed: [{dead.pk}]").exists()
    assert client.get(reverse("admin:core_outboxmessage_add")).status_code == 403


# --- the pages, with the broker down ------------------------------------------------------


def test_intake_and_a_transition_redirect_as_usual_while_the_broker_is_down(
    alice, harry, team, signed_in, broker_down, django_capture_on_commit_callbacks
):
    client = signed_in(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:intake"), form_data())
    assert response.status_code == 302
    case = Complaint.objects.get()
    assert response.url == case.get_absolute_url()

    client = signed_in(harry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:action", args=[case.pk, "reject"]),
            {"expected_status": "received", "reason": "ไม่ใช่เรื่องร้องเรียน"},
        )
    assert response.status_code == 302

    events = list(case.events.order_by("pk").values_list("pk", flat=True))
    queued = OutboxMessage.objects.filter(state=State.PENDING).order_by("pk")
    assert [m.key for m in queued] == [f"notify:event:{pk}" for pk in events]
