"""Complaints filed on the public website: kept, confirmed, filed, purged.

One path for every complaint typed on the form: it is kept first as an
``OnlineSubmission`` (with its files, already checked and re-encoded), then filed
through ``cases.services.case_intake_online``, at once in the same transaction when
the browser proved its work (``public.online.pow``), or when the citizen follows
the link e-mailed to them within ``CONFIRM_HOURS``. Filed, the submission keeps
nothing personal (the case has it); unconfirmed, it and its files are deleted a
day later (``purge_unconfirmed``, hourly by Celery beat and the command
``purge_online_submissions``).

The e-mail with the tracking code is the complainant's "received" notice, which
``public.notices`` sends for every intake with a complainant e-mail; only the
confirmation link is sent from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cases.files import CheckedFile
from cases.models import Category, Complaint
from cases.services import ComplainantData, IntakeData, case_intake_online
from citizens.models import OnlineSubmission, OnlineSubmissionFile
from core.models import Subdistrict
from core.outbox import enqueue

logger = logging.getLogger(__name__)

CONFIRM_HOURS = 24
SEND_CONFIRMATION_TASK = "citizens.online.send_confirmation"
# The complainant's fields kept with a submission (cases.services.ComplainantData but the sub-district).
PERSON = ("is_anonymous", "is_confidential", "title", "first_name", "last_name", "national_id", "phone", "email",
          "address")  # fmt: skip
_DONE_SALT = "citizens.online.done"
_CONFIRM_SALT = "citizens.online.confirm"


class SubmissionGone(Exception):
    """A confirmation link for nothing we keep: mistyped, or older than a day and deleted."""


# --- Keeping and filing -------------------------------------------------------------------------


def submit(
    *, data: dict, files: list[CheckedFile], proof_of_work: bool, client_address: str | None, language: str
) -> OnlineSubmission:
    """Keep a complaint typed on the form, and file it at once when the browser did the
    ``proof_of_work``; otherwise e-mail the citizen the link that files it (after
    commit, through the outbox)."""
    seed = secrets.token_hex(16)
    submission = OnlineSubmission(
        data={**data, "seed": seed, "client_address": client_address, "language": language},
        email=data["complainant"]["email"],
        token_hash=_hash(confirmation_token(seed)),
    )
    written: list[OnlineSubmissionFile] = []
    try:
        with transaction.atomic():
            submission.save()
            for item in files:
                kept = OnlineSubmissionFile(submission=submission, original_name=item.name)
                kept.file.save(f"{uuid.uuid4().hex}.{item.extension}", ContentFile(item.data), save=False)
                written.append(kept)
                kept.save()
            if proof_of_work:
                file_submission(submission)
            else:
                enqueue(
                    SEND_CONFIRMATION_TASK,
                    kwargs={"submission_id": submission.pk},
                    key=f"online-confirm:{submission.pk}",
                )
    except BaseException:
        for kept in written:  # the transaction took the rows back; the files must go too
            _delete_quietly(kept.file)
        raise
    return submission


def file_submission(submission: OnlineSubmission, *, confirmed_by_email: bool = False) -> Complaint:
    """File ``submission`` as a case of the district where it happened; keep only the link to it.

    Runs in the caller's transaction; the submission's own copies of the files are
    deleted once it commits (the case has them now)."""
    data = submission.data
    intake = intake_data(data)
    if intake.incident_subdistrict is None:
        raise ValidationError({"incident_subdistrict": [_("กรุณาเลือกตำบลที่เกิดเหตุ")]})
    kept = list(submission.files.all())
    uploads = []
    for item in kept:
        with item.file.open("rb") as handle:
            uploads.append(ContentFile(handle.read(), name=item.original_name))
    complaint, _created = case_intake_online(
        district=intake.incident_subdistrict.district,
        data=intake,
        submission_key=uuid.UUID(data["submission_key"]),
        client_address=data.get("client_address"),
        files=uploads,
        confirmed_by_email=confirmed_by_email,
    )
    submission.complaint, submission.confirmed_at = complaint, timezone.now()
    # The case holds the person now; the submission keeps what finds the case again.
    submission.data, submission.email = {"submission_key": data["submission_key"]}, ""
    submission.save(update_fields=["complaint", "confirmed_at", "data", "email"])
    for item in kept:
        item.delete()
        transaction.on_commit(lambda field=item.file: _delete_quietly(field))
    return complaint


def intake_data(data: dict) -> IntakeData:
    """The intake a kept submission asks for (``OnlineComplaintForm.submission_data``), for
    ``validate_intake`` to check; a sub-district or category that no longer exists reads as not chosen."""
    categories = Category.objects.in_bulk([pk for pk in (data.get("main_category"), data.get("category")) if pk])
    if categories.get(data.get("main_category")) is None:
        raise ValidationError({"main_category": [_("กรุณาเลือกประเภทเรื่องหลัก")]})
    subdistrict = None
    if data.get("incident_subdistrict"):
        subdistrict = Subdistrict.objects.select_related("district").filter(pk=data["incident_subdistrict"]).first()
    person = data.get("complainant") or {}

    def decimal(value):
        return Decimal(value) if value not in (None, "") else None

    return IntakeData(
        channel="online",
        received_on=timezone.localdate(),
        main_category=categories.get(data.get("main_category")),
        category=categories.get(data.get("category")),
        category_other_text=data.get("category_other_text", ""),
        subject=data.get("subject", ""),
        description=data.get("description", ""),
        incident_subdistrict=subdistrict,
        incident_address=data.get("incident_address", ""),
        latitude=decimal(data.get("latitude")),
        longitude=decimal(data.get("longitude")),
        complainants=[ComplainantData(**{name: person[name] for name in PERSON if name in person})],
    )


def submission_by_key(key: str) -> OnlineSubmission | None:
    """The submission a form with ``key`` already made (a second click, Back and send again)."""
    try:
        key = str(uuid.UUID(key))
    except (TypeError, ValueError, AttributeError):
        return None
    return OnlineSubmission.objects.filter(data__submission_key=key).order_by("pk").first()


# --- The e-mailed confirmation ------------------------------------------------------------------


def confirmation_token(seed: str) -> str:
    """The secret of the confirmation link: only the server can make it from the kept ``seed``,
    and only its hash is stored, so the database alone cannot confirm anything."""
    return salted_hmac(_CONFIRM_SALT, seed, algorithm="sha256").hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_deadline(submission: OnlineSubmission) -> dt.datetime:
    return submission.created_at + dt.timedelta(hours=CONFIRM_HOURS)


def pending_confirmation(token: str) -> OnlineSubmission:
    """The submission a confirmation link names; raise SubmissionGone if there is none to confirm."""
    submission = OnlineSubmission.objects.filter(token_hash=_hash(token)).select_related("complaint").first()
    if submission is None or (submission.confirmed_at is None and confirmation_deadline(submission) < timezone.now()):
        raise SubmissionGone
    return submission


@dataclass(frozen=True)
class Confirmed:
    submission: OnlineSubmission
    filed_now: bool  # False: it was filed before (a second click)


def confirm(token: str) -> Confirmed:
    """File the submission the link names, once: two clicks at once wait for each other."""
    with transaction.atomic():
        submission = pending_confirmation(token)
        submission = OnlineSubmission.objects.select_for_update().get(pk=submission.pk)
        if submission.confirmed_at is not None:
            return Confirmed(submission, filed_now=False)
        file_submission(submission, confirmed_by_email=True)
    return Confirmed(submission, filed_now=True)


def send_confirmation(submission_id: int) -> bool:
    """E-mail the confirmation link of a submission not yet filed (the outbox's task).

    The message holds no word the citizen typed: a form that mails any address
    must not carry anyone's text to it."""
    submission = OnlineSubmission.objects.filter(pk=submission_id, confirmed_at__isnull=True).first()
    if submission is None or not submission.email or "seed" not in submission.data:
        return False
    link = settings.PUBLIC_SITE_URL.rstrip("/") + reverse(
        "public:complain_confirm", args=[confirmation_token(submission.data["seed"])]
    )
    context = {"link": link, "submission": submission, "deadline": confirmation_deadline(submission)}
    with translation.override(submission.data.get("language") or settings.LANGUAGE_CODE):
        subject = render_to_string("public/online/confirm_email_subject.txt", context).strip()
        body = render_to_string("public/online/confirm_email.txt", context)
    send_mail(subject, body, settings.CITIZEN_NOTICE_FROM_EMAIL, [submission.email])
    return True


# --- The receipt page ---------------------------------------------------------------------------


def receipt_token(submission: OnlineSubmission) -> str:
    return signing.dumps(submission.pk, salt=_DONE_SALT)


def receipt_submission(token: str) -> OnlineSubmission | None:
    """The submission of a receipt page's address, for a day after it was made; else None."""
    try:
        pk = signing.loads(token, salt=_DONE_SALT, max_age=CONFIRM_HOURS * 60 * 60)
    except signing.BadSignature:
        return None
    return OnlineSubmission.objects.select_related("complaint__district").filter(pk=pk).first()


def receipt_url(submission: OnlineSubmission) -> str:
    return reverse("public:complain_done", args=[receipt_token(submission)])


# --- Purging ----------------------------------------------------------------------------------


def purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete the submissions nobody confirmed within ``CONFIRM_HOURS``, their files first."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=CONFIRM_HOURS)
    stale = OnlineSubmission.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    deleted = 0
    for submission in stale.prefetch_related("files").iterator(chunk_size=200):
        for item in submission.files.all():
            _delete_quietly(item.file)
        submission.delete()
        deleted += 1
    if deleted:
        logger.info("online: purged %d unconfirmed submissions", deleted)
    return deleted


def _delete_quietly(field_file) -> None:
    try:
        field_file.storage.delete(field_file.name)
    except Exception:  # a file left behind is found by name; the row is what matters
        logger.warning("online: could not delete %s", field_file.name, exc_info=True)
