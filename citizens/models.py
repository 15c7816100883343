"""What the citizens' site keeps of its own.

A citizen is never a user here: what they do (rate a closed case, say it is not
fixed, file online, read the news) is recorded against the case or the center,
never against an account. The case itself changes only through ``cases.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class CenterContact(models.Model):
    """How citizens reach a Damrongdhama center: a district's, or a province's
    (``district`` empty). The tracking page and the letters print it; without one,
    the national hotline 1567."""

    province = models.ForeignKey("core.Province", on_delete=models.CASCADE, related_name="+", verbose_name=_("จังหวัด"))
    district = models.OneToOneField(
        "core.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("อำเภอ")
    )
    phone = models.CharField(_("โทรศัพท์"), max_length=60, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    address = models.CharField(_("ที่อยู่"), max_length=300, blank=True)
    office_hours = models.CharField(_("เวลาทำการ"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("ช่องทางติดต่อศูนย์ดำรงธรรม")
        verbose_name_plural = _("ช่องทางติดต่อศูนย์ดำรงธรรม")
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=Q(district__isnull=True), name="centercontact_one_per_province"
            )
        ]

    def __str__(self) -> str:
        return str(self.district or self.province)


class Satisfaction(models.Model):
    """The complainant's rating of a closed case's handling: once per case."""

    complaint = models.OneToOneField(
        "cases.Complaint", on_delete=models.CASCADE, related_name="satisfaction", verbose_name=_("เรื่องร้องเรียน")
    )
    rating = models.PositiveSmallIntegerField(_("ความพึงพอใจ"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("ความคิดเห็น"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("ความพึงพอใจของผู้ร้อง")
        verbose_name_plural = _("ความพึงพอใจของผู้ร้อง")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="satisfaction_rating_1_5")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.rating}"


class ReopenRequest(ChoiceLabels, models.Model):
    """The complainant says a closed case's problem is not solved (within the reopen
    window): it waits for the owning district's head, who reopens the case through
    ``cases.services.case_reopen`` or declines with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("รอนายอำเภอพิจารณา")
        REOPENED = "reopened", _("เปิดเรื่องใหม่แล้ว")
        DECLINED = "declined", _("ไม่เปิดเรื่องใหม่")

    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, related_name="reopen_requests", verbose_name=_("เรื่องร้องเรียน")
    )
    reason = models.TextField(_("ปัญหาที่ยังไม่ได้รับการแก้ไข"), max_length=2000)
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("ยื่นเมื่อ"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้พิจารณา"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("พิจารณาเมื่อ"), null=True, blank=True)
    decision_note = models.TextField(_("เหตุผลการพิจารณา"), blank=True)

    class Meta:
        verbose_name = _("คำขอให้เปิดเรื่องใหม่")
        verbose_name_plural = _("คำขอให้เปิดเรื่องใหม่")
        constraints = [
            # One request waiting per case: a second click adds nothing.
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(state="pending"), name="reopenrequest_one_pending"
            )
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="reopenrequest_waiting")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.state}"


class CitizenNotice(ChoiceLabels, models.Model):
    """A notice to a complainant (e-mail, SMS, LINE, a file in tests): one row per
    complainant, step and channel; ``key`` makes each once-only, so that a relay
    retried or a step replayed does not write twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="citizen_notices")
    complainant = models.ForeignKey("cases.Complainant", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("เรื่องที่แจ้ง"), max_length=40)
    channel = models.CharField(_("ช่องทาง"), max_length=20)
    address = models.CharField(_("ส่งถึง"), max_length=254)
    key = models.CharField(max_length=200, unique=True)
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("การแจ้งผู้ร้อง")
        verbose_name_plural = _("การแจ้งผู้ร้อง")

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel}"


def submission_upload_to(instance, filename: str) -> str:
    return f"online/{timezone.now():%Y/%m}/{instance.submission_id}-{filename}"


class OnlineSubmission(models.Model):
    """A complaint typed on the public form, kept until it becomes a case: at once
    when the browser solved the proof of work, or when the citizen follows the
    confirmation link sent to their e-mail. Unconfirmed ones are deleted after a day."""

    data = models.JSONField()
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    complaint = models.OneToOneField(
        "cases.Complaint", on_delete=models.SET_NULL, null=True, blank=True, related_name="online_submission"
    )

    class Meta:
        verbose_name = _("เรื่องที่ยื่นทางเว็บไซต์")
        verbose_name_plural = _("เรื่องที่ยื่นทางเว็บไซต์")

    def __str__(self) -> str:
        return f"{self.pk} {self.created_at:%Y-%m-%d %H:%M}"


class OnlineSubmissionFile(models.Model):
    submission = models.ForeignKey(OnlineSubmission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=submission_upload_to)
    original_name = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.original_name


class NewsPost(ChoiceLabels, models.Model):
    """An activity of a center (ข่าวกิจกรรม): written by its officers, published by its head."""

    class State(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        PUBLISHED = "published", _("เผยแพร่แล้ว")
        WITHDRAWN = "withdrawn", _("ถอนการเผยแพร่")

    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("จังหวัด"))
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("อำเภอ")
    )
    title = models.CharField(_("ชื่อกิจกรรม"), max_length=200)
    leader = models.CharField(_("ผู้นำกิจกรรม"), max_length=200)
    participants = models.TextField(_("ผู้เข้าร่วม"), max_length=2000)
    happened_on = models.DateField(_("วันที่"))
    happened_at = models.TimeField(_("เวลา"), null=True, blank=True)
    place = models.CharField(_("สถานที่"), max_length=300)
    subdistrict = models.ForeignKey(
        "core.Subdistrict", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ตำบล")
    )
    latitude = models.DecimalField(_("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True)
    body = models.TextField(_("รายละเอียด"), max_length=10000)
    cases = models.ManyToManyField("cases.Complaint", blank=True, related_name="news", verbose_name=_("เรื่องที่เกี่ยวข้อง"))
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ข่าวกิจกรรม")
        verbose_name_plural = _("ข่าวกิจกรรม")
        indexes = [
            models.Index(fields=["-published_at", "-id"], condition=Q(state="published"), name="newspost_published"),
            models.Index(
                fields=["province", "-published_at", "-id"],
                condition=Q(state="published"),
                name="newspost_published_province",
            ),
            models.Index(
                fields=["district", "-published_at", "-id"],
                condition=Q(state="published"),
                name="newspost_published_district",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def news_photo_upload_to(instance, filename: str) -> str:
    return f"news/{timezone.now():%Y/%m}/{filename}"


class NewsPhoto(models.Model):
    """A photo of an activity, re-encoded without its EXIF (the place and the phone
    that took it), with a thumbnail for the lists."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=news_photo_upload_to, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=news_photo_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("คำบรรยายภาพ"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ภาพกิจกรรม")
        verbose_name_plural = _("ภาพกิจกรรม")

    def __str__(self) -> str:
        return self.caption or self.image.name
