from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Registration and certification of officers (แบบลงทะเบียน), activation, moves and
    replacements, the oversight of accounts, and the user manual."""

    name = "accounts"
    verbose_name = _("การลงทะเบียนผู้ใช้งาน")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import navigation

        navigation.install()
