"""Case files: upload, download and thumbnails, for those who may see the case.

Every view fetches the case through ``selectors.get_case_for_user``, so a case
the user may not see is a 404, its files included.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cases import services
from cases.files import download_name
from cases.models import Attachment
from cases.selectors import get_case_for_user
from permissions import rules

# The case page shows messages with this tag again beside the upload form,
# where the user is once the redirect has scrolled to #attachments.
UPLOAD_MESSAGE = "upload"


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ไฟล์"))
    description = forms.CharField(label=gettext_lazy("คำอธิบาย"), max_length=300, required=False)


# A stored file is never a page: no scripts even if a browser were to render it as one.
STORED_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def file_response(
    field_file, *, content_type: str, as_attachment: bool, filename: str, csp: str = STORED_FILE_CSP
) -> FileResponse:
    """A stored file to the browser, private and never sniffed; 404 when it is missing."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    response["Content-Security-Policy"] = csp
    return response


@login_required
@require_safe
def attachment_download(request, pk, attachment_pk):
    case = get_case_for_user(request.user, pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    return file_response(
        attachment.file,
        content_type=attachment.content_type,
        as_attachment=attachment.kind != Attachment.Kind.PHOTO,
        # Named by what the file is, not by what the uploader called it.
        filename=download_name(attachment.original_name, attachment.content_type),
    )


@login_required
@require_safe
def attachment_thumbnail(request, pk, attachment_pk):
    case = get_case_for_user(request.user, pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_pk, kind=Attachment.Kind.PHOTO)
    return file_response(attachment.thumbnail, content_type="image/jpeg", as_attachment=False, filename="")


@login_required
@require_POST
def attachment_upload(request, pk):
    case = get_case_for_user(request.user, pk)
    if not rules.can_attach(request.user, case):
        raise PermissionDenied
    back = case.get_absolute_url() + "#attachments"
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        # Django's own messages ("This field is required") do not say which field.
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message, extra_tags=UPLOAD_MESSAGE)
        return redirect(back)
    try:
        attachment = services.case_attach(
            actor=request.user, case=case, uploaded=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )  # fmt: skip
    except services.ActionRefused as refused:
        messages.error(request, refused.message, extra_tags=UPLOAD_MESSAGE)
        return redirect(back)
    except ValidationError as error:
        # Ours name the file already (cases.files). The page is redirected to, so
        # the messages carry the errors (a form's would be lost with it).
        for message in error.messages:
            messages.error(request, message, extra_tags=UPLOAD_MESSAGE)
        return redirect(back)
    messages.success(request, _("แนบไฟล์ “%(name)s” แล้ว") % {"name": attachment.original_name})
    return redirect(back)
