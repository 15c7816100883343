"""The write path's one door to the workflow above it.

``cases`` sits below ``workflows`` (DESIGN.md, "Apps"): the case services must move a
case's workflow tasks and tell whose move it is next, but must not import the app that
imports them. The workflows app installs its engine here when Django starts
(``workflows.apps.WorkflowsConfig.ready``); the services call ``workflow()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from cases.models import CaseEvent, Complaint
    from core.models import User


class WorkflowError(Exception):
    """The workflow refused a step (its task is locked, or closed); ``message`` is for the user."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


class Workflow(Protocol):
    def start(self, case: Complaint) -> None:
        """Open the workflow of a case just recorded."""

    def perform(self, case: Complaint, *, action: str, actor: User | None, apply: Callable[[], object]) -> object:
        """Run ``apply`` (the transition ``action``) as the work of the case's open task."""

    def progress_reported(self, case: Complaint) -> None:
        """A progress report: the open task stays, its clock restarts."""

    def announce(self, case: Complaint, event: CaseEvent) -> None:
        """Tell whose move it is now of ``event``, after commit (through the outbox)."""

    def case_page(self, user: User, case: Complaint) -> dict:
        """The case page's workflow part (its open task, the tasks' history)."""


_installed: Workflow | None = None


def install(port: Workflow) -> None:
    global _installed
    _installed = port


def workflow() -> Workflow:
    if _installed is None:
        raise ImproperlyConfigured("No workflow engine installed: add 'workflows' to INSTALLED_APPS.")
    return _installed
