"""The auditors' forms: the log browser's filters and the "as of" moment of a case."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Kind
from core.forms import BuddhistDateField
from core.thai import to_arabic_digits


class ClockTimeField(forms.TimeField):
    """A time of day typed as ชช:นน (24-hour clock; Thai digits and a dot accepted)."""

    input_formats = ["%H:%M", "%H.%M"]
    default_error_messages = {"invalid": _("กรุณากรอกเวลาในรูปแบบ ชช:นน (24 ชั่วโมง) เช่น 14:30")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TimeInput(format="%H:%M", attrs={"placeholder": _("ชช:นน"), "inputmode": "numeric", "size": 6}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).strip()
        return super().to_python(value)


class LogFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("ผู้กระทำ"), required=False, max_length=100, help_text=_("ชื่อหรือเลขประจำตัวประชาชน บางส่วนก็ได้")
    )
    case = forms.CharField(label=_("เลขที่รับ"), required=False, max_length=30, help_text=_("เช่น 7001/2569/000123"))
    kind = forms.ChoiceField(label=_("ประเภทเหตุการณ์"), required=False, choices=[("", _("ทุกประเภท")), *Kind.choices])
    date_from = BuddhistDateField(label=_("ตั้งแต่วันที่"), required=False)
    date_to = BuddhistDateField(label=_("ถึงวันที่"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"))
        return data


class AsOfForm(forms.Form):
    """A moment in the case's life: a Buddhist-era date and a time to the minute."""

    date = BuddhistDateField(label=_("วันที่"), help_text=_("วว/ดด/ปปปป (พ.ศ.)"))
    time = ClockTimeField(label=_("เวลา"), required=False, help_text=_("ชช:นน แบบ 24 ชั่วโมง ถ้าไม่กรอก ใช้สิ้นวัน"))

    def moment(self) -> dt.datetime:
        """The end of the chosen minute (or day): what the timeline shows as that time is included."""
        day = self.cleaned_data["date"]
        clock = self.cleaned_data.get("time")
        end = dt.time(23, 59, 59, 999_999) if clock is None else clock.replace(second=59, microsecond=999_999)
        return dt.datetime.combine(day, end, tzinfo=timezone.get_current_timezone())
