"""Tracking codes cannot be found by trying: wrong codes are counted and cut off.

A code is 130 random bits, so guessing one blind is hopeless; what is not hopeless
is finishing a code half seen (on a photo of a receipt) or hammering the site. So
wrong codes (well formed, no such case) are counted in fixed one-minute windows,
per client address and per code prefix (its first five characters, whoever types
it), in Django's cache (Redis in production, shared by every web worker; local
memory in the embedded run and the tests). Past the limit every lookup from that
address, or of that prefix, is refused until the window ends, the right code too:
an answer that still told right from wrong would keep the guessing going.

A fixed window lets a burst of twice the limit straddle two windows; against
130-bit codes that changes nothing, and it costs two cache calls a lookup.
"""

from __future__ import annotations

from django.core.cache import cache

from core.limits import Limit, client_key, clock

WINDOW_SECONDS = 60
MISSES_PER_ADDRESS = 20
MISSES_PER_PREFIX = 20
PREFIX_LENGTH = 5

BY_ADDRESS = Limit("tracking-miss-address", MISSES_PER_ADDRESS, WINDOW_SECONDS)
BY_PREFIX = Limit("tracking-miss-prefix", MISSES_PER_PREFIX, WINDOW_SECONDS)


def _counted(request, code: str) -> list[tuple[Limit, str]]:
    return [(BY_ADDRESS, client_key(request)), (BY_PREFIX, code[:PREFIX_LENGTH])]


def refused(request, code: str, *, now: float | None = None) -> bool:
    """Whether this address, or this code's prefix, has used up its wrong codes for now."""
    now = clock() if now is None else now
    counted = {limit.key(subject, now): limit.most for limit, subject in _counted(request, code)}
    counts = cache.get_many(list(counted))  # one cache call a lookup
    return any(counts.get(key, 0) >= most for key, most in counted.items())


def count_miss(request, code: str, *, now: float | None = None) -> None:
    """Count a wrong code against this address and this code's prefix."""
    now = clock() if now is None else now
    for limit, subject in _counted(request, code):
        limit.count(subject, now=now)


def seconds_left(*, now: float | None = None) -> int:
    """Until the current window ends: the Retry-After of a refusal."""
    return BY_ADDRESS.seconds_left(now=clock() if now is None else now)
