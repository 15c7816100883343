from celery import shared_task


@shared_task(name="workflows.check_sla", ignore_result=True)
def check_sla() -> dict:
    """Hourly (Celery beat): notify overdue work, escalate cases past the grace period."""
    from workflows import sla

    result = sla.check()
    return {"overdue_tasks": result.overdue_tasks, "notices": result.notices, "escalated": result.escalated}
