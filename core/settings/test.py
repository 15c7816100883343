"""Settings for the test suite: base settings with a fast password hasher.

Everything else (DATABASE_URL, REDIS_URL) comes from the environment, so the
same suite runs embedded (SQLite) and in CI (PostgreSQL and Redis).
"""

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
