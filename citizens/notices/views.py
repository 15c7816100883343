"""Officers' page of the notices: the progress letter to a complainant, as PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit import events as audit_events
from cases.selectors import get_case_for_user
from citizens.notices.forms import ProgressLetterForm
from citizens.notices.letter import ProgressLetter, default_signer, progress_letter_pdf
from permissions import rules

LETTER = "progress_letter"

# Who writes to the complainant: the owning center's staff, those who hand her the
# receipt (the case's district officers and heads) - one rule for both.
may_write_to_complainant = rules.can_print_receipt


@login_required
@require_http_methods(["GET", "POST"])
def progress_letter(request, pk):
    """The letter's form; posted, the letter itself (PDF), its printing audited."""
    case = get_case_for_user(request.user, pk)
    if not may_write_to_complainant(request.user, case):
        raise PermissionDenied
    show_identity = rules.can_see_confidential(request.user, case)
    people = case.complainants.order_by("pk")
    # A letter needs a name to address, and shows it: never a confidential complainant's
    # to someone the case page masks her from.
    recipients = people.filter(is_anonymous=False)
    if not show_identity:
        recipients = recipients.filter(is_confidential=False)
    signer_name, signer_position = default_signer(case)
    initial = {"date": timezone.localdate(), "signer_name": signer_name, "signer_position": signer_position}
    if recipients.count() == 1:
        initial["complainant"] = recipients.first()
    form = ProgressLetterForm(request.POST or None, case=case, recipients=recipients, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["complainant"]
        letter = ProgressLetter(
            case=case, complainant=person, number=data["number"], date=data["date"],
            signer_name=data["signer_name"], signer_position=data["signer_position"],
        )  # fmt: skip
        content = progress_letter_pdf(letter)
        with transaction.atomic():
            audit_events.letter_printed(request, case, person=person, what=LETTER, letter_number=data["number"])
            if person.is_confidential:
                audit_events.personal_data_viewed(request, case, person=person)
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"progress-letter-{case.number.replace('/', '-')}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    context = {
        "case": case,
        "form": form,
        "recipients": recipients,
        "anonymous": people.filter(is_anonymous=True).count(),
        "masked": 0 if show_identity else people.filter(is_anonymous=False, is_confidential=True).count(),
    }
    return render(
        request, "public/notices/progress_letter.html", context, status=400 if request.method == "POST" else 200
    )
