"""The Celery application.

Without ``REDIS_URL`` tasks run eagerly (inline) so that the embedded run needs no
worker; with it, Redis is the broker and the reliability settings in
``core.settings.base`` (late acknowledgement, reject on worker loss, prefetch 1,
visibility timeout above the longest task) apply.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.base")

app = Celery("damrongdhama")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
