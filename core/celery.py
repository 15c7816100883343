"""The Celery application.

Without ``REDIS_URL`` tasks run eagerly (inline) so that the embedded run needs no
worker; with it, Redis is the broker and the reliability settings in
``core.settings.base`` (late acknowledgement, reject on worker loss, prefetch 1,
visibility timeout above the longest task) apply.
"""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask

from core.context import acting_as

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.base")


class AuditedTask(DjangoTask):
    """Tasks act as the system: their history rows and audit rows say so. (DjangoTask
    brings delay_on_commit, which queues a task only once the transaction commits.)"""

    def __call__(self, *args, **kwargs):
        with acting_as(None, channel="task"):
            return super().__call__(*args, **kwargs)


app = Celery("damrongdhama", task_cls="core.celery:AuditedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
