"""``{% may_audit user case as flag %}``: whether to offer the case's history page.

The library keeps its name (``{% load audit_tags %}``, templates/cases/detail.html)."""

from django import template

from auditing.selectors import may_audit_case

register = template.Library()


@register.simple_tag
def may_audit(user, case) -> bool:
    return may_audit_case(user, case)
