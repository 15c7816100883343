from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The citizens' site: tracking, complaining online, notices, satisfaction, news, public figures."""

    name = "public"
    label = "public"
    verbose_name = _("เว็บไซต์สำหรับประชาชน")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from public.navigation import PublicNavItem, register

        register(PublicNavItem("public:figures", _("สถิติ"), "bar-chart", 40))
