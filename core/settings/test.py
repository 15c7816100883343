"""Settings for the test suite: base settings with a fast password hasher.

Everything else (DATABASE_URL, REDIS_URL) comes from the environment, so the
same suite runs embedded (SQLite) and in CI (PostgreSQL and Redis).
"""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline unless a test starts a real worker (tests/core/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
AUDIT_ANCHOR_PATH = None  # no checkpoint file unless a test names one (tests/audit/test_anchors.py)
# Static files come from the finders in tests (pytest-django's live server
# serves them); there is no collectstatic output to point WhiteNoise at.
STATIC_ROOT = None

# pytest-xdist runs the suite in two processes (one per core: `make test`). Each has its
# own test database (pytest-django suffixes the name), and here its own media folder and
# Redis database for the cache, so that one worker's ``cache.clear()`` (a FLUSHDB) or rate
# counters never reach the other's. The broker stays shared: tests that use a real
# worker or broker run on one process (their ``xdist_group``).
# Without xdist the cache is on database 1 all the same: every test empties the cache
# (tests/conftest.py), and the broker's database must never be the one emptied.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER:
    MEDIA_ROOT = VAR_DIR / f"test-media-{_WORKER}"  # noqa: F405
if REDIS_URL:  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = 1 + int(_WORKER.removeprefix("gw") or 0)
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db}"))  # noqa: F405
