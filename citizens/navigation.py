"""The citizens' site menu: each part of the site adds its entry where it is built."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PublicNavItem:
    url_name: str
    label: str
    icon: str
    order: int


ITEMS: list[PublicNavItem] = []


def register(item: PublicNavItem) -> None:
    if all(existing.url_name != item.url_name for existing in ITEMS):
        ITEMS.append(item)
        ITEMS.sort(key=lambda i: i.order)


LANGUAGE_NAMES = {"th": "ภาษาไทย", "en": "English"}


def menu(request) -> list[dict]:
    """The menu's entries for ``request``, the one it is on marked active."""
    entries = []
    for item in ITEMS:
        url = reverse(item.url_name)
        active = request.path == url if item.url_name == "public:home" else request.path.startswith(url)
        entries.append({"url": url, "label": item.label, "icon": item.icon, "active": active})
    return entries


def other_languages(request) -> list[tuple[str, str]]:
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return [(code, LANGUAGE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES if code != current]


register(PublicNavItem("public:home", _("หน้าแรก"), "house", 0))
