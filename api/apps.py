from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """REST API v1 (Django REST framework, OpenAPI by drf-spectacular) and device tokens."""

    name = "api"
    verbose_name = _("API สำหรับอุปกรณ์")
    default_auto_field = "django.db.models.BigAutoField"
