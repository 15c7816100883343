from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepeatsConfig(AppConfig):
    """Repeat complaints: the same complainant, the same respondent, the same grievance,
    found nationally at intake and by a nightly sweep; links and merges."""

    name = "repeats"
    verbose_name = _("เรื่องร้องเรียนซ้ำ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from repeats import access, receivers  # noqa: F401 - receivers connects to cases.signals

        # Requests for access: the notices' words (workers know its task by the import).
        access.install()

        # People over time and the review of suggested pairs: the menu entry of the heads and the province.
        from core.navigation import NavItem, register
        from repeats.selectors import may_open_people_page

        register(NavItem("repeats:people", _("เรื่องซ้ำ"), "intersect", allowed=may_open_people_page, order=40))
