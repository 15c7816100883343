"""รับเรื่องจากหนังสือ: a case made from a scanned letter. The officer uploads the letter (or
picks one from the center's tray), waits while it is read, then fills the intake form beside
it, taking what the letter suggests field by field; nothing is filled unasked.

Only an officer who takes intake for a center reaches these pages, and only for the letters
of that center's tray (or, once filed, of a case the officer sees): any other is a 404.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Channel, Complaint
from cases.services import ActionRefused
from cases.views import intake_page
from core.forms import add_service_errors
from documents import services
from documents.forms_letter import LetterUploadForm
from documents.letters import case_from_letter
from documents.models import Document
from documents.suggest import suggest
from permissions import rules

# The center's letters offered on the upload page (the tray page lists them all).
TRAY_SHOWN = 10


def _intake_district(user):
    if not rules.can_open_intake(user):
        raise PermissionDenied
    return user.district


def _letter(user, pk) -> Document:
    """The letter ``pk`` of the officer's center: in its tray, or filed on a case the
    officer sees (the form posted again after saving); 404 otherwise."""
    district = _intake_district(user)
    letters = Document.objects.filter(district=district)
    filed = Complaint.objects.visible_to(user)
    return get_object_or_404(letters.filter(Q(complaint__isnull=True) | Q(complaint__in=filed)), pk=pk)


def _filed(request, document: Document):
    """Where a letter already filed goes: its case, with a word why."""
    messages.info(request, _("หนังสือนี้บันทึกเป็นเรื่องร้องเรียนแล้ว"))
    return redirect(document.complaint)


@login_required
@require_http_methods(["GET", "POST"])
def letter_start(request):
    district = _intake_district(request.user)
    form = LetterUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(
                uploaded=form.cleaned_data["file"], actor=request.user, district=district,
                description=form.cleaned_data["description"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("documents:letter_reading", pk=document.pk)
    tray = Document.objects.filter(district=district, complaint__isnull=True).order_by("-uploaded_at", "-id")
    context = {"form": form, "district": district, "tray": tray[:TRAY_SHOWN]}
    return render(request, "documents/letter_start.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def letter_reading(request, pk):
    """The page that waits while the letter is read; a failed reading says why."""
    document = _letter(request.user, pk)
    if document.complaint_id:
        return _filed(request, document)
    if document.status == Document.Status.DONE:
        return redirect("documents:letter_intake", pk=document.pk)
    return render(request, "documents/letter_reading.html", {"document": document, "progress": _progress(document)})


@login_required
@require_GET
def letter_status(request, pk):
    """The reading's progress, as the waiting page polls it."""
    document = _letter(request.user, pk)
    progress = _progress(document)
    done = document.status == Document.Status.DONE
    next_url = reverse("documents:letter_intake" if done else "documents:letter_reading", args=[document.pk])
    return JsonResponse({**progress, "next": next_url if document.status in _FINISHED else ""})


_FINISHED = (Document.Status.DONE, Document.Status.FAILED)


def _progress(document: Document) -> dict:
    read = document.pages.filter(read_at__isnull=False).count()
    return {
        "status": document.status,
        "label": document.get_status_display(),
        "pages_read": read,
        "page_count": document.page_count,
        "error": document.error if document.status == Document.Status.FAILED else "",
    }


@login_required
@require_POST
def letter_retry(request, pk):
    document = _letter(request.user, pk)
    if document.complaint_id:
        return _filed(request, document)
    try:
        services.retry(document, request.user)
    except (ValidationError, ActionRefused) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    return redirect("documents:letter_reading", pk=document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def letter_intake(request, pk):
    """The intake form, the letter beside it and what it suggests; saved as at the
    counter, with the letter filed on the new case."""
    district = _intake_district(request.user)
    document = _letter(request.user, pk)
    if request.method == "GET" and document.complaint_id:
        return _filed(request, document)
    pages = list(document.pages.order_by("number"))
    read = document.status == Document.Status.DONE
    suggestions = suggest("\n\n".join(page.text for page in pages), district=district) if read else []
    context = {"document": document, "pages": pages, "suggestions": suggestions, "read": read}
    return intake_page(
        request, district, record=partial(case_from_letter, document=document),
        template="documents/letter_intake.html", initial={"channel": Channel.LETTER}, context=context,
    )  # fmt: skip


urlpatterns = [
    path("letters/new/", letter_start, name="letter_start"),
    path("letters/<id:pk>/", letter_reading, name="letter_reading"),
    path("letters/<id:pk>/status/", letter_status, name="letter_status"),
    path("letters/<id:pk>/retry/", letter_retry, name="letter_retry"),
    path("letters/<id:pk>/intake/", letter_intake, name="letter_intake"),
]
