"""Tags of the page frame (base.html), and the rows of long tables."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.rendering import render_rows

register = template.Library()


@register.filter(is_safe=True)
def page_title(title: str) -> str:
    """``{% filter page_title %}{% block title %}…{% endblock %}{% endfilter %}`` → "หน้า — ระบบ…".

    A template cannot test whether a child filled a block, so the frame's title
    is joined here, after the block has rendered.
    """
    site = _("ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม")
    title = " ".join(str(title).split())
    return f"{title} — {site}" if title else site


@register.simple_tag
def rows(template_name: str, **context) -> str:
    """``{% rows "audit/history_entries.html" entries=record.history %}``: a table's rows rendered by
    Jinja2 (``core.rendering.render_rows``), which escapes every value itself."""
    return mark_safe(render_rows(template_name, context))  # noqa: S308 - autoescaped by Jinja2
