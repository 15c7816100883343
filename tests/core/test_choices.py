"""core.choices: get_FOO_display() from a table made once per field says what Django's own does."""

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation

from core.choices import ChoiceLabels, label


def choice_fields():
    for model in apps.get_models():
        if issubclass(model, ChoiceLabels):
            for field in model._meta.get_fields():
                if getattr(field, "choices", None) and getattr(field, "attname", None):
                    yield model, field


def test_the_models_whose_choices_are_listed_take_it():
    models = {model.__name__ for model, _field in choice_fields()}
    assert {"Complaint", "Respondent", "Attachment", "AuditEvent", "User"} <= models


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_label_is_djangos_own_in_the_language_of_the_moment(language):
    checked = 0
    with translation.override(language):
        for model, field in choice_fields():
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == Model._get_FIELD_display(instance, field), (model, field.name, value)
                checked += 1
    assert checked > 50


def test_a_value_outside_the_choices_shows_itself_and_the_language_follows():
    from cases.models import Complaint

    field = Complaint._meta.get_field("status")
    assert label(field, "no-such-status") == "no-such-status"
    with translation.override("th"):
        thai = Complaint(status="closed").get_status_display()
    with translation.override("en"):
        english = Complaint(status="closed").get_status_display()
    assert thai == "ยุติเรื่องแล้ว" and english != thai
