from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("เรื่องร้องเรียน")

    def ready(self):
        from core.navigation import NavItem, register
        from permissions import rules

        register(NavItem("cases:list", _("เรื่องร้องเรียน"), "folder2-open", order=10))
        register(NavItem("cases:intake", _("รับเรื่องร้องเรียน"), "plus-circle", allowed=rules.can_open_intake, order=20))

        from cases import exports, start

        exports.register_kinds()
        from core.home import HomeSection
        from core.home import register as register_section

        register_section(HomeSection("cases/home/actions.html", start.quick_actions, order=10))
        register_section(HomeSection("cases/home/counts.html", start.district_counts, order=30))
