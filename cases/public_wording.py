"""What a citizen reads of a case: its status, its steps and what comes next, in plain Thai.

The officers' timeline (``cases.models.CaseEvent``) says who did what and why; the
citizen's says only what happened to the complaint: never a name, a note, or a step
that is the officers' own. Each step of ``cases.actions`` has one line in
``PUBLIC_STEPS``: its public wording, or ``None`` for a step the citizen does not see
(a proposal waiting for its approval, a send-back, an attachment: the public step
they lead to says it). ``tests/public/test_tracking.py`` checks that the table words
every step of ``cases.actions`` and every status and outcome, so a new action is
shown to nobody until someone words it here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cases.models import Outcome, Status


@dataclass(frozen=True)
class Wording:
    """A public step: its text (``%(outcome)s``, ``%(district)s`` filled from the event) and its icon."""

    text: Promise
    icon: str


# Every step of cases.actions (ACTIONS and OTHER_STEPS): what the citizen reads, or None.
PUBLIC_STEPS: dict[str, Wording | None] = {
    "intake": Wording(gettext_lazy("ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว"), "inbox"),
    "import": Wording(gettext_lazy("ศูนย์ดำรงธรรมรับเรื่องร้องเรียนแล้ว"), "inbox"),  # an earlier record (imports/)
    "propose_assignment": None,  # the head's approval is the public step
    "approve_assignment": Wording(gettext_lazy("ส่งเรื่องให้ชุดปฏิบัติการประจำตำบลตรวจสอบในพื้นที่"), "people"),
    "send_back_assignment": None,
    "accept": Wording(gettext_lazy("ชุดปฏิบัติการประจำตำบลรับเรื่องและเริ่มตรวจสอบข้อเท็จจริง"), "search"),
    "report_progress": Wording(gettext_lazy("มีความคืบหน้าในการตรวจสอบและแก้ไขปัญหา"), "chat-text"),
    "propose_resolution": None,  # the closure, once approved, is the public step
    "approve_closure": Wording(gettext_lazy("ยุติเรื่องแล้ว: %(outcome)s"), "check-circle"),
    "send_back_resolution": None,
    "forward": Wording(gettext_lazy("ส่งเรื่องให้หน่วยงานที่เกี่ยวข้องพิจารณา"), "send"),
    "agency_replied": Wording(gettext_lazy("หน่วยงานที่เกี่ยวข้องแจ้งผลการพิจารณาแล้ว ศูนย์ฯ ดำเนินการต่อ"), "envelope-open"),
    "escalate": Wording(gettext_lazy("ส่งเรื่องให้ศูนย์ดำรงธรรมจังหวัดดูแล"), "arrow-up-circle"),
    "return_to_district": Wording(gettext_lazy("ศูนย์ดำรงธรรมจังหวัดส่งเรื่องให้ศูนย์ฯ อำเภอดำเนินการต่อ"), "arrow-down-circle"),
    "transfer": Wording(gettext_lazy("โอนเรื่องไปยังศูนย์ดำรงธรรม%(district)s ซึ่งดูแลพื้นที่ที่เกิดเหตุ"), "arrow-left-right"),
    "reject": Wording(gettext_lazy("ศูนย์ฯ พิจารณาแล้ว ไม่รับเรื่องนี้ไว้ดำเนินการ สอบถามเหตุผลได้ที่ศูนย์ฯ"), "x-circle"),
    "withdraw": Wording(gettext_lazy("ยุติเรื่องตามที่ผู้ร้องขอถอนเรื่อง"), "box-arrow-left"),
    "reopen": Wording(gettext_lazy("ศูนย์ฯ เปิดเรื่องใหม่แล้ว"), "arrow-counterclockwise"),
    # The merged case's side: from then on its page follows the kept case (citizens.tracking).
    "merge": Wording(
        gettext_lazy("ศูนย์ฯ รวมเรื่องนี้เข้ากับเรื่องร้องเรียนเรื่องเดียวกันที่ดำเนินการอยู่ ความคืบหน้าต่อจากนี้เป็นของเรื่องนั้น"), "union"
    ),
    "merged_in": None,  # the kept case's complainant is not told of another person's complaint
    "attach": None,
}

# The complainant's own request to reopen (citizens.models.ReopenRequest) and the head's
# refusal, which he writes for the citizen (the decision form says so). A request the
# head grants shows as the case's "reopen" step above.
REQUEST_MADE = Wording(gettext_lazy("ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข และขอให้เปิดเรื่องใหม่"), "chat-left-dots")
REQUEST_DECLINED = Wording(gettext_lazy("ศูนย์ฯ พิจารณาแล้ว ไม่เปิดเรื่องใหม่ เพราะ %(reason)s"), "info-circle")

# The status as the citizen reads it. A proposal waiting for approval reads as the
# state it came from: whether the head approves is the officers' business.
STATUS_WORDING: dict[str, Promise] = {
    Status.RECEIVED: gettext_lazy("ศูนย์ฯ ได้รับเรื่องแล้ว อยู่ระหว่างพิจารณา"),
    Status.ASSIGNMENT_PENDING: gettext_lazy("ศูนย์ฯ ได้รับเรื่องแล้ว อยู่ระหว่างพิจารณา"),
    Status.ASSIGNED: gettext_lazy("ส่งเรื่องให้ชุดปฏิบัติการประจำตำบลแล้ว"),
    Status.INVESTIGATING: gettext_lazy("อยู่ระหว่างตรวจสอบและแก้ไขปัญหา"),
    Status.RESOLUTION_PENDING: gettext_lazy("อยู่ระหว่างตรวจสอบและแก้ไขปัญหา"),
    Status.FORWARDED: gettext_lazy("ส่งเรื่องให้หน่วยงานที่เกี่ยวข้องพิจารณา รอผล"),
    Status.ESCALATED: gettext_lazy("อยู่ในความดูแลของศูนย์ดำรงธรรมจังหวัด"),
    Status.REJECTED: gettext_lazy("ไม่รับเรื่องไว้ดำเนินการ"),
    Status.CLOSED: gettext_lazy("ยุติเรื่องแล้ว"),
}

# What the case's closure says to the citizen, per outcome.
OUTCOME_WORDING: dict[str, Promise] = {
    Outcome.RESOLVED: gettext_lazy("แก้ไขปัญหาเรียบร้อยแล้ว"),
    Outcome.PARTLY_RESOLVED: gettext_lazy("แก้ไขปัญหาได้บางส่วน"),
    Outcome.NOT_RESOLVABLE: gettext_lazy("ศูนย์ฯ ดำเนินการแล้ว แต่ไม่สามารถแก้ไขปัญหาได้"),
    Outcome.WITHDRAWN: gettext_lazy("ผู้ร้องขอถอนเรื่อง"),
    Outcome.OUTSIDE_AUTHORITY: gettext_lazy("เรื่องนี้ไม่อยู่ในอำนาจหน้าที่ของศูนย์ดำรงธรรม"),
    Outcome.MERGED: gettext_lazy("รวมกับเรื่องร้องเรียนเรื่องเดียวกันที่ศูนย์ฯ ดำเนินการอยู่"),
}

# What the citizen waits for next, per open status (closed and rejected: nothing).
NEXT_STEP: dict[str, Promise | None] = {
    Status.RECEIVED: gettext_lazy("ศูนย์ฯ พิจารณาเรื่องและมอบหมายผู้รับผิดชอบ"),
    Status.ASSIGNMENT_PENDING: gettext_lazy("ศูนย์ฯ พิจารณาเรื่องและมอบหมายผู้รับผิดชอบ"),
    Status.ASSIGNED: gettext_lazy("ชุดปฏิบัติการประจำตำบลรับเรื่องไปตรวจสอบ"),
    Status.INVESTIGATING: gettext_lazy("ศูนย์ฯ แจ้งความคืบหน้าหรือผลการดำเนินการ"),
    Status.RESOLUTION_PENDING: gettext_lazy("ศูนย์ฯ แจ้งความคืบหน้าหรือผลการดำเนินการ"),
    Status.FORWARDED: gettext_lazy("หน่วยงานที่เกี่ยวข้องแจ้งผลการพิจารณา"),
    Status.ESCALATED: gettext_lazy("ศูนย์ดำรงธรรมจังหวัดพิจารณาเรื่อง"),
    Status.REJECTED: None,
    Status.CLOSED: None,
}


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    text: str
    icon: str


def center_name(district=None, province=None) -> str:
    """A Damrongdhama center by its area, in the active language: a district's
    (``ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี จังหวัดราชบุรี``, ``Damrongdhama Center, Mueang
    Ratchaburi, Ratchaburi``) or, without one, the province's."""
    english = get_language() == "en"
    if district is not None:
        area = f"{district.name_en}, {district.province.name_en}" if english else district.full_name_th
        return _("ศูนย์ดำรงธรรม%(area)s") % {"area": area}
    if province.code == "10":
        return _("ศูนย์ดำรงธรรมกรุงเทพมหานคร")
    return _("ศูนย์ดำรงธรรมจังหวัด%(province)s") % {"province": province.name_en if english else province.name_th}


def handling_center(case) -> str:
    """The center handling ``case`` as the public is told: the province's once escalated."""
    if case.is_escalated:
        return center_name(province=case.province)
    return center_name(district=case.district)


def steps(events: list[dict], requests: list[dict], districts: dict) -> list[Step]:
    """The public timeline, oldest first: ``events`` (CaseEvent values: action, at, data),
    ``requests`` (ReopenRequest values: created_at, state, decided_at, decision_note) and
    ``districts`` (the transfers' target districts by code)."""
    public = []
    for event in events:
        wording = PUBLIC_STEPS.get(event["action"])  # a step not in the table is never shown
        if wording is None:
            continue
        data = event["data"] or {}
        values = {"outcome": OUTCOME_WORDING.get(data.get("outcome"), ""), "district": ""}
        if event["action"] == "transfer" and (district := districts.get(data.get("to_district"))) is not None:
            values["district"] = district.full_name_th
        public.append(Step(event["at"], str(wording.text) % values, wording.icon))
    for request in requests:
        public.append(Step(request["created_at"], str(REQUEST_MADE.text), REQUEST_MADE.icon))
        if request["state"] == "declined" and request["decided_at"]:
            text = str(REQUEST_DECLINED.text) % {"reason": request["decision_note"]}
            public.append(Step(request["decided_at"], text, REQUEST_DECLINED.icon))
    return sorted(public, key=lambda step: step.at)


def status_text(case) -> str:
    text = str(STATUS_WORDING[case.status])
    if case.status == Status.CLOSED and case.outcome in OUTCOME_WORDING:
        return f"{text}: {OUTCOME_WORDING[case.outcome]}"
    return text


@dataclass(frozen=True)
class NextStep:
    text: str
    by: dt.date | None
    late: bool


def next_step(case, task_due: dt.datetime | None, *, today: dt.date | None = None) -> NextStep | None:
    """What the citizen waits for now and by when: the open task's due date, else the
    case's closure target; ``late`` once that day has passed."""
    wording = NEXT_STEP.get(case.status)
    if wording is None:
        return None
    today = today or timezone.localdate()
    by = timezone.localdate(task_due) if task_due is not None else case.due_on
    return NextStep(str(wording), by, by is not None and by < today)


def reopen_window_ends(case) -> dt.date | None:
    """The last day the complainant may ask to reopen a closed case (permissions.rules.within_reopen_window)."""
    if case.closed_at is None:
        return None
    return timezone.localdate(case.closed_at + dt.timedelta(days=settings.CASE_REOPEN_DAYS))
