"""A task for the worker-crash test (tests/core/test_celery.py), loaded into the
worker process with ``celery worker -I tests.core.worker_probe``."""

import os
import time
from pathlib import Path

from celery import current_app, shared_task


@shared_task(name="tests.hold_then_run", ignore_result=True)
def hold_then_run(task_name: str, kwargs: dict, workdir: str) -> None:
    """Note a start, wait for the test's go-ahead file, run ``task_name`` inline, note the end.

    The test kills the worker while this waits: "mid-task", at a moment it chose.
    """
    work = Path(workdir)
    with (work / "starts").open("a") as log:
        log.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + 600
    while not (work / "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never gave the go-ahead")
        time.sleep(0.05)
    current_app.tasks[task_name](**kwargs)
    with (work / "done").open("a") as log:
        log.write(f"{os.getpid()}\n")
