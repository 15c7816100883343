"""What a possible repeat shows, and to whom.

``repeats.matching`` finds candidates nationally and knows nothing of the reader. Here each
candidate case becomes a card for one officer: inside his sight (``Complaint.objects.visible_to``)
the whole card, with a link to the case, its subject and why it matched; outside it a minimal
card (the center, the number, the date received, the status and the relation), no name and no
text, with a button to ask the owning center for access. Every minimal card shown is an audit
row (``audit.events.repeat_candidates_shown``).

The intake's live check (``repeats.views_intake``) and a saved case's page
(``candidates_for_case``) both read their cards here, in a fixed number of queries whatever
the number of candidates: one for the cases, one for the officer's waiting requests, one
turn of the audit chain.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from audit import events as audit_events
from cases.forms import MAX_PARTIES
from cases.models import Complainant, Complaint, Respondent
from cases.public_wording import handling_center
from cases.services import ComplainantData, RespondentData
from core.roles import Role, ScopeLevel
from core.thai import normalize_national_id
from permissions.models import AccessRequest
from repeats import matching
from repeats.models import Relation

# How many candidate cases a panel shows at most (the engine returns one per case and relation).
SHOWN = 10
# The card's button asks for access with a token of the card (the officer and the case):
# only a case shown to him as a candidate, for a day, can be asked for from a card.
TOKEN_SALT = "repeats.access-request"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = dt.timedelta(days=1)
# Typed text beyond these lengths adds nothing to the match and only costs time.
MAX_SUBJECT, MAX_DESCRIPTION = 300, 8000
# The fewest characters of a phrase overlapping a text's end that are marked (fewer match by chance).
MIN_OVERLAP = 6
# A case's relations in the order its card lists them.
_RELATION_ORDER = {Relation.COMPLAINANT: 0, Relation.RESPONDENT: 1, Relation.GRIEVANCE: 2}


@dataclass
class Match:
    """One relation found between the draft and a candidate case."""

    relation: str
    score: float
    reasons: list = field(default_factory=list)  # of repeats.matching.Reason
    phrases: list[str] = field(default_factory=list)  # shared phrases (grievance, in sight only)

    @property
    def label(self) -> str:
        return Relation(self.relation).label if self.relation in Relation.values else self.relation

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Card:
    """A candidate case as one officer may see it."""

    case_id: int
    number: str
    center: str
    received_on: dt.date
    status: str  # its value (the badge's colour)
    status_label: str
    in_scope: bool
    matches: list[Match]
    # In sight only:
    url: str = ""
    subject: SafeString | str = ""  # the shared phrases marked (<mark>)
    identity_masked: bool = False  # a confidential complainant: no names in the reasons
    # Outside sight only:
    access_token: str = ""
    access_pending: bool = False  # the officer asked already; his request waits

    @property
    def score(self) -> float:
        return max((m.score for m in self.matches), default=0.0)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def relations(self) -> list[str]:
        return [m.relation for m in self.matches]


class Cards(list):
    """The cards of one check, best first."""

    @property
    def outside(self) -> int:
        """How many are outside the reader's sight (minimal cards)."""
        return sum(1 for card in self if not card.in_scope)


# --- The draft: what the intake form holds so far ---------------------------------------------


def _text(data: Mapping, key: str, limit: int = 300) -> str:
    return str(data.get(key, "") or "").strip()[:limit]


def _national_id(value: str) -> str:
    """A complete, valid ID, or nothing: half an ID matches nobody."""
    try:
        return normalize_national_id(value) if value.strip() else ""
    except ValidationError:  # still being typed
        return ""


def _rows(data: Mapping, prefix: str) -> Iterable[int]:
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    return range(max(0, min(total, MAX_PARTIES)))


def draft_from_form(data: Mapping) -> matching.Draft | None:
    """The intake form's fields as typed so far (its own field names and formset prefixes,
    as the page posts them), or None when nothing in them could match anything yet.

    Read leniently, not validated: the officer is still typing. An ID not yet complete
    and valid is left out; a party without a name or an ID is skipped."""
    complainants = []
    for i in _rows(data, "complainant"):
        key = f"complainant-{i}-"
        anonymous = bool(data.get(f"{key}is_anonymous"))
        person = ComplainantData(
            is_anonymous=anonymous,
            is_confidential=bool(data.get(f"{key}is_confidential")),
            national_id=_national_id(_text(data, f"{key}national_id", 40)),
            title="" if anonymous else _text(data, f"{key}title", 60),
            first_name="" if anonymous else _text(data, f"{key}first_name", 100),
            last_name="" if anonymous else _text(data, f"{key}last_name", 100),
            phone=_text(data, f"{key}phone", 40),
            address=_text(data, f"{key}address"),
        )
        if person.national_id or person.first_name or person.last_name or person.phone:
            complainants.append(person)
    respondents = []
    kinds = set(Respondent.Kind.values)
    for i in _rows(data, "respondent"):
        key = f"respondent-{i}-"
        kind = _text(data, f"{key}kind", 20)
        party = RespondentData(
            kind=kind if kind in kinds else Respondent.Kind.PERSON,
            name=_text(data, f"{key}name", 200),
            position=_text(data, f"{key}position", 200),
            national_id=_national_id(_text(data, f"{key}national_id", 40)),
            address=_text(data, f"{key}address"),
            phone=_text(data, f"{key}phone", 40),
        )
        if party.name or party.national_id:
            respondents.append(party)
    subject = _text(data, "subject", MAX_SUBJECT)
    description = _text(data, "description", MAX_DESCRIPTION)
    if not (complainants or respondents or subject or description):
        return None
    subdistrict = _text(data, "incident_subdistrict", 6)
    main_category, category = _text(data, "main_category", 12), _text(data, "category", 12)
    return matching.Draft(
        complainants=complainants,
        respondents=respondents,
        subject=subject,
        description=description,
        incident_subdistrict_id=subdistrict if re.fullmatch(r"\d{6}", subdistrict) else None,
        main_category_id=int(main_category) if main_category.isdigit() else None,
        category_id=int(category) if category.isdigit() else None,
    )


# --- Cards --------------------------------------------------------------------------------------


def mark_phrases(text: str, phrases: Iterable[str]) -> SafeString:
    """``text`` escaped, each place a phrase of ``phrases`` covers in <mark>: where the phrase
    occurs in it, and where a phrase running on past the text's end (or starting before its
    start: the engine reads subject and description as one text) overlaps it."""
    marked = [False] * len(text)

    def mark(start: int, end: int) -> None:
        marked[start:end] = [True] * (end - start)

    for phrase in {p.strip() for p in phrases if p and p.strip()}:
        start = text.find(phrase)
        while start != -1:
            mark(start, start + len(phrase))
            start = text.find(phrase, start + len(phrase))
        if phrase.find(text) != -1:
            mark(0, len(text))
        for size in range(min(len(text), len(phrase)) - 1, MIN_OVERLAP - 1, -1):
            if text.endswith(phrase[:size]):
                mark(len(text) - size, len(text))
                break
        for size in range(min(len(text), len(phrase)) - 1, MIN_OVERLAP - 1, -1):
            if text.startswith(phrase[-size:]):
                mark(0, size)
                break
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def sees_identity(user, case) -> bool:
    """Whether ``user`` may read the names of a confidential complainant of ``case`` (one in
    his sight) on a card: a part of ``permissions.rules.can_see_confidential`` answerable from
    the row alone (the heads of the owning center, the officer who recorded it, auditors).
    The others who handle it see the names on the case's own page, where the full rule runs."""
    if case.recorded_by_id == user.pk or user.has_role(Role.AUDITOR):
        return True
    district_head = (
        user.has_role(Role.DISTRICT_HEAD)
        and user.scope_level == ScopeLevel.DISTRICT
        and user.district_id == case.district_id
    )
    province_head = (
        case.is_escalated
        and user.has_role(Role.PROVINCE_HEAD)
        and user.scope_level == ScopeLevel.PROVINCE
        and user.province_id == case.province_id
    )
    return district_head or province_head


def access_token(user, case_id: int) -> str:
    return signing.dumps({"u": user.pk, "c": case_id}, salt=TOKEN_SALT, compress=True)


def case_id_from_token(user, token: str) -> int | None:
    """The case a card's token names, if the card was shown to ``user`` within a day."""
    try:
        value = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != user.pk or not isinstance(value.get("c"), int):
        return None
    return value["c"]


def _grouped(candidates) -> dict[int, list[Match]]:
    """The candidates by case, each case's relations in a fixed order, cases best first."""
    by_case: dict[int, list[Match]] = {}
    for candidate in candidates:
        by_case.setdefault(candidate.complaint_id, []).append(
            Match(
                relation=str(candidate.relation),
                score=float(candidate.score),
                reasons=list(candidate.reasons),
                phrases=list(candidate.shared_phrases or ()),
            )
        )
    ordered = sorted(by_case.items(), key=lambda item: -max(m.score for m in item[1]))
    return {pk: sorted(matches, key=lambda m: _RELATION_ORDER.get(m.relation, 9)) for pk, matches in ordered}


def _cases(user, ids: list[int]) -> dict[int, Complaint]:
    """The candidate cases, each with whether ``user`` sees it, whether it has a confidential
    complainant, and whether it names ``user`` as respondent: one query."""
    visible = Complaint.objects.visible_to(user).filter(pk=OuterRef("pk"))
    rows = (
        Complaint.objects.filter(pk__in=ids)
        .for_list()
        .select_related("district__province", "province")
        .annotate(
            in_sight=Exists(visible),
            has_confidential=Exists(Complainant.objects.filter(complaint=OuterRef("pk"), is_confidential=True)),
            names_reader=Exists(Respondent.objects.filter(complaint=OuterRef("pk"), user_id=user.pk)),
        )
    )
    return {case.pk: case for case in rows}


def cards(user, candidates, *, where: str, limit: int = SHOWN) -> Cards:
    """The cards ``user`` is shown for ``candidates`` (``repeats.matching.Candidate``), best
    first, at most ``limit`` cases; the cases outside his sight are recorded as shown to him
    (``where``: see ``audit.events.repeat_candidates_shown``). A case naming him as respondent
    is never shown, not even as a minimal card."""
    grouped = _grouped(candidates)
    cases = _cases(user, list(grouped)[: limit * 2]) if grouped else {}
    shown = [(pk, matches) for pk, matches in grouped.items() if pk in cases and not cases[pk].names_reader][:limit]
    outside = [pk for pk, _matches in shown if not cases[pk].in_sight]
    waiting = (
        set(
            AccessRequest.objects.filter(
                requested_by=user, complaint_id__in=outside, state=AccessRequest.State.PENDING
            ).values_list("complaint_id", flat=True)
        )
        if outside
        else set()
    )
    result = Cards()
    for pk, matches in shown:
        case = cases[pk]
        card = Card(
            case_id=pk, number=case.number, center=handling_center(case), received_on=case.received_on,
            status=case.status, status_label=case.get_status_display(), in_scope=case.in_sight,
            matches=matches,
        )  # fmt: skip
        if case.in_sight:
            _fill_in_sight(card, case, user)
        else:
            _make_minimal(card, user, pending=pk in waiting)
        result.append(card)
    audit_events.repeat_candidates_shown(
        user, [(cases[card.case_id], card.relations) for card in result if not card.in_scope], where=where
    )
    return result


def _fill_in_sight(card: Card, case: Complaint, user) -> None:
    card.url = case.get_absolute_url()
    phrases = [phrase for match in card.matches for phrase in match.phrases]
    card.subject = mark_phrases(case.subject, phrases)
    if case.has_confidential and not sees_identity(user, case):
        card.identity_masked = True
        for match in card.matches:
            if match.relation == Relation.COMPLAINANT:
                match.reasons = [replace(reason, detail="") for reason in match.reasons]


def _make_minimal(card: Card, user, *, pending: bool) -> None:
    """Nothing of the case's parties or text: the reasons by their label only, no phrases."""
    for match in card.matches:
        match.reasons = [replace(reason, detail="") for reason in match.reasons]
        match.phrases = []
    card.access_pending = pending
    card.access_token = access_token(user, card.case_id)


def intake_cards(user, draft) -> Cards:
    """The possible repeats of what ``user`` is recording now (the intake's live check)."""
    return cards(user, matching.find_candidates(draft, limit=matching_limit()), where="intake")


def candidates_for_case(user, case) -> Cards:
    """The possible repeats of the saved ``case``, as ``user`` may see them (the case page's
    panel "อาจเป็นเรื่องซ้ำ"; the cases linked or merged already are the page's to leave out)."""
    draft = matching.Draft.from_case(case)
    found = matching.find_candidates(draft, exclude_ids=(case.pk,), limit=matching_limit())
    return cards(user, found, where=f"case:{case.pk}")


def matching_limit() -> int:
    # Up to three relations per case: enough candidates for SHOWN cases.
    return SHOWN * 2
