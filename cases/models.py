"""The complaint (เรื่องร้องเรียน) and what hangs from it.

Writes go through ``cases.services`` only; the status field is protected so
that nothing else can move a case.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from cases.actions import label as step_label
from cases.codes import format_tracking_code
from cases.textsearch import SearchVectorField
from core.choices import ChoiceLabels
from core.thai import validate_national_id
from permissions.scoping import visible_complaints


class Status(models.TextChoices):
    RECEIVED = "received", _("รับเรื่องแล้ว")
    ASSIGNMENT_PENDING = "assignment_pending", _("รออนุมัติมอบหมายชุดปฏิบัติการ")
    ASSIGNED = "assigned", _("มอบหมายแล้ว รอชุดปฏิบัติการรับเรื่อง")
    INVESTIGATING = "investigating", _("อยู่ระหว่างดำเนินการ")
    RESOLUTION_PENDING = "resolution_pending", _("รออนุมัติยุติเรื่อง")
    FORWARDED = "forwarded", _("ส่งต่อหน่วยงานอื่น รอผล")
    ESCALATED = "escalated", _("ส่งเรื่องถึงจังหวัด")
    REJECTED = "rejected", _("ไม่รับเรื่อง")
    CLOSED = "closed", _("ยุติเรื่องแล้ว")


OPEN_STATUSES = frozenset(Status.values) - {Status.REJECTED, Status.CLOSED}


# The model's formatting as functions of the fields, so that a history row (a
# simple-history version, which has the fields but not the model's methods) is
# worded as the model words it, without loading the model instance it was.


def case_number(row) -> str:
    """The number officers quote: district/fiscal year/running number, e.g. 7001/2569/000123."""
    return f"{row.number_district_id}/{row.fiscal_year}/{row.running_number:06d}"


def person_name(row) -> str:
    """A complainant's name, or that they asked not to be named."""
    if row.is_anonymous:
        return str(_("ไม่ประสงค์ออกนาม"))
    return f"{row.title}{row.first_name} {row.last_name}".strip()


def status_label(value: str) -> str:
    """A status as the reader says it; a value no longer among the choices as it is."""
    return str(Status(value).label) if value in Status.values else value


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("แก้ไขปัญหาได้")
    PARTLY_RESOLVED = "partly_resolved", _("แก้ไขได้บางส่วน")
    NOT_RESOLVABLE = "not_resolvable", _("แก้ไขไม่ได้")
    WITHDRAWN = "withdrawn", _("ผู้ร้องถอนเรื่อง")
    OUTSIDE_AUTHORITY = "outside_authority", _("ไม่อยู่ในอำนาจหน้าที่")
    # Closed by a head's merge into the case kept for the same grievance (repeats/): not a resolution.
    MERGED = "merged", _("รวมกับเรื่องอื่น")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("มาด้วยตนเอง")
    PHONE = "phone", _("โทรศัพท์")
    LETTER = "letter", _("หนังสือ/จดหมาย")
    ONLINE = "online", _("เว็บไซต์")
    LINE = "line", _("LINE")
    FIELD_TEAM = "field_team", _("ชุดปฏิบัติการพบในพื้นที่")
    OTHER_SYSTEM = "other_system", _("ระบบอื่น/ศูนย์อื่นส่งมา")


class Category(models.Model):
    """A main category (no parent) or a sub-category, managed by administrators."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("ประเภทเรื่องหลัก"),
    )
    name_th = models.CharField(_("ชื่อประเภทเรื่อง"), max_length=200)
    name_en = models.CharField(_("ชื่อประเภทเรื่อง (อังกฤษ)"), max_length=200, blank=True)
    is_other = models.BooleanField(
        _("เป็นประเภท “เรื่องอื่นๆ”"), default=False, help_text=_("ต้องระบุรายละเอียดประเภทเรื่องย่อยเป็นข้อความ")
    )
    closure_days = models.PositiveSmallIntegerField(
        _("กำหนดยุติเรื่อง (วัน)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    first_reply_days = models.PositiveSmallIntegerField(
        _("กำหนดแจ้งผลครั้งแรกแก่ผู้ร้อง (วัน)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    progress_days = models.PositiveSmallIntegerField(
        _("รายงานความคืบหน้าทุก (วัน)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    sort_order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name_th"]
        verbose_name = _("ประเภทเรื่อง")
        verbose_name_plural = _("ประเภทเรื่อง")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name_th"], name="category_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name_th} › {self.name_th}" if self.parent_id else self.name_th

    def due_on(self, received_on: dt.date) -> dt.date:
        """The closure target of a case of this (main) category received (or reopened) on ``received_on``."""
        return received_on + dt.timedelta(days=self.closure_days)


class Team(models.Model):
    """A sub-district operation team (ชุดปฏิบัติการประจำตำบล, ชปต.)."""

    subdistrict = models.ForeignKey(
        "core.Subdistrict", on_delete=models.PROTECT, related_name="teams", verbose_name=_("ตำบล")
    )
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, related_name="teams", verbose_name=_("อำเภอ")
    )
    name = models.CharField(_("ชื่อชุดปฏิบัติการ"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("หัวหน้าชุด"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams", verbose_name=_("สมาชิก")
    )
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["subdistrict_id", "name"]
        verbose_name = _("ชุดปฏิบัติการประจำตำบล")
        verbose_name_plural = _("ชุดปฏิบัติการประจำตำบล")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.district_id = self.subdistrict.district_id
        super().save(*args, **kwargs)


class TeamMembership(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        DEPUTY_CHIEF = "deputy_chief", _("ปลัดอำเภอ")
        OFFICIAL = "official", _("ข้าราชการในพื้นที่")
        KAMNAN = "kamnan", _("กำนัน")
        VILLAGE_HEAD = "village_head", _("ผู้ใหญ่บ้าน")
        VILLAGE_COMMITTEE = "village_committee", _("คณะกรรมการหมู่บ้าน")
        LOCAL_GOVERNMENT = "local_government", _("เจ้าหน้าที่องค์กรปกครองส่วนท้องถิ่น")
        VOLUNTEER = "volunteer", _("อาสาสมัคร")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    kind = models.CharField(_("ประเภทสมาชิก"), max_length=30, choices=Kind.choices, default=Kind.OFFICIAL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("สมาชิกชุดปฏิบัติการ")
        verbose_name_plural = _("สมาชิกชุดปฏิบัติการ")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class RunningNumber(models.Model):
    """The last running number issued per district and Buddhist fiscal year."""

    district = models.ForeignKey("core.District", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "fiscal_year"], name="running_number_unique")]

    def __str__(self) -> str:
        return f"{self.district_id}/{self.fiscal_year}: {self.last}"


# The states a case may be escalated from (by the head, or by the SLA check).
ESCALATE_SOURCES = [Status.RECEIVED, Status.ASSIGNED, Status.INVESTIGATING, Status.FORWARDED]


# The long texts a row of a list never shows (about 1.6 KB a case): lists leave them unread.
LONG_TEXTS = ("description", "search_vector", "closing_summary", "proposed_summary")


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_list(self):
        return self.defer(*LONG_TEXTS)

    def visible_to(self, user):

        return visible_complaints(self, user)

    def due_for_automatic_escalation(self, today: dt.date):
        """The cases the SLA check sends to the province: past their closure target
        by more than ``SLA_ESCALATION_GRACE_DAYS``, not escalated yet, in a state
        the ``escalate`` transition leaves. The one statement of that rule."""
        limit = today - dt.timedelta(days=settings.SLA_ESCALATION_GRACE_DAYS)
        return self.filter(status__in=ESCALATE_SOURCES, is_escalated=False, due_on__lt=limit)


class Complaint(ConcurrentTransitionMixin, ChoiceLabels, models.Model):
    tracking_code = models.CharField(_("รหัสติดตามเรื่อง"), max_length=32, unique=True, editable=False)
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("ศูนย์ดำรงธรรมอำเภอที่รับผิดชอบ")
    )
    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("จังหวัด")
    )
    # The district whose counter issued the running number. It stays when the
    # case is transferred, so the number officers quote never changes.
    number_district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("อำเภอที่ออกเลขที่รับ")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    running_number = models.PositiveIntegerField(_("เลขที่รับ"))
    channel = models.CharField(_("ช่องทางที่รับเรื่อง"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("วันที่รับเรื่อง"))
    # Empty for a complaint the citizen filed on the public site (channel "online"):
    # nobody at a center recorded it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้บันทึก"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("วันเวลาที่บันทึก"), default=timezone.now)

    main_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("ประเภทเรื่องหลัก")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ประเภทเรื่องย่อย")
    )
    category_other_text = models.CharField(_("รายละเอียดประเภทเรื่อง (เรื่องอื่นๆ)"), max_length=200, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=300)
    description = models.TextField(_("รายละเอียด"))
    incident_subdistrict = models.ForeignKey(
        "core.Subdistrict", on_delete=models.PROTECT, related_name="+", verbose_name=_("ตำบลที่เกิดเหตุ")
    )
    incident_address = models.CharField(_("สถานที่เกิดเหตุ"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(21)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(97), MaxValueValidator(106)],
    )  # fmt: skip

    status = FSMField(_("สถานะ"), max_length=24, choices=Status.choices, default=Status.RECEIVED, protected=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("ชุดปฏิบัติการ")
    )
    is_escalated = models.BooleanField(_("อยู่ในความดูแลของจังหวัด"), default=False)
    outcome = models.CharField(_("ผลการดำเนินการ"), max_length=20, choices=Outcome.choices, blank=True)
    closing_summary = models.TextField(_("สรุปผลการดำเนินการ"), blank=True)
    closed_at = models.DateTimeField(_("วันเวลาที่ยุติเรื่อง"), null=True, blank=True)
    due_on = models.DateField(_("กำหนดยุติเรื่อง"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("แจ้งผลครั้งแรกเมื่อ"), null=True, blank=True)
    last_progress_at = models.DateTimeField(_("รายงานความคืบหน้าล่าสุดเมื่อ"), null=True, blank=True)
    # The summary proposed with the resolution, until the head approves it.
    proposed_outcome = models.CharField(_("ผลที่เสนอ"), max_length=20, choices=Outcome.choices, blank=True)
    proposed_summary = models.TextField(_("สรุปผลที่เสนอ"), blank=True)

    # The case's Thai words and those of its documents' pages, with their positions
    # (cases.search); a GIN index on PostgreSQL (migration 0012). The version says which
    # rules made them: ``manage.py reindex_search --outdated`` redoes older ones.
    search_vector = SearchVectorField(editable=False, default="")
    search_version = models.PositiveSmallIntegerField(editable=False, default=0)
    # A key the intake form carries, so that a double submit creates one case.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # An earlier record imported (imports/): where it came from and its key there, so that a
    # second import of the same row changes nothing. Database defaults: bench/generate copies
    # rows without these columns.
    source = models.CharField(_("แหล่งข้อมูลเดิม"), max_length=60, blank=True, default="", db_default="")
    source_key = models.CharField(_("รหัสอ้างอิงเดิม"), max_length=200, blank=True, default="", db_default="")
    # The case this one was merged into (repeats.services.merge): its number opens that case.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("รวมกับเรื่อง"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="merged_cases", editable=False,
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_vector", "search_version", "updated_at"])

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("เรื่องร้องเรียน")
        verbose_name_plural = _("เรื่องร้องเรียน")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_district", "fiscal_year", "running_number"], name="complaint_number_unique"
            ),
            models.UniqueConstraint(
                fields=["source", "source_key"], name="complaint_source_key_unique", condition=~models.Q(source_key="")
            ),
        ]
        indexes = [
            # The case list: a district's cases, newest first, by status; keyset on (received_on, id).
            models.Index(fields=["district", "-received_on", "-id"], name="complaint_district_recent"),
            models.Index(fields=["district", "status", "-received_on", "-id"], name="complaint_district_status"),
            models.Index(fields=["province", "-received_on", "-id"], name="complaint_province_recent"),
            models.Index(fields=["province", "status", "-received_on", "-id"], name="complaint_province_status"),
            # A national officer's list: everything, or one status, newest first.
            models.Index(fields=["-received_on", "-id"], name="complaint_recent"),
            models.Index(fields=["status", "-received_on", "-id"], name="complaint_status_recent"),
            # The open cases newest first, due_on read from the index itself: the national
            # "overdue" filter walks it past the young open cases without a heap fetch each.
            models.Index(
                fields=["-received_on", "-id", "due_on"],
                name="complaint_open_recent",
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
            ),
            models.Index(fields=["team", "status"], name="complaint_team_status"),
            models.Index(fields=["team", "-received_on", "-id"], name="complaint_team_recent"),
            models.Index(fields=["district", "due_on"], name="complaint_district_due"),
            # A district's closures of a period (the resolution rate).
            models.Index(
                fields=["district", "closed_at"], name="complaint_district_closed", condition=models.Q(status="closed")
            ),
            # A GIN index on search_vector exists on PostgreSQL only (migration 0012);
            # SQLite scans, which is fine at its scale.
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    def refresh_from_db(self, *args, fields=None, **kwargs) -> None:
        """Reload from the database, the protected status included, safely across threads.

        django-fsm's ``FSMModelMixin.refresh_from_db`` lifts the protection on the
        *field*, which every instance in every thread shares, while it reloads: two
        threads refreshing at once (the case services lock by refreshing) could find it
        restored mid-way and fail. Dropping this instance's own value lets the
        descriptor take the fresh one without touching the field.
        """
        if fields is None or "status" in fields:
            self.__dict__.pop("status", None)
        models.Model.refresh_from_db(self, *args, fields=fields, **kwargs)
        self._update_initial_state()  # ConcurrentTransitionMixin: saves compare against this

    number = property(case_number)

    @property
    def tracking_code_display(self) -> str:

        return format_tracking_code(self.tracking_code)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    def kept_case(self) -> Complaint:
        """The case this one was merged into, followed to its end (a kept case may be
        merged in turn); itself when it was not merged. One query a step."""
        case, seen = self, {self.pk}
        while case.merged_into_id is not None and case.merged_into_id not in seen:
            seen.add(case.merged_into_id)
            case = type(self).objects.select_related("district__province").get(pk=case.merged_into_id)
        return case

    # --- The state machine: DESIGN.md's table. Who may fire each transition is
    # checked by cases.services through permissions.rules; these methods only
    # say which state leads where.

    @transition(status, source=Status.RECEIVED, target=Status.ASSIGNMENT_PENDING)
    def propose_assignment(self, team: Team) -> None:
        self.team = team

    @transition(status, source=Status.ASSIGNMENT_PENDING, target=Status.ASSIGNED)
    def approve_assignment(self) -> None:
        pass

    @transition(status, source=Status.ASSIGNMENT_PENDING, target=Status.RECEIVED)
    def send_back_assignment(self) -> None:
        self.team = None

    @transition(status, source=Status.ASSIGNED, target=Status.INVESTIGATING)
    def accept(self) -> None:
        self.last_progress_at = timezone.now()

    @transition(status, source=Status.INVESTIGATING, target=Status.INVESTIGATING)
    def report_progress(self) -> None:
        self.last_progress_at = timezone.now()
        self.first_reply_at = self.first_reply_at or self.last_progress_at

    @transition(status, source=[Status.INVESTIGATING, Status.ESCALATED], target=Status.RESOLUTION_PENDING)
    def propose_resolution(self, outcome: str, summary: str) -> None:
        self.proposed_outcome, self.proposed_summary = outcome, summary

    @transition(status, source=Status.RESOLUTION_PENDING, target=Status.CLOSED)
    def approve_closure(self, outcome: str, summary: str) -> None:
        self.outcome, self.closing_summary, self.closed_at = outcome, summary, timezone.now()
        self.first_reply_at = self.first_reply_at or self.closed_at

    # DESIGN.md sends a refused resolution back to investigating; an escalated
    # case goes back to the province that proposed it instead, since the
    # district no longer handles it.
    @transition(status, source=Status.RESOLUTION_PENDING, target=RETURN_VALUE(Status.INVESTIGATING, Status.ESCALATED))
    def send_back_resolution(self) -> str:
        self.proposed_outcome, self.proposed_summary = "", ""
        return Status.ESCALATED if self.is_escalated else Status.INVESTIGATING

    @transition(status, source=[Status.RECEIVED, Status.INVESTIGATING], target=Status.FORWARDED)
    def forward(self) -> None:
        pass

    @transition(status, source=Status.FORWARDED, target=Status.INVESTIGATING)
    def agency_replied(self) -> None:
        pass

    @transition(status, source=ESCALATE_SOURCES, target=Status.ESCALATED)
    def escalate(self) -> None:
        self.is_escalated = True

    @transition(status, source=Status.ESCALATED, target=Status.RECEIVED)
    def return_to_district(self) -> None:
        self.is_escalated = False
        self.team = None

    @transition(status, source=Status.RECEIVED, target=Status.RECEIVED)
    def transfer(self, district) -> None:
        self.district = district
        self.province_id = district.province_id
        self.team = None

    @transition(status, source=Status.RECEIVED, target=Status.REJECTED)
    def reject(self) -> None:
        self.closed_at = timezone.now()

    @transition(status, source=list(OPEN_STATUSES), target=Status.CLOSED)
    def withdraw(self) -> None:
        self.outcome, self.closed_at = Outcome.WITHDRAWN, timezone.now()

    # A head merges a case that is the same grievance from the same complainant into the
    # case kept for it (repeats.services.merge): closed, but not resolved (the resolution
    # rate leaves it out); its number opens the kept case.
    @transition(status, source=list(OPEN_STATUSES), target=Status.CLOSED)
    def merge(self, into: Complaint, summary: str) -> None:
        self.outcome, self.closing_summary, self.closed_at = Outcome.MERGED, summary, timezone.now()
        self.merged_into = into
        self.proposed_outcome, self.proposed_summary = "", ""
        self.first_reply_at = self.first_reply_at or self.closed_at

    @transition(status, source=Status.CLOSED, target=Status.RECEIVED)
    def reopen(self) -> None:
        self.outcome, self.closing_summary, self.closed_at = "", "", None
        self.due_on = self.main_category.due_on(timezone.localdate())
        self.proposed_outcome, self.proposed_summary = "", ""
        self.is_escalated = False
        self.team = None
        self.merged_into = None  # a merged case reopened is a case of its own again


class Complainant(models.Model):
    """The person who complains. The national ID is optional (non-Thai people
    complain too) but checked when given."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="complainants")
    is_anonymous = models.BooleanField(_("ไม่ประสงค์ออกนาม"), default=False)
    is_confidential = models.BooleanField(
        _("ปกปิดข้อมูลผู้ร้อง"), default=False, help_text=_("แสดงชื่อและข้อมูลติดต่อเฉพาะผู้รับผิดชอบเรื่อง")
    )
    national_id = models.CharField(_("เลขประจำตัวประชาชน"), max_length=13, blank=True, validators=[validate_national_id])
    title = models.CharField(_("คำนำหน้านาม"), max_length=60, blank=True)
    first_name = models.CharField(_("ชื่อตัว"), max_length=100, blank=True)
    last_name = models.CharField(_("ชื่อสกุล"), max_length=100, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=40, blank=True)
    # Where the complainant is told of the case's steps (public.notices); never shown to
    # anyone the complainant's identity is hidden from.
    email = models.EmailField(_("อีเมล"), blank=True)
    address = models.CharField(_("ที่อยู่"), max_length=300, blank=True)
    subdistrict = models.ForeignKey(
        "core.Subdistrict", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ตำบล")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผู้ร้อง")
        verbose_name_plural = _("ผู้ร้อง")
        indexes = [models.Index(fields=["national_id"], name="complainant_national_id")]

    def __str__(self) -> str:
        return self.full_name

    full_name = property(person_name)


class Respondent(ChoiceLabels, models.Model):
    """The party complained about: a person, a company, an agency or an official."""

    class Kind(models.TextChoices):
        PERSON = "person", _("บุคคล")
        COMPANY = "company", _("บริษัท/ห้างร้าน")
        AGENCY = "agency", _("หน่วยงาน")
        OFFICIAL = "official", _("เจ้าหน้าที่รัฐ")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="respondents")
    kind = models.CharField(_("ประเภทผู้ถูกร้อง"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("ชื่อผู้ถูกร้อง"), max_length=200)
    position = models.CharField(_("ตำแหน่ง/สังกัด"), max_length=200, blank=True)
    national_id = models.CharField(
        _("เลขประจำตัวประชาชน/เลขนิติบุคคล"), max_length=13, blank=True, validators=[validate_national_id]
    )
    address = models.CharField(_("ที่อยู่"), max_length=300, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=40, blank=True)
    # An official named as respondent who has an account here never sees the case.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="named_as_respondent", verbose_name=_("บัญชีผู้ใช้ของผู้ถูกร้อง"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผู้ถูกร้อง")
        verbose_name_plural = _("ผู้ถูกร้อง")
        indexes = [models.Index(fields=["national_id"], name="respondent_national_id")]

    def __str__(self) -> str:
        return self.name


class ProgressReport(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="progress_reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้รายงาน")
    )
    text = models.TextField(_("ความคืบหน้า"))
    latitude = models.DecimalField(
        _("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(21)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(97), MaxValueValidator(106)],
    )  # fmt: skip
    reported_at = models.DateTimeField(_("วันเวลาที่รายงาน"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = _("รายงานความคืบหน้า")
        verbose_name_plural = _("รายงานความคืบหน้า")
        indexes = [models.Index(fields=["complaint", "reported_at"], name="progress_complaint_time")]

    def __str__(self) -> str:
        return self.text[:60]


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Server-made names only (cases/files.py); the typed name is kept in original_name.
    return f"cases/{instance.complaint_id}/{filename}"


class Attachment(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("ภาพถ่าย")
        DOCUMENT = "document", _("เอกสาร")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    progress_report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(_("ประเภทไฟล์"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("ไฟล์"), upload_to=_attachment_path, max_length=200)
    thumbnail = models.FileField(upload_to=_attachment_path, max_length=200, blank=True)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("คำอธิบาย"), max_length=300, blank=True)
    # Empty for a file the citizen sent with a complaint filed on the public site, as
    # the complaint's recorded_by is.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("ไฟล์แนบ")
        verbose_name_plural = _("ไฟล์แนบ")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("cases:attachment", args=[self.complaint_id, self.pk])


class Forwarding(models.Model):
    """A case sent on to an outside agency, and the agency's reply when it comes."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="forwardings")
    agency = models.CharField(_("หน่วยงานที่ส่งต่อ"), max_length=200)
    letter_number = models.CharField(_("เลขที่หนังสือ"), max_length=100)
    letter_date = models.DateField(_("ลงวันที่"))
    note = models.TextField(_("หมายเหตุ"), blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(_("ผลการพิจารณาของหน่วยงาน"), blank=True)
    reply_letter_number = models.CharField(_("เลขที่หนังสือตอบ"), max_length=100, blank=True)
    replied_on = models.DateField(_("วันที่ตอบ"), null=True, blank=True)
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["forwarded_at", "id"]
        verbose_name = _("การส่งต่อหน่วยงาน")
        verbose_name_plural = _("การส่งต่อหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.agency} {self.letter_number}"


class CaseEvent(models.Model):
    """One step of a case's timeline: a transition, by whom, when, and why.

    A case's history has four records, each the answer to one question:

    - ``CaseEvent`` (this): *what did people do with the case, and why?* One row per
      action, in their words (the note), with the states before and after. The case
      page's timeline, the printed record, the notices and the reports read it.
    - simple-history rows (``Complaint.history`` and the complainants', respondents',
      reports' and forwardings' histories): *what did each field hold at a given
      moment?* Every saved version, the action as change reason. The auditor's replay
      ("the case as of ...") reads them.
    - audit rows (``audit.models.AuditEvent``): *who did or saw what, from where, and
      can we prove nobody changed it?* Every write and every view of personal data,
      hash-chained and anchored; identifiers copied, no foreign keys, so it outlives
      what it describes.
    - task history (``workflows.models.CaseTask.history``): *whose desk was the work
      on, and for how long?* Each task created, claimed, released, reassigned and
      finished; the case page's workflow history and the SLA figures read it.

    Every page and export words these the same way, through the models' own
    formatting: ``Complaint.number``, ``User.get_full_name``, ``CaseEvent.label``,
    ``CaseTask.label`` and the status choices.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=250)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="caseevent_complaint_time")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        """What was done, in the reader's language (the step's label in cases.actions)."""
        return step_label(self.action)

    @property
    def from_status_label(self) -> str:
        return status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return status_label(self.to_status)
