"""Form rendering: every Django form renders with Bootstrap classes and
accessible errors, without a class list repeated in each form."""

import copy

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class BootstrapBoundField(BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if isinstance(widget, CHOICE_WIDGETS) and widget.template_name.startswith("django/"):
            # Django's markup wraps each input in a bare label; Bootstrap needs a
            # .form-check row with the input classed and its label pointing at it.
            widget = copy.copy(widget)
            widget.template_name = "includes/widgets/choices.html"
            widget.option_template_name = "includes/widgets/choice_option.html"
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, (forms.CheckboxInput, *CHOICE_WIDGETS)):
            # On a choice widget the class reaches each option's input; the
            # wrapper's template does not print it.
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
