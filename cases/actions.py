"""The actions an officer takes on a case: one entry each, the one place they are declared.

An entry names the action (the ``Complaint`` transition of the same name), its Thai
label (gettext context "action"), the rule of who may take it (``permissions.rules``),
its form and its service. Everything else derives from this table: the case page's
buttons (``available``), the action pages (``cases.views.case_action``), the refusal
messages of the write path, the labels on the timeline, the notifications, the inbox
and the audit pages, the transition-table test and the bench generator.
``tests/cases/test_actions.py`` fails when the table and the model's transitions
disagree.

The form and the service are named by dotted path and imported on first use: the
services read this table (labels, rules) and the forms build on the services' input
types, so importing either from here would be a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import pgettext_lazy
from django_fsm import can_proceed

from permissions import rules


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    rule: Callable  # (user, case) -> bool
    form: str  # dotted path of a cases.forms.ActionForm
    service: str  # dotted path of the cases.services function
    # Whether the step completes the case's open workflow task. A progress report
    # keeps the case (and its task) where it is; its clock restarts.
    moves_task: bool = True
    # Whether the case page's buttons, its action page and the API offer the action with
    # its form. The merge is offered where the case it goes into is chosen and the two are
    # checked to be the same grievance from the same complainant: the repeats panel of the
    # case page (repeats.views_case.merge, through repeats.services.merge).
    offered: bool = True

    def __str__(self) -> str:
        return str(self.label)

    @property
    def form_class(self):
        return import_string(self.form)

    @property
    def run(self) -> Callable:
        return import_string(self.service)

    def state_allows(self, case) -> bool:
        return can_proceed(getattr(case, self.name))

    def allowed(self, user, case) -> bool:
        """Whether ``user`` may take the action on ``case`` now: the state allows it and the rule holds."""
        return self.state_allows(case) and self.rule(user, case)


def _entry(name, label, rule, form, **options) -> Action:
    # ``label`` is written pgettext_lazy("action", ...) at each entry, where
    # makemessages can see it (a variable here, it marked them all obsolete).
    return Action(
        name=name,
        label=label,
        rule=rule,
        form=f"cases.forms.{form}",
        service=f"cases.services.case_{name}",
        **options,
    )


# In the order the case page offers them.
ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        _entry(
            "propose_assignment",
            pgettext_lazy("action", "เสนอมอบหมายชุดปฏิบัติการ"),
            rules.can_propose_assignment,
            "ProposeAssignmentForm",
        ),
        _entry(
            "approve_assignment", pgettext_lazy("action", "อนุมัติการมอบหมาย"), rules.can_approve_assignment, "NoteForm"
        ),
        _entry(
            "send_back_assignment",
            pgettext_lazy("action", "ส่งกลับการมอบหมาย"),
            rules.can_send_back_assignment,
            "ReasonForm",
        ),
        _entry("accept", pgettext_lazy("action", "รับเรื่องไปดำเนินการ"), rules.can_accept, "NoteForm"),
        _entry(
            "report_progress",
            pgettext_lazy("action", "รายงานความคืบหน้า"),
            rules.can_report_progress,
            "ReportProgressForm",
            moves_task=False,
        ),
        _entry(
            "propose_resolution",
            pgettext_lazy("action", "เสนอยุติเรื่อง"),
            rules.can_propose_resolution,
            "ProposeResolutionForm",
        ),
        _entry(
            "approve_closure", pgettext_lazy("action", "อนุมัติยุติเรื่อง"), rules.can_approve_closure, "ApproveClosureForm"
        ),
        _entry(
            "send_back_resolution",
            pgettext_lazy("action", "ส่งกลับให้ดำเนินการต่อ"),
            rules.can_send_back_resolution,
            "ReasonForm",
        ),
        _entry("forward", pgettext_lazy("action", "ส่งต่อหน่วยงานอื่น"), rules.can_forward, "ForwardForm"),
        _entry(
            "agency_replied", pgettext_lazy("action", "บันทึกผลจากหน่วยงาน"), rules.can_agency_replied, "AgencyRepliedForm"
        ),
        _entry("escalate", pgettext_lazy("action", "ส่งเรื่องถึงจังหวัด"), rules.can_escalate, "ReasonForm"),
        _entry(
            "return_to_district",
            pgettext_lazy("action", "ส่งเรื่องคืนอำเภอ"),
            rules.can_return_to_district,
            "ReturnToDistrictForm",
        ),
        _entry("transfer", pgettext_lazy("action", "โอนเรื่องไปอำเภออื่น"), rules.can_transfer, "TransferForm"),
        _entry("reject", pgettext_lazy("action", "ไม่รับเรื่อง"), rules.can_reject, "ReasonForm"),
        _entry("withdraw", pgettext_lazy("action", "ผู้ร้องถอนเรื่อง"), rules.can_withdraw, "ReasonForm"),
        _entry("reopen", pgettext_lazy("action", "เปิดเรื่องใหม่"), rules.can_reopen, "ReasonForm"),
        # The head who would close the case merges it (DESIGN.md's approve closure).
        _entry("merge", pgettext_lazy("action", "รวมกับเรื่องอื่น"), rules.can_approve_closure, "NoteForm", offered=False),
    )
}

# Steps on a case's timeline that are not transitions: recording the case
# (cases.services.case_intake), importing an earlier one (case_import) and attaching a file (case_attach).
OTHER_STEPS: dict[str, Promise] = {
    "intake": pgettext_lazy("action", "รับเรื่อง"),
    "import": pgettext_lazy("action", "นำเข้าจากข้อมูลเดิม"),
    "attach": pgettext_lazy("action", "แนบไฟล์"),
    # The kept case's side of a merge (cases.services.case_merge): another case joined it.
    "merged_in": pgettext_lazy("action", "รวมเรื่องอื่นเข้ามา"),
}

# Every step's label, for the timeline, the notifications and the audit pages.
LABELS: dict[str, Promise] = {**OTHER_STEPS, **{name: action.label for name, action in ACTIONS.items()}}


def label(step: str) -> str:
    """The label of a timeline step (an action, intake or attach); an unknown one as it is."""
    return str(LABELS.get(step, step))


def available(user, case) -> list[Action]:
    """The actions ``user`` may take on ``case`` now: the buttons on the case page."""
    return [action for action in ACTIONS.values() if action.offered and action.allowed(user, case)]
