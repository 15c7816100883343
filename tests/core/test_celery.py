import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from cases import services
from cases.models import Complaint
from core import outbox
from core.celery import app
from core.models import OutboxMessage
from core.tasks import ping
from tests.case_fixtures import intake_data
from tests.cases.test_intake import form_data
from tests.core.test_outbox import celery_conf
from workflows.models import Notification


def test_reliable_delivery_settings():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    # Redis re-delivers unacknowledged tasks after the visibility timeout: it must
    # outlast the longest task or that task runs twice.
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


def test_tasks_run_inline_without_a_broker():
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL; CI (.ci/run) always sets it")
def test_a_real_worker_consumes_the_redis_queue(settings):
    from celery.contrib.testing.worker import start_worker

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            ping.delay(token)
            deadline = time.monotonic() + 20
            while cache.get(f"core.ping:{token}") is None and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert cache.get(f"core.ping:{token}") == "pong"


def test_embedded_run_is_eager_without_redis():
    if not os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("memory://")


# --- A broker of the test's own: Redis stopped and started again --------------------------

needs_redis_and_postgres = pytest.mark.skipif(
    shutil.which("redis-server") is None or connection.vendor != "postgresql",
    reason="needs the redis-server binary and PostgreSQL (a worker reads what the test committed); CI has both",
)
QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE


def wait_until(condition, *, timeout: float = 90, what: str = "the condition") -> None:
    """Poll ``condition`` until it holds; generous, for a loaded machine."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class OwnRedis:
    """A redis-server on a free port, never the shared one, that the test may stop."""

    def __init__(self, workdir: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.workdir = workdir
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, what="redis-server to start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.process = None

    def answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.ConnectionError:
            return False

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def idle(self) -> bool:
        """Nothing queued, nothing delivered and unacknowledged."""
        return self.client().llen(QUEUE) == 0 and self.client().hlen("unacked") == 0


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    yield server
    if server.process is not None:
        server.stop()


@needs_redis_and_postgres
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_pages_redirect_and_each_effect_runs_once_when_it_is_back(
    own_redis, alice, amy, harry, team, signed_in, settings
):
    from celery.contrib.testing.worker import start_worker

    # given production's wiring, broker and cache on one Redis, which then goes down
    own_redis.start()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": own_redis.url}}
    with celery_conf(task_always_eager=False, broker_url=own_redis.url):
        client = signed_in(alice)
        own_redis.stop()

        # when Alice records a complaint and proposes a team
        response = client.post(reverse("cases:intake"), form_data())
        assert response.status_code == 302
        case = Complaint.objects.get()
        assert response.url == case.get_absolute_url()
        response = client.post(
            reverse("cases:action", args=[case.pk, "propose_assignment"]),
            {"expected_status": "received", "team": team.pk, "note": ""},
        )
        assert response.status_code == 302
        assert OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count() == 2
        assert not Notification.objects.exists()

        # then, Redis back, the relay and a real worker run each effect once
        own_redis.start()
        assert outbox.relay().sent == 2
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            wait_until(lambda: Notification.objects.count() >= 2, what="the notices")
            wait_until(own_redis.idle, what="the queue to drain")
        assert outbox.relay().sent == 0

    told = sorted(Notification.objects.values_list("recipient_id", "event__action"))
    assert told == sorted([(amy.pk, "intake"), (harry.pk, "propose_assignment")])
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def start_worker_process(own_redis: OwnRedis, name: str, log: Path, pool: str = "solo") -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "REDIS_URL": own_redis.url,
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "core", "worker", "--pool", pool, "--concurrency", "1",
        "--hostname", f"{name}@%h", "--include", "tests.core.worker_probe",
        "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "info",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=log.open("w"), stderr=subprocess.STDOUT)


def lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def hand_over_a_held_notice(own_redis: OwnRedis, alice, monkeypatch, tmp_path: Path) -> Path:
    """A case whose notice is still in the outbox, and on the broker a task that
    carries it and waits for the test's go-ahead; the directory where it notes its steps."""
    own_redis.start()
    monkeypatch.setattr(outbox, "kick", lambda: None)  # the test hands the task over itself
    services.case_intake(actor=alice, district=alice.district, data=intake_data())
    message = OutboxMessage.objects.get()
    work = tmp_path / "work"
    work.mkdir()
    with celery_conf(task_always_eager=False, broker_url=own_redis.url), app.connection_for_write() as broker:
        app.send_task(
            "tests.hold_then_run",
            kwargs={"task_name": message.task_name, "kwargs": message.kwargs, "workdir": str(work)},
            connection=broker,
        )
    return work


@needs_redis_and_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_leaves_it_to_the_next_which_completes_it_once(
    own_redis, alice, amy, tmp_path, monkeypatch
):
    # given a held task on the broker
    work = hand_over_a_held_notice(own_redis, alice, monkeypatch, tmp_path)

    # when the worker is killed (SIGKILL: no clean-up, no acknowledgement) while it runs the task
    first = start_worker_process(own_redis, "first", tmp_path / "first.log")
    try:
        wait_until(lambda: lines(work / "starts") == 1, timeout=120, what="the first worker to start the task")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    assert first.returncode == -signal.SIGKILL
    assert not Notification.objects.exists() and lines(work / "done") == 0
    (work / "go").touch()

    # then a new worker gets the task back and completes it; the effect happens once
    second = start_worker_process(own_redis, "second", tmp_path / "second.log")
    try:
        wait_until(lambda: lines(work / "done") >= 1, timeout=180, what="the second worker to complete the task")
        wait_until(own_redis.idle, what="the queue to drain")
    finally:
        second.terminate()
        second.wait(timeout=60)
    assert lines(work / "starts") >= 2
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [amy.pk]


@needs_redis_and_postgres
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_mid_task_has_the_task_run_again_once(own_redis, alice, amy, tmp_path, monkeypatch):
    """Production's prefork pool: the OOM killer (or an operator) kills the child
    that runs the task while the worker lives on. Without ``task_reject_on_worker_lost``
    Celery acknowledges the message as failed and the notice is lost; with it the
    message goes back on the queue and the worker's next child runs it."""
    # given a held task on the broker, taken by the one child of a prefork worker
    work = hand_over_a_held_notice(own_redis, alice, monkeypatch, tmp_path)
    worker = start_worker_process(own_redis, "prefork", tmp_path / "prefork.log", pool="prefork")
    try:
        wait_until(lambda: lines(work / "starts") == 1, timeout=120, what="the pool child to start the task")
        child = int((work / "starts").read_text().split()[0])
        assert child != worker.pid

        # when that child is killed mid-task
        os.kill(child, signal.SIGKILL)
        wait_until(lambda: lines(work / "starts") == 2, timeout=180, what="a new child to take the task again")
        assert not Notification.objects.exists() and lines(work / "done") == 0
        (work / "go").touch()

        # then the worker's new child completes it, and the effect happens once
        wait_until(lambda: lines(work / "done") == 1, timeout=180, what="the new child to complete the task")
        wait_until(own_redis.idle, what="the queue to drain")
        assert worker.poll() is None, "the worker itself lives on"
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert int((work / "starts").read_text().split()[1]) != child
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [amy.pk]
