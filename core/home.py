"""The start page's sections, by app.

Apps add a section with ``register`` from their ``AppConfig.ready`` (as they add
menu entries in core.navigation); core knows none of them. A section is a
template and a function of the user that returns its context, or None to hide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Callable[[object], dict | None]
    order: int = 100


_SECTIONS: list[HomeSection] = []


def register(section: HomeSection) -> None:
    _SECTIONS.append(section)


def sections_for(user) -> list[tuple[str, dict]]:
    """The (template, context) of each section ``user`` has, in order."""
    shown = []
    for section in sorted(_SECTIONS, key=lambda s: s.order):
        context = section.context(user)
        if context is not None:
            shown.append((section.template, context))
    return shown
