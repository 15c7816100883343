from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BuddhistDateField, DistrictField, NationalIdField
from core.models import User


class ShareForm(forms.Form):
    district = DistrictField(label=_("แชร์ให้ศูนย์ดำรงธรรมอำเภอ"), required=False)
    national_id = NationalIdField(label=_("หรือแชร์ให้เจ้าหน้าที่ (เลขประจำตัวประชาชน)"), required=False, officer=True)
    reason = forms.CharField(label=_("เหตุผล"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    expires_on = BuddhistDateField(label=_("แชร์ถึงวันที่"))

    def clean(self):
        data = super().clean()
        district, national_id = data.get("district"), data.get("national_id")
        if bool(district) == bool(national_id) and "national_id" not in self.errors:
            raise forms.ValidationError(_("กรุณาเลือกอำเภอหรือกรอกเลขประจำตัวประชาชนของเจ้าหน้าที่ อย่างใดอย่างหนึ่ง"))
        if national_id:
            data["user"] = User.objects.filter(national_id=national_id, is_active=True).first()
            if data["user"] is None:
                self.add_error("national_id", _("ไม่พบบัญชีเจ้าหน้าที่ที่ใช้งานอยู่ของเลขประจำตัวประชาชนนี้"))
        return data
