"""In-app notifications, with e-mail to those who have an address.

A notice records what happened (a case event, or the SLA check's finding);
``render`` words it for its reader, in her language, each time it is shown or
e-mailed, so a notice written in Thai reads in English for an English reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Complaint
from core.thai import format_date
from workflows import process
from workflows.models import Notification


def notify(recipients, *, complaint, kind: str, key: str, event=None, data: dict | None = None) -> int:
    """Notify each recipient once per ``key``; return how many notices are new.

    Idempotent: run twice (a periodic check, a task delivered twice) it tells
    no one twice. An e-mail not sent the first time is sent on the second run.
    """
    made = 0
    for user in {u.pk: u for u in recipients}.values():
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user, complaint=complaint, event=event, kind=kind, data=data or {}, key=key
                )
        except IntegrityError:
            unsent = Notification.objects.filter(recipient=user, key=key, emailed_at__isnull=True).first()
            if unsent and user.email:
                _email(unsent, user)
            continue
        made += 1
        if user.email:
            _email(notice, user)
    return made


# How the apps above this one word their own kinds of notice (kind -> render(notice)):
# installed from their AppConfig.ready, as cases.hooks is (they may import us, not we them).
RENDERERS: dict[str, Callable[[Notification], str]] = {}


def register_renderer(kind: str, render_notice: Callable[[Notification], str]) -> None:
    RENDERERS[kind] = render_notice


def _actorless(event) -> str:
    """Who took a step nobody at a center took, in the reader's language: an intake
    without an actor was filed by the complainant on the public website
    (cases.services.case_intake_online); every other such step is the SLA check's."""
    return _("ผู้ร้องยื่นทางเว็บไซต์") if event.action == "intake" else _("ระบบ (ตรวจกำหนดเวลา)")


def render(notice: Notification) -> str:
    """The notice in the active language, without the case number (shown beside it)."""
    if (render_notice := RENDERERS.get(notice.kind)) is not None:
        return render_notice(notice)
    event = notice.event
    if event is not None:
        return _("%(action)s โดย %(actor)s — ถึงคราวของคุณดำเนินการ (สถานะ: %(status)s)") % {
            "action": event.label,
            "actor": event.actor_name if event.actor_id else _actorless(event),
            "status": event.to_status_label,
        }
    if notice.kind == "overdue" and notice.data.get("task"):
        return _("งาน “%(task)s” เกินกำหนดแล้ว (กำหนด %(due)s)") % {
            "task": process.label(notice.data["task"]) or notice.data["task"],
            "due": format_date(dt.date.fromisoformat(notice.data["due"])),
        }
    return notice.message


def notices_for(user, *, limit: int = 100) -> list[Notification]:
    """The user's latest notices, each with ``text`` (rendered) and ``case_visible``
    (whether the user may still open its case: a transferred case is not hers)."""
    items = list(Notification.objects.filter(recipient=user).select_related("complaint", "event")[:limit])
    case_ids = {n.complaint_id for n in items if n.complaint_id}
    visible = set(Complaint.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    for notice in items:
        notice.text = render(notice)
        notice.case_visible = notice.complaint_id in visible
    return items


def settle(case: Complaint) -> int:
    """Mark read the unread notices of ``case`` that ask for nothing more; return how many.

    Once a case is closed or rejected nobody has anything left to do on it; once
    it is transferred, whoever may no longer see it cannot act on it. Marking
    them read (rather than hiding them) keeps the history and clears the badge.
    """
    unread = Notification.objects.filter(complaint=case, read_at__isnull=True)
    if not case.is_open:
        return unread.update(read_at=timezone.now())
    readers = {n.recipient_id: n.recipient for n in unread.select_related("recipient")}
    gone = [pk for pk, user in readers.items() if not Complaint.objects.visible_to(user).filter(pk=case.pk).exists()]
    return unread.filter(recipient_id__in=gone).update(read_at=timezone.now()) if gone else 0


def language_of(user) -> str:
    """The language to write to ``user`` in: hers if the account has one, else the site's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _email(notice: Notification, user) -> None:
    def send():
        with translation.override(language_of(user)):
            subject, body = email_text(notice)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())

    transaction.on_commit(send)


def email_text(notice: Notification) -> tuple[str, str]:
    """Subject and body of the notice's e-mail, in the active language."""
    text = render(notice)
    case = notice.complaint
    if case is None:
        return text[:120], text
    subject = f"{case.number}: {text}"[:120]
    link = settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[case.pk])
    body = f"{case.number} {case.subject}\n\n{text}\n\n{link}"
    return subject, body
