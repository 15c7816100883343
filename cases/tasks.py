from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


@shared_task(name="cases.notify_case_event", ignore_result=True)
def notify_case_event(case_id: int, action: str) -> int:
    """Tell the people who must act next on a case (in-app, and by e-mail when
    they have an address). Return how many were told; once per event."""
    from cases.models import Complaint
    from cases.selectors import next_actors
    from cases.services import action_label
    from workflows.notify import notify

    case = Complaint.objects.select_related("district", "team").filter(pk=case_id).first()
    if case is None:
        return 0
    event = case.events.order_by("-pk").first()
    with translation.override(settings.LANGUAGE_CODE):
        message = _("เรื่องร้องเรียน %(number)s: %(action)s — ถึงคราวของคุณดำเนินการ (%(status)s)") % {
            "number": case.number,
            "action": action_label(action),
            "status": case.get_status_display(),
        }
    return notify(next_actors(case), complaint=case, kind=action, message=message, key=f"event:{event.pk if event else action}")
