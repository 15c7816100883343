"""The user manual's pages: the list of manuals, a role's manual as a page, and the PDFs.

No sign-in is needed: the sign-in page links here (an officer who cannot sign in is who
reads how to), and a manual holds no case data, only the demo data of its screenshots.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import manual


def _role(role: str) -> str:
    if role not in manual.ROLES:
        raise Http404
    return role


@require_GET
def index(request):
    mine = manual.manuals_for(request.user)
    roles = [
        {"code": code, "title": title, "summary": manual.summary(code), "mine": code in mine}
        for code, title in manual.ROLES.items()
    ]
    return render(request, "accounts/manual/index.html", {"roles": roles, "title": manual.TITLE})


@require_GET
def role_page(request, role: str):
    role = _role(role)
    return render(
        request, "accounts/manual/role.html",
        {"role": role, "role_title": manual.ROLES[role], "title": manual.TITLE, "body": manual.render_html(role),
         "contents": manual.contents(role)},
    )  # fmt: skip


@require_GET
def pdf(request, role: str | None = None):
    """Download a role's manual (``role``), or the whole manual, as PDF."""
    if role is not None:
        role = _role(role)
    path = manual.pdf_file(role)
    filename = f"damrongdhama-manual-{role or 'all'}.pdf"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
