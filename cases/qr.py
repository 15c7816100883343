"""The tracking link printed on the receipt, and its QR code.

The link is the citizens' site's page for the code (``/follow/<code>/``, named
``public:track_case``): a URL name, not an import of the app above us. The QR code
is an inline SVG made here with segno (no image file, no request to anything), so
the receipt prints it sharp at any size and works on the closed network.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def tracking_url(code: str, *, request=None) -> str:
    """The absolute address of the tracking page of ``code``: on ``PUBLIC_SITE_URL``,
    or (that setting empty) on the host ``request`` came to."""
    path = reverse("public:track_case", args=[code])
    base = settings.PUBLIC_SITE_URL.rstrip("/")
    if base:
        return base + path
    if request is None:
        raise ValueError("PUBLIC_SITE_URL is empty and there is no request to take the host from")
    return request.build_absolute_uri(path)


def qr_svg(text: str, *, title: str) -> SafeString:
    """``text`` as a QR code, an inline ``<svg>`` named ``title`` for screen readers.

    Error correction M (15 % of the symbol may be lost: a folded or smudged
    receipt still scans); segno's SVG holds only a path, no script or style."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=4, title=title, svgclass="qr-code", lineclass=None, omitsize=True)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's markup; it escapes the title
