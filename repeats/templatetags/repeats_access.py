"""The requests for access on the officers' pages of apps below this one (the inbox):
their templates include ours (``repeats/includes/...``), which load this tag."""

from django import template

from repeats import access

register = template.Library()


@register.simple_tag(takes_context=True)
def access_requests_waiting(context) -> dict | None:
    """The requests waiting for the signed-in head's answer: ``rows`` (the first few) and ``count``."""
    return access.waiting_section(context["request"].user)
