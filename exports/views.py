"""An officer's exports: the list, one export's page (which waits for the file), the download.

Each export is its owner's alone: another officer's id is a 404, as a case outside
one's scope is.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from audit import events as audit_events
from exports.models import Export
from exports.registry import may_download

# The list shows the latest exports; older ones have lost their files long ago.
LIST_SIZE = 50
# How often the page of an export still being made reloads itself (seconds).
REFRESH_SECONDS = 3


def _own(request, pk) -> Export:
    return get_object_or_404(Export, pk=pk, owner=request.user)


@login_required
@require_safe
def export_list(request):
    exports = list(Export.objects.filter(owner=request.user).order_by("-id")[:LIST_SIZE])
    refresh = REFRESH_SECONDS if any(export.is_pending for export in exports) else None
    context = {"exports": exports, "refresh": refresh, "retention_hours": settings.EXPORT_RETENTION_HOURS}
    return render(request, "exports/list.html", context)


@login_required
@require_safe
def export_detail(request, pk):
    export = _own(request, pk)
    refresh = REFRESH_SECONDS if export.is_pending else None
    return render(request, "exports/detail.html", {"export": export, "refresh": refresh})


@login_required
@require_safe
def export_download(request, pk):
    export = _own(request, pk)
    if export.state != Export.State.READY or not export.file:
        messages.warning(request, _("ไฟล์นี้ยังดาวน์โหลดไม่ได้") if export.is_pending else _("ไฟล์นี้ไม่มีให้ดาวน์โหลดแล้ว"))
        return redirect("exports:detail", pk=export.pk)
    if not may_download(export):
        messages.error(request, _("คุณไม่มีสิทธิ์ดูข้อมูลในไฟล์นี้แล้ว จึงดาวน์โหลดไม่ได้"))
        return redirect("exports:detail", pk=export.pk)
    try:
        handle = export.file.storage.open(export.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit_events.export_downloaded(request, export)
    response = FileResponse(handle, as_attachment=True, filename=export.filename, content_type=export.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
