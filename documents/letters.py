"""A case made from a letter ("รับเรื่องจากหนังสือ"): the complaint recorded as at the
counter (cases.services.case_intake) and the letter filed on it, in one transaction."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Complaint
from cases.services import ActionRefused, IntakeData
from core.models import District, User
from documents import services
from documents.models import Document


@transaction.atomic
def case_from_letter(
    *, actor: User, district: District, data: IntakeData, submission_key: uuid.UUID | None, document: Document
) -> tuple[Complaint, bool]:
    """Record the complaint of ``document``, a letter in ``district``'s tray, and file the
    letter on it. Return ``(complaint, created)`` as ``case_intake`` does: the same form
    posted again returns the case it made, the letter already on it."""
    letter = Document.objects.select_for_update().get(pk=document.pk)
    if letter.complaint_id is not None:
        # The same form posted again (Back, then save): the case it made, the letter on it.
        same = Complaint.objects.filter(pk=letter.complaint_id, submission_key=submission_key).first()
        if submission_key and same:
            return same, False
        raise ActionRefused(_("หนังสือนี้บันทึกเข้าเรื่องอื่นไปแล้ว"), code="filed")
    if letter.district_id != district.pk:
        raise ActionRefused(_("หนังสือนี้อยู่ในถาดของศูนย์อื่น"), code="forbidden")
    case, created = case_services.case_intake(actor=actor, district=district, data=data, submission_key=submission_key)
    if created:
        services.file_on_case(letter, case, actor)
    document.complaint = letter.complaint
    return case, created
