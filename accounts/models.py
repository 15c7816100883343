"""The registration form (แบบลงทะเบียนใช้งาน) as a record with a life: filled in by an
officer of a center, certified or returned by the center's certifier, and kept.

The form's fields are copied here, not read from the account: a registration says
what was asked for and certified on a day, and stays so when the account later
changes (a move, a new position). ``Activation`` is the one-time code that lets the
new officer set a password nobody else knows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases import public_wording
from core.choices import ChoiceLabels
from core.roles import Role, ScopeLevel
from core.thai import format_national_id, validate_officer_national_id


class Position(models.TextChoices):
    """The positions the Department's letter allows to use the system (seed: "ให้ข้าราชการ
    ตำแหน่งเจ้าพนักงานปกครอง ปลัดอำเภอหรือนิติกร เป็นผู้มีสิทธิเข้าใช้งาน"), and the heads
    who certify them: the district chief, the governor, and the deputy governor or
    provincial chief clerk who acts for him ("ปลัดจังหวัด ปฏิบัติราชการแทนผู้ว่าราชการจังหวัด")."""

    ADMINISTRATIVE_OFFICER = "administrative_officer", _("เจ้าพนักงานปกครอง")
    DEPUTY_DISTRICT_CHIEF = "deputy_district_chief", _("ปลัดอำเภอ")
    LEGAL_OFFICER = "legal_officer", _("นิติกร")
    DISTRICT_CHIEF = "district_chief", _("นายอำเภอ")
    GOVERNOR = "governor", _("ผู้ว่าราชการจังหวัด")
    GOVERNOR_DELEGATE = "governor_delegate", _("ปลัดจังหวัด (ปฏิบัติราชการแทนผู้ว่าราชการจังหวัด)")


# The role each position gets at each level; a position absent at a level cannot be
# registered there (a deputy district chief works in a district; a governor in a province).
POSITION_ROLES: dict[str, dict[str, str]] = {
    ScopeLevel.DISTRICT: {
        Position.ADMINISTRATIVE_OFFICER: Role.DISTRICT_OFFICER,
        Position.DEPUTY_DISTRICT_CHIEF: Role.DISTRICT_OFFICER,
        Position.LEGAL_OFFICER: Role.DISTRICT_OFFICER,
        Position.DISTRICT_CHIEF: Role.DISTRICT_HEAD,
    },
    ScopeLevel.PROVINCE: {
        Position.ADMINISTRATIVE_OFFICER: Role.PROVINCE_OFFICER,
        Position.LEGAL_OFFICER: Role.PROVINCE_OFFICER,
        Position.GOVERNOR: Role.PROVINCE_HEAD,
        Position.GOVERNOR_DELEGATE: Role.PROVINCE_HEAD,
    },
    ScopeLevel.NATION: {
        Position.ADMINISTRATIVE_OFFICER: Role.CENTRAL_OFFICER,
        Position.LEGAL_OFFICER: Role.CENTRAL_OFFICER,
    },
}
# "ตำแหน่งนายอำเภอ/เจ้าจังหวัด เป็นผู้รับรองตนเอง": the heads certify their own registration.
SELF_CERTIFYING = frozenset({Position.DISTRICT_CHIEF, Position.GOVERNOR})
# The roles a registration grants; a certified move replaces these and keeps any other.
REGISTERED_ROLES = frozenset(role for roles in POSITION_ROLES.values() for role in roles.values())


def role_for(position: str, level: str) -> str | None:
    return POSITION_ROLES.get(level, {}).get(position)


class RegistrationQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(state=Registration.State.WAITING)


class Registration(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("ลงทะเบียนครั้งแรก")
        REPLACEMENT = "replacement", _("ลงทะเบียนแทน")

    class State(models.TextChoices):
        WAITING = "waiting", _("รอการรับรอง")
        RETURNED = "returned", _("ส่งกลับให้แก้ไข")
        CERTIFIED = "certified", _("รับรองแล้ว")
        WITHDRAWN = "withdrawn", _("ยกเลิกแล้ว")

    # --- the form, in the seed's order -----------------------------------------------
    registered_on = models.DateField(_("วันที่"), default=timezone.localdate)
    kind = models.CharField(_("ประเภทการลงทะเบียน"), max_length=20, choices=Kind.choices, default=Kind.FIRST)
    replaces = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_in",
        verbose_name=_("ลงทะเบียนแทน"),
    )  # fmt: skip
    replaced_because = models.CharField(
        _("เหตุที่ลงทะเบียนแทน"), max_length=200, blank=True,
        help_text=_("เช่น ได้รับมอบหมายให้ปฏิบัติงานอื่น หรือดำรงตำแหน่งท้องถิ่น"),
    )  # fmt: skip
    national_id = models.CharField(_("เลขประจำตัวประชาชน"), max_length=13, validators=[validate_officer_national_id])
    title = models.CharField(_("คำนำหน้านาม"), max_length=60)
    first_name = models.CharField(_("ชื่อตัว"), max_length=100)
    last_name = models.CharField(_("ชื่อสกุล"), max_length=100)
    position = models.CharField(_("ตำแหน่ง"), max_length=30, choices=Position.choices)
    level = models.CharField(_("ระดับ"), max_length=80, blank=True)
    work_unit = models.CharField(_("งาน"), max_length=150, blank=True)
    section = models.CharField(_("กลุ่ม/ฝ่าย"), max_length=150, blank=True)
    scope_level = models.CharField(_("ระดับสิทธิการใช้งาน"), max_length=10, choices=ScopeLevel.choices)
    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("จังหวัด")
    )
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("อำเภอ")
    )
    office_phone = models.CharField(_("หมายเลขโทรศัพท์สถานที่ราชการ"), max_length=40)
    mobile_phone = models.CharField(_("หมายเลขโทรศัพท์มือถือ (ถ้ามี)"), max_length=40, blank=True)
    email = models.EmailField(
        _("อีเมลสำหรับรับลิงก์เปิดใช้งาน"), blank=True,
        help_text=_("เว้นว่างได้ ถ้าศูนย์ไม่มีอีเมล: ระบบจะพิมพ์ใบรหัสเปิดใช้งานให้แทน"),
    )  # fmt: skip
    assigned_on = models.DateField(_("วันที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน"))

    # --- its life ----------------------------------------------------------------------
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.WAITING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations_submitted",
        verbose_name=_("ผู้กรอกแบบ"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้รับรองหรือผู้ส่งกลับ"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("รับรองหรือส่งกลับเมื่อ"), null=True, blank=True)
    return_reason = models.TextField(_("เหตุผลที่ส่งกลับ"), blank=True)
    # The certifier as he was at certification: the form stays true after he moves on.
    certifier_name = models.CharField(_("ชื่อผู้รับรอง"), max_length=250, blank=True)
    certifier_position = models.CharField(_("ตำแหน่งผู้รับรอง"), max_length=250, blank=True)
    self_certified = models.BooleanField(_("ผู้รับรองรับรองตนเอง"), default=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations",
        verbose_name=_("บัญชีผู้ใช้งาน"),
    )  # fmt: skip
    # A move: where the account worked before this registration ended that scope.
    previous_scope = models.CharField(_("ขอบเขตเดิม (กรณีย้าย)"), max_length=250, blank=True)
    # A replacement whose date assigned was still ahead at certification ends the replaced
    # account on that date (accounts.tasks.end_replaced_accounts); set when it is done.
    replacement_done_at = models.DateTimeField(_("ปิดบัญชีผู้ถูกแทนเมื่อ"), null=True, blank=True)
    form_pdf = models.FileField(_("แบบลงทะเบียนที่รับรองแล้ว (PDF)"), upload_to="registrations/%Y/", blank=True)
    form_sha256 = models.CharField(_("ค่าแฮช SHA-256 ของแบบ"), max_length=64, blank=True)

    history = HistoricalRecords()
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("แบบลงทะเบียนใช้งาน")
        verbose_name_plural = _("แบบลงทะเบียนใช้งาน")
        indexes = [
            models.Index(fields=["state", "district"], name="registration_district"),
            models.Index(fields=["state", "province"], name="registration_province"),
            models.Index(fields=["national_id"], name="registration_national_id"),
        ]
        constraints = [
            # One form on its way per person: a second would race the first to the account.
            models.UniqueConstraint(
                fields=["national_id"], condition=Q(state__in=["waiting", "returned"]), name="registration_one_open",
                violation_error_message=_("มีแบบลงทะเบียนของเลขประจำตัวประชาชนนี้รอดำเนินการอยู่แล้ว"),
            ),
            models.CheckConstraint(
                name="registration_scope_matches_level",
                condition=(
                    Q(scope_level=ScopeLevel.DISTRICT, district__isnull=False, province__isnull=False)
                    | Q(scope_level=ScopeLevel.PROVINCE, district__isnull=True, province__isnull=False)
                    | Q(scope_level=ScopeLevel.NATION, district__isnull=True, province__isnull=True)
                ),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_state_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    @property
    def national_id_display(self) -> str:
        return format_national_id(self.national_id)

    @property
    def position_title(self) -> str:
        """The position as Thai officialdom writes it on the account: a head with his
        place (นายอำเภอเมืองราชบุรี, ปลัดจังหวัดราชบุรี), an officer with his level
        (เจ้าพนักงานปกครองชำนาญงาน)."""
        label = str(Position(self.position).label) if self.position else ""
        if self.position == Position.DISTRICT_CHIEF and self.district_id:
            return f"นายอำเภอ{self.district.name_th}"
        if self.position == Position.GOVERNOR and self.province_id:
            return f"ผู้ว่าราชการจังหวัด{self.province.name_th}"
        if self.position == Position.GOVERNOR_DELEGATE and self.province_id:
            return f"ปลัดจังหวัด{self.province.name_th}"
        return f"{label}{self.level}"

    @property
    def role(self) -> str | None:
        return role_for(self.position, self.scope_level)

    @property
    def center_name(self) -> str:
        """The center the account will work at, in the active language (as the citizens'
        pages name a center: cases.public_wording)."""
        if self.scope_level == ScopeLevel.DISTRICT and self.district_id:
            return public_wording.center_name(district=self.district)
        if self.scope_level == ScopeLevel.PROVINCE and self.province_id:
            return public_wording.center_name(province=self.province)
        return str(_("ส่วนกลาง กรมการปกครอง"))

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.WAITING, self.State.RETURNED)

    def waited(self, now: dt.datetime | None = None) -> dt.timedelta:
        return (self.decided_at or now or timezone.now()) - self.submitted_at


class Activation(ChoiceLabels, models.Model):
    """A one-time code that lets an officer set his own password: sent by e-mail as a
    link, or printed on a slip. Only its SHA-256 is kept; the code exists in the mail
    or on the paper alone."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("อีเมล")
        SLIP = "slip", _("ใบรหัสเปิดใช้งาน")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activations")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="activations"
    )
    digest = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("ช่องทาง"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("ออกเมื่อ"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("หมดอายุเมื่อ"))
    used_at = models.DateTimeField(_("ใช้เมื่อ"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("รหัสเปิดใช้งานบัญชี")
        verbose_name_plural = _("รหัสเปิดใช้งานบัญชี")

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {self.created_at:%Y-%m-%d}"

    def usable(self, now: dt.datetime | None = None) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > (now or timezone.now())
