"""The reads of links, merges and people over time: the case page's repeats panel, the review
list of suggested pairs, and the page of people complained about (or complaining) often.

Each side of a link sees the other only as far as its scope allows (``Complaint.objects.visible_to``):
the whole case inside it, a minimal card outside it (the center, the number, the date received,
the status and the relation: ``repeats.display``), and nothing of a case naming the reader as
respondent. Every minimal card shown is an audit row. Counts are national; details are in scope.
Every read here costs a fixed number of queries, whatever the number of rows it shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from audit import events as audit_events
from cases.models import Attachment, Complainant, Complaint, Outcome, Respondent, Status
from cases.public_wording import handling_center
from core.memo import shared
from core.roles import Role, ScopeLevel
from core.thai import fiscal_year_be, fiscal_year_start, to_arabic_digits
from permissions import rules
from repeats import display, matching, normalize
from repeats.models import Relation, RepeatLink
from repeats.services import MERGE_RELATIONS, may_decide, may_link, may_merge

# The states of a link the case page lists (a dismissed or unlinked one is in the audit trail;
# a merged pair is the page's banner, or its section of merged cases).
SHOWN_STATES = (RepeatLink.State.SUGGESTED, RepeatLink.State.LINKED)
# How many candidates the case page asks the engine for (each case once per relation), and from
# how many of a person's other cases the count says "or more": the engine reads at most
# ``matching.PER_KEY`` cases per key.
CANDIDATES_LIMIT = 150
HISTORY_LIMIT = matching.PER_KEY
# How many people each list of the people page shows, and how many cases of each.
PEOPLE_SHOWN, CASES_SHOWN = 20, 10
REVIEW_SHOWN = 50
# Closed without the problem solved: what a person complaining again may be telling us.
UNRESOLVED = (Outcome.PARTLY_RESOLVED, Outcome.NOT_RESOLVABLE, Outcome.OUTSIDE_AUTHORITY)


# --- Finding a case by its number ---------------------------------------------------------

# A case's number as officers quote it: 7001/2569/000123 (Thai digits and spaces taken too).
_NUMBER = re.compile(r"^([0-9A-Za-z]{2,6})/(\d{4})/(\d{1,6})$")


def case_by_number(text: str) -> Complaint | None:
    """The case (nationally, whoever sees it) whose number ``text`` is, or None."""
    found = _NUMBER.match(re.sub(r"\s", "", to_arabic_digits(text or "")))
    if not found:
        return None
    district, year, running = found.groups()
    return (
        Complaint.objects.filter(number_district_id=district, fiscal_year=int(year), running_number=int(running))
        .select_related("district__province", "province")
        .first()
    )


# --- The other side of a link, as the reader may see it -------------------------------------


def _cases(user, ids) -> dict[int, Complaint]:
    """The cases ``ids`` with whether ``user`` sees each (``in_sight``) and whether it names him
    as respondent (``names_reader``): one query."""
    if not ids:
        return {}
    visible = Complaint.objects.visible_to(user).filter(pk=OuterRef("pk"))
    rows = (
        Complaint.objects.filter(pk__in=list(ids))
        .for_list()
        .select_related("district__province", "province")
        .annotate(
            in_sight=Exists(visible),
            names_reader=Exists(Respondent.objects.filter(complaint=OuterRef("pk"), user_id=user.pk)),
        )
    )
    return {case.pk: case for case in rows}


@dataclass
class Side:
    """A case on the other side of a link, as the reader may see it."""

    case: Complaint
    in_sight: bool
    center: str

    @property
    def number(self) -> str:
        return self.case.number


def _side(case: Complaint) -> Side:
    return Side(case=case, in_sight=case.in_sight, center=handling_center(case))


@dataclass
class LinkRow:
    """A link of the case page's case: the other case, and what the reader may do with it."""

    link: RepeatLink
    other: Side
    may_unlink: bool = False
    may_decide: bool = False  # a suggestion: confirm or dismiss
    may_merge: bool = False  # the reader may merge this case into the other


@dataclass
class MergedCase:
    """A case merged into the case page's case (the section "เรื่องที่รวมเข้ามา")."""

    side: Side
    complainants: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    show_identity: bool = False


@dataclass
class History:
    """A party's other cases: how many nationally, and those the reader sees."""

    relation: str
    total: int
    capped: bool  # the engine was asked for HISTORY_LIMIT: there may be more
    in_sight: list = field(default_factory=list)  # of Complaint

    @property
    def outside(self) -> int:
        return self.total - len(self.in_sight)


@dataclass
class Panel:
    """The case page's repeats panel."""

    case: Complaint
    merged_into: Side | None = None
    merged_cases: list[MergedCase] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    cards: list = field(default_factory=list)  # repeats.display.Card: possible repeats not linked yet
    mergeable: set = field(default_factory=set)  # ids of cards the reader may merge this case into
    complainant_history: History | None = None
    respondent_history: History | None = None
    may_link: bool = False
    may_merge: bool = False

    @property
    def relations(self) -> list:
        return Relation.choices

    @property
    def outside_cards(self) -> bool:
        return any(not card.in_scope for card in self.cards)

    @property
    def empty(self) -> bool:
        return not (
            self.merged_into or self.merged_cases or self.links or self.cards or self.may_link
            or (self.complainant_history and self.complainant_history.total)
            or (self.respondent_history and self.respondent_history.total)
        )  # fmt: skip


def case_panel(user, case: Complaint) -> Panel:
    """What the repeats panel of ``case``'s page shows ``user`` (who sees the case)."""
    panel = Panel(case=case, may_link=may_link(user, case), may_merge=may_merge(user, case))
    links = list(
        RepeatLink.objects.filter(Q(case=case) | Q(other=case), state__in=SHOWN_STATES).order_by("-created_at", "-id")
    )
    other_ids = {row.other_id if row.case_id == case.pk else row.case_id for row in links}
    merged_rows = list(
        case.merged_cases.for_list()
        .select_related("district__province", "province")
        .annotate(
            in_sight=Exists(Complaint.objects.visible_to(user).filter(pk=OuterRef("pk"))),
            names_reader=Exists(Respondent.objects.filter(complaint=OuterRef("pk"), user_id=user.pk)),
        )
        .prefetch_related(
            Prefetch("complainants", queryset=Complainant.objects.order_by("pk")),
            Prefetch("attachments", queryset=Attachment.objects.filter(progress_report__isnull=True)),
        )
        .order_by("received_on", "pk")
    )
    others = _cases(user, other_ids)
    shown_outside = []
    if case.merged_into_id:
        # The case kept in the end (it may have been merged in turn), as the reader may see it.
        end = case.kept_case().pk
        kept = _cases(user, {end})[end]
        if not kept.names_reader:
            panel.merged_into = _side(kept)
            if not kept.in_sight:
                shown_outside.append((kept, [Relation.GRIEVANCE]))
    rules.read_named_officials([*others.values(), *merged_rows])
    for row in links:
        other = others.get(row.other_id if row.case_id == case.pk else row.case_id)
        if other is None or other.names_reader:
            continue
        row.case, row.other = (case, other) if row.case_id == case.pk else (other, case)
        item = LinkRow(link=row, other=_side(other))
        if row.state == RepeatLink.State.LINKED:
            item.may_unlink = may_decide(user, row)
        elif row.state == RepeatLink.State.SUGGESTED:
            item.may_decide = may_decide(user, row)
        panel.links.append(item)
        if not item.other.in_sight:
            shown_outside.append((other, [row.relation]))
    related = find_related(case)
    _mark_mergeable(panel, related[1])
    for merged in merged_rows:
        if merged.names_reader:
            continue
        item = MergedCase(side=_side(merged))
        if merged.in_sight:
            item.complainants = list(merged.complainants.all())
            item.attachments = list(merged.attachments.all())
            # Asked only of a case with someone to hide: the rule reads its timeline and tasks.
            item.show_identity = not any(p.is_confidential for p in item.complainants) or rules.can_see_confidential(
                user, merged
            )
        else:
            shown_outside.append((merged, [Relation.GRIEVANCE]))
        panel.merged_cases.append(item)
    if panel.may_link:
        # The possible repeats not related already: linked, merged in, or the case it went into.
        known = other_ids | {m.pk for m in merged_rows} | ({case.merged_into_id} if case.merged_into_id else set())
        new = [candidate for candidate in related[1] if candidate.complaint_id not in known]
        panel.cards = display.cards(user, new, where=f"case:{case.pk}")
        if panel.may_merge:
            panel.mergeable |= {
                card.case_id for card in panel.cards if card.in_scope and MERGE_RELATIONS <= set(card.relations)
            }
    panel.complainant_history, panel.respondent_history = people_history(user, case, related)
    audit_events.repeat_candidates_shown(user, shown_outside, where=f"case:{case.pk}")
    return panel


def _mark_mergeable(panel: Panel, candidates) -> None:
    """The links whose other case the reader may merge this one into: he may merge this case,
    sees the other, and the two are related as both the same grievance and the same complainant,
    by their links or the engine's ``candidates`` (as ``repeats.services.relations_between``)."""
    if not panel.may_merge:
        return
    relations: dict[int, set] = defaultdict(set)
    for candidate in candidates:
        relations[candidate.complaint_id].add(str(candidate.relation))
    for item in panel.links:
        relations[item.other.case.pk].add(item.link.relation)
    for item in panel.links:
        other = item.other
        item.may_merge = (
            other.in_sight
            and other.case.merged_into_id is None
            and other.case.status != Status.REJECTED
            and MERGE_RELATIONS <= relations[other.case.pk]
        )


# --- People over time ---------------------------------------------------------------------


# How long the engine's answer for a saved case, and a reader's people page, are reused: a
# case recorded since then shows at most this late; what is linked, dismissed or merged, and
# who may see what, are read fresh on every page.
FRESH_SECONDS = 300


def find_related(case: Complaint) -> tuple[matching.Draft, list]:
    """``case``'s draft and the engine's candidates for it, nationally (one call: the panel's
    possible repeats and the people's other cases come from the same answer). Reused for
    ``FRESH_SECONDS`` while the case is unchanged: at 1,000,000 cases the lookup is most of the
    case panel's 60 ms (bench/pages), and an officer opens the same case many times a day."""

    def related():
        draft = matching.Draft.from_case(case)
        return draft, matching.find_candidates(draft, exclude_ids=(case.pk,), limit=CANDIDATES_LIMIT)

    return shared(f"repeats:related:{case.pk}:{case.updated_at.timestamp()}", FRESH_SECONDS, related)


def people_history(user, case: Complaint, related=None) -> tuple[History | None, History | None]:
    """The other cases of ``case``'s complainants and of its respondents, as the matching finds
    them nationally (its keys: IDs, names by sound, phones; organisations with abbreviations
    written out; officials by account): how many, and those ``user`` sees. None for a side the
    case has nobody to match on (an anonymous complainant). ``related``: ``find_related(case)``."""
    draft, candidates = related or find_related(case)
    sides = {
        Relation.COMPLAINANT: any(not p.is_anonymous for p in draft.complainants),
        Relation.RESPONDENT: bool(draft.respondents),
    }
    found = {
        relation: list(dict.fromkeys(c.complaint_id for c in candidates if str(c.relation) == relation))
        for relation, present in sides.items()
        if present
    }
    every = {pk for ids in found.values() for pk in ids}
    visible = (
        {
            c.pk: c
            for c in Complaint.objects.visible_to(user)
            .filter(pk__in=every)
            .for_list()
            .select_related("district__province", "province")
        }
        if every
        else {}
    )

    def history(relation) -> History | None:
        if relation not in found:
            return None
        ids = found[relation]
        seen = sorted((visible[pk] for pk in ids if pk in visible), key=lambda c: (c.received_on, c.pk), reverse=True)
        return History(relation=relation, total=len(ids), capped=len(ids) >= HISTORY_LIMIT, in_sight=seen)

    return history(Relation.COMPLAINANT), history(Relation.RESPONDENT)


def may_open_people_page(user) -> bool:
    """The people page (and the review of suggested pairs), for the heads of a district and
    the province's officers and head."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.scope_level == ScopeLevel.DISTRICT:
        return bool(user.district_id) and user.has_role(Role.DISTRICT_HEAD)
    if user.scope_level == ScopeLevel.PROVINCE:
        return bool(user.province_id) and user.has_role(Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD)
    return False


@dataclass
class Person:
    """A complainant, or a respondent, with the cases of the fiscal year in the reader's scope."""

    name: str
    kind: str = ""  # a respondent's kind label
    masked: bool = False  # a confidential complainant: counted, not named
    case_ids: set = field(default_factory=set)
    cases: list = field(default_factory=list)  # of Complaint, newest first, at most CASES_SHOWN

    open_count: int = 0  # of his cases, still open
    unresolved_count: int = 0  # closed without the problem solved (not resolvable, partly, outside authority)

    @property
    def count(self) -> int:
        return len(self.case_ids)


@dataclass
class PeoplePage:
    fiscal_year: int
    since: dt.date
    respondents: list[Person]
    complainants: list[Person]
    made_at: dt.datetime = field(default_factory=timezone.now)


class _Groups:
    """Records joined into people: two records with a key in common are one person."""

    def __init__(self):
        self.parent: dict = {}

    def find(self, key):
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, keys) -> object:
        keys = list(keys)
        root = self.find(keys[0])
        for key in keys[1:]:
            other = self.find(key)
            if other != root:
                self.parent[other] = root
        return root


def _phonetic_cache():
    cache: dict[str, str] = {}

    def sound(first: str, last: str) -> str:
        name = normalize.PersonName.read(first, last)
        key = name.text
        if key not in cache:
            cache[key] = name.sound if name else ""
        return cache[key]

    return sound


def _complainant_keys(row: dict, sound) -> list:
    """The keys a complainant record is one person by: the ID; the name's sound with a phone,
    or with the sub-district; the engine's normalisation (``repeats.normalize``)."""
    keys = []
    if row["national_id"]:
        keys.append(("id", normalize.national_id(row["national_id"]) or row["national_id"]))
    voice = sound(row["first_name"], row["last_name"])
    if voice:
        keys += [("phone", voice, phone) for phone in normalize.phones(row["phone"] or "")]
        if row["subdistrict_id"]:
            keys.append(("place", voice, row["subdistrict_id"]))
    return keys


def _respondent_keys(row: dict, sound) -> list:
    keys = []
    if row["national_id"]:
        keys.append(("id", normalize.national_id(row["national_id"]) or row["national_id"]))
    if row["user_id"]:
        keys.append(("account", row["user_id"]))
    if row["kind"] in (Respondent.Kind.COMPANY, Respondent.Kind.AGENCY):
        if org := normalize.organisation_key(row["name"]):
            keys.append(("organisation", org))
    else:
        first, last = normalize.split_name(row["name"])
        if voice := sound(first, last):
            keys.append(("person", row["kind"], voice))
    return keys


def _people(rows, keys_of, describe) -> list[Person]:
    """The people of ``rows`` (records of a party, each with its ``complaint_id``) with two
    cases or more, most cases first: records with a key in common (``keys_of``) are one
    person, shown as ``describe`` (his latest record) says."""
    groups, sound = _Groups(), _phonetic_cache()
    members: dict = defaultdict(list)
    for row in rows:
        if keys := keys_of(row, sound):
            groups.join(keys)
            members[keys[0]].append(row)
    by_person: dict = defaultdict(list)
    for key, records in members.items():
        by_person[groups.find(key)].extend(records)
    people = []
    for records in by_person.values():
        person = Person(case_ids={r["complaint_id"] for r in records}, **describe(records))
        if person.count >= 2:
            people.append(person)
    people.sort(key=lambda p: (-p.count, p.name))
    return people[:PEOPLE_SHOWN]


def _complainant(records) -> dict:
    latest = records[-1]
    return {
        "name": f"{latest['title']}{latest['first_name']} {latest['last_name']}".strip(),
        # One record asked for confidentiality: the person is counted, never named here.
        "masked": any(r["is_confidential"] for r in records),
    }


def _respondent(records) -> dict:
    latest = records[-1]
    return {"name": latest["name"], "kind": str(Respondent.Kind(latest["kind"]).label)}


def people_page_for(user, *, today: dt.date | None = None) -> PeoplePage:
    """``people_page`` as the reader sees it, made at most every ``FRESH_SECONDS`` for him:
    it reads every party of the fiscal year in his scope (101 ms for a province at 1,000,000
    cases, and growing with the year), and the page says when it was made."""
    today = today or timezone.localdate()
    scope = f"{user.pk}:{user.scope_level}:{user.district_id}:{user.province_id}"
    return shared(f"repeats:people:{scope}:{today.isoformat()}", FRESH_SECONDS, lambda: people_page(user, today=today))


def people_page(user, *, today: dt.date | None = None) -> PeoplePage:
    """The respondents complained about most this fiscal year in ``user``'s scope, and the
    complainants with many cases: people grouped as the matching groups them (IDs, names by
    sound with a phone or a place, organisations with abbreviations written out). Three
    queries, whatever the number of people shown."""
    today = today or timezone.localdate()
    year = fiscal_year_be(today)
    since = fiscal_year_start(year)
    scope = Complaint.objects.visible_to(user).filter(received_on__gte=since).values("pk")
    respondents = _people(
        Respondent.objects.filter(complaint__in=scope)
        .values("complaint_id", "kind", "name", "national_id", "user_id")
        .order_by("complaint_id", "pk"),
        _respondent_keys,
        _respondent,
    )
    complainants = _people(
        Complainant.objects.filter(complaint__in=scope, is_anonymous=False)
        .values(
            "complaint_id",
            "title",
            "first_name",
            "last_name",
            "national_id",
            "phone",
            "subdistrict_id",
            "is_confidential",
        )
        .order_by("complaint_id", "pk"),
        _complainant_keys,
        _complainant,
    )
    wanted = {pk for person in [*respondents, *complainants] for pk in person.case_ids}
    cases = (
        {c.pk: c for c in Complaint.objects.filter(pk__in=wanted).for_list().select_related("district")}
        if wanted
        else {}
    )
    for person in [*respondents, *complainants]:
        his = sorted(
            (cases[pk] for pk in person.case_ids if pk in cases), key=lambda c: (c.received_on, c.pk), reverse=True
        )
        person.cases = his[:CASES_SHOWN]
        person.open_count = sum(1 for c in his if c.is_open)
        person.unresolved_count = sum(1 for c in his if c.outcome in UNRESOLVED)
    return PeoplePage(fiscal_year=year, since=since, respondents=respondents, complainants=complainants)


# --- The review of suggested pairs ------------------------------------------------------------


def may_review(user) -> bool:
    """The list of pairs the sweep suggested, for the heads who own the cases: a district's
    head, and the province's head (for its escalated cases)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.scope_level == ScopeLevel.DISTRICT:
        return bool(user.district_id) and user.has_role(Role.DISTRICT_HEAD)
    if user.scope_level == ScopeLevel.PROVINCE:
        return bool(user.province_id) and user.has_role(Role.PROVINCE_HEAD)
    return False


def _owned(user) -> Q:
    """The links with a case ``user`` heads, as a condition narrowing the query (``may_decide``
    decides each row)."""
    if user.scope_level == ScopeLevel.DISTRICT:
        return Q(case__district_id=user.district_id) | Q(other__district_id=user.district_id)
    return Q(case__province_id=user.province_id, case__is_escalated=True) | Q(
        other__province_id=user.province_id, other__is_escalated=True
    )


@dataclass
class ReviewRow:
    link: RepeatLink
    case: Side
    other: Side

    @property
    def at(self) -> int:
        """The case whose page the decision is taken from: one the reader sees."""
        return self.case.case.pk if self.case.in_sight else self.other.case.pk


@dataclass
class Review:
    rows: list[ReviewRow]
    count: int


def review(user) -> Review:
    """The suggested pairs waiting for ``user``'s decision, oldest first: the first
    REVIEW_SHOWN and how many there are. Each side in sight whole, outside it a minimal card."""
    if not may_review(user):
        return Review([], 0)
    waiting = RepeatLink.objects.filter(_owned(user), state=RepeatLink.State.SUGGESTED)
    links = list(waiting.order_by("created_at", "id")[: REVIEW_SHOWN + 1])
    count = len(links) if len(links) <= REVIEW_SHOWN else waiting.count()
    links = links[:REVIEW_SHOWN]
    cases = _cases(user, {pk for row in links for pk in (row.case_id, row.other_id)})
    rules.read_named_officials(list(cases.values()))
    rows, outside = [], []
    for row in links:
        case, other = cases[row.case_id], cases[row.other_id]
        if case.names_reader or other.names_reader:
            continue
        row.case, row.other = case, other
        if not may_decide(user, row) or not (case.in_sight or other.in_sight):
            continue
        rows.append(ReviewRow(link=row, case=_side(case), other=_side(other)))
        outside += [(c, [row.relation]) for c in (case, other) if not c.in_sight]
    audit_events.repeat_candidates_shown(user, outside, where="review")
    return Review(rows=rows, count=count)
