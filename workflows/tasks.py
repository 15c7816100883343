from celery import shared_task

from cases.models import CaseEvent
from core.models import User
from workflows import sla
from workflows.notify import notify, settle


# Named "cases.…" as when it lived in cases: outbox rows already written name it so.
@shared_task(name="cases.notify_case_event", ignore_result=True)
def notify_case_event(event_id: int, recipient_ids: list[int]) -> int:
    """Tell ``recipient_ids`` (whose move it is after the event) about the case
    event ``event_id``; return how many were told.

    Idempotent, as every outbox consumer must be (core/outbox.py): a notice is
    unique per event and recipient, so a task delivered twice tells each once.
    The actor is never told of her own action. The text is not stored: it is
    rendered in the reader's language when read (workflows/notify.py).
    """
    event = CaseEvent.objects.select_related("complaint").filter(pk=event_id).first()
    if event is None:
        return 0
    recipients = User.objects.filter(pk__in=recipient_ids, is_active=True).exclude(pk=event.actor_id)
    made = notify(recipients, complaint=event.complaint, kind=event.action, event=event, key=f"event:{event.pk}")
    settle(event.complaint)
    return made


@shared_task(name="workflows.check_sla", ignore_result=True)
def check_sla() -> dict:
    """Hourly (Celery beat): notify overdue work, escalate cases past the grace period."""
    result = sla.check()
    return {"overdue_tasks": result.overdue_tasks, "notices": result.notices, "escalated": result.escalated}
