from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render

from core.thai import to_arabic_digits


def axes_username(request, credentials: dict | None) -> str:
    """Return the national ID django-axes counts failures against.

    Normalised the way the login form normalises it, so that typing the same ID
    with Thai digits or dashes does not start a fresh count.
    """
    # "username" from the sign-in page, "national_id" from a phone's sign-in (api/).
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("national_id") or request.POST.get("username", "")
    digits = "".join(c for c in to_arabic_digits(str(raw)) if c.isdigit())
    return digits or str(raw)


def lockout_response(request, original_response=None, credentials=None):
    """Render the Thai lockout page (django-axes AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
