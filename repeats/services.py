"""The only write path for the relations between cases as repeats (``RepeatLink``), and the merge.

An officer handling either case links it to another as a repeat (same complainant, same
respondent, same grievance), or unlinks it with a reason; the nightly sweep suggests pairs
(``suggest``), which the officers and heads of either case confirm or dismiss with a reason.
A head merges a case that is the same grievance from the same complainant into the case kept
for it (``merge``): the case's own part is ``cases.services.case_merge``. Every decision is an
audit row on each of the two cases (``audit.events.repeat_link``), in the decision's transaction.

A link is stored once per pair and relation, the later case first (``RepeatLink.case``); a
decision on it changes its state, so that a dismissed suggestion is not suggested again and a
pair unlinked and linked again keeps one row (the audit rows keep each step).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from cases.models import Complaint
from cases.services import ActionRefused, CaseChanged, case_merge
from permissions import rules
from repeats import matching
from repeats.models import Relation, RepeatLink

# The relations a merge needs between the two cases: the same grievance, from the same person.
MERGE_RELATIONS = frozenset({Relation.GRIEVANCE, Relation.COMPLAINANT})
# The states in which a link says the two cases are related (an officer's or the sweep's word).
RELATED_STATES = (RepeatLink.State.SUGGESTED, RepeatLink.State.LINKED, RepeatLink.State.MERGED)
# How many of the engine's candidates a merge reads to find the kept case among them: all it
# scores (each case it reads, once per relation), so that none is cut for being one of many alike.
MERGE_EVIDENCE_LIMIT = 3 * matching.LOOKUP_LIMIT


# --- Who may ------------------------------------------------------------------------------


def may_link(user, case) -> bool:
    """Whether ``user`` handles ``case`` as far as its repeats go: the officers and heads of
    its district, its team, and the province's officers and head once it is escalated (or
    when the head deciding it is the province's). Linking, unlinking and deciding on a
    suggestion are theirs, from either of the two cases."""
    return (
        rules.is_district_officer(user, case)
        or rules.is_district_head(user, case)
        or rules.is_team_member(user, case)
        or rules.is_deciding_head(user, case)
        or (case.is_escalated and rules.is_province_officer(user, case))
    )


def may_decide(user, link: RepeatLink) -> bool:
    """Whether ``user`` may take a step on ``link`` (unlink, confirm, dismiss): he handles either case."""
    return may_link(user, link.case) or may_link(user, link.other)


def may_merge(user, case) -> bool:
    """Whether ``user`` may merge ``case`` into another: the head who would close it
    (``cases.actions``' entry "merge"), while it is open."""
    return case.is_open and rules.can_approve_closure(user, case)


# --- Linking ------------------------------------------------------------------------------


def _ordered(a: Complaint, b: Complaint) -> tuple[Complaint, Complaint]:
    """(later, earlier) of two cases: by the day received, then by id."""
    return (a, b) if (a.received_on, a.pk) > (b.received_on, b.pk) else (b, a)


def _pair(a: Complaint, b: Complaint) -> Q:
    return Q(case=a, other=b) | Q(case=b, other=a)


def _audit_both(actor, link: RepeatLink, *, step: str, note: str = "", before_state: str = "") -> None:
    for case, other in ((link.case, link.other), (link.other, link.case)):
        audit_events.repeat_link(actor, case, link, other=other, step=step, note=note, before_state=before_state)


def _decide(link: RepeatLink, actor, state: str, note: str) -> str:
    before = link.state
    link.state, link.decided_by, link.decided_at, link.note = state, actor, timezone.now(), note
    link.save(update_fields=["state", "decided_by", "decided_at", "note"])
    return before


@transaction.atomic
def link(*, actor, case: Complaint, other: Complaint, relation: str, note: str = "") -> RepeatLink:
    """Mark ``case`` and ``other`` as repeats of each other by ``relation``, from ``case``'s
    page (``actor`` handles it). ``other`` may be outside his sight (its officers see the link
    as he does, each side the other only as far as its scope allows); a merged case is linked
    through the case it was merged into. Return the link, linked."""
    if relation not in Relation.values:
        raise ValidationError({"relation": [_("กรุณาเลือกความสัมพันธ์ของสองเรื่อง")]})
    if not may_link(actor, case):
        raise ActionRefused(_("คุณไม่มีสิทธิ์เชื่อมโยงเรื่องนี้กับเรื่องอื่น"), code="forbidden")
    if rules.is_respondent(actor, other):
        # He never sees a case naming him, nor learns that it exists.
        raise ValidationError({"other": [_("ไม่พบเรื่องเลขที่นี้")]})
    kept = Complaint.objects.get(pk=other.pk).kept_case()
    if kept.pk == case.pk:
        if other.pk == case.pk:
            raise ValidationError({"other": [_("เชื่อมโยงเรื่องกับตัวเองไม่ได้")]})
        raise ValidationError({"other": [_("เรื่องเลขที่ %(number)s รวมเข้ากับเรื่องนี้แล้ว") % {"number": other.number}]})
    later, earlier = _ordered(case, kept)
    existing = RepeatLink.objects.select_for_update().filter(case=later, other=earlier, relation=relation).first()
    note = (note or "").strip()
    if existing is None:
        try:
            with transaction.atomic():
                made = RepeatLink.objects.create(
                    case=later, other=earlier, relation=relation, state=RepeatLink.State.LINKED, created_by=actor,
                    decided_by=actor, decided_at=timezone.now(), note=note,
                )  # fmt: skip
        except IntegrityError:
            # The sweep or a colleague wrote the same pair a moment ago.
            raise CaseChanged(_("มีผู้เชื่อมโยงสองเรื่องนี้ไปก่อนแล้ว กรุณาดูข้อมูลล่าสุด"), code="changed") from None
        _audit_both(actor, made, step="linked", note=note)
        return made
    if existing.state in (RepeatLink.State.LINKED, RepeatLink.State.MERGED):
        raise ActionRefused(
            _("สองเรื่องนี้เชื่อมโยงกันเป็น “%(relation)s” อยู่แล้ว") % {"relation": existing.get_relation_display()},
            code="already",
        )
    before = _decide(existing, actor, RepeatLink.State.LINKED, note)
    _audit_both(actor, existing, step="linked", note=note, before_state=before)
    return existing


def _locked(link: RepeatLink) -> RepeatLink:
    """Re-read ``link`` under a row lock, in place (the caller's instance shows what was done)."""
    link.refresh_from_db(
        from_queryset=RepeatLink.objects.select_for_update(of=("self",)).select_related("case", "other")
    )
    return link


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [message]})
    return reason


def _require(link: RepeatLink, actor, state: str) -> None:
    if link.state != state:
        raise CaseChanged(
            _("รายการนี้เปลี่ยนไปแล้ว (ตอนนี้: %(state)s) กรุณาดูข้อมูลล่าสุด") % {"state": link.get_state_display()},
            code="changed",
        )
    if not may_decide(actor, link):
        raise ActionRefused(_("คุณไม่มีสิทธิ์ดำเนินการกับความเชื่อมโยงนี้"), code="forbidden")


@transaction.atomic
def unlink(*, actor, link: RepeatLink, reason: str) -> RepeatLink:
    """End a link, with the officer's reason (required): either side's handler may."""
    _locked(link)
    _require(link, actor, RepeatLink.State.LINKED)
    reason = _reason(reason, _("กรุณาระบุเหตุผลที่ยกเลิกการเชื่อมโยง"))
    before = _decide(link, actor, RepeatLink.State.UNLINKED, reason)
    _audit_both(actor, link, step="unlinked", note=reason, before_state=before)
    return link


@transaction.atomic
def confirm(*, actor, link: RepeatLink, note: str = "") -> RepeatLink:
    """Confirm a pair the sweep suggested: the two cases are linked."""
    _locked(link)
    _require(link, actor, RepeatLink.State.SUGGESTED)
    note = (note or "").strip()
    before = _decide(link, actor, RepeatLink.State.LINKED, note)
    _audit_both(actor, link, step="confirmed", note=note, before_state=before)
    return link


@transaction.atomic
def dismiss(*, actor, link: RepeatLink, reason: str) -> RepeatLink:
    """Dismiss a pair the sweep suggested, with the reason (required): it is not suggested again."""
    _locked(link)
    _require(link, actor, RepeatLink.State.SUGGESTED)
    reason = _reason(reason, _("กรุณาระบุเหตุผลที่ไม่ใช่เรื่องซ้ำ"))
    before = _decide(link, actor, RepeatLink.State.DISMISSED, reason)
    _audit_both(actor, link, step="dismissed", note=reason, before_state=before)
    return link


def suggest(
    *, case: Complaint, other: Complaint, relation: str, score: float | None, reasons: Sequence = ()
) -> RepeatLink | None:
    """Queue the pair for review by the owning heads (the nightly sweep, ``repeats.sweep``):
    a suggested link, unless the pair has a link of this relation already, in any state (a
    dismissed or unlinked pair is never suggested again). Return the new link, or None.

    Not an audit row: the sweep decides nothing; each officer's decision on it is one."""
    if case.pk == other.pk or relation not in Relation.values:
        return None
    later, earlier = _ordered(case, other)
    if RepeatLink.objects.filter(case=later, other=earlier, relation=relation).exists():
        return None
    stored = [
        reason
        if isinstance(reason, dict)
        else {"code": reason.code, "label": str(reason.label), "detail": reason.detail}
        for reason in reasons
    ]
    try:
        with transaction.atomic():
            return RepeatLink.objects.create(
                case=later, other=earlier, relation=relation, score=score, reasons=stored,
                state=RepeatLink.State.SUGGESTED,
            )  # fmt: skip
    except IntegrityError:  # written a moment ago by an officer or another run
        return None


# --- Merging ------------------------------------------------------------------------------


def relations_between(case: Complaint, other: Complaint, *, engine: bool = True) -> set[str]:
    """The relations found between two cases: those of their links that say they are related
    (suggested, linked, merged), and (``engine``) those the matching finds now."""
    found = set(
        RepeatLink.objects.filter(_pair(case, other), state__in=RELATED_STATES).values_list("relation", flat=True)
    )
    if engine and not MERGE_RELATIONS <= found:
        candidates = matching.find_candidates(
            matching.Draft.from_case(case), exclude_ids=(case.pk,), limit=MERGE_EVIDENCE_LIMIT
        )
        found |= {str(c.relation) for c in candidates if c.complaint_id == other.pk}
    return found


@transaction.atomic
def merge(*, actor, case: Complaint, into: Complaint, note: str = "", expected_status: str | None = None) -> Complaint:
    """Merge ``case`` into ``into`` (followed to the case it was merged into, if so): the two
    must be the same grievance from the same complainant, by their links or the matching.
    ``case`` closes as merged (``cases.services.case_merge``: its task, both timelines, the
    audit rows); the links between the two become "merged". Return ``case``."""
    if not may_merge(actor, case):
        # Refused by the case's own write path, in its words (the state, the rule); should it
        # not refuse, this transaction still takes back what it did.
        case_merge(actor=actor, case=case, into=into, note=note, expected_status=expected_status)
        raise ActionRefused(_("คุณไม่มีสิทธิ์รวมเรื่องนี้กับเรื่องอื่น"), code="forbidden")
    kept = Complaint.objects.get(pk=into.pk).kept_case()  # as it is now, not as the caller read it
    if kept.pk != case.pk:
        missing = MERGE_RELATIONS - relations_between(case, kept)
        if missing:
            labels = "” และ “".join(str(Relation(r).label) for r in sorted(missing))
            raise ValidationError(
                {
                    "into": [
                        _(
                            "รวมได้เฉพาะเรื่องเดียวกันจากผู้ร้องรายเดิม เรื่องเลขที่ %(number)s ยังไม่พบว่าเป็น “%(missing)s” "
                            "หากใช่ ให้เชื่อมโยงสองเรื่องด้วยความสัมพันธ์นั้นก่อน"
                        )
                        % {"number": kept.number, "missing": labels}
                    ]
                }
            )
    case_merge(actor=actor, case=case, into=kept, note=note, expected_status=expected_status)
    now = timezone.now()
    changed = list(
        RepeatLink.objects.select_for_update().filter(_pair(case, kept)).exclude(state=RepeatLink.State.MERGED)
    )
    for row in changed:
        before = _decide(row, actor, RepeatLink.State.MERGED, row.note)
        _audit_both(actor, row, step="merged", before_state=before)
    if not RepeatLink.objects.filter(_pair(case, kept), relation=Relation.GRIEVANCE).exists():
        later, earlier = _ordered(case, kept)
        made = RepeatLink.objects.create(
            case=later, other=earlier, relation=Relation.GRIEVANCE, state=RepeatLink.State.MERGED, created_by=actor,
            decided_by=actor, decided_at=now,
        )  # fmt: skip
        _audit_both(actor, made, step="merged")
    return case
