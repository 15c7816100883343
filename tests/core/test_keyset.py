"""The keyset cursor codec: what we write reads back; anything else reads as no cursor."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from core.keyset import decode_cursor, encode_cursor


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_cursor_reads_back():
    moment = dt.datetime(2026, 11, 26, 14, 30, tzinfo=dt.UTC)
    assert decode_cursor(encode_cursor(moment.isoformat(), 42), dt.datetime.fromisoformat) == (moment, 42)
    assert decode_cursor(encode_cursor("2026-11-26", 7), dt.date.fromisoformat) == (dt.date(2026, 11, 26), 7)


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_b64(b"[" * 100_000 + b"]" * 100_000), id="deeply nested JSON"),
        pytest.param(_b64(b"[" * 60 + b"]" * 60), id="nested JSON under the length limit"),
        pytest.param(_b64(b'{"a": 1, "b": 2}'), id="an object of two keys"),
        pytest.param(_b64(b'"ab"'), id="a string of two characters"),
        pytest.param(_b64(b'[["2026-11-26"], 1]'), id="a list for the key"),
        pytest.param(_b64(b'["2026-11-26", true]'), id="a boolean id"),
        pytest.param(_b64(b'["2026-11-26", 1.5]'), id="a fractional id"),
        pytest.param(_b64(b'["2026-11-26", -1]'), id="a negative id"),
        pytest.param(_b64(b'["2026-11-26", 99999999999999999999999]'), id="an id past bigint"),
        pytest.param(_b64(b'["2026-11-26", 1, 2]'), id="three items"),
        pytest.param(_b64(b'["99999-01-01", 1]'), id="a year past 9999"),
        pytest.param(_b64(b'["2026-11-26T10:00:00", 1]'), id="a moment without its offset"),
        pytest.param(_b64(b"\xff\xfe\x00"), id="not UTF-8"),
        pytest.param("ก" * 10, id="not base64"),
        pytest.param("%00\x00", id="NUL"),
        pytest.param("A" * 10_000, id="10k characters"),
        pytest.param("", id="empty"),
    ],
)
def test_a_hostile_cursor_reads_as_none(cursor):
    assert decode_cursor(cursor, dt.date.fromisoformat) is None
    assert decode_cursor(cursor, dt.datetime.fromisoformat) is None


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/cases/", "/inbox/", "/inbox/queue/", "/inbox/done/"])
@pytest.mark.parametrize("name", ["after", "before"])
def test_a_nested_cursor_starts_the_list_over(signed_in, alice, path, name):
    nested = _b64(b"[" * 100_000 + b"]" * 100_000)
    response = signed_in(alice).get(path, {name: nested})
    assert response.status_code == 200
