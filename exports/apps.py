from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    label = "exports"
    verbose_name = _("ไฟล์ส่งออก")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.navigation import NavItem, register

        register(NavItem("exports:list", _("ไฟล์ส่งออก"), "file-earmark-arrow-down", order=880, end=True))
