"""The API app's HTML pages: the interactive docs, and revoking a device token from the profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularSwaggerView

from api import services
from api.models import DeviceToken


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI from drf-spectacular-sidecar (our static files), under our
    Content-Security-Policy: every script carries the request's nonce, the page's
    styles come from files (templates/api/swagger_ui.html)."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


@login_required
@require_POST
def revoke_token(request, pk):
    """Revoke one of one's own device tokens (the profile page's button); another's is a 404."""
    token = get_object_or_404(DeviceToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        services.token_revoke(token=token, by=request.user, request=request)
        messages.success(request, _("ยกเลิกการเข้าใช้งานของอุปกรณ์ “%(name)s” แล้ว") % {"name": token.name})
    return redirect("profile")
