"""Scanned documents' pages: a case's documents (the panel of its page), a document and its
pages' text, the files (the scan as it came, the searchable PDF), the center's tray of
letters not yet on a case, and batches with their progress.

Every view fetches through ``documents.selectors``: a document on a case the user may not
see, or in a tray outside his scope, is a 404, its pages and files included.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit import events as audit_events
from cases.file_views import file_response
from cases.files import clean_original_name
from cases.models import Complaint
from cases.selectors import get_case_for_user
from cases.services import ActionRefused
from documents import batches, selectors, services
from documents.files import EXTENSIONS
from documents.models import Document
from permissions import rules
from repeats.forms import CaseNumberField

# While a document of the panel is being read, the case page asks for the panel again this often (ms).
PANEL_REFRESH_MS = 5000
# The batch page asks for its progress this often (ms).
BATCH_POLL_MS = 2000


# --- Forms -----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One file or several (the officer picks a morning's scans at once): a list of files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.tif,.tiff,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ScanForm(forms.Form):
    file = MultipleFileField(label=gettext_lazy("ไฟล์สแกน (PDF, TIFF, JPEG, PNG)"))
    description = forms.CharField(label=gettext_lazy("คำอธิบาย"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        # Its own ids: on the case page it sits beside the attachments' form (id_file).
        kwargs.setdefault("auto_id", "scan_%s")
        super().__init__(*args, **kwargs)


class FileOnCaseForm(forms.Form):
    case = CaseNumberField(label=gettext_lazy("เลขที่รับของเรื่อง"), help_text=gettext_lazy("เช่น 7001/2569/000123"))


class BatchForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ไฟล์ ZIP ของเอกสารสแกน"), widget=forms.FileInput(attrs={"accept": ".zip"})
    )


# --- A case's documents ----------------------------------------------------------------------


def _panel_context(request, case) -> dict:
    documents = list(selectors.case_documents(case))
    return {
        "case": case,
        # A letter's file name may name its writer: masked where the case's page masks him.
        "masked": (
            bool(documents)
            and case.complainants.filter(is_confidential=True).exists()
            and not rules.can_see_confidential(request.user, case)
        ),
        "documents": documents,
        "may_add": rules.can_attach(request.user, case),
        "form": ScanForm(),
        "pending": any(d.status in (Document.Status.QUEUED, Document.Status.READING) for d in documents),
        "refresh_ms": PANEL_REFRESH_MS,
    }


@login_required
@require_safe
def case_panel(request, pk):
    """The documents panel of a case's page, fetched by the page once it is shown (and
    again while a document is being read)."""
    case = get_case_for_user(request.user, pk)
    context = _panel_context(request, case)
    context["may_retry"] = context["may_add"]
    response = render(request, "documents/case_panel.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _add_files(request, *, complaint=None, district=None) -> int:
    """Add each file posted in ``file`` (one or several); a message for each refused. Returns how many were added."""
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return 0
    added = 0
    for uploaded in form.cleaned_data["file"]:
        try:
            services.add_document(
                uploaded=uploaded, actor=request.user, complaint=complaint, district=district,
                description=form.cleaned_data["description"],
            )  # fmt: skip
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return added
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            added += 1
    if added:
        messages.success(request, _("เพิ่มเอกสารสแกน %(count)d ไฟล์แล้ว ระบบกำลังอ่านข้อความในเอกสาร") % {"count": added})
    return added


@login_required
@require_POST
def case_upload(request, pk):
    case = get_case_for_user(request.user, pk)
    if not rules.can_attach(request.user, case):
        raise PermissionDenied
    _add_files(request, complaint=case)
    return redirect(case.get_absolute_url() + "#documents")


# --- A document, its pages and files ---------------------------------------------------------


def _back(request, document: Document):
    """Where a form on a document goes back to: ``next`` if it is ours, else the document's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("documents:document", pk=document.pk)


def _readable(request, pk) -> Document:
    """The document ``pk``, to read (its text, its pages, its files). A letter names its writer:
    on a case with a complainant who asked not to be named, only those who may see who
    complained read it (``rules.can_see_confidential``: 403 for the others), and each reading
    is logged as the case page's showing of the name is."""
    document = selectors.get_document_for_user(request.user, pk)
    case = document.complaint
    if case is not None:
        hidden = list(case.complainants.filter(is_confidential=True))
        if hidden:
            if not rules.can_see_confidential(request.user, case):
                raise PermissionDenied(_("เอกสารของเรื่องที่ผู้ร้องขอปกปิดข้อมูล เปิดได้เฉพาะผู้ที่เห็นข้อมูลผู้ร้องเท่านั้น"))
            for person in hidden:
                audit_events.personal_data_viewed(request, case, person=person)
    return document


@login_required
@require_safe
def document_detail(request, pk):
    document = _readable(request, pk)
    may_change = services.may_change(request.user, document)
    context = {
        "document": document,
        "pages": document.pages.order_by("number"),
        "may_change": may_change,
        "file_form": FileOnCaseForm() if may_change else None,
    }
    return render(request, "documents/document.html", context)


@login_required
@require_safe
def page_detail(request, pk, number):
    document = _readable(request, pk)
    page = get_object_or_404(document.pages, number=number)
    context = {
        "document": document,
        "page": page,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < document.page_count else None,
    }
    return render(request, "documents/page.html", context)


# The searchable PDF opens in the browser's viewer (at a page: #page=N), which a sandbox would block.
PDF_VIEWER_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"


def _download_name(document: Document, suffix: str = "", extension: str = "") -> str:
    stem, dot, _extension = clean_original_name(document.original_name).rpartition(".")
    stem = (stem if dot else _extension).strip(" .")[:240] or "scan"
    return f"{stem}{suffix}.{extension or EXTENSIONS.get(document.content_type, 'bin')}"


@login_required
@require_safe
def original(request, pk):
    """The scan as it came, byte for byte (its sha256 is on the document's page)."""
    document = _readable(request, pk)
    return file_response(
        document.original, content_type=document.content_type, filename=_download_name(document), as_attachment=True
    )


@login_required
@require_safe
def searchable(request, pk):
    """The searchable PDF: the pages as scanned, the text read laid over them (opens in the browser)."""
    document = _readable(request, pk)
    return file_response(
        document.searchable_pdf, content_type="application/pdf",
        filename=_download_name(document, "-ค้นหาได้", "pdf"), as_attachment=False, csp=PDF_VIEWER_CSP,
    )  # fmt: skip


@login_required
@require_POST
def retry(request, pk):
    document = selectors.get_document_for_user(request.user, pk)
    try:
        services.retry(document, request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("สั่งอ่านเอกสาร “%(name)s” ใหม่แล้ว") % {"name": document.original_name})
    return _back(request, document)


@login_required
@require_POST
def file_on_case(request, pk):
    """File a document (a letter of the tray) on a case, typed by its number."""
    document = selectors.get_document_for_user(request.user, pk)
    form = FileOnCaseForm(request.POST)
    case = form.cleaned_data["case"] if form.is_valid() else None
    # A case outside the officer's sight is "not found", as a number that does not exist.
    if case is not None and not Complaint.objects.visible_to(request.user).filter(pk=case.pk).exists():
        case = None
    if case is None:
        messages.error(request, str(CaseNumberField.default_error_messages["not_found"]))
        return _back(request, document)
    try:
        services.file_on_case(document, case, request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return _back(request, document)
    messages.success(
        request,
        _("ลงเอกสาร “%(name)s” ในเรื่องเลขที่ %(number)s แล้ว") % {"name": document.original_name, "number": case.number},
    )
    return redirect(case.get_absolute_url() + "#documents")


# --- The tray --------------------------------------------------------------------------------


@login_required
@require_safe
def tray(request):
    """The letters of the center(s) not yet on a case, newest first, with what to do with each."""
    user = request.user
    if not selectors.sees_trays(user):
        raise PermissionDenied
    district = request.GET.get("district", "")
    district = district if selectors.DISTRICT_CODE.fullmatch(district) else ""
    page = selectors.tray_page(user, district=district, after=request.GET.get("after", ""))
    may_add = bool(user.district_id) and selectors.may_add_to_tray(user, user.district_id)
    context = {
        "page": page,
        "district": district,
        "districts": selectors.tray_districts(user),
        "may_add": may_add,
        # A letter of his own center becomes a case from here ("รับเรื่องจากหนังสือ", views_letter).
        "intake_district": user.district_id if user.district and rules.can_intake(user, user.district) else None,
        "form": ScanForm() if may_add else None,
        "file_form": FileOnCaseForm(),
        "batches": selectors.recent_batches(user),
    }
    return render(request, "documents/tray.html", context)


@login_required
@require_POST
def tray_upload(request):
    user = request.user
    if not (user.district_id and selectors.may_add_to_tray(user, user.district_id)):
        raise PermissionDenied
    _add_files(request, district=user.district)
    return redirect("documents:tray")


# --- Batches ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request):
    """Upload a ZIP of scans into the center's tray."""
    user = request.user
    if not (user.district_id and selectors.may_add_to_tray(user, user.district_id)):
        raise PermissionDenied
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.import_zip(uploaded=form.cleaned_data["file"], actor=user, district=user.district)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("documents:batch", pk=batch.pk)
    return render(request, "documents/batch_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_safe
def batch_detail(request, pk):
    batch = selectors.get_batch_for_user(request.user, pk)
    progress = selectors.batch_progress(batch)
    context = {
        "batch": batch,
        "progress": progress,
        "documents": selectors.documents_for(request.user).filter(batch=batch).order_by("id"),
        "poll_ms": BATCH_POLL_MS,
    }
    return render(request, "documents/batch.html", context)


@login_required
@require_safe
def batch_status(request, pk):
    """The batch's progress as JSON, for its page's progress bar."""
    batch = selectors.get_batch_for_user(request.user, pk)
    response = JsonResponse(selectors.batch_progress(batch).as_json())
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    # A case's documents: the panel of its page, and adding scans to it.
    path("cases/<id:pk>/panel/", case_panel, name="case_panel"),
    path("cases/<id:pk>/upload/", case_upload, name="case_upload"),
    # A document, its pages and files, and what may be done with it.
    path("<id:pk>/", document_detail, name="document"),
    path("<id:pk>/pages/<int:number>/", page_detail, name="page"),
    path("<id:pk>/original/", original, name="original"),
    path("<id:pk>/searchable.pdf", searchable, name="searchable"),
    path("<id:pk>/retry/", retry, name="retry"),
    path("<id:pk>/file/", file_on_case, name="file_on_case"),
    # The center's tray of letters not yet on a case, and batches.
    path("tray/", tray, name="tray"),
    path("tray/upload/", tray_upload, name="tray_upload"),
    path("batches/new/", batch_new, name="batch_new"),
    path("batches/<id:pk>/", batch_detail, name="batch"),
    path("batches/<id:pk>/status/", batch_status, name="batch_status"),
]
