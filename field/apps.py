from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """The field app: a progressive web app for sub-district teams, on the REST API."""

    name = "field"
    verbose_name = _("แอปชุดปฏิบัติการประจำตำบล")
    default_auto_field = "django.db.models.BigAutoField"
