"""The registration history on an officer's profile page (a core template; core knows
nothing of accounts, so the page asks through this tag)."""

from django import template

from accounts import selectors
from accounts.navigation import waiting_section

register = template.Library()


@register.inclusion_tag("accounts/includes/registration_history.html")
def registration_history(officer):
    return {"registrations": list(selectors.history_of(officer))}


@register.simple_tag(takes_context=True)
def registrations_waiting(context):
    """The forms waiting for the signed-in head (the box on his inbox), or None."""
    return waiting_section(context["request"].user)
