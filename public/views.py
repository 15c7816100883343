"""The citizens' site: its home page, the privacy notice, the choice of language."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET

from public import navigation


@require_GET
@cache_control(public=True, max_age=300)
@cache_page(300)
def home(request):
    tiles = [item for item in navigation.menu(request) if item["url"] != request.path]
    return render(request, "public/home.html", {"tiles": tiles})


@require_GET
@cache_control(public=True, max_age=3600)
@cache_page(3600)
def privacy(request):
    return render(request, "public/privacy.html")


@require_GET
def language(request, code: str):
    """Switch the site's language by a link (no form, so no CSRF cookie on pages that
    have no form): the language cookie is set only when a visitor asks for it."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/public/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
        secure=request.is_secure(), httponly=True,
    )  # fmt: skip
    return response
