"""Form rendering: every Django form renders with Bootstrap classes and
accessible errors, without a class list repeated in each form."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
            # Screen readers announce the error with the field, not only the help.
            described = [attrs.get("aria-describedby", ""), f"{self.auto_id}_error"]
            attrs["aria-describedby"] = " ".join(d for d in described if d)
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = BootstrapBoundField
