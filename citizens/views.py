"""The citizens' site: its home page and the privacy notice."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET

from citizens import navigation


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
