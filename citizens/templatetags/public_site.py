"""Tags of the citizens' site frame (templates/public/base.html)."""

from django import template
from django.utils.translation import gettext as _

from citizens import navigation

register = template.Library()


@register.filter(is_safe=True)
def public_title(title: str) -> str:
    site = _("ศูนย์ดำรงธรรม กรมการปกครอง")
    title = " ".join(str(title).split())
    return f"{title} — {site}" if title else site


@register.simple_tag(takes_context=True)
def public_menu(context):
    return navigation.menu(context["request"])


@register.simple_tag(takes_context=True)
def public_languages(context):
    return navigation.other_languages(context["request"])
