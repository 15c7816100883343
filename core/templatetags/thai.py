"""Template filters for the project's one date style (Buddhist era) and Thai IDs.

Loaded as a builtin (settings TEMPLATES), so every template can use them.
"""

from django import template

from core import thai

register = template.Library()


@register.filter
def thai_date(value, style: str = ""):
    """``{{ d|thai_date }}`` → 26 พ.ย. 2569; ``{{ d|thai_date:"long" }}`` → 26 พฤศจิกายน 2569."""
    return thai.format_date(value, long=style == "long")


@register.filter
def thai_datetime(value):
    """``{{ t|thai_datetime }}`` → 26 พ.ย. 2569 08:15 น."""
    return thai.format_datetime(value)


@register.filter
def national_id(value):
    """Group a national ID as printed on the card."""
    return thai.format_national_id(str(value or ""))
