from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepeatsConfig(AppConfig):
    """Repeat complaints: the same complainant, the same respondent, the same grievance,
    found nationally at intake and by a nightly sweep; links and merges."""

    name = "repeats"
    verbose_name = _("เรื่องร้องเรียนซ้ำ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from repeats import receivers  # noqa: F401 - connects to cases.signals
