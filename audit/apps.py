from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("บันทึกการตรวจสอบ")

    def ready(self):
        from audit import signals  # noqa: F401  (sign-in, sign-out, failures, lockouts)
