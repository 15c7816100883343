"""In-app notifications, with e-mail to those who have an address."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from workflows.models import Notification


def notify(recipients, *, complaint, kind: str, message: str, key: str) -> int:
    """Notify each recipient once per ``key``; return how many notices are new."""
    made = 0
    for user in {u.pk: u for u in recipients}.values():
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user, complaint=complaint, kind=kind, message=message[:500], key=key
                )
        except IntegrityError:
            continue  # already told: a check that runs twice notifies once
        made += 1
        if user.email:
            _email(notice, user)
    return made


def _email(notice: Notification, user) -> None:
    link = ""
    if notice.complaint_id:
        link = "\n" + settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[notice.complaint_id])

    def send():
        send_mail(notice.message[:120], notice.message + link, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())

    transaction.on_commit(send)
