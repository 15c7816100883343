"""The device tokens on an officer's profile page (a core template; core knows nothing of
the API, so the page asks through this tag)."""

from django import template

from api.models import DeviceToken

register = template.Library()

# The profile shows this many of the latest tokens, those still running first.
SHOWN = 20


@register.inclusion_tag("api/includes/device_tokens.html", takes_context=True)
def device_tokens(context, officer):
    tokens = sorted(
        DeviceToken.objects.filter(user=officer).order_by("-created_at", "-pk")[:SHOWN],
        key=lambda token: not token.is_active,
    )
    return {"tokens": tokens, "request": context.get("request"), "csrf_token": context.get("csrf_token")}
