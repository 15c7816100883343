"""Settings of a worker process that a test starts (tests/core/test_celery.py).

The test's own database and Redis come from the environment; the visibility
timeout is short so that the task of a worker killed with SIGKILL comes back in
seconds. (In production it is two hours: longer than the longest task, or a
running task would be delivered twice. A killed worker's task then waits that long.)
"""

import os

from core.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["TEST_DATABASE_NAME"]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
# kombu sweeps for abandoned messages every interval × throttle seconds (100 by default).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
