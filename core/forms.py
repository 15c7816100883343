from dataclasses import dataclass
from functools import cache

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pythainlp.util import collate

from core.models import District, Province, User
from core.thai import be_year, format_be_input, normalize_national_id, parse_be_date


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that fed it: each field's
    messages beside that field, the rest (and a message without fields) at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def filter_values(form: forms.Form) -> dict | None:
    """The values of a filter form that are right, or None for a form not submitted.

    A field typed wrong shows its error and is left out; the fields that are
    right still filter, rather than the whole unfiltered list standing in for
    results."""
    if not form.is_bound:
        return None
    form.is_valid()
    return form.cleaned_data


class NationalIdField(forms.CharField):
    """A 13-digit national ID; Thai digits, spaces and dashes accepted and normalised."""

    def __init__(self, *, officer: bool = False, **kwargs):
        self.officer = officer
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("เลขประจำตัวประชาชน"))
        kwargs.setdefault("help_text", _("13 หลัก ใช้เลขไทยหรือเลขอารบิกก็ได้"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "username", "spellcheck": "false"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return normalize_national_id(value, officer=self.officer)


class BuddhistDateInput(forms.TextInput):
    """A date typed as วว/ดด/ปปปป in the Buddhist era."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("วว/ดด/ปปปป"), "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "year"):
            return format_be_input(value)
        return super().format_value(value)


class BuddhistDateField(forms.DateField):
    widget = BuddhistDateInput
    # The years the system has a use for. Past them a calendar date still parses
    # (31/12/9999) but the day after it, which filters compute, does not exist.
    min_year, max_year = 1900, 2200

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        return parse_be_date(value)

    def validate(self, value):
        super().validate(value)
        if value and not self.min_year <= value.year <= self.max_year:
            raise forms.ValidationError(
                _("ปี พ.ศ. ต้องอยู่ระหว่าง %(low)s ถึง %(high)s"),
                code="year_out_of_range",
                params={"low": be_year(self.min_year), "high": be_year(self.max_year)},
            )


class LoginForm(auth_forms.AuthenticationForm):
    username = NationalIdField(widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label=_("รหัสผ่าน"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("เลขประจำตัวประชาชนหรือรหัสผ่านไม่ถูกต้อง หากกรอกผิดหลายครั้ง ระบบจะระงับการเข้าใช้งานชั่วคราว"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบของจังหวัด"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Django caps the field at the model's 13 characters; people type the ID
        # with spaces or dashes (1-7001-00000-01-2), which the field normalises.
        username = self.fields["username"]
        username.max_length = 20
        username.widget.attrs["maxlength"] = 20


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Change the password; a new password must differ from the current one."""

    def clean(self):
        data = super().clean()
        new_password = data.get("new_password1")
        if new_password and "new_password2" not in self.errors and self.user.check_password(new_password):
            self.add_error(
                "new_password2",
                forms.ValidationError(_("รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม"), code="password_unchanged"),
            )
        return data

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class ProfileForm(forms.ModelForm):
    """What an officer may change about themselves: how to reach them."""

    class Meta:
        model = User
        fields = ["office_phone", "mobile_phone", "email"]
        widgets = {
            "office_phone": forms.TextInput(attrs={"autocomplete": "work tel", "inputmode": "tel"}),
            "mobile_phone": forms.TextInput(attrs={"autocomplete": "mobile tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


# --- The province → district picker ----------------------------------------------------------


def is_area_code(value: str, digits: int) -> bool:
    """Whether ``value`` is shaped as a province (2 digits), district (4) or subdistrict (6) code.

    Anything else (Thai digits, a NUL byte, which the database itself refuses) is
    refused before it reaches a query."""
    return len(value) == digits and value.isascii() and value.isdigit()


@dataclass(frozen=True)
class Areas:
    """The provinces and their districts as (code, Thai name), in Thai dictionary order."""

    provinces: tuple[tuple[str, str], ...]
    districts: dict[str, tuple[tuple[str, str], ...]]  # by province code
    province_of: dict[str, str]  # district code -> province code


class _NoGeography(LookupError):
    pass


@cache
def _read_areas() -> Areas:
    rows = list(District.objects.values_list("code", "name_th", "province_id", "province__name_th"))
    if not rows:
        raise _NoGeography  # not cached: the geography may be loaded later in this process
    # The database's C collation puts names with a leading vowel (เชียงใหม่) after ฮ.
    rank = {name: index for index, name in enumerate(collate({row[1] for row in rows} | {row[3] for row in rows}))}
    rows.sort(key=lambda row: (rank[row[1]], row[0]))
    districts: dict[str, list[tuple[str, str]]] = {}
    for code, name, province, _province_name in rows:
        districts.setdefault(province, []).append((code, name))
    provinces = sorted({(row[2], row[3]) for row in rows}, key=lambda province: (rank[province[1]], province[0]))
    return Areas(
        provinces=tuple(provinces),
        districts={code: tuple(names) for code, names in districts.items()},
        province_of={row[0]: row[2] for row in rows},
    )


def areas() -> Areas:
    """The country's provinces and districts, read once per process.

    Geography changes only when ``core.geography.load_geography`` runs, at a deploy
    that restarts the processes."""
    try:
        return _read_areas()
    except _NoGeography:
        return Areas(provinces=(), districts={}, province_of={})


class DistrictPicker(forms.MultiWidget):
    """A province <select> and a <select> of that province's districts only.

    ``static/js/area-picker.js`` reloads the districts when the province changes;
    without script, submitting the form does (``DistrictField`` then asks for the
    district). The country's 928 districts are never all in the page."""

    template_name = "includes/widgets/district_picker.html"

    def __init__(self, attrs=None):
        selects = {
            "province": forms.Select(attrs={"data-area-province": True}),
            "": forms.Select(attrs={"data-area-district": True}),
        }
        super().__init__(selects, attrs)
        self.fixed_province = ""
        self.empty_labels = ("---------", "---------")

    @property
    def use_fieldset(self):
        # Two selects share the field's label as a legend; with the province fixed
        # only the district's is shown, and the label is its own.
        return not self.fixed_province

    def id_for_label(self, id_):
        return id_ if self.fixed_province else ""

    def decompress(self, value):
        if isinstance(value, Province):
            return [value.pk, ""]
        code = value.pk if isinstance(value, District) else str(value or "")
        return [areas().province_of.get(code, ""), code]

    def get_context(self, name, value, attrs):
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        province, district = (list(value) + ["", ""])[:2]
        known = areas()
        province = self.fixed_province or province or known.province_of.get(district or "", "")
        self.widgets[0].choices = [("", self.empty_labels[0]), *known.provinces]
        self.widgets[1].choices = [("", self.empty_labels[1]), *known.districts.get(province, ())]
        # The form renderer classes a widget it does not know as a text input.
        attrs = {**attrs, "class": attrs.get("class", "").replace("form-control", "form-select")}
        context = super().get_context(name, [province, district], attrs)
        province_select, district_select = context["widget"]["subwidgets"]
        if id_ := attrs.get("id"):
            # The district keeps the field's own id: labels, scripts and tests point at it.
            province_select["attrs"]["id"], district_select["attrs"]["id"] = f"{id_}_province", id_
        context["widget"]["fixed_province"] = self.fixed_province
        context["widget"]["labels"] = (_("จังหวัด"), _("อำเภอ"))
        context["widget"]["districts_url"] = reverse("districts")
        return context


class DistrictField(forms.Field):
    """A district chosen through its province (``DistrictPicker``).

    The district's select posts under the field's name, the province's under
    ``<name>_province``; a post with the district alone (an older page, a script)
    takes the province from the district. A province without a district is an error
    on a required field, the whole province with ``whole_province`` (a filter), and
    nothing otherwise."""

    widget = DistrictPicker
    default_error_messages = {
        "required": _("กรุณาเลือกจังหวัดและอำเภอ"),
        "choose_district": _("กรุณาเลือกอำเภอในจังหวัดที่เลือก"),
        "invalid_province": _("ไม่พบจังหวัดที่เลือก"),
        "invalid_district": _("ไม่พบอำเภอที่เลือก"),
        "not_in_province": _("อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก"),
    }

    def __init__(self, *, whole_province: bool = False, empty_labels=None, **kwargs):
        self.whole_province = whole_province
        self.province = ""
        super().__init__(**kwargs)
        if empty_labels:
            self.widget.empty_labels = empty_labels

    def limit_to(self, province: str) -> None:
        """Offer only the districts of ``province`` (a code): there is no province to choose."""
        self.province = self.widget.fixed_province = province

    def codes(self, value) -> tuple[str, str]:
        """The (province, district) codes of a posted value, checked against each other; either may be ""."""
        province, district = (list(value) + ["", ""])[:2] if isinstance(value, list | tuple) else ("", value)
        district = district.pk if isinstance(district, District) else str(district or "")
        province, known = self.province or str(province or ""), areas()
        if province and province not in known.districts:
            raise ValidationError(self.error_messages["invalid_province"], code="invalid_province")
        if district and district not in known.province_of:
            raise ValidationError(self.error_messages["invalid_district"], code="invalid_district")
        if district and province and known.province_of[district] != province:
            raise ValidationError(self.error_messages["not_in_province"], code="not_in_province")
        return province, district

    def to_python(self, value):
        province, district = self.codes(value)
        if district:
            if (found := District.objects.select_related("province").filter(pk=district).first()) is None:
                raise ValidationError(self.error_messages["invalid_district"], code="invalid_district")
            return found
        if province and self.whole_province and not self.province:
            if (whole := Province.objects.filter(pk=province).first()) is None:
                raise ValidationError(self.error_messages["invalid_province"], code="invalid_province")
            return whole
        if province and self.required:
            raise ValidationError(self.error_messages["choose_district"], code="choose_district")
        return None
