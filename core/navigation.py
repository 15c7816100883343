"""The main menu, by role.

Apps add their entries with ``register`` from their ``AppConfig.ready``. An entry
names who may open its page with ``allowed``: the very rule the page's view
enforces, so the menu never offers a page that answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    icon: str  # a bootstrap-icons name
    # Who may open the page (the view's own rule); None: every signed-in officer.
    allowed: Callable[[object], bool] | None = None
    order: int = 100
    # A number shown beside the entry (open tasks, unread notices); None hides it.
    badge: Callable[[object], int | None] | None = None
    # Shown at the right of the bar as an icon (notifications), not in the main list.
    end: bool = False


@dataclass(frozen=True)
class NavEntry:
    url: str
    label: str | Promise
    icon: str
    active: bool
    badge: int | None = None
    end: bool = False


_ITEMS: list[NavItem] = [
    NavItem("home", _("หน้าหลัก"), "house", order=0),
    NavItem("profile", _("ข้อมูลส่วนตัว"), "person-vcard", order=900, end=True),
    # As django.contrib.admin's AdminSite.has_permission.
    NavItem("admin:index", _("ผู้ดูแลระบบ"), "gear", allowed=lambda user: user.is_active and user.is_staff, order=990),
]


def register(item: NavItem) -> None:
    _ITEMS.append(item)


def menu_for(user, path: str) -> list[NavEntry]:
    """Return the menu entries ``user`` may use, marking the one ``path`` is under
    (the longest matching address, so /cases/new/ marks intake, not the list)."""
    items = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.allowed is not None and not item.allowed(user):
            continue
        items.append((item, reverse(item.url_name)))
    matches = [url for _item, url in items if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [
        NavEntry(url, item.label, item.icon, url == current, item.badge(user) if item.badge else None, item.end)
        for item, url in items
    ]
