from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


@shared_task(name="cases.notify_case_event", ignore_result=True)
def notify_case_event(case_id: int, action: str) -> int:
    """E-mail the people who must act next on a case, when they have an address.

    Return how many messages were sent. In-app notifications and SLA reminders
    come with the task inboxes (workflows).
    """
    from cases.models import Complaint
    from cases.selectors import next_actors
    from cases.services import action_label

    case = Complaint.objects.select_related("district", "team").filter(pk=case_id).first()
    if case is None:
        return 0
    recipients = sorted({user.email for user in next_actors(case) if user.email})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("เรื่องร้องเรียน %(number)s: %(action)s") % {"number": case.number, "action": action_label(action)}
        body = _("เรื่อง: %(subject)s\nสถานะ: %(status)s\nดูรายละเอียด: %(url)s") % {
            "subject": case.subject,
            "status": case.get_status_display(),
            "url": settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[case.pk]),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    return len(recipients)
