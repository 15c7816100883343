"""Notices to complainants: Somjai (สมใจ) complains at the Mueang Ratchaburi center and
gives her e-mail; she is told, in Thai, by real mail delivered to a local SMTP
server, when her complaint is received, sent to the team, closed and reopened: each
step once, whatever the relay replays. Nobody without an address is written to; a
confidential complainant is told of her own case and of nobody else; a mail server
that refuses never undoes an officer's action, and the notice waits for it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation

from cases import services
from cases.codes import format_tracking_code
from cases.models import Status
from cases.services import ComplainantData, RespondentData
from citizens.models import CitizenNotice
from citizens.notices import senders
from citizens.notices.services import send_again, step_of
from citizens.notices.tasks import send_citizen_notice
from core import outbox
from core.models import OutboxMessage
from tests.case_fixtures import intake_data
from tests.public.mail import free_port, html_of, local_smtp, subject_of, text_of
from tests.workflows.helpers import fresh

pytestmark = pytest.mark.django_db

SITE = "https://damrongdham.example.go.th"
SOMJAI = ComplainantData(
    title="นาง", first_name="สมใจ", last_name="ทองดี", phone="0812345678", email="somjai@example.com"
)
State = CitizenNotice.State


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.PUBLIC_SITE_URL = SITE
    settings.CITIZEN_NOTICE_FROM_EMAIL = "ศูนย์ดำรงธรรม <noreply@damrongdham.example.go.th>"
    settings.CITIZEN_NOTICE_SENDERS = {"email": "citizens.notices.senders.EmailSender"}


@pytest.fixture
def smtp_server(settings):
    yield from local_smtp(settings)


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run a case service as a request does: its transaction commits, then the outbox relays."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        return result

    return run


def file_complaint(step, alice, *complainants, **overrides):
    data = intake_data(complainants=list(complainants or [SOMJAI]), **overrides)
    case, _ = step(services.case_intake, actor=alice, district=alice.district, data=data)
    return case


def due_now() -> None:
    """Let the notices' retries come due (their back-off is minutes of real time)."""
    OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).update(available_at=timezone.now())


# --- The steps Somjai hears of -------------------------------------------------------------


def test_somjai_gets_the_receipt_by_mail_in_thai_with_her_code_and_link(step, alice, smtp_server):
    # given Alice works in English
    with translation.override("en"):
        case = file_complaint(step, alice)

    [mail] = smtp_server.messages
    code = format_tracking_code(case.tracking_code)
    link = f"{SITE}/follow/{case.tracking_code}/"
    assert mail["To"] == "somjai@example.com"
    assert "noreply@damrongdham.example.go.th" in mail["From"]
    assert subject_of(mail) == f"ศูนย์ดำรงธรรมได้รับเรื่องร้องเรียนของท่านแล้ว (เลขที่รับ {case.number})"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = text_of(mail)
    assert text.startswith("เรียน นางสมใจ ทองดี")
    assert "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี จังหวัดราชบุรี ได้รับเรื่องร้องเรียนของท่านไว้แล้ว" in text
    assert f"รหัสติดตามเรื่อง: {code}" in text and f"ติดตามความคืบหน้า: {link}" in text
    assert "บุกรุกที่ดินสาธารณประโยชน์" in text  # what it is about: its category
    assert f'href="{link}"' in html_of(mail) and code in html_of(mail)
    notice = CitizenNotice.objects.get()
    assert (notice.kind, notice.channel, notice.address, notice.state) == (
        "received",
        "email",
        SOMJAI.email,
        State.SENT,
    )
    assert notice.sent_at is not None and notice.attempts == 1


def test_each_step_she_cares_about_is_told_once(step, alice, harry, tom, team, smtp_server):
    case = file_complaint(step, alice)
    step(services.case_propose_assignment, actor=alice, case=case, team=team)
    step(services.case_approve_assignment, actor=harry, case=fresh(case))
    step(services.case_accept, actor=tom, case=fresh(case))
    step(services.case_report_progress, actor=tom, case=fresh(case), text="ลงพื้นที่แล้ว นัดไกล่เกลี่ยวันศุกร์")
    step(
        services.case_propose_resolution, actor=tom, case=fresh(case), outcome="resolved",
        summary="ผู้ถูกร้องรื้อถอนเพิงพักแล้ว",
    )  # fmt: skip
    step(services.case_approve_closure, actor=harry, case=fresh(case))
    step(services.case_reopen, actor=harry, case=fresh(case), reason="ผู้ร้องแจ้งว่ามีการสร้างเพิงใหม่")

    subjects = [subject_of(mail).split(" (เลขที่รับ")[0] for mail in smtp_server.messages]
    assert subjects == [
        "ศูนย์ดำรงธรรมได้รับเรื่องร้องเรียนของท่านแล้ว",
        "เรื่องร้องเรียนของท่านส่งถึงชุดปฏิบัติการในพื้นที่แล้ว",
        "เรื่องร้องเรียนของท่านยุติแล้ว",
        "เรื่องร้องเรียนของท่านเปิดพิจารณาใหม่แล้ว",
    ]
    closed = text_of(smtp_server.messages[2])
    assert "ผลการดำเนินการ: แก้ไขปัญหาเรียบร้อยแล้ว" in closed and "ภายใน 90 วัน" in closed
    for mail in smtp_server.messages:  # her own case only: no officer, no note
        text = text_of(mail) + html_of(mail)
        for name in (alice, harry, tom):
            assert name.get_full_name() not in text
        assert "นัดไกล่เกลี่ย" not in text and "รื้อถอนเพิงพัก" not in text and "สร้างเพิงใหม่" not in text

    # when the relay delivers every message again (at least once means maybe twice)
    OutboxMessage.objects.update(state=OutboxMessage.State.PENDING, available_at=timezone.now())
    outbox.relay()
    for notice in CitizenNotice.objects.all():
        send_citizen_notice(notice_id=notice.pk, event_id=step_of(notice))

    # then nobody is told twice
    assert len(smtp_server.messages) == 4
    assert CitizenNotice.objects.filter(state=State.SENT).count() == 4


def test_a_withdrawal_and_a_refusal_are_told_too(step, alice, harry, smtp_server):
    withdrawn = file_complaint(step, alice)
    step(services.case_withdraw, actor=alice, case=withdrawn, reason="ผู้ร้องตกลงกับผู้ถูกร้องได้เองแล้ว")
    refused = file_complaint(step, alice)
    step(services.case_reject, actor=harry, case=refused, reason="เป็นเรื่องที่อยู่ระหว่างพิจารณาของศาล")

    texts = [text_of(mail) for mail in smtp_server.messages]
    assert "ผลการดำเนินการ: ผู้ร้องขอถอนเรื่อง" in texts[1]
    assert "ไม่อาจรับไว้ดำเนินการได้" in texts[3]
    assert "ศาล" not in texts[3]  # the head's reason is his note, not the citizen's mail


def test_nobody_without_an_email_is_written_to(step, alice, smtp_server):
    no_mail = ComplainantData(title="นาย", first_name="สมศักดิ์", last_name="ใจงาม", phone="032111222")
    case = file_complaint(step, alice, SOMJAI, no_mail)
    nobody = file_complaint(step, alice, no_mail)

    assert [mail["To"] for mail in smtp_server.messages] == ["somjai@example.com"]
    assert list(CitizenNotice.objects.values_list("complaint", "complainant__first_name")) == [(case.pk, "สมใจ")]
    assert OutboxMessage.objects.filter(task_name="public.send_citizen_notice").count() == 1
    assert not CitizenNotice.objects.filter(complaint=nobody).exists()


def test_a_confidential_complainant_is_told_and_the_mail_names_nobody_else(step, alice, smtp_server):
    hidden = ComplainantData(
        title="นางสาว", first_name="ลับ", last_name="เฉพาะ", email="lap@example.com", is_confidential=True
    )
    neighbour = ComplainantData(title="นาย", first_name="ประยูร", last_name="ข้างบ้าน", phone="0899999999")
    case = file_complaint(
        step, alice, hidden, neighbour,
        respondents=[RespondentData(kind="person", name="นายสมหมาย ใจร้าย", phone="0811111111")],
    )  # fmt: skip

    [mail] = smtp_server.messages
    assert mail["To"] == "lap@example.com"
    text = text_of(mail) + html_of(mail) + subject_of(mail)
    assert "เรียน นางสาวลับ เฉพาะ" in text  # her own name, in her own mail
    for other in ("ประยูร", "ข้างบ้าน", "0899999999", "สมหมาย", "0811111111", alice.get_full_name(), case.subject):
        assert other not in text


# --- A mail server that refuses ------------------------------------------------------------


def test_a_refusing_mail_server_never_fails_the_officers_action(step, alice, harry, team, smtp_server):
    case = file_complaint(step, alice)
    step(services.case_propose_assignment, actor=alice, case=case, team=team)

    # when the mail server refuses as Harry approves the assignment
    smtp_server.refuse = True
    step(services.case_approve_assignment, actor=harry, case=fresh(case))

    # then his approval stands, and the notice is failed with the server's answer, to try again
    assert fresh(case).status == Status.ASSIGNED
    notice = CitizenNotice.objects.get(kind="team_sent")
    assert notice.state == State.FAILED and notice.attempts == 1
    assert "SMTPDataError" in notice.last_error and "554" in notice.last_error
    retry = OutboxMessage.objects.get(key=f"citizen-notice:{notice.pk}:1")
    assert retry.state == OutboxMessage.State.PENDING
    assert retry.available_at - timezone.now() > dt.timedelta(seconds=3)  # after a back-off, not at once

    # when the server takes mail again and the retry comes due
    smtp_server.refuse = False
    due_now()
    outbox.relay()

    # then she gets it once
    notice.refresh_from_db()
    assert (notice.state, notice.attempts, notice.last_error) == (State.SENT, 2, "")
    assert [subject_of(m).split(" (")[0] for m in smtp_server.messages][-1] == "เรื่องร้องเรียนของท่านส่งถึงชุดปฏิบัติการในพื้นที่แล้ว"
    assert len(smtp_server.messages) == 2


def test_a_mail_server_that_is_not_there_never_fails_the_intake(step, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2

    case = file_complaint(step, alice)

    assert fresh(case).status == Status.RECEIVED
    notice = CitizenNotice.objects.get()
    assert notice.state == State.FAILED and "ConnectionRefusedError" in notice.last_error


class AlwaysFails(senders.Sender):
    def send(self, message):
        raise OSError("the gateway is down")


def test_it_gives_up_after_the_outbox_attempts_and_can_be_sent_again(step, alice, settings, smtp_server):
    settings.CITIZEN_NOTICE_SENDERS = {"email": f"{__name__}.AlwaysFails"}
    file_complaint(step, alice)
    for _attempt in range(outbox.MAX_ATTEMPTS + 2):
        due_now()
        outbox.relay()

    notice = CitizenNotice.objects.get()
    assert (notice.state, notice.attempts) == (State.FAILED, outbox.MAX_ATTEMPTS)
    assert not OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists()

    # the administrator sends it again once the gateway is back
    settings.CITIZEN_NOTICE_SENDERS = {"email": "citizens.notices.senders.EmailSender"}
    assert send_again(CitizenNotice.objects.all()) == 1
    outbox.relay()
    notice = CitizenNotice.objects.get()
    assert (notice.state, notice.attempts) == (State.SENT, outbox.MAX_ATTEMPTS + 1) and len(smtp_server.messages) == 1


# --- The senders ---------------------------------------------------------------------------


def test_the_file_sender_writes_each_notice_as_a_file(step, alice, settings, tmp_path):
    settings.CITIZEN_NOTICE_SENDERS = {
        "email": "citizens.notices.senders.FileSender",
        "sms": "citizens.notices.senders.FileSender",
    }
    settings.CITIZEN_NOTICE_FILE_DIR = tmp_path
    by_phone = ComplainantData(title="นาย", first_name="มานะ", last_name="อดทน", phone="081-234-5679")

    case = file_complaint(step, alice, SOMJAI, by_phone)

    [eml] = sorted(tmp_path.glob("*.eml"))
    [sms] = sorted(tmp_path.glob("*.json"))
    assert not list(tmp_path.glob(".*.part"))  # nothing half-written left behind
    import email
    import email.policy

    mail = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert mail["To"] == "somjai@example.com" and case.number in subject_of(mail)
    assert format_tracking_code(case.tracking_code) in text_of(mail)
    message = json.loads(sms.read_text())
    assert (message["channel"], message["to"]) == ("sms", "0812345679")
    assert f"{SITE}/follow/{case.tracking_code}/" in message["text"] and len(message["text"]) < 250
    assert set(CitizenNotice.objects.values_list("channel", "state")) == {("email", "sent"), ("sms", "sent")}


class Gateway(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((self.path, dict(self.headers), json.loads(body)))
        answer = json.dumps({"id": "msg-42"}).encode()
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    """An SMS gateway on this machine that takes every message."""
    Gateway.received = []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_an_sms_gateway_is_configuration(step, alice, settings, gateway):
    settings.CITIZEN_NOTICE_SENDERS = {
        "email": "citizens.notices.senders.EmailSender",
        "sms": "citizens.notices.senders.WebhookSender",
    }
    settings.CITIZEN_NOTICE_WEBHOOKS = {
        "sms": {"url": f"{gateway}/v1/send", "token": "s3cret", "header": "Authorization"}
    }
    by_phone = ComplainantData(title="นาย", first_name="มานะ", last_name="อดทน", phone="0812345679")

    case = file_complaint(step, alice, by_phone)

    [(path, headers, body)] = Gateway.received
    assert path == "/v1/send" and headers["Authorization"] == "Bearer s3cret"
    assert (body["channel"], body["to"]) == ("sms", "0812345679")
    assert case.number in body["text"] and body["reference"] == CitizenNotice.objects.get().key
    assert headers["Idempotency-Key"] == body["reference"]
    assert CitizenNotice.objects.get().state == State.SENT


def test_a_webhook_without_its_address_is_refused_loudly(settings):
    settings.CITIZEN_NOTICE_SENDERS = {"line": "citizens.notices.senders.WebhookSender"}
    settings.CITIZEN_NOTICE_WEBHOOKS = {"line": {"url": "", "token": "x"}}
    with pytest.raises(ImproperlyConfigured, match="CITIZEN_NOTICE_LINE_URL"):
        senders.sender_for("line")
    [error] = senders.check_senders()  # manage.py check says so before anything is sent
    assert error.id == "public.E001" and "CITIZEN_NOTICE_LINE_URL" in error.msg
    settings.CITIZEN_NOTICE_SENDERS = {"email": "django.core.mail.send_mail"}
    with pytest.raises(ImproperlyConfigured, match="not a notice Sender"):
        senders.sender_for("email")
    settings.CITIZEN_NOTICE_SENDERS = {"email": "citizens.notices.senders.NoSuchSender"}
    assert [error.id for error in senders.check_senders()] == ["public.E001"]


@pytest.mark.parametrize(
    ("configured", "email", "phone", "chosen"),
    [
        (["email"], "a@example.com", "0812345678", ("email", "a@example.com")),
        (["email"], "", "0812345678", None),  # SMS not enabled
        (["email", "sms"], "", "081 234 5678", ("sms", "0812345678")),
        (["email", "sms"], "", "032 337 777", None),  # a landline takes no SMS
        (["sms", "email"], "a@example.com", "0812345678", ("sms", "0812345678")),  # the order configured
    ],
)
def test_the_channel_is_the_first_configured_that_reaches_her(settings, configured, email, phone, chosen):
    settings.CITIZEN_NOTICE_SENDERS = {channel: "citizens.notices.senders.FileSender" for channel in configured}
    person = type("Person", (), {"email": email, "phone": phone})()
    assert senders.choose_channel(person) == chosen
