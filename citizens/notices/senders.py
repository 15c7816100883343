"""How a notice leaves: one interface, a sender per channel, chosen by settings.

``CITIZEN_NOTICE_SENDERS`` maps each channel (``email``, ``sms``, ``line``) to a
``Sender`` class by dotted path. The project ships three: ``EmailSender`` (Django's
mail, ``EMAIL_*`` settings), ``FileSender`` (each message a file in a folder: the
tests, and an office without a mail server) and ``WebhookSender`` (the message as
JSON, posted with a token header to an SMS gateway or a LINE Messaging API relay),
so that a real SMS or LINE provider is configuration, not code.

A sender either returns a ``Sent`` or raises: the task that calls it records the
failure and tries again later (public/notices/tasks.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import urllib.request
from dataclasses import asdict, dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.module_loading import import_string

# What a complainant's address is for each channel that can reach her.
ADDRESS_FIELDS = {"email": "email", "sms": "phone", "line": "phone"}
_MOBILE = re.compile(r"^0[689]\d{8}$")  # a Thai mobile number (SMS and LINE notification messages)


@dataclass(frozen=True)
class Message:
    """One notice as it leaves: to one address, on one channel. ``reference`` is the
    notice's once-only key: a provider that deduplicates can use it."""

    channel: str
    to: str
    subject: str
    text: str
    html: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Sent:
    """What the channel said when it took the message (a message id, a file name)."""

    reference: str = ""


class Sender:
    """Send one message on ``channel``; return ``Sent`` or raise."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Message) -> Sent:
        raise NotImplementedError


class EmailSender(Sender):
    """Through Django's mail backend (``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_TIMEOUT``, …):
    a plain-text body with a simple HTML alternative."""

    def send(self, message: Message) -> Sent:
        mail = _email(message)
        mail.send(fail_silently=False)
        return Sent(reference=mail.extra_headers["Message-ID"])


class FileSender(Sender):
    """Write each message into ``CITIZEN_NOTICE_FILE_DIR``: an e-mail as a ``.eml`` file a
    mail program opens, any other channel as ``.json``. Written whole or not at all
    (a temporary file renamed), so nobody reads half a message."""

    def __init__(self, channel: str):
        super().__init__(channel)
        self.directory = Path(settings.CITIZEN_NOTICE_FILE_DIR)

    def send(self, message: Message) -> Sent:
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = f"{timezone.now():%Y%m%d-%H%M%S}-{_safe(message.reference or message.to)}"
        if message.channel == "email":
            name, content = f"{stem}.eml", _email(message).message().as_bytes()
        else:
            name, content = f"{stem}.json", json.dumps(asdict(message), ensure_ascii=False, indent=2).encode()
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, self.directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return Sent(reference=name)


class WebhookSender(Sender):
    """POST the message as JSON to the channel's gateway (``CITIZEN_NOTICE_<CHANNEL>_URL``)
    with its token (``CITIZEN_NOTICE_<CHANNEL>_TOKEN``) in a header
    (``CITIZEN_NOTICE_<CHANNEL>_HEADER``, by default ``Authorization: Bearer <token>``).

    The body: ``{"channel", "to", "subject", "text", "reference"}``; any 2xx answer is
    taken as accepted, and its JSON ``id`` (if any) kept as the reference.
    """

    def __init__(self, channel: str):
        super().__init__(channel)
        config = settings.CITIZEN_NOTICE_WEBHOOKS.get(channel) or {}
        self.url, self.token = config.get("url", ""), config.get("token", "")
        self.header = config.get("header") or "Authorization"
        if urlsplit(self.url).scheme not in ("http", "https"):
            raise ImproperlyConfigured(
                f"CITIZEN_NOTICE_{channel.upper()}_URL must be the gateway's http(s) address to send {channel} notices"
            )

    def send(self, message: Message) -> Sent:
        body = json.dumps(
            {
                "channel": message.channel,
                "to": message.to,
                "subject": message.subject,
                "text": message.text,
                "reference": message.reference,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": message.reference}
        if self.token:
            headers[self.header] = f"Bearer {self.token}" if self.header.lower() == "authorization" else self.token
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) checked above)
        with urllib.request.urlopen(request, timeout=settings.EMAIL_TIMEOUT) as response:  # noqa: S310
            answer = response.read(64 * 1024)
        try:
            reference = str(json.loads(answer).get("id", ""))
        except (ValueError, AttributeError):
            reference = ""
        return Sent(reference=reference)


@checks.register()
def check_senders(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``manage.py check`` (and every start of the site) refuses a sender that cannot work:
    a class that is not a ``Sender``, a webhook without its address."""
    errors = []
    for channel in channels():
        try:
            sender_for(channel)
        except (ImproperlyConfigured, ImportError) as error:
            errors.append(checks.Error(str(error), obj="CITIZEN_NOTICE_SENDERS", id="public.E001"))
    return errors


def channels() -> list[str]:
    """The channels configured, in the order they are tried."""
    return list(settings.CITIZEN_NOTICE_SENDERS)


def sender_for(channel: str) -> Sender:
    """The configured sender of ``channel``; ImproperlyConfigured if there is none."""
    path = settings.CITIZEN_NOTICE_SENDERS.get(channel)
    if not path:
        raise ImproperlyConfigured(f"No sender for {channel} notices in CITIZEN_NOTICE_SENDERS")
    sender_class = import_string(path)
    if not (isinstance(sender_class, type) and issubclass(sender_class, Sender)):
        raise ImproperlyConfigured(f"CITIZEN_NOTICE_SENDERS[{channel!r}] = {path!r} is not a notice Sender")
    return sender_class(channel)


def address_of(person, channel: str) -> str:
    """Where ``person`` (a ``cases.Complainant``) is reached on ``channel``; empty if she is not."""
    field = ADDRESS_FIELDS.get(channel)
    value = (getattr(person, field, "") or "").strip() if field else ""
    if channel == "email":
        return value
    digits = re.sub(r"[\s\-()]", "", value)
    return digits if _MOBILE.match(digits) else ""


def choose_channel(person) -> tuple[str, str] | None:
    """``(channel, address)``: the first configured channel ``person`` can be reached on."""
    for channel in channels():
        if address := address_of(person, channel):
            return channel, address
    return None


def _email(message: Message) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.CITIZEN_NOTICE_FROM_EMAIL,
        to=[message.to],
        headers={
            "Message-ID": _message_id(message),
            # Out-of-office replies and the like must not answer an automatic notice (RFC 3834).
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.html:
        mail.attach_alternative(message.html, "text/html")
    return mail


def _message_id(message: Message) -> str:
    # The same notice sent again keeps its Message-ID: a mail program shows it once.
    domain = parseaddr(settings.CITIZEN_NOTICE_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notice.{_safe(message.reference or dt.datetime.now(dt.UTC).isoformat())}@{domain}>"


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)[:120]
