"""How often a client may do a thing: counted in Django's cache
(Redis in production, shared by every web worker; local memory in the embedded run and
the tests), in fixed windows. A burst of twice the limit can straddle two windows,
which is fine for a brake on volume and changes nothing against 130-bit codes; it
costs two cache calls a count.

The tracking page counts wrong codes per address and per code prefix
(``citizens.tracking.limits``); the online form counts its loads and its complaints
per address (``citizens.online.limits``); account activation counts wrong codes per
address (``accounts.views``).
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core.context import client_ip


def clock() -> float:
    """The time the windows are cut from (tests hold it still)."""
    return time.time()


def client_key(request) -> str:
    """The client's address as counted: the one django-axes sees (``core.context.client_ip``,
    behind ``AXES_PROXY_COUNT`` proxies), an IPv6 client by its /64, which one subscriber
    usually holds whole (changing addresses within it counts as one)."""
    raw = client_ip(request) or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Limit:
    """At most ``allowed`` (a number, or the name of the setting holding it) of ``name`` per
    ``window`` seconds for one subject (an address, a code prefix)."""

    name: str
    allowed: int | str
    window: int

    @property
    def most(self) -> int:
        return getattr(settings, self.allowed) if isinstance(self.allowed, str) else self.allowed

    def key(self, subject: str, now: float | None = None) -> str:
        return f"limit:{self.name}:{subject}:{int((clock() if now is None else now) // self.window)}"

    def used_up(self, subject: str, *, now: float | None = None) -> bool:
        return (cache.get(self.key(subject, now)) or 0) >= self.most

    def count(self, subject: str, *, now: float | None = None) -> None:
        key = self.key(subject, now)
        cache.add(key, 0, timeout=self.window * 2)  # outlives its window; the next window is a new key
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=self.window * 2)  # evicted between add and incr (a full cache)

    def seconds_left(self, *, now: float | None = None) -> int:
        """Until the window ends: the Retry-After of a refusal."""
        now = clock() if now is None else now
        return max(1, int(self.window - now % self.window))
