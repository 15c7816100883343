"""The registry's actions (``cases.actions``) as the API offers and takes them.

An action's fields are its form's (``Action.form_class``, the form its web page uses),
described for a client and checked by that same form: the API states no field, no
choice and no rule of its own.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from cases.actions import Action
from cases.forms import MultiplePhotoField
from core.forms import DistrictField

# The form's hidden field that carries the status the user saw; the API names it the same.
EXPECTED_STATUS = "expected_status"


def _kind(field: forms.Field) -> str:
    if isinstance(field, MultiplePhotoField):
        return "files"
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, DistrictField):
        return "district"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.DecimalField | forms.FloatField | forms.IntegerField):
        return "number"
    if isinstance(field.widget, forms.Textarea):
        return "text"
    return "string"


def describe(action: Action, case) -> dict:
    """The action as a client shows it: its label, where to send it and its fields."""
    form = action.form_class(case=case)
    fields = []
    for name, field in form.fields.items():
        if name == EXPECTED_STATUS:
            continue
        item = {"name": name, "label": str(field.label or name), "type": _kind(field), "required": field.required}
        if getattr(field, "max_length", None):
            item["max_length"] = field.max_length
        initial = form.get_initial_for_field(field, name)
        if initial not in (None, "") and item["type"] in ("string", "text", "choice", "number"):
            # What the web's form shows filled in (the proposed outcome and summary, the team of the place).
            item["initial"] = str(getattr(initial, "pk", initial))
        if item["type"] == "choice":
            item["choices"] = [
                {"value": str(value), "label": str(label)} for value, label in field.choices if value != ""
            ]
        fields.append(item)
    return {
        "name": action.name,
        "label": str(action.label),
        "url": reverse("api:case_action", args=[case.pk, action.name]),
        "method": "POST",
        "fields": fields,
    }


class NotScalar(ValueError):
    """A value the action's form cannot read (an object, a list of lists)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _text(value) -> str:
    if isinstance(value, bool):
        return "on" if value else ""
    return "" if value is None else str(value)


def form_data(data, files) -> tuple[QueryDict, MultiValueDict]:
    """What a request body holds, as the form of a web page would receive it: each value
    text (JSON numbers and booleans written as a form posts them), a list as repeated
    values, the files as uploaded. Raises NotScalar for a value no form field reads."""
    if isinstance(data, QueryDict):
        return data, files
    posted = QueryDict(mutable=True)
    for name, value in (data or {}).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, dict | list):
                raise NotScalar(str(name))
            posted.appendlist(str(name), _text(item))
    return posted, files
