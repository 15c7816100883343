"""The admin's upload of a file of earlier records."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import District
from core.thai import to_arabic_digits
from imports.models import ImportJob
from imports.reading import EXTENSIONS, ImportFileError, open_table
from imports.services import MAX_UPLOAD_BYTES


class UploadForm(forms.ModelForm):
    file = forms.FileField(
        label=_("ไฟล์"), help_text=_("ไฟล์ .xlsx .csv (UTF-8 หรือ TIS-620) หรือ .jsonl แถวแรกเป็นหัวคอลัมน์ (ดูคอลัมน์ใน README)")
    )
    source = forms.CharField(
        label=_("แหล่งข้อมูลเดิม"), max_length=60, required=False,
        help_text=_("เช่น ระบบเดิม หรือ ทะเบียนอำเภอเมืองราชบุรี 2567 เว้นว่าง: ใช้ชื่อไฟล์ เลขที่อ้างอิงไม่ซ้ำกันภายในแหล่งเดียวกัน"),
    )  # fmt: skip
    district_code = forms.CharField(
        label=_("อำเภอตั้งต้น (รหัส 4 หลัก)"), max_length=8, required=False,
        help_text=_("ใช้กับแถวที่ไม่ระบุรหัสอำเภอ เช่น ทะเบียนของศูนย์ฯ อำเภอเดียว"),
    )  # fmt: skip

    class Meta:
        model = ImportJob
        fields = ["file", "source", "dry_run", "all_or_nothing"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if PurePath(uploaded.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("นำเข้าได้เฉพาะไฟล์ .csv .xlsx หรือ .jsonl"))
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกิน %(size)d MB กรุณาแบ่งไฟล์ หรือใช้คำสั่ง import_complaints")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        # Read now, as the import will: a file without its columns is refused here, not later.
        try:
            open_table(uploaded, uploaded.name).close()
        except ImportFileError as problem:
            raise forms.ValidationError(problem.message) from None
        finally:
            uploaded.seek(0)
        return uploaded

    def clean_district_code(self):
        code = to_arabic_digits(self.cleaned_data["district_code"]).strip()
        if not code:
            return None
        district = District.objects.filter(code=code).first()
        if district is None:
            raise forms.ValidationError(_("ไม่พบอำเภอรหัส “%(code)s”") % {"code": code})
        return district

    def save(self, commit=True):
        self.instance.district_default = self.cleaned_data.get("district_code")
        return super().save(commit=commit)
