from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditingConfig(AppConfig):
    name = "auditing"
    label = "auditing"
    verbose_name = _("ผู้ตรวจสอบ")  # the auditors' pages (no models of its own)

    def ready(self):
        from auditing import exports
        from auditing.selectors import is_auditor
        from core.navigation import NavItem, register

        exports.register_kinds()
        register(NavItem("audit:log", _("บันทึกการตรวจสอบ"), "journal-check", allowed=is_auditor, order=60))
