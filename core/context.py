"""Who is acting, from where: set per web request (middleware), per Celery task
and per management command, read by the audit log and by simple-history.

It knows nothing of cases or of the log itself, so it lives in core, below both:
core's Celery task class and acting commands set it, ``audit.events`` reads it."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from simple_history.models import HistoricalRecords


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""
    channel: str = "web"  # web | task | command


# Origin is frozen (immutable), so one shared default is safe.
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "audit_origin",
    default=Origin(channel="system"),  # noqa: B039
)


def current_origin() -> Origin:
    return _origin.get()


# What one web request has worked out already and may keep till it ends (None outside a
# request: a task, a command, a test calling a service, which always ask anew).
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def request_memo() -> dict | None:
    return _request_memo.get()


def client_ip(request) -> str | None:
    """The client address: ``REMOTE_ADDR``, or behind ``AXES_PROXY_COUNT`` reverse proxies
    the address the outermost of them saw, that many entries from the right of
    X-Forwarded-For (each proxy appends the address it saw; the entries further left
    are the client's own to write, so they are never believed). django-axes asks this
    too (``AXES_CLIENT_IP_CALLABLE``): without django-ipware, which we do not install,
    it read ``REMOTE_ADDR`` alone, which behind a proxy is the proxy's for everyone."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    if proxies:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Remember the request's address and browser for the audit rows it causes, and
    give the request a memo of its own (``request_memo``), emptied when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _origin.set(
            Origin(ip=client_ip(request), user_agent=request.headers.get("user-agent", "")[:300], channel="web")
        )
        memo = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(memo)
            _origin.reset(token)


@contextmanager
def acting_as(user, *, channel: str):
    """Run work outside a web request (a Celery task, a command) on ``user``'s behalf
    (None: the system), so that history rows and audit rows name them."""
    token = _origin.set(Origin(channel=channel))
    had = hasattr(HistoricalRecords.context, "request")
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        _origin.reset(token)
        if had:
            HistoricalRecords.context.request = previous
        else:
            del HistoricalRecords.context.request
