"""The write path of the API's own records: device tokens and idempotent answers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import DeviceToken, IdempotencyRecord
from audit import events as audit_events
from core import keys
from core.models import User

# last_used_at moves at most this often: a write per request would be a write per
# screen the phone opens (as core.middleware.SlidingSessionMiddleware does for sessions).
LAST_USED_STEP = dt.timedelta(minutes=1)


digest_of = keys.digest


@transaction.atomic
def token_issue(*, user: User, name: str, request=None) -> tuple[DeviceToken, str]:
    """Issue a device token for ``user``; return it and its key, which is never shown again."""
    key = keys.new_key()
    now = timezone.now()
    token = DeviceToken.objects.create(
        user=user,
        name=name.strip()[:100],
        digest=digest_of(key),
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    audit_events.account(
        user, "device token issued", account=user, note=f"{token.name} [token {token.pk}]", request=request
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: DeviceToken, by: User, request=None) -> DeviceToken:
    """End ``token`` now (its owner, on the profile page or signing out on the device, or an
    administrator). Revoking a revoked token changes nothing."""
    token = DeviceToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), by
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_events.account(
            by, "device token revoked", account=token.user, note=f"{token.name} [token {token.pk}]", request=request
        )
    return token


def token_for_key(key: str) -> DeviceToken | None:
    """The token whose key is ``key`` (active or not), with its user; None for no token."""
    return DeviceToken.objects.select_related("user").filter(digest=digest_of(key)).first()


def token_used(token: DeviceToken, *, now: dt.datetime | None = None) -> None:
    """Note that ``token`` was used now, at most once a minute (no write per request)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def purge_idempotency_records(*, now: dt.datetime | None = None) -> int:
    """Delete the kept answers older than ``API_IDEMPOTENCY_DAYS``: a phone resends its
    queue within days, never after weeks. Return how many."""
    limit = (now or timezone.now()) - dt.timedelta(days=settings.API_IDEMPOTENCY_DAYS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=limit).delete()
    return deleted
