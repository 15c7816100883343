from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import User
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
