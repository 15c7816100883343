"""The form of a case from a letter: the scan to read (the intake form itself is cases')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# What the centers' scanners make; documents.services.add_document judges the file by its bytes.
LETTER_TYPES = "application/pdf,image/tiff,image/jpeg,image/png,.pdf,.tif,.tiff,.jpg,.jpeg,.png"


class LetterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์หนังสือที่สแกน"),
        help_text=_("PDF, TIFF, JPEG หรือ PNG จากเครื่องสแกน หลายหน้าได้ (PDF หรือ TIFF)"),
        error_messages={"required": _("กรุณาเลือกไฟล์หนังสือที่สแกน")},
        widget=forms.ClearableFileInput(attrs={"accept": LETTER_TYPES}),
    )
    description = forms.CharField(
        label=_("คำอธิบาย"), required=False, max_length=300, help_text=_("ไม่บังคับ เช่น หนังสือจากผู้ร้อง ลงวันที่ 12 มี.ค. 2569")
    )
