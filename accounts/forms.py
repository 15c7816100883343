from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import rules
from accounts.models import POSITION_ROLES, Position, Registration
from core.forms import BuddhistDateField, DistrictField, NationalIdField
from core.models import District, Province, User
from core.roles import ScopeLevel


def center_accounts(level: str, province_id=None, district_id=None):
    """The active accounts of a center: the officers one may register a replacement for."""
    people = User.objects.filter(is_active=True, scope_level=level)
    if level == ScopeLevel.DISTRICT:
        people = people.filter(district_id=district_id)
    elif level == ScopeLevel.PROVINCE:
        people = people.filter(province_id=province_id)
    return people.order_by("first_name", "last_name")


class ReplacedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.position or '—'})"


class RegistrationForm(forms.ModelForm):
    """The registration form (แบบลงทะเบียนใช้งาน), in the seed's order.

    An officer registers for his own center, whose level and place the form shows and
    does not ask; the central administrator chooses the center (``area``): a district, a
    province, or neither for a central account."""

    registered_on = BuddhistDateField(label=_("วันที่"), initial=timezone.localdate)
    national_id = NationalIdField(officer=True)
    assigned_on = BuddhistDateField(label=_("วัน/เดือน/ปี ที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน"))
    replaces = ReplacedChoice(queryset=User.objects.none(), required=False, label=_("เจ้าหน้าที่เดิมที่ลงทะเบียนแทน"))
    area = DistrictField(
        label=_("ศูนย์ที่จะใช้งาน"), required=False, whole_province=True,
        help_text=_("เลือกจังหวัดและอำเภอสำหรับผู้ใช้ระดับอำเภอ เลือกเฉพาะจังหวัดสำหรับระดับจังหวัด "
                    "หรือเว้นว่างสำหรับเจ้าหน้าที่ส่วนกลาง"),
    )  # fmt: skip

    class Meta:
        model = Registration
        fields = [
            "registered_on", "kind", "replaces", "replaced_because", "national_id", "title", "first_name",
            "last_name", "position", "level", "work_unit", "section", "office_phone", "mobile_phone", "email",
            "assigned_on",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "office_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "mobile_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, filler: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.filler = filler
        self.chooses_center = rules.is_central_administrator(filler)
        if not self.chooses_center:
            del self.fields["area"]
            level, province, district = filler.scope_level, filler.province_id, filler.district_id
            if self.instance.pk:
                level, province, district = (
                    self.instance.scope_level, self.instance.province_id, self.instance.district_id
                )  # fmt: skip
            self.center = (level, province, district)
            self.fields["replaces"].queryset = center_accounts(level, province, district)
            # The select offers the positions of the center's level; the field still knows
            # them all, so that another (a crafted post) is refused with the reason (clean).
            allowed = POSITION_ROLES.get(level, {})
            self.fields["position"].widget.choices = [("", "---------")] + [
                (value, label) for value, label in Position.choices if value in allowed
            ]
        else:
            self.center = None
            self.fields["replaces"].queryset = User.objects.filter(is_active=True).order_by("first_name")
            if self.instance.pk:
                self.initial["area"] = [self.instance.province_id or "", self.instance.district_id or ""]
        self.fields["kind"].choices = Registration.Kind.choices
        self.fields["replaces"].help_text = _("เลือกเจ้าหน้าที่เดิมของศูนย์ที่ผู้นี้มาแทน เมื่อรับรองแล้ว บัญชีเดิมจะปิดในวันที่ได้รับมอบหมาย")

    def _center(self, data) -> tuple[str, str | None, str | None]:
        if not self.chooses_center:
            return self.center
        area = data.get("area")
        if isinstance(area, District):
            return ScopeLevel.DISTRICT, area.province_id, area.pk
        if isinstance(area, Province):
            return ScopeLevel.PROVINCE, area.pk, None
        return ScopeLevel.NATION, None, None

    def clean(self):
        data = super().clean()
        level, province, district = self._center(data)
        position = data.get("position")
        if position and position not in POSITION_ROLES.get(level, {}):
            self.add_error(
                "position",
                _("ตำแหน่ง %(position)s ลงทะเบียนใน%(level)s ไม่ได้")
                % {"position": Position(position).label, "level": ScopeLevel(level).label},
            )
        national_id = data.get("national_id")
        replaces = data.get("replaces")
        if data.get("kind") == Registration.Kind.REPLACEMENT:
            if not replaces:
                self.add_error("replaces", _("กรุณาเลือกเจ้าหน้าที่เดิมที่ลงทะเบียนแทน"))
            elif national_id and replaces.national_id == national_id:
                self.add_error("replaces", _("ลงทะเบียนแทนตนเองไม่ได้"))
            elif self.chooses_center and (replaces.scope_level, replaces.province_id, replaces.district_id) != (
                level, province, district
            ):  # fmt: skip
                self.add_error("replaces", _("เจ้าหน้าที่เดิมต้องอยู่ศูนย์เดียวกับผู้ลงทะเบียน"))
        else:
            data["replaces"] = None
            data["replaced_because"] = ""
        if national_id:
            others = Registration.objects.filter(national_id=national_id, state__in=["waiting", "returned"])
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("national_id", _("มีแบบลงทะเบียนของเลขประจำตัวประชาชนนี้รอดำเนินการอยู่แล้ว"))
        registered_on = data.get("registered_on")
        if registered_on and registered_on > timezone.localdate():
            self.add_error("registered_on", _("วันที่ลงทะเบียนต้องไม่เป็นวันในอนาคต"))
        self.instance.scope_level, self.instance.province_id, self.instance.district_id = level, province, district
        return data
