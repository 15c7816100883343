"""The user manual's links on an officer's profile page (a core template; core knows
nothing of accounts, so the page asks through this tag)."""

from django import template

from accounts import manual

register = template.Library()


@register.inclusion_tag("accounts/manual/includes/links.html")
def manual_links(officer):
    """The card that offers ``officer`` the manuals of his roles as PDF, and all of them to read."""
    return {"manuals": [(code, manual.ROLES[code]) for code in manual.manuals_for(officer)]}
