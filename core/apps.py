from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("บัญชีผู้ใช้และข้อมูลพื้นฐาน")

    def ready(self):
        from django.urls import register_converter

        from core import checks  # noqa: F401  (registers the system checks)
        from core.converters import IdConverter

        register_converter(IdConverter, "id")
