from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels
from core.memo import once
from core.roles import Role as RoleCode
from core.roles import ScopeLevel
from core.thai import format_national_id, normalize_national_id, validate_officer_national_id

# --- Thai geography (loaded from the geothai package: core/geography.py) ----------------


class Province(models.Model):
    code = models.CharField(_("รหัสจังหวัด"), max_length=2, primary_key=True)
    name_th = models.CharField(_("ชื่อจังหวัด"), max_length=100)
    name_en = models.CharField(_("ชื่อจังหวัด (อังกฤษ)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("จังหวัด")
        verbose_name_plural = _("จังหวัด")

    def __str__(self) -> str:
        return self.name_th


class District(models.Model):
    """An amphoe (อำเภอ), or a khet (เขต) of Bangkok: the level of a district center."""

    code = models.CharField(_("รหัสอำเภอ"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("จังหวัด"))
    name_th = models.CharField(_("ชื่ออำเภอ"), max_length=100)
    name_en = models.CharField(_("ชื่ออำเภอ (อังกฤษ)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("อำเภอ/เขต")
        verbose_name_plural = _("อำเภอ/เขต")

    def __str__(self) -> str:
        return self.name_th

    @property
    def full_name_th(self) -> str:
        """``อำเภอเมืองราชบุรี จังหวัดราชบุรี``; Bangkok's khet already carry ``เขต``."""
        if self.province_id == "10":
            return f"{self.name_th} {self.province.name_th}"
        return f"อำเภอ{self.name_th} จังหวัด{self.province.name_th}"


class Subdistrict(models.Model):
    """A tambon (ตำบล), or a khwaeng (แขวง) of Bangkok."""

    code = models.CharField(_("รหัสตำบล"), max_length=6, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("อำเภอ")
    )
    name_th = models.CharField(_("ชื่อตำบล"), max_length=100)
    name_en = models.CharField(_("ชื่อตำบล (อังกฤษ)"), max_length=100)
    # Space-separated: a few subdistricts are split between postal codes.
    postal_codes = models.CharField(_("รหัสไปรษณีย์"), max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ตำบล/แขวง")
        verbose_name_plural = _("ตำบล/แขวง")

    def __str__(self) -> str:
        return self.name_th


# --- The officer account ----------------------------------------------------------------


class Role(ChoiceLabels, models.Model):
    """One row per ``core.roles.Role``; a table so that "every head of a
    district" is a plain indexed query on every database."""

    code = models.CharField(_("รหัสบทบาท"), max_length=32, primary_key=True, choices=RoleCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("บทบาท")
        verbose_name_plural = _("บทบาท")

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, national_id: str, password: str | None = None, **fields):
        national_id = normalize_national_id(national_id, officer=True)
        user = self.model(national_id=national_id, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, national_id: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("scope_level", ScopeLevel.NATION)
        user = self.create_user(national_id, password, **fields)
        user.roles.add(Role.objects.get_or_create(code=RoleCode.ADMINISTRATOR)[0])
        return user

    def with_role(self, role: str):
        """The active users holding ``role``: the one spelling of that query."""
        return self.filter(is_active=True, roles__code=role)


class User(ChoiceLabels, AbstractBaseUser, PermissionsMixin):
    """An officer, signing in with the 13-digit national ID.

    The fields follow the registration form (แบบลงทะเบียนใช้งาน) of the
    Department of Provincial Administration.
    """

    class Registration(models.TextChoices):
        FIRST = "first", _("ลงทะเบียนครั้งแรก")
        REPLACEMENT = "replacement", _("ลงทะเบียนแทนผู้อื่น")

    national_id = models.CharField(
        _("เลขประจำตัวประชาชน"),
        max_length=13,
        unique=True,
        validators=[validate_officer_national_id],
        error_messages={"unique": _("มีบัญชีผู้ใช้ของเลขประจำตัวประชาชนนี้อยู่แล้ว")},
    )
    title = models.CharField(_("คำนำหน้านาม"), max_length=60)
    first_name = models.CharField(_("ชื่อตัว"), max_length=100)
    last_name = models.CharField(_("ชื่อสกุล"), max_length=100)
    position = models.CharField(_("ตำแหน่ง"), max_length=150, blank=True)
    level = models.CharField(_("ระดับ"), max_length=80, blank=True)
    work_unit = models.CharField(_("งาน"), max_length=150, blank=True)
    section = models.CharField(_("กลุ่ม/ฝ่าย"), max_length=150, blank=True)
    office_phone = models.CharField(_("โทรศัพท์สถานที่ราชการ"), max_length=40, blank=True)
    mobile_phone = models.CharField(_("โทรศัพท์มือถือ"), max_length=40, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    assigned_on = models.DateField(_("วันที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน"), null=True, blank=True)
    registered_on = models.DateField(_("วันที่ลงทะเบียน"), default=timezone.localdate)
    registration = models.CharField(
        _("ประเภทการลงทะเบียน"), max_length=20, choices=Registration.choices, default=Registration.FIRST
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("ลงทะเบียนแทน"),
    )

    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("บทบาท"))
    scope_level = models.CharField(
        _("ระดับสิทธิการใช้งาน"), max_length=10, choices=ScopeLevel.choices, default=ScopeLevel.DISTRICT
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("จังหวัด")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("อำเภอ")
    )

    must_change_password = models.BooleanField(
        _("ต้องเปลี่ยนรหัสผ่าน"),
        default=True,
        help_text=_("ผู้ใช้ต้องตั้งรหัสผ่านใหม่ก่อนใช้งานหน้าอื่น"),
    )
    is_active = models.BooleanField(_("ใช้งานได้"), default=True)
    is_staff = models.BooleanField(
        _("เข้าหน้าผู้ดูแลระบบได้"), default=False, help_text=_("เข้าหน้าผู้ดูแลระบบ (Django admin) ได้")
    )
    date_joined = models.DateTimeField(_("วันที่สร้างบัญชี"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[roles])

    objects = UserManager()

    USERNAME_FIELD = "national_id"
    REQUIRED_FIELDS = ["title", "first_name", "last_name"]

    class Meta:
        verbose_name = _("ผู้ใช้งาน")
        verbose_name_plural = _("ผู้ใช้งาน")
        ordering = ["first_name", "last_name"]
        indexes = [models.Index(fields=["district", "is_active"]), models.Index(fields=["province", "is_active"])]
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_level",
                condition=(
                    Q(scope_level=ScopeLevel.DISTRICT, district__isnull=False, province__isnull=False)
                    | Q(scope_level=ScopeLevel.PROVINCE, district__isnull=True, province__isnull=False)
                    | Q(scope_level=ScopeLevel.NATION, district__isnull=True, province__isnull=True)
                ),
                violation_error_message=_("ขอบเขตการใช้งานไม่ตรงกับระดับสิทธิ"),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name()

    def save(self, *args, **kwargs):
        # The province of a district-level officer always follows the district.
        if self.district_id:
            self.province_id = self.district.province_id
        super().save(*args, **kwargs)
        self._sync_district_group()

    def _sync_district_group(self) -> None:
        """District staff belong to their district's group, through which a case
        shared with the district reaches them (permissions.models)."""
        current = set(self.groups.filter(name__startswith="district:").values_list("name", flat=True))
        wanted = (
            {f"district:{self.district_id}"} if self.scope_level == ScopeLevel.DISTRICT and self.district_id else set()
        )
        if current == wanted:
            return
        if current - wanted:
            self.groups.remove(*Group.objects.filter(name__in=current - wanted))
        for name in wanted - current:
            self.groups.add(Group.objects.get_or_create(name=name)[0])

    def get_absolute_url(self) -> str:
        return reverse("profile")

    def get_full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def national_id_display(self) -> str:
        return format_national_id(self.national_id)

    @property
    def role_codes(self) -> frozenset[str]:
        """The user's role codes, read once per request object."""
        return once(self, "_role_codes", lambda: frozenset(self.roles.values_list("code", flat=True)))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def scope_name(self) -> str:
        """Where the user works, in words: a district, a province or the nation."""
        if self.scope_level == ScopeLevel.DISTRICT and self.district_id:
            return self.district.full_name_th
        if self.scope_level == ScopeLevel.PROVINCE and self.province_id:
            return f"จังหวัด{self.province.name_th}" if self.province_id != "10" else self.province.name_th
        return str(ScopeLevel.NATION.label)


# --- The transactional outbox (core/outbox.py) ------------------------------------------


class OutboxMessage(ChoiceLabels, models.Model):
    """A Celery task to run because of a change, written in the change's transaction.

    A committed change always has its row and a rolled-back one never does;
    ``core.outbox.relay`` hands pending rows to the broker.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENT = "sent", _("ส่งแล้ว")
        DEAD = "dead", _("ส่งไม่สำเร็จ")

    task_name = models.CharField(_("งานเบื้องหลัง"), max_length=200)
    kwargs = models.JSONField(_("ข้อมูลของงาน"), default=dict, blank=True)
    # One row per effect: enqueueing the same key again is a no-op.
    key = models.CharField(_("กุญแจ"), max_length=200, unique=True)
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("จำนวนครั้งที่ลองส่ง"), default=0)
    available_at = models.DateTimeField(_("ส่งได้ตั้งแต่"), default=timezone.now)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("งานรอส่ง (outbox)")
        verbose_name_plural = _("งานรอส่ง (outbox)")
        indexes = [
            models.Index(fields=["available_at", "id"], name="outbox_due", condition=Q(state="pending")),
            models.Index(fields=["state", "-id"], name="outbox_state"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.state})"


def attach_users(rows, *fields: str) -> None:
    """Give each of ``rows`` the accounts its foreign keys ``fields`` name, read in one
    query by key. Joined instead (select_related), PostgreSQL misjudged how many history
    rows one record has (115 for 5) and read every account in a hash join: 5.5 ms a
    history table at 1M cases, a third of the auditor's case history (bench/pages)."""
    rows = list(rows)
    ids = {getattr(row, f"{name}_id") for row in rows for name in fields} - {None}
    users = User.objects.in_bulk(ids) if ids else {}
    for row in rows:
        for name in fields:
            pk = getattr(row, f"{name}_id")
            if pk is not None and pk in users:
                setattr(row, name, users[pk])
