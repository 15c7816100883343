from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Import of earlier records (spreadsheets, the old system's data) through the intake service."""

    name = "imports"
    verbose_name = _("นำเข้าเรื่องร้องเรียนเดิม")
    default_auto_field = "django.db.models.BigAutoField"
