"""Tags of the page frame (base.html)."""

from django import template
from django.utils.translation import gettext as _

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
