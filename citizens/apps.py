from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The citizens' site: tracking, complaining online, notices, satisfaction, news, public figures."""

    # The package is "citizens" (site-packages may hold an unrelated "public", atpublic's,
    # which aiosmtpd brings in the tests); the label, its tables and URLs stay "public".
    name = "citizens"
    label = "public"
    verbose_name = _("เว็บไซต์สำหรับประชาชน")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citizens.navigation import PublicNavItem, register

        register(PublicNavItem("public:figures", _("สถิติ"), "bar-chart", 40))

        # Complaining online: the menu entry; its tasks (the confirmation e-mail, the
        # hourly purge) imported so that workers know them.
        from citizens.online import tasks as online_tasks  # noqa: F401

        register(PublicNavItem("public:complain", _("ร้องเรียนออนไลน์"), "pencil-square", 20))

        # Tracking: the menu entry; the task that tells the head of a request to reopen
        # (imported so that workers know it) and how its notice reads (workflows.notify).
        from citizens.tracking import tasks as tracking_tasks
        from workflows.notify import register_renderer

        register(PublicNavItem("public:track", _("ติดตามเรื่อง"), "search", 10))
        register_renderer(tracking_tasks.NOTICE_KIND, tracking_tasks.render_notice)

        # Notices to complainants: the case services tell of each step (cases.signals);
        # the task module is imported so that workers know the task (autodiscovery
        # finds public.tasks only).
        from cases.signals import case_step_recorded
        from citizens.notices import services as notices
        from citizens.notices import tasks as notice_tasks  # noqa: F401

        case_step_recorded.connect(notices.on_case_step, dispatch_uid="citizens.notices")

        # News of the centers' activities: the citizens' list, and the officers' pages that write it.
        from citizens.news.services import can_open_news
        from core.navigation import NavItem
        from core.navigation import register as register_officer_item

        register(PublicNavItem("public:news", _("ข่าวกิจกรรม"), "newspaper", 30))
        register_officer_item(
            NavItem("public:news_manage", _("ข่าวกิจกรรม"), "newspaper", allowed=can_open_news, order=70)
        )
