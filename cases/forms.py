"""Forms of the officer's case pages. They parse and check input; the rules of
the domain are in cases.services."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Category, Channel, Outcome, Respondent, Status, Team
from cases.selectors import CaseFilters
from cases.services import ComplainantData, IntakeData, RespondentData
from core.forms import BuddhistDateField, DistrictField, filter_values
from core.models import District, Province, Subdistrict
from core.thai import normalize_national_id

LATITUDE_HELP = _("ทศนิยม เช่น 13.536530 (ไม่บังคับ)")


def _coordinate(label, low, high, help_text=""):
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=6, min_value=low, max_value=high,
        help_text=help_text, widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )  # fmt: skip


class GroupedCategoryChoiceField(forms.ModelChoiceField):
    """Sub-categories grouped under their main category, so one plain <select> needs no script."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.none(), **kwargs)

    def refresh(self):
        subs = Category.objects.filter(is_active=True, parent__isnull=False).select_related("parent")
        self.queryset = subs
        groups: dict[str, list] = {}
        for sub in subs.order_by("parent__sort_order", "parent__name_th", "sort_order", "name_th"):
            groups.setdefault(sub.parent.name_th, []).append((sub.pk, sub.name_th))
        self.choices = [("", "---------"), *groups.items()]


class IntakeForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    received_on = BuddhistDateField(label=_("วันที่รับเรื่อง"), help_text=_("วว/ดด/ปปปป (พ.ศ.) ย้อนหลังได้ถึงต้นปีงบประมาณที่แล้ว"))
    channel = forms.ChoiceField(label=_("ช่องทางที่รับเรื่อง"), choices=Channel.choices, initial=Channel.WALK_IN)
    main_category = forms.ModelChoiceField(
        label=_("ประเภทเรื่องหลัก"), queryset=Category.objects.filter(parent__isnull=True, is_active=True)
    )
    # Required, and so marked and reported with the other fields on the first
    # submit; clean() lets it go when the main category is "other" (free text).
    category = GroupedCategoryChoiceField(
        label=_("ประเภทเรื่องย่อย"), error_messages={"required": _("กรุณาเลือกประเภทเรื่องย่อย")}
    )
    category_other_text = forms.CharField(label=_("รายละเอียดประเภทเรื่อง (กรณีเรื่องอื่นๆ)"), required=False, max_length=200)
    subject = forms.CharField(label=_("เรื่อง"), max_length=300)
    description = forms.CharField(label=_("รายละเอียด"), widget=forms.Textarea(attrs={"rows": 5}))
    incident_district = DistrictField(label=_("อำเภอที่เกิดเหตุ"))
    # The choices are the chosen district's subdistricts, so a subdistrict of
    # another district is an invalid choice: say why, not Django's generic text.
    incident_subdistrict = forms.ModelChoiceField(
        label=_("ตำบลที่เกิดเหตุ"), queryset=Subdistrict.objects.all(),
        error_messages={"invalid_choice": _("ตำบลนี้ไม่อยู่ในอำเภอที่เลือก")},
    )  # fmt: skip
    incident_address = forms.CharField(label=_("สถานที่เกิดเหตุ"), required=False, max_length=300)
    latitude = _coordinate(_("ละติจูด"), 5, 21, LATITUDE_HELP)
    longitude = _coordinate(_("ลองจิจูด"), 97, 106)
    # Posted by the "record as a new case" button of the duplicate warning only.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].refresh()
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.initial.setdefault("received_on", timezone.localdate())
        self.initial.setdefault("incident_district", district.pk)
        chosen = self.data.get("incident_district") or self.initial.get("incident_district")
        self.fields["incident_subdistrict"].queryset = Subdistrict.objects.filter(district_id=chosen)

    def clean(self):
        data = super().clean()
        main = data.get("main_category")
        if main is not None and main.is_other:
            # "Other" takes a free-text description instead (cases.services.validate_intake).
            self._errors.pop("category", None)
            data["category"] = None
        subdistrict, district = data.get("incident_subdistrict"), data.get("incident_district")
        if subdistrict and district and subdistrict.district_id != district.pk:
            self.add_error("incident_subdistrict", _("ตำบลนี้ไม่อยู่ในอำเภอที่เลือก"))
        return data


class ComplainantForm(forms.Form):
    is_anonymous = forms.BooleanField(label=_("ไม่ประสงค์ออกนาม"), required=False)
    is_confidential = forms.BooleanField(
        label=_("ปกปิดข้อมูลผู้ร้อง"), required=False, help_text=_("เช่น ร้องเรียนเจ้าหน้าที่รัฐ: แสดงชื่อเฉพาะผู้รับผิดชอบเรื่อง")
    )
    national_id = forms.CharField(
        label=_("เลขประจำตัวประชาชน"), required=False, max_length=20,
        help_text=_("ไม่บังคับ ผู้ร้องที่ไม่มีสัญชาติไทยเว้นว่างได้"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    title = forms.CharField(label=_("คำนำหน้านาม"), required=False, max_length=60)
    first_name = forms.CharField(label=_("ชื่อตัว"), required=False, max_length=100)
    last_name = forms.CharField(label=_("ชื่อสกุล"), required=False, max_length=100)
    phone = forms.CharField(
        label=_("โทรศัพท์"), required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(
        label=_("อีเมล"), required=False, max_length=254, help_text=_("ไม่บังคับ ใช้แจ้งความคืบหน้าให้ผู้ร้องทราบ")
    )
    address = forms.CharField(label=_("ที่อยู่"), required=False, max_length=300)

    def clean_national_id(self):
        value = self.cleaned_data["national_id"]
        return normalize_national_id(value) if value.strip() else ""

    def clean(self):
        data = super().clean()
        if not data.get("is_anonymous") and not (
            data.get("first_name", "").strip() or data.get("last_name", "").strip()
        ):
            self.add_error("first_name", _("กรุณากรอกชื่อผู้ร้อง หรือเลือก “ไม่ประสงค์ออกนาม”"))
        return data

    def to_data(self) -> ComplainantData:
        data = self.cleaned_data
        return ComplainantData(**{k: data[k] for k in ComplainantData.__dataclass_fields__ if k in data})


class RespondentForm(forms.Form):
    kind = forms.ChoiceField(label=_("ประเภทผู้ถูกร้อง"), choices=Respondent.Kind.choices)
    name = forms.CharField(label=_("ชื่อผู้ถูกร้อง"), max_length=200)
    position = forms.CharField(label=_("ตำแหน่ง/สังกัด"), required=False, max_length=200)
    national_id = forms.CharField(label=_("เลขประจำตัวประชาชน/เลขนิติบุคคล"), required=False, max_length=20)
    address = forms.CharField(label=_("ที่อยู่"), required=False, max_length=300)
    phone = forms.CharField(label=_("โทรศัพท์"), required=False, max_length=40)

    def clean_national_id(self):
        value = self.cleaned_data["national_id"]
        return normalize_national_id(value) if value.strip() else ""

    def to_data(self) -> RespondentData:
        return RespondentData(**self.cleaned_data)


# At most this many complainants or respondents on one intake. ``absolute_max``
# caps the forms Django builds whatever TOTAL_FORMS claims (a million forms took
# seconds to build and render before a single error was shown).
MAX_PARTIES = 20


class PartyFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": _("กรอกได้ไม่เกิน %(num)d รายการ")}


def _party_formset(form, *, min_num):
    return forms.formset_factory(
        # No validate_min: the first form is never "empty permitted" (Django
        # builds forms below min_num so), so an untouched one reports its own
        # fields in Thai instead of "submit at least 1 form"; none at all is
        # refused by cases.services.validate_intake.
        form, formset=PartyFormSet, extra=0, min_num=min_num, validate_min=False,
        max_num=MAX_PARTIES, absolute_max=MAX_PARTIES, validate_max=True,
    )  # fmt: skip


ComplainantFormSet = _party_formset(ComplainantForm, min_num=1)
RespondentFormSet = _party_formset(RespondentForm, min_num=0)


def intake_data(form: IntakeForm, complainants, respondents) -> IntakeData:
    data = form.cleaned_data
    return IntakeData(
        channel=data["channel"],
        received_on=data["received_on"],
        main_category=data["main_category"],
        category=data.get("category"),
        category_other_text=data.get("category_other_text", ""),
        subject=data["subject"],
        description=data["description"],
        incident_subdistrict=data["incident_subdistrict"],
        incident_address=data.get("incident_address", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        complainants=[f.to_data() for f in complainants.forms if f.cleaned_data],
        respondents=[f.to_data() for f in respondents.forms if f.cleaned_data],
    )


# --- Action forms -------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the action forms: carries the status the user saw, so that a case
    moved meanwhile by someone else is refused with a clear message."""

    expected_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.initial.setdefault("expected_status", case.status)


def _reason(label=None):
    return forms.CharField(label=label or _("เหตุผล"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


def _note():
    return forms.CharField(
        label=_("บันทึกเพิ่มเติม"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ProposeAssignmentForm(ActionForm):
    team = forms.ModelChoiceField(label=_("ชุดปฏิบัติการประจำตำบล"), queryset=Team.objects.none())
    note = _note()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        teams = Team.objects.filter(district_id=case.district_id, is_active=True).select_related("subdistrict")
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: f"{t.name} (ตำบล{t.subdistrict.name_th})"
        same_area = teams.filter(subdistrict_id=case.incident_subdistrict_id).first()
        if same_area:
            self.initial.setdefault("team", same_area.pk)


class NoteForm(ActionForm):
    note = _note()


class ReasonForm(ActionForm):
    reason = _reason()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ReportProgressForm(ActionForm):
    text = forms.CharField(label=_("ความคืบหน้า"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    photos = MultiplePhotoField(label=_("ภาพถ่าย"), required=False, help_text=_("เลือกได้หลายภาพ (JPEG, PNG, WebP)"))
    latitude = _coordinate(_("ละติจูด"), 5, 21, _("กด “ใช้ตำแหน่งปัจจุบัน” เพื่อกรอกจาก GPS ของโทรศัพท์"))
    longitude = _coordinate(_("ลองจิจูด"), 97, 106)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("กรุณากรอกทั้งละติจูดและลองจิจูด หรือเว้นว่างทั้งคู่"))
        return data


# Withdrawn and merged are the outcomes of their own steps (withdraw, merge), never proposed.
RESOLUTION_OUTCOMES = [(v, label) for v, label in Outcome.choices if v not in (Outcome.WITHDRAWN, Outcome.MERGED)]


class ProposeResolutionForm(ActionForm):
    outcome = forms.ChoiceField(label=_("ผลการดำเนินการ"), choices=RESOLUTION_OUTCOMES, widget=forms.RadioSelect)
    summary = forms.CharField(label=_("สรุปผลการดำเนินการ"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)


class ApproveClosureForm(ProposeResolutionForm):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.initial.setdefault("outcome", case.proposed_outcome)
        self.initial.setdefault("summary", case.proposed_summary)


class ForwardForm(ActionForm):
    agency = forms.CharField(label=_("หน่วยงานที่ส่งต่อ"), max_length=200)
    letter_number = forms.CharField(label=_("เลขที่หนังสือ"), max_length=100, help_text=_("เช่น รบ 0018/1234"))
    letter_date = BuddhistDateField(label=_("ลงวันที่"))
    note = _note()


class AgencyRepliedForm(ActionForm):
    reply = forms.CharField(label=_("ผลการพิจารณาของหน่วยงาน"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    replied_on = BuddhistDateField(label=_("วันที่ตอบ"))
    reply_letter_number = forms.CharField(label=_("เลขที่หนังสือตอบ"), required=False, max_length=100)


class ReturnToDistrictForm(ActionForm):
    instructions = _reason(_("ข้อสั่งการถึงอำเภอ"))


class TransferForm(ActionForm):
    district = DistrictField(label=_("โอนไปยังศูนย์ดำรงธรรมอำเภอ"))
    reason = _reason()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        incident_district = case.incident_subdistrict.district_id
        if incident_district != case.district_id:
            self.initial.setdefault("district", incident_district)
        else:
            # No district to suggest: the list opens at the case's own province.
            self.initial.setdefault("district", case.district.province)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=200, help_text=_("คำในเรื่อง รายละเอียด ชื่อ หรือเลขที่รับ"))
    status = forms.ChoiceField(label=_("สถานะ"), required=False, choices=[("", _("ทุกสถานะ")), *Status.choices])
    category = forms.ModelChoiceField(
        label=_("ประเภทเรื่อง"), required=False, queryset=Category.objects.filter(is_active=True).select_related("parent")
    )
    district = DistrictField(
        label=_("พื้นที่"), required=False, whole_province=True, empty_labels=(_("ทุกจังหวัด"), _("ทุกอำเภอ"))
    )
    team = forms.ModelChoiceField(label=_("ชุดปฏิบัติการ"), required=False, queryset=Team.objects.none())
    received_from = BuddhistDateField(label=_("รับเรื่องตั้งแต่"), required=False)
    received_to = BuddhistDateField(label=_("ถึง"), required=False)
    overdue = forms.BooleanField(label=_("เฉพาะเรื่องที่เกินกำหนดยุติเรื่อง"), required=False)
    sort = forms.ChoiceField(
        label=_("เรียงตาม"), required=False, choices=[("newest", _("รับเรื่องล่าสุดก่อน")), ("oldest", _("รับเรื่องเก่าสุดก่อน"))]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.district_id:
            # A district officer's list holds only the district: nothing to choose.
            del self.fields["district"]
            district = user.district_id
        else:
            if user.province_id:
                self.fields["district"].limit_to(user.province_id)
                self.fields["district"].label = _("อำเภอ")
            district = self._chosen_district()
        team = self.fields["team"]
        if district:
            team.queryset = Team.objects.filter(is_active=True, district_id=district)
        else:
            # The country has some 1,850 teams, a province a hundred or more: a
            # select of one district's teams is one a person can use.
            team.disabled = True
            team.help_text = _("เลือกอำเภอแล้วกดค้นหา จึงเลือกชุดปฏิบัติการได้")

    def _chosen_district(self) -> str:
        """The code of the district the submitted filter chooses, "" for none (or a wrong one)."""
        if not self.is_bound:
            return ""
        field = self.fields["district"]
        try:
            return field.codes(field.widget.value_from_datadict(self.data, self.files, self.add_prefix("district")))[1]
        except ValidationError:
            return ""


def case_filters(form: CaseFilterForm) -> CaseFilters:
    """The list's filters from its form: none where the form is unbound or invalid."""
    data = filter_values(form)
    if data is None:
        return CaseFilters()
    area = data.get("district")  # a district, a whole province (national users) or None
    return CaseFilters(
        status=data.get("status", ""),
        category=data["category"].pk if data.get("category") else None,
        team=data["team"].pk if data.get("team") else None,
        province=area.pk if isinstance(area, Province) else None,
        district=area.pk if isinstance(area, District) else None,
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
        overdue=data.get("overdue", False),
        query=data.get("q", ""),
        sort=data.get("sort") or "newest",
    )
