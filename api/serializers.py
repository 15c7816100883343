"""The shapes of the API's answers and of what it takes (the contract of issue 13).

Output serializers read what the views hand them (a case read through ``visible_to``,
its complainants already masked or not by ``rules.can_see_confidential``, the actions
``cases.actions.available`` allows); none of them decides who sees what.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Attachment, Status
from core.roles import Role

# --- People ---------------------------------------------------------------------------------


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    national_id = serializers.CharField()
    roles = serializers.SerializerMethodField()
    scope_name = serializers.CharField()
    teams = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)

    @extend_schema_field(TeamSerializer(many=True))
    def get_teams(self, user) -> list[dict]:
        return [{"id": team.pk, "name": team.name} for team in user.teams.order_by("name")]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


# --- Sign-in --------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    national_id = serializers.CharField(max_length=20, label=_("เลขประจำตัวประชาชน"))
    password = serializers.CharField(max_length=128, trim_whitespace=False, label=_("รหัสผ่าน"))
    device_name = serializers.CharField(max_length=100, label=_("ชื่ออุปกรณ์"))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown once, send it as `Authorization: Token <key>`")
    token_id = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    user = UserSerializer()


# --- Cases ----------------------------------------------------------------------------------


class LocationSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()


def location(row) -> dict | None:
    if row.latitude is None or row.longitude is None:
        return None
    return {"lat": float(row.latitude), "lng": float(row.longitude)}


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    category = serializers.SerializerMethodField()
    district = serializers.CharField(source="district.name_th")
    subdistrict = serializers.CharField(source="incident_subdistrict.name_th")
    received_on = serializers.DateField()
    updated_at = serializers.DateTimeField()
    location = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue", help_text="Past the case's closure target (due_on)")

    def get_category(self, case) -> str:
        if case.category_id:
            return case.category.name_th
        if case.category_other_text:
            return f"{case.main_category.name_th} ({case.category_other_text})"
        return case.main_category.name_th

    @extend_schema_field(LocationSerializer(allow_null=True))
    def get_location(self, case) -> dict | None:
        return location(case)


class ComplainantSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    address = serializers.CharField(allow_null=True)
    confidential = serializers.BooleanField()


def complainant(person, *, show_identity: bool) -> dict:
    """A complainant as the case page shows him: a confidential one masked for whoever
    may not see him (templates/cases/detail.html)."""
    if person.is_confidential and not show_identity:
        return {"name": str(_("ปกปิดข้อมูลผู้ร้อง")), "phone": None, "address": None, "confidential": True}
    return {
        "name": person.full_name,
        "phone": person.phone or None,
        "address": person.address or None,
        "confidential": person.is_confidential,
    }


class RespondentSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    position = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices)
    description = serializers.CharField(allow_blank=True)
    uploaded_at = serializers.DateTimeField()
    progress_report = serializers.IntegerField(source="progress_report_id", allow_null=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return reverse("api:case_attachment", args=[attachment.complaint_id, attachment.pk])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, attachment) -> str | None:
        if attachment.kind != Attachment.Kind.PHOTO or not attachment.thumbnail:
            return None
        return self.get_url(attachment) + "?thumbnail=1"


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class ActionFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        choices=["string", "text", "choice", "date", "number", "boolean", "file", "files", "district"],
        help_text="text: several lines; date: YYYY-MM-DD; files: several files (multipart); "
        "district: a district code (GET /api/v1/geography/districts/)",
    )
    required = serializers.BooleanField()
    max_length = serializers.IntegerField(required=False)
    initial = serializers.CharField(required=False, help_text="What the web's form shows filled in")
    choices = ChoiceSerializer(many=True, required=False)


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()
    method = serializers.ChoiceField(choices=["POST"])
    fields = ActionFieldSerializer(many=True)


class CaseDetailSerializer(CaseSummarySerializer):
    description = serializers.CharField()
    incident_place = serializers.SerializerMethodField()
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    due_on = serializers.DateField(allow_null=True)
    complainants = serializers.SerializerMethodField()
    respondents = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    version = serializers.CharField(source="status", help_text="Send it back as expected_status")

    def get_incident_place(self, case) -> str:
        sub = case.incident_subdistrict
        place = f"ตำบล{sub.name_th} {sub.district.full_name_th}"
        return f"{case.incident_address}, {place}" if case.incident_address else place

    @extend_schema_field(ComplainantSerializer(many=True))
    def get_complainants(self, case) -> list[dict]:
        return self.context["complainants"]

    @extend_schema_field(RespondentSerializer(many=True))
    def get_respondents(self, case) -> list[dict]:
        return RespondentSerializer(self.context["respondents"], many=True).data

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, case) -> list[dict]:
        return AttachmentSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, case) -> list[dict]:
        return self.context["actions"]


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField()
    actor = serializers.CharField(source="actor_name")
    note = serializers.CharField(allow_blank=True)
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField()


class TimelineSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="The case's number")
    results = TimelineEventSerializer(many=True)


class CasePageSerializer(serializers.Serializer):
    results = CaseSummarySerializer(many=True)
    next = serializers.CharField(allow_null=True)


# --- What the case endpoints take ------------------------------------------------------------


class ProgressRequestSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=8000, label=_("ความคืบหน้า"))
    expected_status = serializers.ChoiceField(choices=Status.choices, label=_("สถานะที่เห็น"))
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=5, max_value=21, label=_("ละติจูด"))
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=97, max_value=106, label=_("ลองจิจูด"))
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list, label=_("ภาพถ่าย")
    )

    def validate(self, data):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise serializers.ValidationError({"latitude": [_("กรุณากรอกทั้งละติจูดและลองจิจูด หรือเว้นว่างทั้งคู่")]})
        return data


class AttachmentRequestSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, label=_("ไฟล์"))
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- Tasks, notifications, reference data ----------------------------------------------------


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseSummarySerializer(source="complaint")
    task = serializers.CharField(source="node", help_text="The step of the workflow (workflows.process)")
    label = serializers.CharField()
    created_at = serializers.DateTimeField(source="created")
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    owner = PersonSerializer(allow_null=True)
    opening_action = serializers.CharField(
        allow_null=True, help_text="The case action that takes this task from the queue (accept), else claim it"
    )


class TaskPageSerializer(serializers.Serializer):
    results = TaskSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class NoticeCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="null: the case is no longer yours to open")
    number = serializers.CharField()
    subject = serializers.CharField(allow_null=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    case = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(NoticeCaseSerializer(allow_null=True))
    def get_case(self, notice) -> dict | None:
        if notice.complaint_id is None:
            return None
        case = notice.complaint
        if not notice.case_visible:
            # As the notifications page says it: the number, and that it is no longer his.
            return {"id": None, "number": case.number, "subject": None}
        return {"id": case.pk, "number": case.number, "subject": case.subject}


class NotificationListSerializer(serializers.Serializer):
    results = NotificationSerializer(many=True)
    unread = serializers.IntegerField()


class NotificationsReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=100,
        help_text="The notices to mark read; all of them when left out",
    )  # fmt: skip


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class SubcategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="name_th")
    name_en = serializers.CharField(allow_blank=True)


class CategorySerializer(SubcategorySerializer):
    is_other = serializers.BooleanField()
    children = SubcategorySerializer(many=True, source="active_children")


class CategoryListSerializer(serializers.Serializer):
    results = CategorySerializer(many=True)


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="name_th")
    name_en = serializers.CharField()


class AreaListSerializer(serializers.Serializer):
    results = AreaSerializer(many=True)


class AreaQuerySerializer(serializers.Serializer):
    """``province`` for the districts, ``district`` for the subdistricts: the codes."""

    province = serializers.RegexField(r"^[0-9]{2}$", required=False)
    district = serializers.RegexField(r"^[0-9]{4}$", required=False)


# --- Errors ----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """``{"code", "message", "fields"?}`` (api/errors.py). Its fields are given by
    ``get_fields``: a field declared as ``fields`` would hide the serializer's own."""

    def get_fields(self):
        return {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
        }


class ConflictSerializer(ErrorSerializer):
    def get_fields(self):
        return {**super().get_fields(), "case": CaseDetailSerializer()}
