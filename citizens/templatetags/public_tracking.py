"""Tags that put the complainants' word on the officers' pages (the inbox, the case page).

Those pages belong to apps below this one (workflows, cases), which must not import
us; their templates include ours (``public/includes/...``), which load these tags."""

from django import template

from citizens.tracking import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def reopen_requests_waiting(context) -> dict:
    """The requests to reopen waiting for the signed-in head: ``rows`` (the first few) and ``count``."""
    rows, count = selectors.waiting_for(context["request"].user)
    return {"rows": rows, "count": count}


@register.simple_tag
def citizen_feedback(case) -> dict:
    """The complainant's rating of ``case`` and requests to reopen it."""
    return selectors.case_feedback(case)
