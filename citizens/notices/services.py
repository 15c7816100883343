"""Notices to complainants: which steps they are told of, in what words, on which channel.

A step of a case (``cases.signals.case_step_recorded``, sent inside the step's
transaction) that ``NOTICES`` lists becomes one ``CitizenNotice`` per complainant who
can be reached (an e-mail, or a phone where SMS or LINE is configured), written with
the step, and an outbox message that sends it after the commit
(``public.send_citizen_notice``). Sending happens in a task, never in the officer's
request: a mail server that is down marks the notice failed, with the error, and the
task tries again after a back-off; the officer's action is long saved by then.

What a notice says is the complainant's own case, in the tracking page's plain Thai
(cases/public_wording.py) and with the center the tracking page names: never an
officer's name, a note, or anything about another person.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.codes import format_tracking_code
from cases.models import CaseEvent, Complainant, Complaint, Outcome
from cases.public_wording import OUTCOME_WORDING
from cases.qr import tracking_url
from citizens.models import CitizenNotice
from citizens.notices import senders
from citizens.tracking.selectors import HOTLINE, handling_center
from core import outbox
from core.thai import format_date

logger = logging.getLogger(__name__)

SEND_TASK = "public.send_citizen_notice"
# The citizen's language: notices and letters are written in Thai whatever the officer reads.
LANGUAGE = "th"

# The steps a complainant is told of: the case's action -> the kind of notice.
NOTICES = {
    "intake": "received",
    "approve_assignment": "team_sent",
    "approve_closure": "closed",
    "withdraw": "closed",
    "reject": "rejected",
    "reopen": "reopened",
    "merge": "merged",
}

SUBJECTS = {
    "received": gettext_lazy("ศูนย์ดำรงธรรมได้รับเรื่องร้องเรียนของท่านแล้ว"),
    "team_sent": gettext_lazy("เรื่องร้องเรียนของท่านส่งถึงชุดปฏิบัติการในพื้นที่แล้ว"),
    "closed": gettext_lazy("เรื่องร้องเรียนของท่านยุติแล้ว"),
    "rejected": gettext_lazy("ผลการพิจารณาเรื่องร้องเรียนของท่าน"),
    "reopened": gettext_lazy("เรื่องร้องเรียนของท่านเปิดพิจารณาใหม่แล้ว"),
    "merged": gettext_lazy("เรื่องร้องเรียนของท่านรวมกับเรื่องเดียวกันที่ศูนย์ฯ ดำเนินการอยู่"),
}

LEADS = {
    "received": gettext_lazy(
        "%(center)s ได้รับเรื่องร้องเรียนของท่านไว้แล้วเมื่อวันที่ %(received)s และจะแจ้งความคืบหน้าให้ท่านทราบทางช่องทางนี้ "
        "ท่านติดตามความคืบหน้าได้ตลอดเวลาด้วยรหัสติดตามเรื่องด้านล่าง"
    ),
    "team_sent": gettext_lazy(
        "%(center)s ได้ส่งเรื่องร้องเรียนของท่านให้ชุดปฏิบัติการประจำตำบลในพื้นที่ตรวจสอบข้อเท็จจริงและดำเนินการแก้ไขปัญหาแล้ว"
    ),
    "closed": gettext_lazy("%(center)s ได้ดำเนินการเรื่องร้องเรียนของท่านเสร็จสิ้นแล้ว ผลการดำเนินการ: %(outcome)s"),
    "rejected": gettext_lazy(
        "%(center)s ได้พิจารณาเรื่องร้องเรียนของท่านแล้ว ไม่อาจรับไว้ดำเนินการได้ "
        "หากท่านต้องการทราบรายละเอียด กรุณาติดต่อศูนย์ฯ ตามช่องทางด้านล่าง"
    ),
    "reopened": gettext_lazy("%(center)s ได้เปิดเรื่องร้องเรียนของท่านขึ้นพิจารณาใหม่แล้ว และจะแจ้งความคืบหน้าให้ท่านทราบต่อไป"),
    "merged": gettext_lazy(
        "%(center)s ได้รวมเรื่องร้องเรียนของท่านเข้ากับเรื่องร้องเรียนเรื่องเดียวกันที่ศูนย์ฯ ดำเนินการอยู่แล้ว "
        "ท่านติดตามความคืบหน้าได้ด้วยรหัสติดตามเรื่องเดิมของท่านด้านล่าง และจะได้รับแจ้งความคืบหน้าทางช่องทางนี้ต่อไป"
    ),
}


def category_text(case: Complaint) -> str:
    """What the complaint is about, by its category: never its subject, which may name people."""
    if case.main_category.is_other and case.category_other_text:
        return case.category_other_text
    return (case.category or case.main_category).name_th


def addressee(person: Complainant) -> str:
    """How a notice or a letter addresses the complainant: her name, or (anonymous) her role."""
    if person.is_anonymous or not (person.first_name or person.last_name):
        return _("ผู้ร้องเรียน")
    return person.full_name


# --- Writing a notice, with the step ---------------------------------------------------------


def on_case_step(sender, *, case: Complaint, event: CaseEvent, **kwargs) -> None:
    """``cases.signals.case_step_recorded``'s receiver (installed by ``PublicConfig.ready``)."""
    notify_complainants(case, event)


def notify_complainants(case: Complaint, event: CaseEvent) -> list[CitizenNotice]:
    """Write the notices of ``event`` to the complainants of ``case`` who can be reached,
    in the caller's transaction, and queue their sending for after its commit.

    Once only: a notice's key is its complaint, complainant, step and channel, so a step
    seen twice writes nothing more."""
    kind = NOTICES.get(event.action)
    if kind is None:
        return []
    notices = []
    # The complainants of the cases merged into this one (repeats) keep their own notices of
    # its steps: each under his own case, its number and its tracking code.
    for own in [case, *merged_into(case)]:
        for person in own.complainants.order_by("pk"):
            chosen = senders.choose_channel(person)
            if chosen is None:
                continue
            channel, address = chosen
            notice, created = CitizenNotice.objects.get_or_create(
                key=notice_key(own, person, event, channel),
                defaults={
                    "complaint": own,
                    "complainant": person,
                    "kind": kind,
                    "channel": channel,
                    "address": address,
                },
            )
            if created:
                _queue(notice, event_id=event.pk, attempt=0)
            notices.append(notice)
    return notices


def merged_into(case: Complaint) -> list[Complaint]:
    """The cases merged into ``case``, and into those (a query a level; none for nearly every case)."""
    found, level = [], [case.pk]
    while level:
        merged = list(Complaint.objects.filter(merged_into__in=level).exclude(pk__in=[c.pk for c in found]))
        found += merged
        level = [c.pk for c in merged]
    return found


def followed(case: Complaint) -> set[int]:
    """``case`` and the cases it was merged into: the steps its complainants are told of."""
    ids, current = {case.pk}, case
    while current.merged_into_id is not None and current.merged_into_id not in ids:
        ids.add(current.merged_into_id)
        current = Complaint.objects.only("pk", "merged_into").get(pk=current.merged_into_id)
    return ids


def _queue(notice: CitizenNotice, *, event_id: int, attempt: int, delay: bool = True) -> None:
    """Queue the sending of ``notice`` after its ``attempt``-th failed attempt (0: the
    first), after the outbox's back-off unless ``delay`` is off."""
    outbox.enqueue(
        SEND_TASK,
        kwargs={"notice_id": notice.pk, "event_id": event_id},
        key=f"citizen-notice:{notice.pk}:{attempt}",
        delay=outbox.backoff(attempt) if attempt and delay else None,
    )


# --- Sending it, later -----------------------------------------------------------------------


def deliver(notice_id: int, event_id: int) -> str:
    """Send notice ``notice_id`` (of step ``event_id``) unless it is sent already; return
    ``sent``, ``failed`` or ``nothing``.

    The notice's row is locked while its sender works, so that the same message
    delivered twice by the broker sends once. A failure is recorded on the notice
    (state, error, attempts) and the sending queued again after a back-off, up to
    ``core.outbox.MAX_ATTEMPTS`` tries (then the administrator may send it again, for
    another round); never raised, so the record of it stays.
    """
    with transaction.atomic():
        notice = (
            CitizenNotice.objects.select_for_update(of=("self",))
            .select_related("complaint__district__province", "complaint__main_category", "complaint__category")
            .select_related("complainant")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.state == CitizenNotice.State.SENT:
            return "nothing"
        event = CaseEvent.objects.filter(pk=event_id, complaint_id__in=followed(notice.complaint)).first()
        notice.attempts += 1
        try:
            if event is None:
                raise LookupError(f"step {event_id} of the case is gone")
            senders.sender_for(notice.channel).send(compose(notice, event))
        except Exception as error:
            notice.state, notice.last_error = CitizenNotice.State.FAILED, f"{type(error).__name__}: {error}"[:2000]
            notice.save(update_fields=["state", "last_error", "attempts"])
            if notice.attempts % outbox.MAX_ATTEMPTS:  # a round is MAX_ATTEMPTS tries
                _queue(notice, event_id=event_id, attempt=notice.attempts)
                logger.warning("citizen notice %s failed (attempt %s): %s", notice.pk, notice.attempts, error)
            else:
                logger.error("citizen notice %s given up after %s attempts: %s", notice.pk, notice.attempts, error)
            return "failed"
        notice.state, notice.sent_at, notice.last_error = CitizenNotice.State.SENT, timezone.now(), ""
        notice.save(update_fields=["state", "sent_at", "last_error", "attempts"])
        return "sent"


def send_again(notices) -> int:
    """Queue failed notices for another round of attempts (the administrator's action)."""
    count = 0
    for notice in notices.filter(state=CitizenNotice.State.FAILED):
        # Attempts keep counting across rounds, so each retry's outbox key stays new.
        _queue(notice, event_id=step_of(notice), attempt=notice.attempts, delay=False)
        count += 1
    return count


def notice_key(case: Complaint, person: Complainant, event: CaseEvent, channel: str) -> str:
    """A notice's once-only key: its case, complainant, step and channel."""
    return f"notice:{case.pk}:{person.pk}:{event.pk}:{channel}"


def step_of(notice: CitizenNotice) -> int:
    """The step (``CaseEvent`` id) a notice tells of, read from its key."""
    return int(notice.key.split(":")[3])


def compose(notice: CitizenNotice, event: CaseEvent) -> senders.Message:
    """The notice as it leaves, in Thai: subject, plain text, and for e-mail an HTML alternative."""
    case, person = notice.complaint, notice.complainant
    with translation.override(LANGUAGE):
        context = notice_context(case, person, notice.kind, event)
        subject = _("%(subject)s (เลขที่รับ %(number)s)") % {"subject": context["subject"], "number": case.number}
        if notice.channel == "email":
            text = render_to_string("public/notices/email.txt", context)
            html = render_to_string("public/notices/email.html", context)
        else:
            text, html = render_to_string("public/notices/short.txt", context).strip(), ""
    return senders.Message(
        channel=notice.channel, to=notice.address, subject=subject, text=text, html=html, reference=notice.key
    )


def notice_context(case: Complaint, person: Complainant, kind: str, event: CaseEvent) -> dict:
    """What a notice's templates show; only the complainant's own case, in the active language."""
    # A merged case's complainant is told of the case kept for it, which a center handles now.
    center = handling_center(case.kept_case() if case.merged_into_id else case)
    outcome = Outcome.WITHDRAWN if event.action == "withdraw" else event.data.get("outcome", "")
    return {
        "kind": kind,
        "subject": str(SUBJECTS[kind]),
        "greeting": _("เรียน %(name)s") % {"name": addressee(person)},
        "lead": str(LEADS[kind])
        % {
            "center": center.name,
            "received": format_date(case.received_on, long=True),
            "outcome": OUTCOME_WORDING.get(outcome, ""),
        },
        "closed": kind == "closed" and not case.merged_into_id,  # a merged case's page neither rates nor reopens
        "reopen_days": settings.CASE_REOPEN_DAYS,
        "number": case.number,
        "received": format_date(case.received_on, long=True),
        "category": category_text(case),
        "code": format_tracking_code(case.tracking_code),
        "link": tracking_url(case.tracking_code),
        "center": center,
        "hotline": HOTLINE,
    }
