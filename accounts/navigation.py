"""The menu entries, start-page section and notice wording of accounts (installed from ``ready``)."""

from django.utils.translation import gettext_lazy as _

from accounts import rules, selectors, services
from core.home import HomeSection
from core.home import register as register_section
from core.navigation import NavItem
from core.navigation import register as register_item
from workflows.notify import register_renderer


def waiting_count(user) -> int | None:
    return len(selectors.waiting_for(user)) or None


def waiting_section(user) -> dict | None:
    waiting = selectors.waiting_for(user)
    return {"registrations": waiting[:10], "count": len(waiting)} if waiting else None


def install() -> None:
    from accounts import tasks  # noqa: F401  (workers know the tasks)

    register_item(
        NavItem(
            "accounts:registrations", _("ลงทะเบียนผู้ใช้งาน"), "person-plus",
            allowed=lambda user: rules.can_register(user) or rules.can_oversee(user), order=880,
            # An icon at the bar's end (with the count of forms waiting for the head): registering
            # is occasional, and the bar's words must fit 1280 px for a district head.
            badge=waiting_count, end=True,
        )
    )  # fmt: skip
    register_item(NavItem("accounts:oversight", _("กำกับดูแลบัญชี"), "people", allowed=rules.can_oversee, order=85))
    register_section(HomeSection("accounts/includes/waiting_box.html", waiting_section, order=5))
    register_renderer(services.WAITING_NOTICE, services.render_notice)
    register_renderer(services.RETURNED_NOTICE, services.render_notice)
