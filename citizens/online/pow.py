"""The proof of work a browser does before its complaint is filed at once.

The form carries a challenge the server signed (``django.core.signing``, with the
time it was made and the number of bits asked); ``static/js/online-pow.js`` counts
until SHA-256 of ``"<challenge>:<counter>"`` begins with that many zero bits, and
the form posts the counter. Checking it costs the server one hash. A challenge
serves once (the cache remembers it until it would have expired anyway) and for
``MAX_AGE`` seconds; the page asks for a fresh one when the citizen took longer.

What it costs: 2^bits hashes on average (a geometric draw: half the time under 0.7
of that, one time in twenty over 3 times). Measured with this script's loop
(crypto.subtle, 64 digests in flight) in Chromium 156 headless on a 2-core AMD EPYC
server, DevTools CPU throttling standing in for phones: quiet machine 165,000
hashes/s unthrottled, 36,000-40,000/s at 4x ("mid-tier mobile"), 27,000-29,000/s at
6x (a low-end phone); the same machine loaded by other jobs (load 4.6) 73,000-92,000,
24,500-27,700 and 10,400/s. Node 20's webcrypto: 94,000/s. So the default of 15 bits
(32,768 hashes) takes a mid-range phone 0.8-1.3 s and a low-end one 1.1-3 s, and
the page starts counting when it opens: the citizen, who types for minutes, rarely
waits at all. A bot in Python does ~1 million/s (30 ms a complaint): the work is a
toll on volume, not a wall; the rate limits, the honeypot and the e-mail
confirmation do the rest.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

SALT = "citizens.online.pow"
MAX_AGE = 30 * 60  # seconds a challenge is good for, as a proof of work
# Seconds a challenge is good for as the form's proof of origin (a form sent without
# script, typed slowly): the form asks no cookie of the citizen (public/online/views.py).
FORM_MAX_AGE = 24 * 60 * 60
_MAX_COUNTER_DIGITS = 15


class ProofRefused(Exception):
    """A proof of work that does not count; ``message`` is for the citizen."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def new_challenge() -> str:
    """A signed, timestamped challenge asking for ``settings.ONLINE_POW_BITS`` zero bits."""
    return signing.dumps({"n": secrets.token_hex(16), "b": settings.ONLINE_POW_BITS}, salt=SALT)


def bits_asked(challenge: str) -> int:
    """The zero bits ``challenge`` asks for (for the page's script)."""
    return int(signing.loads(challenge, salt=SALT)["b"])


def issued_here(challenge: str) -> bool:
    """Whether the form that carries ``challenge`` was made by this site (and not long ago)."""
    try:
        signing.loads(challenge, salt=SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return False
    return True


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def solves(challenge: str, counter: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{challenge}:{counter}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def check(challenge: str, counter: str) -> str:
    """Check a proof without spending it; return the challenge's nonce (what ``spend`` takes).

    Raises ProofRefused for a forged, expired or unsolved challenge."""
    try:
        payload = signing.loads(challenge, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ProofRefused(
            _("แบบฟอร์มนี้เปิดไว้นานเกิน 30 นาที ระบบจึงยังไม่ได้รับเรื่อง ข้อมูลที่กรอกไว้ยังอยู่ กรุณากดส่งเรื่องอีกครั้ง"),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ProofRefused(_("ตรวจสอบแบบฟอร์มไม่ผ่าน กรุณากดส่งเรื่องอีกครั้ง"), code="invalid") from None
    counter = counter.strip()
    if not (counter.isascii() and counter.isdigit() and len(counter) <= _MAX_COUNTER_DIGITS):
        raise ProofRefused(_("ตรวจสอบแบบฟอร์มไม่ผ่าน กรุณากดส่งเรื่องอีกครั้ง"), code="invalid")
    if not solves(challenge, counter, int(payload["b"])):
        raise ProofRefused(_("ตรวจสอบแบบฟอร์มไม่ผ่าน กรุณากดส่งเรื่องอีกครั้ง"), code="unsolved")
    return str(payload["n"])


def spend(nonce: str) -> None:
    """Use a checked challenge up; raise ProofRefused if it was used before.

    ``cache.add`` is atomic in Redis and in local memory: of two requests with the
    same challenge, one adds the key and the other is refused."""
    if not cache.add(f"online-pow:{nonce}", 1, timeout=MAX_AGE + 60):
        raise ProofRefused(
            _("แบบฟอร์มนี้ถูกส่งไปแล้ว ระบบจึงไม่รับซ้ำ หากยังไม่ได้รับรหัสติดตามเรื่อง กรุณากดส่งเรื่องอีกครั้ง"),
            code="reused",
        )
