"""Workflow tasks (the inbox items) and in-app notifications.

``CaseTask`` is viewflow's task with the case's jurisdiction copied onto it
(district, province, team, the role whose queue it sits in, the due time), so
that every inbox is one index-backed query on one table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from viewflow.workflow.models import AbstractTask, Process
from viewflow.workflow.status import STATUS

from workflows import process


class CaseTask(AbstractTask):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="case_tasks", verbose_name=_("กระบวนการ")
    )
    data = models.JSONField(default=dict, blank=True)
    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, null=True, related_name="tasks", verbose_name=_("เรื่องร้องเรียน")
    )
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, null=True, related_name="+")
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, null=True, related_name="+")
    team = models.ForeignKey("cases.Team", on_delete=models.PROTECT, null=True, related_name="+")
    # The role whose queue holds the task (core.roles.Role), empty for
    # the flow's own steps (start, routing, end).
    queue = models.CharField(_("คิวงานของ"), max_length=32, blank=True)
    due_at = models.DateTimeField(_("กำหนดเสร็จ"), null=True, blank=True)
    # The due time the SLA check last reported as missed: a task is reported once
    # per deadline, again only if a new deadline (after a progress report) lapses.
    overdue_notified_for = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["data", "token", "flow_task_type", "external_task_id", "scheduled", "overdue_notified_for"]
    )

    @property
    def label(self) -> str:
        """The human task's name for the reader (``workflows.process``); empty for the flow's own steps."""
        return process.label(self.flow_task.name if self.flow_task else "")

    class Meta:
        verbose_name = _("งาน")
        verbose_name_plural = _("งาน")
        indexes = [
            # "My tasks": open tasks a person holds, newest first.
            models.Index(
                fields=["owner", "-created", "-id"],
                name="casetask_mine",
                condition=Q(status=STATUS.NEW, owner__isnull=False),
            ),
            # Queues: unclaimed open tasks of a role in a district, a province or a team.
            models.Index(
                fields=["queue", "district", "-created", "-id"],
                name="casetask_queue_district",
                condition=Q(status=STATUS.NEW, owner__isnull=True),
            ),  # fmt: skip
            models.Index(
                fields=["queue", "province", "-created", "-id"],
                name="casetask_queue_province",
                condition=Q(status=STATUS.NEW, owner__isnull=True),
            ),  # fmt: skip
            models.Index(
                fields=["queue", "team", "-created", "-id"],
                name="casetask_queue_team",
                condition=Q(status=STATUS.NEW, owner__isnull=True),
            ),  # fmt: skip
            # "Done by me".
            models.Index(fields=["owner", "-finished", "-id"], name="casetask_done", condition=Q(status=STATUS.DONE)),
            models.Index(fields=["complaint", "status"], name="casetask_complaint"),
            models.Index(fields=["due_at"], name="casetask_due", condition=Q(status=STATUS.NEW)),
            # A district's overdue work, most overdue first (the head's dashboard).
            models.Index(fields=["district", "due_at"], name="casetask_district_due", condition=Q(status=STATUS.NEW)),
        ]

    def __str__(self) -> str:
        return f"{self.flow_task} #{self.pk} ({self.status})"

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


class Notification(models.Model):
    """An in-app notice for one person. ``key`` makes each notice once-only, so
    that a periodic check run twice does not notify twice.

    A notice stores what happened (the case event, or ``data`` for the SLA
    check), not a sentence: ``workflows.notify.render`` words it in the
    reader's language when it is read. ``message`` is the text of notices
    written before that, kept as their fallback.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.ForeignKey("cases.CaseEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    message = models.CharField(_("ข้อความ"), max_length=500, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.message or f"{self.kind} #{self.pk}"
