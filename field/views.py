"""The field app's pages: the shell, the web app manifest and the service worker.

The shell is the same for everyone (the app signs in with a device token, not the
session), so the service worker can keep it and open the app without a signal.
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from field import pwa


@require_GET
def shell(request):
    return render(
        request,
        "field/shell.html",
        {"config": pwa.client_config(), "theme_color": pwa.THEME_COLOR},
    )


@require_GET
def manifest(request):
    return JsonResponse(
        pwa.manifest(), content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    """The service worker at the top of the app's path, so that its scope is /field/.

    Never kept by HTTP caches: the browser compares it byte for byte to find a new
    deployment (its precache list carries the files' revisions)."""
    response = HttpResponse(pwa.service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = pwa.service_worker_config()["scope"]
    # The worker fetches map tiles to keep them; its own policy must let it reach the tile server.
    if pwa.tile_origins():
        response._csp_update = {"connect-src": pwa.tile_origins()}
    return response
