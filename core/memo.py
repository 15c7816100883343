"""Values read once per object (a request's user, a case on one page), or once for all
processes for a while (``shared``)."""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

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


def shared(key: str, timeout: int, compute: Callable[[], T]) -> T:
    """``compute()`` once for every process for ``timeout`` seconds (the project's cache,
    Redis in production): for figures that take long to make and may be a few minutes old.
    The cache is a help, never a condition: when it cannot be read or written (Redis down,
    a value that no longer unpickles after a deployment) the value is computed here and the
    page is made all the same."""
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - any failure of the cache means "not cached"
        logger.warning("cache unreadable for %s", key, exc_info=True)
        found = None
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("cache unwritable for %s", key, exc_info=True)
    return value
