"""The tracking page's forms: the code, the rating, the request to reopen, the head's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.codes import LENGTH, normalize_tracking_code
from core.thai import to_arabic_digits


def read_code(typed: str) -> tuple[str, str]:
    """``(code, problem)`` of what a citizen typed: the code normalised (dashes, spaces,
    lower case, Thai digits, O for 0, I and L for 1 forgiven, as Crockford's base32
    intends), and what is wrong with it for the citizen ("" when it is well formed).

    Crockford leaves U out of the alphabet without mapping it to anything; we do the
    same, and say so: a U is most likely a V, but guessing would send the citizen to
    someone else's case as soon as the guess is wrong."""
    text = to_arabic_digits(typed or "").strip()
    code = normalize_tracking_code(text)
    if "U" in text.upper():
        return code, str(_("รหัสติดตามเรื่องไม่มีตัวอักษร U กรุณาตรวจดูรหัสบนใบรับเรื่องอีกครั้ง (อาจเป็นตัว V)"))
    if not code:
        return code, str(_("กรุณากรอกรหัสติดตามเรื่องที่พิมพ์อยู่บนใบรับเรื่อง"))
    if len(code) != LENGTH:
        return code, str(
            _("รหัสติดตามเรื่องมี %(length)d ตัวอักษร (ไม่นับขีด) แต่ที่กรอกมี %(typed)d ตัว กรุณาตรวจดูรหัสบนใบรับเรื่องอีกครั้ง")
            % {"length": LENGTH, "typed": len(code)}
        )
    return code, ""


class TrackingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("รหัสติดตามเรื่อง"),
        max_length=80,
        help_text=_("26 ตัวอักษร ตามที่พิมพ์อยู่บนใบรับเรื่อง เช่น 0TFHT-C5ACE-SESYX-YGK7V-9QHBPX พิมพ์ตัวเล็กหรือไม่มีขีดก็ได้"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code, problem = read_code(self.cleaned_data["code"])
        if problem:
            raise forms.ValidationError(problem)
        return code


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("ความพึงพอใจต่อการดำเนินการของศูนย์ฯ"),
        coerce=int,
        choices=[
            (5, _("5 — พอใจมากที่สุด")),
            (4, _("4 — พอใจมาก")),
            (3, _("3 — พอใจปานกลาง")),
            (2, _("2 — พอใจน้อย")),
            (1, _("1 — ไม่พอใจ")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("กรุณาเลือกระดับความพึงพอใจ")},
    )
    comment = forms.CharField(
        label=_("ความคิดเห็นเพิ่มเติม (ถ้ามี)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("ปัญหาที่ยังไม่ได้รับการแก้ไข"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("เล่าว่าปัญหาใดยังอยู่ ศูนย์ฯ จะพิจารณาว่าจะเปิดเรื่องใหม่หรือไม่ และแจ้งผลในหน้านี้"),
        error_messages={"required": _("กรุณาเล่าว่าปัญหาใดยังไม่ได้รับการแก้ไข")},
    )


class DecisionForm(forms.Form):
    REOPEN, DECLINE = "reopen", "decline"

    decision = forms.ChoiceField(
        label=_("ผลการพิจารณา"),
        choices=[(REOPEN, _("เปิดเรื่องใหม่")), (DECLINE, _("ไม่เปิดเรื่องใหม่"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("กรุณาเลือกผลการพิจารณา")},
    )
    note = forms.CharField(
        label=_("เหตุผล (ถึงผู้ร้อง)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "ถ้าไม่เปิดเรื่องใหม่ ต้องระบุเหตุผล ข้อความนี้จะแสดงต่อผู้ร้องและทุกคนที่มีรหัสติดตามเรื่องในหน้าติดตามเรื่อง "
            "(ต่อท้าย “ศูนย์ฯ พิจารณาแล้ว ไม่เปิดเรื่องใหม่ เพราะ …”) "
            "เขียนถึงผู้ร้องโดยตรง ไม่ใส่ชื่อบุคคล เลขประจำตัว หมายเลขโทรศัพท์ หรือข้อเท็จจริงที่ต้องปกปิด "
            "ถ้าเปิดเรื่องใหม่ ข้อความนี้จะต่อท้ายบันทึกการเปิดเรื่องในระบบ และไม่แสดงต่อผู้ร้อง"
        ),
    )
