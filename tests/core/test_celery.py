import os
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from core.celery import app
from core.tasks import ping


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
