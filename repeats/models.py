"""Repeat complaints: each case's fingerprint (what it is matched by), the relations found
between cases (suggested by the sweep, linked by an officer, dismissed, unlinked, merged),
and the sweep's runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from repeats.fields import KeyArrayField


class Relation(models.TextChoices):
    COMPLAINANT = "complainant", _("ผู้ร้องรายเดิม")
    RESPONDENT = "respondent", _("ผู้ถูกร้องรายเดิม")
    GRIEVANCE = "grievance", _("เรื่องเดียวกัน")


class Fingerprint(models.Model):
    """What a case is matched by, computed once when it is recorded (``repeats.indexing``).

    ``keys`` holds every lookup key of the case, each a 64-bit hash of its kind and value:
    complainants' national IDs, phonetic name keys and phones; respondents' IDs,
    organisation names (abbreviations expanded) and accounts; and the LSH bands of the
    MinHash of its subject and description. One GIN index answers "which cases share a
    key with this one" for all three relations at once; the few candidates are then
    scored exactly (``repeats.matching``)."""

    complaint = models.OneToOneField(
        "cases.Complaint", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    keys = KeyArrayField(default=list)
    # The MinHash signature of the text (uint32 values), to estimate the similarity of a candidate.
    signature = models.BinaryField(default=b"")
    # The version of the algorithm that made it: a change of normalisation re-indexes.
    version = models.PositiveSmallIntegerField(default=1)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ลายนิ้วมือของเรื่อง")
        verbose_name_plural = _("ลายนิ้วมือของเรื่อง")

    def __str__(self) -> str:
        return f"fingerprint of {self.complaint_id}"


class RepeatLink(models.Model):
    """Two cases related as repeats: ``case`` is the later one, ``other`` the earlier."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("รอพิจารณา")  # found by the sweep, for the owning heads to review
        LINKED = "linked", _("เชื่อมโยงแล้ว")
        DISMISSED = "dismissed", _("ไม่ใช่เรื่องซ้ำ")
        UNLINKED = "unlinked", _("ยกเลิกการเชื่อมโยง")
        MERGED = "merged", _("รวมเรื่องแล้ว")

    case = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="repeat_links")
    other = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="repeat_links_in")
    relation = models.CharField(_("ความสัมพันธ์"), max_length=20, choices=Relation.choices)
    score = models.FloatField(_("คะแนนความคล้าย"), null=True, blank=True)
    # [{"code": ..., "label": ..., "detail": ...}] as the matching gave them.
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(_("สถานะ"), max_length=20, choices=State.choices, default=State.SUGGESTED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(  # nobody: the nightly sweep
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("เหตุผล"), blank=True)

    class Meta:
        verbose_name = _("ความเชื่อมโยงเรื่องซ้ำ")
        verbose_name_plural = _("ความเชื่อมโยงเรื่องซ้ำ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "other", "relation"], name="repeat_link_unique"),
            models.CheckConstraint(condition=~Q(case=models.F("other")), name="repeat_link_two_cases"),
        ]
        indexes = [
            models.Index(fields=["other", "state"], name="repeat_link_other_state"),
            models.Index(fields=["state", "-created_at"], name="repeat_link_state_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.other_id} ({self.relation}, {self.state})"


class SweepRun(models.Model):
    """One run of the national sweep (``repeats.sweep``): the next run starts where it ended."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The cases recorded after this moment were compared with everything.
    since = models.DateTimeField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    cases_checked = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"sweep {self.started_at:%Y-%m-%d %H:%M}"
