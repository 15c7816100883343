from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("งานและกำหนดเวลา")

    def ready(self):
        from cases import hooks
        from core.navigation import NavItem, register
        from permissions import rules
        from workflows import port

        # The case services move the workflow through this door (cases.hooks).
        hooks.install(port)

        def open_tasks(user):
            from workflows.selectors import page_counts

            counts = page_counts(user)
            return counts["mine"] + counts["queue"] or None

        def unread(user):
            from workflows.selectors import unread_count

            return unread_count(user) or None

        register(NavItem("workflows:inbox", _("งานของฉัน"), "inbox", order=5, badge=open_tasks))
        register(
            NavItem(
                "workflows:dashboard",
                _("ภาพรวมอำเภอ"),
                "speedometer2",
                allowed=rules.can_open_district_dashboard,
                order=6,
            )
        )
        register(NavItem("workflows:notifications", _("การแจ้งเตือน"), "bell", order=800, badge=unread, end=True))

        from core.home import HomeSection
        from core.home import register as register_section
        from workflows import start

        register_section(HomeSection("workflows/home/tasks.html", start.tasks, order=20))
