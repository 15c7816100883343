"""Form rendering: every Django form renders with Bootstrap classes and
accessible errors, without a class list repeated in each form; and the long
tables of a few pages (``render_rows``).

Forms, fields and widgets render with Jinja2 (the project's ``jinja2/`` folder and
Django's own Jinja2 widget templates), the pages around them with Django's
templates. Django's engine spent most of a form page in its widgets, an include
per <option>: the intake form's 43 fields took 53 of its 68 ms (bench/pages
--profile). A widget template found only for Django's engine (the admin's) is
rendered by it.
"""

import copy
import functools
from pathlib import Path

import django
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.timesince import timesince

import jinja2
from core import thai

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


class FormRenderer(BaseRenderer):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = BootstrapBoundField

    def get_template(self, template_name):
        try:
            return _jinja2().get_template(template_name)
        except TemplateDoesNotExist:
            return get_template(template_name)


@functools.cache
def _jinja2() -> Jinja2:
    return Jinja2(
        {
            "NAME": "forms",
            "DIRS": [settings.BASE_DIR / "jinja2", Path(django.__file__).parent / "forms" / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {"environment": "core.rendering.environment"},
        }
    )


def environment(**options) -> jinja2.Environment:
    """Jinja2 with the project's date filters (the Django templates' builtins)."""
    env = jinja2.Environment(**options)  # noqa: S701 - Django's backend passes autoescape=True
    env.filters.update(thai_date=thai.format_date, thai_datetime=thai.format_datetime, timesince=timesince)
    env.globals.update(url=url)
    return env


def url(name: str, *args) -> str:
    """``reverse(name, args=args)`` for rows: the URL's shape is reversed once per name,
    string arguments and script prefix, and each row's whole numbers (its keys) are put
    in their places. ``reverse`` took 50 µs a call, three a row in a task list."""
    keys = [a for a in args if isinstance(a, int)]
    fixed = tuple(None if isinstance(a, int) else a for a in args)
    return _url_shape(name, fixed, get_script_prefix()).format(*keys)


# Whole numbers no URL of ours holds, each standing for one argument while the shape is reversed.
_PLACEHOLDER = 987_654_320


@functools.cache
def _url_shape(name: str, args: tuple, prefix: str) -> str:
    placeholders = [str(_PLACEHOLDER + i) for i in range(len(args))]
    path = reverse(name, args=[p if a is None else a for p, a in zip(placeholders, args, strict=True)])
    path = path.replace("{", "{{").replace("}", "}}")
    for placeholder, arg in zip(placeholders, args, strict=True):
        if arg is None:
            path = path.replace(placeholder, "{}", 1)
    return path


def render_rows(template_name: str, context: dict) -> str:
    """The rows of a long table (``jinja2/<template_name>``), for a Django page to insert
    (``{% rows %}``, core/templatetags/pages.py). Django's engine renders a variable in
    about ten times Jinja2's time: the auditor's case history, 235 field changes and 50
    audit rows, spent 18 of its 53 ms in them (bench/pages --profile). Rows hold data
    only; the table's headings and every UI string stay in the Django template."""
    return _jinja2().get_template(template_name).render(context)
