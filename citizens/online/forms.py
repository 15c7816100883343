"""The public complaint form: what the citizen types, checked as the officers' intake
checks it (``cases.services.validate_intake``, ``cases.forms.ComplainantForm``) and
the files as the officers' uploads are (``cases.files``)."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.files import checked_file
from cases.forms import ComplainantForm, GroupedCategoryChoiceField, MultipleFileInput
from cases.models import Category
from cases.services import validate_intake
from citizens.online import services
from core.forms import DistrictField, DistrictPicker
from core.models import Subdistrict

MAX_FILES = 5
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.pdf,.docx,.xlsx"
# Filled by a script that fills every box; a person never sees it (public/online/form.html).
HONEYPOT = "website"
# The citizen's name and papers: dropped when they file anonymously (the e-mail stays,
# for the tracking code and the notices).
IDENTITY_FIELDS = ("title", "first_name", "last_name", "national_id", "phone", "address")
OUTSIDE_THAILAND = _("ตำแหน่งนี้อยู่นอกประเทศไทย กรุณาตรวจสอบ หรือเว้นว่างไว้")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class PublicDistrictPicker(DistrictPicker):
    """The officers' province → district picker, its districts read from the public site's
    own list (the officers' /geo/ lists need a sign-in)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["districts_url"] = reverse("public:complain_districts")
        return context


class PublicDistrictField(DistrictField):
    widget = PublicDistrictPicker


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _coordinate(label, low, high):
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=6, min_value=low, max_value=high,
        error_messages={"min_value": OUTSIDE_THAILAND, "max_value": OUTSIDE_THAILAND},
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip


class OnlineComplaintForm(ComplainantForm):
    """One form for the whole complaint: the complainant's fields and their rules come
    from the officers' ``ComplainantForm``, the complaint's rules from ``validate_intake``.

    ``email_required``: the browser proved no work (no script), so the complaint is
    filed only when the citizen follows a link e-mailed to them."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    main_category = forms.ModelChoiceField(
        label=_("ประเภทเรื่องหลัก"), queryset=Category.objects.filter(parent__isnull=True, is_active=True),
        error_messages={"required": _("กรุณาเลือกประเภทเรื่องหลัก")},
    )  # fmt: skip
    # Checked by validate_intake: required unless the main category is "other".
    category = GroupedCategoryChoiceField(label=_("ประเภทเรื่องย่อย"), required=False)
    category_other_text = forms.CharField(label=_("ระบุประเภทเรื่อง (กรณีเลือก “เรื่องอื่นๆ”)"), required=False, max_length=200)
    subject = forms.CharField(
        label=_("เรื่องที่ร้องเรียน"), max_length=300, help_text=_("สั้น ๆ เช่น “ถนนชำรุดหน้าโรงเรียน”"),
        error_messages={"required": _("กรุณากรอกเรื่องที่ร้องเรียน")},
    )  # fmt: skip
    description = forms.CharField(
        label=_("รายละเอียด"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("กรุณากรอกรายละเอียด")},
        help_text=_("เกิดอะไรขึ้น เมื่อไร ใครเกี่ยวข้อง และท่านต้องการให้ช่วยเรื่องใด (ไม่เกิน 5,000 ตัวอักษร)"),
    )  # fmt: skip
    incident_district = PublicDistrictField(label=_("จังหวัดและอำเภอที่เกิดเหตุ"))
    incident_subdistrict = forms.ModelChoiceField(
        label=_("ตำบลที่เกิดเหตุ"), queryset=Subdistrict.objects.none(),
        error_messages={
            "required": _("กรุณาเลือกตำบลที่เกิดเหตุ"),
            "invalid_choice": _("ไม่พบตำบลนี้ในอำเภอที่เลือก กรุณาเลือกตำบลใหม่"),
        },
    )  # fmt: skip
    incident_address = forms.CharField(
        label=_("สถานที่เกิดเหตุ"), required=False, max_length=300,
        help_text=_("เช่น บ้านเลขที่ หมู่ที่ ถนน หรือจุดสังเกต (ไม่บังคับ)"),
    )  # fmt: skip
    latitude = _coordinate(_("ละติจูด"), 5, 21)
    longitude = _coordinate(_("ลองจิจูด"), 97, 106)
    files = MultipleFileField(label=_("ภาพถ่ายและเอกสาร"), required=False)
    consent = forms.BooleanField(
        label=_("ข้าพเจ้าได้อ่านแล้ว และยินยอมให้เก็บและใช้ข้อมูลข้างต้นเพื่อการนี้"),
        error_messages={"required": _("กรุณาอ่านและทำเครื่องหมายยินยอม ระบบจึงจะรับเรื่องได้")},
    )  # fmt: skip
    website = forms.CharField(
        label=_("เว็บไซต์"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    field_order = [
        "main_category", "category", "category_other_text", "subject", "description",
        "incident_district", "incident_subdistrict", "incident_address", "latitude", "longitude", "files",
        "is_anonymous", "is_confidential", "title", "first_name", "last_name", "national_id", "phone", "email",
        "address", "consent",
    ]  # fmt: skip

    def __init__(self, *args, email_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].refresh()
        self.initial.setdefault("submission_key", uuid.uuid4())
        chosen = self.data.get("incident_district") or self.initial.get("incident_district")
        if isinstance(chosen, list | tuple):  # [province, district], a form shown again without script
            chosen = chosen[-1]
        if chosen:
            self.fields["incident_subdistrict"].queryset = Subdistrict.objects.filter(district_id=chosen)
        fields = self.fields
        fields["is_anonymous"].help_text = _("ไม่ต้องกรอกชื่อและข้อมูลส่วนตัว ยังกรอกอีเมลเพื่อรับรหัสติดตามเรื่องได้")
        fields["is_confidential"].label = _("ขอให้ปกปิดข้อมูล")
        fields["is_confidential"].help_text = _("ชื่อและข้อมูลติดต่อของท่านจะแสดงเฉพาะเจ้าหน้าที่ผู้รับผิดชอบเรื่องเท่านั้น")
        fields["national_id"].help_text = _("ไม่บังคับ 13 หลัก ระบบตรวจเลขให้ ผู้ไม่มีสัญชาติไทยเว้นว่างได้")
        fields["email"].help_text = _("ใช้ส่งรหัสติดตามเรื่องและแจ้งความคืบหน้าให้ท่าน")
        fields["phone"].help_text = _("เจ้าหน้าที่อาจโทรสอบถามข้อเท็จจริงเพิ่มเติม")
        for name, token in {
            "title": "honorific-prefix", "first_name": "given-name", "last_name": "family-name",
            "phone": "tel", "email": "email", "address": "street-address", "national_id": "off",
        }.items():  # fmt: skip
            fields[name].widget.attrs["autocomplete"] = token
        fields["email"].widget.attrs["inputmode"] = "email"
        if email_required:
            fields["email"].required = True
            fields["email"].error_messages["required"] = _(
                "กรุณากรอกอีเมล: เมื่อไม่ได้เปิดใช้ JavaScript ระบบจะส่งลิงก์ยืนยันไปที่อีเมลนี้ก่อนรับเรื่อง"
            )

    # --- Checks ------------------------------------------------------------------------

    def clean_files(self):
        uploaded = self.cleaned_data["files"]
        if len(uploaded) > MAX_FILES:
            raise ValidationError(_("แนบได้ไม่เกิน %(count)d ไฟล์ (เลือกมา %(chosen)d ไฟล์)"), params={
                "count": MAX_FILES, "chosen": len(uploaded)})  # fmt: skip
        if sum(f.size or 0 for f in uploaded) > settings.ONLINE_UPLOAD_TOTAL_BYTES:
            raise ValidationError(
                _("ไฟล์ทั้งหมดรวมกันต้องไม่เกิน %(limit)s"), params={"limit": megabytes(settings.ONLINE_UPLOAD_TOTAL_BYTES)}
            )
        checked, errors = [], []
        for item in uploaded:
            try:
                checked.append(checked_file(item))
            except ValidationError as error:
                errors += error.message_dict.get("file", error.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        data = super().clean()  # ComplainantForm: a name, or anonymous
        if data.get("is_anonymous"):
            for name in IDENTITY_FIELDS:
                data[name] = ""
                self._errors.pop(name, None)
        main = data.get("main_category")
        if main is not None and main.is_other:
            data["category"] = None
        subdistrict, district = data.get("incident_subdistrict"), data.get("incident_district")
        if subdistrict and district and subdistrict.district_id != district.pk:
            self.add_error("incident_subdistrict", _("ไม่พบตำบลนี้ในอำเภอที่เลือก กรุณาเลือกตำบลใหม่"))
        if main is not None:
            self._check_intake_rules()
        return data

    def _check_intake_rules(self) -> None:
        """The officers' intake rules, each message beside its field unless the field's own check spoke already."""
        try:
            validate_intake(services.intake_data(self.submission_data()), today=timezone.localdate())
        except ValidationError as error:
            contact_errors = any(name in self._errors for name in IDENTITY_FIELDS + ("email",))
            for name, messages in error.message_dict.items():
                if name == "complainants":
                    if not contact_errors:
                        self.add_error(None, messages)
                elif name not in self._errors:
                    self.add_error(name if name in self.fields else None, messages)

    # --- What is kept ----------------------------------------------------------------------

    def submission_data(self) -> dict:
        """The complaint as ``citizens.models.OnlineSubmission.data`` keeps it (JSON), until it is filed."""
        data = self.cleaned_data

        def pk(name):
            value = data.get(name)
            return value.pk if value is not None else None

        def text(value):
            return "" if value is None else str(value)

        return {
            "submission_key": text(data.get("submission_key")),
            "main_category": pk("main_category"),
            "category": pk("category"),
            "category_other_text": data.get("category_other_text", ""),
            "subject": data.get("subject", ""),
            "description": data.get("description", ""),
            "incident_subdistrict": pk("incident_subdistrict"),
            "incident_address": data.get("incident_address", ""),
            "latitude": text(data.get("latitude")) or None,
            "longitude": text(data.get("longitude")) or None,
            "complainant": {name: data.get(name, False if name.startswith("is_") else "") for name in services.PERSON},
        }
