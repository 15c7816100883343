"""A real SMTP server on this machine (aiosmtpd), for tests that read the mail a citizen gets.

``local_smtp(settings)`` starts one on a free local port and points Django's SMTP
backend at it; its ``messages`` are the mails it accepted, parsed, and ``refuse``
makes it answer every message with a permanent failure, as a mail server that is
down or rejecting does. A test module makes it a fixture::

    @pytest.fixture
    def smtp_server(settings):
        yield from local_smtp(settings)
"""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The aiosmtpd handler: keeps what it accepts, or refuses everything."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.refuse:
            return "554 5.3.0 Transaction failed: the mail system is not accepting messages"
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for _from, _to, raw in self.received]


class SMTPServer:
    def __init__(self, controller, mailbox: Mailbox):  # controller: aiosmtpd.controller.Controller
        self.controller, self.mailbox = controller, mailbox

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages

    @property
    def refuse(self) -> bool:
        return self.mailbox.refuse

    @refuse.setter
    def refuse(self, value: bool) -> None:
        self.mailbox.refuse = value


def local_smtp(settings) -> Iterator[SMTPServer]:
    """Serve SMTP locally while the caller (a fixture) is suspended here; Django's mail goes to it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd tells of every command
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield SMTPServer(controller, mailbox)
    finally:
        controller.stop()


def subject_of(message: EmailMessage) -> str:
    # A long encoded subject may be folded right after "Subject:", which reads back as a space.
    return str(message["Subject"]).strip()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
