from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit import events
from core.auth import axes_username


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    events.sign_in(request, user)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        events.sign_out(request, user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        events.sign_in_failed(request, axes_username(request, credentials))


@receiver(user_locked_out)
def on_lockout(sender, request, username=None, **kwargs):
    events.lockout(request, username or "")
