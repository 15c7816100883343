"""Secrets handed out once and kept only as a digest: a device's token (api/), an Open311
app's api_key (open311/), a new officer's activation code (accounts/). One rule for all:
the secret is random, shown once, and stored as its SHA-256, so a copy of the database
opens nothing."""

import hashlib
import secrets


def new_key(prefix: str = "") -> str:
    """A fresh secret of 256 random bits, URL-safe, after ``prefix``."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of ``secret``: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
