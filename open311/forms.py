"""The fields of a POSTed request (GeoReport v2: form-encoded, ``attribute[code]`` for the
service definition's attributes, ``open311.selectors.attributes``)."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from open311.services import RequestData

DESCRIPTION_LENGTH = 4000  # the spec's limit


class RequestForm(forms.Form):
    service_code = forms.CharField(max_length=20)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    long = forms.FloatField(required=False, min_value=-180, max_value=180)
    address_string = forms.CharField(required=False, max_length=500)
    address_id = forms.CharField(required=False, max_length=100)
    email = forms.EmailField(required=False)
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    phone = forms.CharField(required=False, max_length=40)
    description = forms.CharField(max_length=DESCRIPTION_LENGTH)
    media_url = forms.URLField(required=False, max_length=2000, assume_scheme="https")
    # Taken and not kept: the spec's identifiers of the device and of the app's own account.
    device_id = forms.CharField(required=False, max_length=200)
    account_id = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribute[subdistrict]"] = forms.CharField(
            required=False, validators=[RegexValidator(r"^\d{6}$", _("รหัสตำบลมี 6 หลัก เช่น 700101"))]
        )
        self.fields["attribute[subject]"] = forms.CharField(required=False, max_length=300)
        self.fields["attribute[other_text]"] = forms.CharField(required=False, max_length=200)
        self.fields["attribute[confidential]"] = forms.ChoiceField(
            required=False, choices=[("", ""), ("true", "true"), ("false", "false")]
        )

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat"), data.get("long")
        if (lat is None) != (lng is None) and not self.has_error("lat") and not self.has_error("long"):
            self.add_error("lat", _("กรุณาส่งทั้ง lat และ long"))
        elif lat is None and not data.get("address_string", "").strip() and not self.errors:
            self.add_error("lat", _("กรุณาส่งที่เกิดเหตุ: พิกัด (lat, long) หรือที่อยู่ (address_string) ที่ระบุอำเภอและจังหวัด"))
        media = data.get("media_url") or ""
        if media and not media.lower().startswith(("http://", "https://")):
            self.add_error("media_url", _("ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://"))
        return data

    def request_data(self, service) -> RequestData:
        data = self.cleaned_data
        return RequestData(
            service=service,
            description=data["description"],
            lat=data.get("lat"),
            lng=data.get("long"),
            address=data.get("address_string", ""),
            subject=data.get("attribute[subject]", ""),
            other_text=data.get("attribute[other_text]", ""),
            subdistrict_code=data.get("attribute[subdistrict]", ""),
            confidential=data.get("attribute[confidential]") == "true",
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            media_url=data.get("media_url", ""),
        )
