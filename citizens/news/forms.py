"""Forms of the news pages: the officers' post and its photos, the public area filter.
They parse and check input; the rules are in ``public.news.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.models import NewsPost
from citizens.news.services import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    MAX_PHOTOS,
    NewsData,
    PhotoEdit,
    split_case_numbers,
)
from core.forms import BuddhistDateField, DistrictField
from core.models import District, Province, Subdistrict

PUBLISHED = _("ข้อมูลนี้จะเผยแพร่ต่อสาธารณะ")


def _coordinate(label, low, high, help_text=""):
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=6, min_value=low, max_value=high,
        help_text=help_text, widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )  # fmt: skip


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one input; each is checked by its content in the service, not here."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files if item]


class NewsForm(forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("ชื่อกิจกรรม"), max_length=200)
    happened_on = BuddhistDateField(label=_("วันที่จัดกิจกรรม"), help_text=_("วว/ดด/ปปปป (พ.ศ.)"))
    happened_at = forms.TimeField(
        label=_("เวลา"), required=False, help_text=_("ไม่บังคับ เช่น 09:30"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    leader = forms.CharField(label=_("ผู้นำกิจกรรม"), max_length=200, help_text=PUBLISHED)
    participants = forms.CharField(
        label=_("ผู้เข้าร่วม"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("เช่น หน่วยงานที่ร่วมกิจกรรมและจำนวนผู้เข้าร่วม ข้อมูลนี้จะเผยแพร่ต่อสาธารณะ"),
    )  # fmt: skip
    place = forms.CharField(label=_("สถานที่"), max_length=300)
    district = DistrictField(label=_("อำเภอที่จัดกิจกรรม"))
    # The choices are the chosen district's subdistricts (as on the intake form).
    subdistrict = forms.ModelChoiceField(
        label=_("ตำบลที่จัดกิจกรรม"), queryset=Subdistrict.objects.none(),
        error_messages={"invalid_choice": _("ตำบลนี้ไม่อยู่ในอำเภอที่เลือก")},
    )  # fmt: skip
    latitude = _coordinate(_("ละติจูด"), *LATITUDE_RANGE, _("ทศนิยม เช่น 13.536530 (ไม่บังคับ)"))
    longitude = _coordinate(_("ลองจิจูด"), *LONGITUDE_RANGE)
    body = forms.CharField(label=_("รายละเอียดกิจกรรม"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    photos = MultiplePhotoField(
        label=_("เพิ่มภาพกิจกรรม"), required=False,
        help_text=_(
            "เลือกได้หลายภาพพร้อมกัน (JPEG, PNG หรือ WebP) ข่าวหนึ่งมีได้ไม่เกิน 10 ภาพ "
            "ระบบจะลบตำแหน่ง GPS และข้อมูลกล้องออกจากภาพก่อนเก็บ"
        ),
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    case_numbers = forms.CharField(
        label=_("เรื่องร้องเรียนที่เกี่ยวข้อง (เลขที่รับ)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("ไม่บังคับ เช่น 7001/2569/000123 คั่นด้วยจุลภาคหรือขึ้นบรรทัดใหม่ ใช้ภายในเท่านั้น ไม่แสดงบนเว็บไซต์"),
    )  # fmt: skip

    def __init__(self, *args, center_area=None, **kwargs):
        super().__init__(*args, **kwargs)
        if center_area:
            # A district center's district, or a province center's province (its districts offered).
            self.initial.setdefault("district", center_area)
        chosen = self.data.get("district") if self.is_bound else self.initial.get("district")
        if isinstance(chosen, District | Province):
            chosen = chosen.pk if isinstance(chosen, District) else ""
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(district_id=chosen or "")

    @classmethod
    def initial_for(cls, post: NewsPost, *, case_numbers: list[str], version: str) -> dict:
        return {
            "version": version, "title": post.title, "happened_on": post.happened_on,
            "happened_at": post.happened_at, "leader": post.leader, "participants": post.participants,
            "place": post.place, "district": post.subdistrict.district_id if post.subdistrict else None,
            "subdistrict": post.subdistrict_id, "latitude": post.latitude, "longitude": post.longitude,
            "body": post.body, "case_numbers": "\n".join(case_numbers),
        }  # fmt: skip

    def clean(self):
        data = super().clean()
        subdistrict, district = data.get("subdistrict"), data.get("district")
        if subdistrict and district and subdistrict.district_id != district.pk:
            self.add_error("subdistrict", _("ตำบลนี้ไม่อยู่ในอำเภอที่เลือก"))
        return data

    def to_data(self) -> NewsData:
        data = self.cleaned_data
        return NewsData(
            title=data["title"], leader=data["leader"], participants=data["participants"],
            happened_on=data["happened_on"], happened_at=data.get("happened_at"), place=data["place"],
            subdistrict=data.get("subdistrict"), latitude=data.get("latitude"), longitude=data.get("longitude"),
            body=data["body"], case_numbers=split_case_numbers(data.get("case_numbers", "")),
        )  # fmt: skip


class PhotoForm(forms.Form):
    """A photo already on the post: its caption, its place in the gallery, or delete it."""

    photo_id = forms.IntegerField(widget=forms.HiddenInput)
    caption = forms.CharField(
        label=_("คำบรรยายภาพ"), required=False, max_length=300,
        help_text=_("ใช้เป็นข้อความแทนภาพสำหรับผู้พิการทางสายตาด้วย"),
    )  # fmt: skip
    position = forms.IntegerField(label=_("ลำดับ"), min_value=0, max_value=999)
    delete = forms.BooleanField(label=_("ลบภาพนี้"), required=False)

    def to_edit(self) -> PhotoEdit:
        data = self.cleaned_data
        return PhotoEdit(
            photo_id=data["photo_id"], caption=data.get("caption", ""), position=data["position"],
            delete=data.get("delete", False),
        )  # fmt: skip


class PhotoFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": _("ข่าวหนึ่งมีภาพได้ไม่เกิน %(num)d ภาพ")}


PhotoForms = forms.formset_factory(
    PhotoForm, formset=PhotoFormSet, extra=0, max_num=MAX_PHOTOS, absolute_max=MAX_PHOTOS, validate_max=True
)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("สถานะ"), required=False, choices=[("", _("ทุกสถานะ")), *NewsPost.State.choices])


class AreaForm(forms.Form):
    """The public list's province → district filter (a GET form; works without script)."""

    area = DistrictField(label=_("พื้นที่"), required=False, whole_province=True, empty_labels=(_("ทุกจังหวัด"), _("ทุกอำเภอ")))
