"""Opaque cursors for keyset pagination: (sort key, id) in URL-safe base64.

Pages continue from the last row seen instead of counting an OFFSET, so a deep
page costs what the first one does. A cursor that cannot be read (typed by
hand, cut short) reads as no cursor: the first page, never an error.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

MAX_CURSOR_LENGTH = 200


def encode_cursor(key: str, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, pk]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parse: Callable[[str], T]) -> tuple[T, int] | None:
    # Our cursors are ~60 characters; the limit comes before any parsing, so a
    # cursor of deeply nested JSON never reaches the parser's recursion.
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, RecursionError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and type(value[1]) is int):
        return None
    key, pk = value
    # An id the database column cannot hold would fail the query, not just miss.
    if not 0 <= pk < 2**63:
        return None
    try:
        parsed = parse(key)
    except (ValueError, TypeError, OverflowError):
        return None
    # A moment without its offset would be read in whatever zone the server is in.
    if isinstance(parsed, dt.datetime) and parsed.utcoffset() is None:
        return None
    return parsed, pk
