"""The only write path of registrations and activations.

Every step runs in one transaction with its audit row (``audit.events.account``):
a certification creates or moves the account, ends the replaced officer's, keeps the
signed form as a PDF, and queues the activation e-mail through the outbox, or
none of these happens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import rules
from accounts.form_pdf import registration_pdf
from accounts.models import REGISTERED_ROLES, Activation, Registration
from audit import events as audit_events
from core import keys, outbox
from core.models import Role, User
from permissions import services as sharing
from permissions.models import CaseShare
from workflows import engine
from workflows.models import CaseTask
from workflows.notify import notify

SEND_ACTIVATION_TASK = "accounts.send_activation"
NOTIFY_CERTIFIERS_TASK = "accounts.notify_certifiers"
WAITING_NOTICE = "registration_waiting"
RETURNED_NOTICE = "registration_returned"

# The form's fields, as the filler types them (the rest is the registration's life).
FORM_FIELDS = [
    "registered_on", "kind", "replaces", "replaced_because", "national_id", "title", "first_name", "last_name",
    "position", "level", "work_unit", "section", "scope_level", "province", "district", "office_phone",
    "mobile_phone", "email", "assigned_on",
]  # fmt: skip
# What a certification copies from the form onto the account.
ACCOUNT_FIELDS = [
    "title", "first_name", "last_name", "level", "work_unit", "section", "scope_level", "province", "district",
    "office_phone", "mobile_phone", "assigned_on", "registered_on",
]  # fmt: skip

# Letters and digits that cannot be confused when read from paper (no 0/O, 1/I/l).
_READABLE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31^16: about 79 bits, and a code expires in days


class RegistrationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _snapshot(registration: Registration) -> dict:
    return {"registration": registration.pk, "state": registration.state, "national_id": registration.national_id}


def _check_certifiable(registration: Registration) -> None:
    """Someone must be able to certify the form, or it waits for nobody."""
    if not rules.certifiers(registration) and not rules.certifies_self(registration.submitted_by, registration):
        raise RegistrationError(
            _("ยังไม่มีผู้รับรองของศูนย์นี้ในระบบ (นายอำเภอ ผู้ว่าราชการจังหวัดหรือผู้ได้รับมอบหมาย) กรุณาติดต่อผู้ดูแลระบบของจังหวัด")  # fmt: skip
        )


def _queue_notice(registration: Registration) -> None:
    outbox.enqueue(
        NOTIFY_CERTIFIERS_TASK, kwargs={"registration_id": registration.pk},
        key=f"{NOTIFY_CERTIFIERS_TASK}:{registration.pk}:{registration.submitted_at.isoformat()}",
    )  # fmt: skip


@transaction.atomic
def submit(*, actor, registration: Registration) -> Registration:
    """Send a filled form (``registration``, validated by ``forms.RegistrationForm``) to its certifier.

    A head filling his own form certifies it at once, as the seed's note says."""
    if not rules.can_register_for(actor, registration.scope_level, registration.province_id, registration.district_id):
        raise PermissionDenied
    registration.submitted_by, registration.submitted_at = actor, timezone.now()
    registration.state = Registration.State.WAITING
    _check_certifiable(registration)
    registration._history_user = actor
    registration.save()
    audit_events.account(actor, "registration submitted", registration=registration, after=_snapshot(registration))
    if rules.certifies_self(actor, registration):
        certify(actor=actor, registration=registration)
        registration.refresh_from_db()
    else:
        _queue_notice(registration)
    return registration


@transaction.atomic
def resubmit(*, actor, registration: Registration) -> Registration:
    """Send a returned form again, corrected."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if not rules.can_edit(actor, locked):
        raise PermissionDenied
    before = _snapshot(locked)
    registration.state, registration.submitted_at = Registration.State.WAITING, timezone.now()
    registration.return_reason = ""
    registration.decided_by = registration.decided_at = None
    _check_certifiable(registration)
    registration._history_user = actor
    registration.save()
    audit_events.account(
        actor, "registration resubmitted", registration=registration, before=before, after=_snapshot(registration)
    )
    _queue_notice(registration)
    return registration


@transaction.atomic
def withdraw(*, actor, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not rules.can_edit(actor, registration):
        raise PermissionDenied
    before = _snapshot(registration)
    registration.state = Registration.State.WITHDRAWN
    registration._history_user = actor
    registration.save(update_fields=["state"])
    audit_events.account(
        actor, "registration withdrawn", registration=registration, before=before, after=_snapshot(registration)
    )
    return registration


@transaction.atomic
def return_registration(*, actor, registration: Registration, reason: str) -> Registration:
    """The certifier sends the form back to its filler with a reason."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not rules.can_certify(actor, registration):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise RegistrationError(_("กรุณาระบุเหตุผลที่ส่งกลับ"))
    before = _snapshot(registration)
    registration.state, registration.return_reason = Registration.State.RETURNED, reason
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration._history_user = actor
    registration.save(update_fields=["state", "return_reason", "decided_by", "decided_at"])
    audit_events.account(
        actor, "registration returned", registration=registration, before=before, after=_snapshot(registration),
        note=reason,
    )  # fmt: skip
    notify(
        [registration.submitted_by], complaint=None, kind=RETURNED_NOTICE,
        key=f"{RETURNED_NOTICE}:{registration.pk}:{registration.decided_at.isoformat()}",
        data={"registration": registration.pk, "name": registration.full_name, "reason": reason},
    )  # fmt: skip
    return registration


@transaction.atomic
def certify(*, actor, registration: Registration) -> Registration:
    """Certify the form: "ขอรับรองว่าบุคคลดังกล่าวข้างต้นเป็นผู้มีสิทธิใช้งานจริง".

    A first registration creates the account, inactive until its officer sets a password
    from the activation code. An account already holding the national ID is moved: its
    old scope ends now (tasks back to the queue, shares ended), its work stays its own.
    A replacement ends the replaced officer's account on the date assigned."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not rules.can_certify(actor, registration):
        raise PermissionDenied
    before = _snapshot(registration)
    now = timezone.now()
    self_certified = rules.certifies_self(actor, registration)
    account = User.objects.select_for_update().filter(national_id=registration.national_id).first()
    needs_activation = account is None or not account.is_active or not account.has_usable_password()
    if account is None:
        account = User(national_id=registration.national_id, is_active=False, must_change_password=False)
        account.set_unusable_password()
    elif (account.scope_level, account.province_id, account.district_id) != (
        registration.scope_level, registration.province_id, registration.district_id
    ):  # fmt: skip
        registration.previous_scope = account.scope_name
        end_scope(account, actor=actor, why=f"moved by registration {registration.pk}")
    for field in ACCOUNT_FIELDS:
        setattr(account, field if field not in ("province", "district") else f"{field}_id",
                getattr(registration, field if field not in ("province", "district") else f"{field}_id"))  # fmt: skip
    account.position = registration.position_title
    account.registration = registration.kind
    account.replaces = registration.replaces
    if registration.email:
        account.email = registration.email
    account._history_user, account._change_reason = actor, f"registration {registration.pk} certified"
    account.full_clean(exclude=["password"])
    account.save()
    kept = [code for code in account.role_codes if code not in REGISTERED_ROLES] if account.pk else []
    account.roles.set(Role.objects.filter(code__in=[*kept, registration.role]))
    account.__dict__.pop("_role_codes", None)

    registration.state, registration.account = Registration.State.CERTIFIED, account
    registration.decided_by, registration.decided_at = actor, now
    registration.certifier_name, registration.certifier_position = actor.get_full_name(), actor.position
    registration.self_certified = self_certified
    registration._history_user = actor
    registration.save()
    audit_events.account(
        actor, "registration self-certified" if self_certified else "registration certified",
        registration=registration, before=before, after={**_snapshot(registration), "account": account.pk},
    )  # fmt: skip
    if registration.kind == Registration.Kind.REPLACEMENT and registration.replaces_id:
        if registration.assigned_on <= timezone.localdate():
            end_replaced(registration, actor=actor)
    keep_form(registration)
    if needs_activation and registration.email:
        outbox.enqueue(
            SEND_ACTIVATION_TASK, kwargs={"registration_id": registration.pk},
            key=f"{SEND_ACTIVATION_TASK}:{registration.pk}",
        )  # fmt: skip
    return registration


def keep_form(registration: Registration) -> None:
    """Draw the certified form and keep it with the registration, with its hash."""
    data = registration_pdf(registration)
    registration.form_sha256 = hashlib.sha256(data).hexdigest()
    registration.form_pdf.save(f"registration-{registration.pk}.pdf", ContentFile(data), save=False)
    registration.save(update_fields=["form_pdf", "form_sha256"])


# --- Ending a scope or an account ----------------------------------------------------------


def end_scope(account: User, *, actor, why: str) -> dict:
    """What an officer held at his center ends: his claimed tasks go back to their queue
    (where his colleagues, or the head, take them) and the cases shared with him are
    no longer. What he did stays his: nothing he recorded is re-attributed."""
    returned = 0
    for task in CaseTask.objects.filter(owner=account, status="NEW").select_related("complaint"):
        engine.return_to_queue(task, by=actor, why=why)
        returned += 1
    ended = 0
    for share in CaseShare.objects.active().filter(user=account).select_related("complaint"):
        sharing.end_share(share, why=why)
        ended += 1
    return {"tasks": returned, "shares": ended}


@transaction.atomic
def end_account(account: User, *, actor, why: str, registration: Registration | None = None) -> User:
    """Deactivate ``account`` (replaced, or ended by a move's registration): it can no
    longer sign in, its sessions end at their next request (AuthenticationMiddleware
    reads ``is_active``), its tasks and shares go."""
    account = User.objects.select_for_update().get(pk=account.pk)
    if not account.is_active:
        return account
    ended = end_scope(account, actor=actor, why=why)
    account.is_active = False
    account._history_user, account._change_reason = actor, why
    account.save(update_fields=["is_active"])
    audit_events.account(
        actor, "account ended", registration=registration, account=account, note=why,
        before={"account": account.pk, "is_active": True}, after={"account": account.pk, "is_active": False, **ended},
    )  # fmt: skip
    return account


def end_replaced(registration: Registration, *, actor=None) -> None:
    replaced = registration.replaces
    end_account(
        replaced, actor=actor, registration=registration,
        why=f"replaced by registration {registration.pk} ({registration.full_name})",
    )  # fmt: skip
    Registration.objects.filter(pk=registration.pk).update(replacement_done_at=timezone.now())


def end_replaced_accounts(today: dt.date | None = None) -> int:
    """End the accounts of officers replaced by a registration whose date assigned has come
    (the daily beat task). Returns how many registrations it completed."""
    today = today or timezone.localdate()
    due = Registration.objects.filter(
        state=Registration.State.CERTIFIED, kind=Registration.Kind.REPLACEMENT, replaces__isnull=False,
        replacement_done_at__isnull=True, assigned_on__lte=today,
    ).select_related("replaces")  # fmt: skip
    done = 0
    for registration in due:
        with transaction.atomic():
            end_replaced(registration)
        done += 1
    return done


# --- Activation ------------------------------------------------------------------------------


def digest(code: str) -> str:
    return keys.digest(normalize_code(code))


def normalize_code(typed: str) -> str:
    """A code as typed from a slip: spaces and dashes dropped, lower case raised. (The
    slip never prints 0, O, 1, I or L, so no misreading of one for another can matter.)"""
    return "".join(c for c in str(typed).upper() if c.isascii() and c.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def issue_activation(account: User, *, channel: str, actor=None, registration: Registration | None = None) -> str:
    """A new one-time code for ``account``; any earlier unused one stops working. Returns
    the code, which is stored nowhere: only its digest."""
    now = timezone.now()
    Activation.objects.filter(user=account, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    code = "".join(secrets.choice(_READABLE) for _ in range(CODE_LENGTH))
    Activation.objects.create(
        user=account, registration=registration, digest=digest(code), channel=channel, created_by=actor,
        expires_at=now + dt.timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS),
    )  # fmt: skip
    audit_events.account(
        actor, f"activation issued ({channel})", registration=registration, account=account,
        after={"account": account.pk, "channel": channel},
    )  # fmt: skip
    return code


def send_activation(registration_id: int) -> bool:
    """E-mail a new activation link to a certified registration's officer (the outbox's task)."""
    registration = Registration.objects.select_related("account").filter(pk=registration_id).first()
    if registration is None or registration.account is None or not registration.email:
        return False
    account = registration.account
    if account.is_active and account.has_usable_password():
        return False  # activated already (a message delivered twice)
    code = issue_activation(account, channel=Activation.Channel.EMAIL, registration=registration)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:activate_link", args=[code])
    context = {"registration": registration, "link": link, "days": settings.ACCOUNT_ACTIVATION_DAYS}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/activation_email_subject.txt", context).strip()
        body = render_to_string("accounts/activation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    return True


def find_activation(code: str, national_id: str | None = None) -> Activation | None:
    """The usable activation of ``code`` (and of ``national_id`` when typed from a slip)."""
    activation = Activation.objects.select_related("user").filter(digest=digest(code)).first()
    if activation is None or not activation.usable():
        return None
    if national_id is not None and activation.user.national_id != national_id:
        return None
    return activation


@transaction.atomic
def activate(activation: Activation, *, password: str, request=None) -> User:
    """The officer sets his own password: the account opens and the code is spent."""
    activation = Activation.objects.select_for_update().select_related("user").get(pk=activation.pk)
    if not activation.usable():
        raise ValidationError(_("รหัสเปิดใช้งานนี้ใช้ไปแล้วหรือหมดอายุ"))
    account = activation.user
    account.set_password(password)
    account.is_active, account.must_change_password = True, False
    account._history_user, account._change_reason = account, "activated"
    account.save(update_fields=["password", "is_active", "must_change_password"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    audit_events.account(
        account, "account activated", registration=activation.registration, account=account, request=request,
        after={"account": account.pk, "channel": activation.channel},
    )  # fmt: skip
    return account


def notify_certifiers(registration_id: int) -> int:
    """A notice (and an e-mail to those with an address) to each certifier of a waiting form."""
    registration = Registration.objects.filter(pk=registration_id, state=Registration.State.WAITING).first()
    if registration is None:
        return 0
    return notify(
        rules.certifiers(registration), complaint=None, kind=WAITING_NOTICE,
        key=f"{WAITING_NOTICE}:{registration.pk}:{registration.submitted_at.isoformat()}",
        data={"registration": registration.pk, "name": registration.full_name, "center": registration.center_name},
    )  # fmt: skip


def render_notice(notice) -> str:
    """How the notices of registrations read (workflows.notify.register_renderer)."""
    data = notice.data
    if notice.kind == RETURNED_NOTICE:
        return _("แบบลงทะเบียนของ %(name)s ถูกส่งกลับให้แก้ไข: %(reason)s") % data
    return _("แบบลงทะเบียนของ %(name)s (%(center)s) รอการรับรองของคุณ") % data
