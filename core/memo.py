"""Values read once per object: a request's user, a case on one page."""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(obj: object, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``name`` is asked of ``obj``; the same value after,
    for as long as the object lives (a request, a page). Stored as ``obj.<name>``, so
    code that already knows it (the bench generator) may set it beforehand."""
    cached = getattr(obj, name, None)
    if cached is None:
        cached = compute()
        setattr(obj, name, cached)
    return cached
