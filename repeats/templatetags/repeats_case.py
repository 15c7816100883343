"""The repeats panel on a case's page (``templates/cases/detail.html``, an app below this one,
includes ``repeats/case_panel.html``, which loads this tag)."""

from django import template

from audit import events as audit_events
from repeats import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def repeats_panel(context, case) -> selectors.Panel:
    """The panel of ``case`` for the signed-in officer. A confidential complainant of a merged
    case shown to him by name is logged, as on that case's own page."""
    request = context["request"]
    panel = selectors.case_panel(request.user, case)
    for merged in panel.merged_cases:
        if merged.show_identity:
            for person in merged.complainants:
                if person.is_confidential:
                    audit_events.personal_data_viewed(request, merged.side.case, person=person)
    return panel
