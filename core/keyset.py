"""Opaque cursors for keyset pagination: (sort key, id) in URL-safe base64.

Pages continue from the last row seen instead of counting an OFFSET, so a deep
page costs what the first one does. A cursor that cannot be read (typed by
hand, cut short) reads as no cursor: the first page, never an error.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def encode_cursor(key: str, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, pk]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parse: Callable[[str], T]) -> tuple[T, int] | None:
    try:
        key, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key, pk = parse(key), int(pk)
    except (ValueError, TypeError, OverflowError, json.JSONDecodeError):
        return None
    # An id the database column cannot hold would fail the query, not just miss.
    return (key, pk) if 0 <= pk < 2**63 else None
