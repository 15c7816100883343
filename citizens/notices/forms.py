"""The progress letter's form: to whom, its number and date, who signs it."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Complainant
from core.forms import BuddhistDateField
from core.thai import format_be_input

_LEADING_THI = re.compile(r"^\s*ที่\s*")


class ComplainantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Complainant) -> str:
        return person.full_name


class ProgressLetterForm(forms.Form):
    complainant = ComplainantChoiceField(
        label=_("ผู้รับหนังสือ"), queryset=Complainant.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    number = forms.CharField(
        label=_("เลขที่หนังสือ"),
        max_length=60,
        help_text=_("เช่น มท 0308.1/123 (ไม่ต้องพิมพ์คำว่า “ที่”)"),
        error_messages={"required": _("กรุณากรอกเลขที่หนังสือ")},
    )
    date = BuddhistDateField(label=_("ลงวันที่"), error_messages={"required": _("กรุณากรอกวันที่ของหนังสือ")})
    signer_name = forms.CharField(label=_("ผู้ลงนาม"), max_length=200, error_messages={"required": _("กรุณากรอกชื่อผู้ลงนาม")})
    signer_position = forms.CharField(
        label=_("ตำแหน่งผู้ลงนาม"), max_length=200, error_messages={"required": _("กรุณากรอกตำแหน่งผู้ลงนาม")}
    )

    def __init__(self, *args, case, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["complainant"].queryset = recipients
        self.fields["complainant"].error_messages["required"] = _("กรุณาเลือกผู้รับหนังสือ")
        self.fields["complainant"].error_messages["invalid_choice"] = _("กรุณาเลือกผู้รับหนังสือจากรายชื่อ")

    def clean_number(self) -> str:
        number = _LEADING_THI.sub("", self.cleaned_data["number"]).strip()
        if "\n" in number or "\r" in number:
            raise forms.ValidationError(_("เลขที่หนังสือต้องอยู่ในบรรทัดเดียว"), code="multiline")
        if "/" not in number:
            raise forms.ValidationError(
                _("เลขที่หนังสือต้องมีรหัสหน่วยงานและเลขทะเบียนส่งคั่นด้วย / เช่น มท 0308.1/123"), code="format"
            )
        return number

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < self.case.received_on:
            raise forms.ValidationError(
                _("วันที่ของหนังสือต้องไม่ก่อนวันที่รับเรื่อง (%(date)s)") % {"date": format_be_input(self.case.received_on)},
                code="before_received",
            )
        return day

    def clean_signer_name(self) -> str:
        return " ".join(self.cleaned_data["signer_name"].split())

    def clean_signer_position(self) -> str:
        return " ".join(self.cleaned_data["signer_position"].split())
