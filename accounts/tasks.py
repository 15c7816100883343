"""Celery tasks of accounts (imported from ``AccountsConfig.ready`` so that workers know them)."""

from celery import shared_task

from accounts import services


@shared_task(name=services.SEND_ACTIVATION_TASK, ignore_result=True)
def send_activation(registration_id: int) -> bool:
    """E-mail the activation link of a certified registration (queued by ``services.certify``)."""
    return services.send_activation(registration_id)


@shared_task(name=services.NOTIFY_CERTIFIERS_TASK, ignore_result=True)
def notify_certifiers(registration_id: int) -> int:
    """Tell the certifiers a form waits for them (queued by ``services.submit``)."""
    return services.notify_certifiers(registration_id)


@shared_task(name="accounts.end_replaced_accounts", ignore_result=True)
def end_replaced_accounts() -> int:
    """End the accounts of replaced officers whose successor's date assigned has come (beat, hourly)."""
    return services.end_replaced_accounts()
