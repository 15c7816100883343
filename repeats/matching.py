"""Find the cases a complaint may repeat: the same complainant, the same respondent, the
same grievance, nationally.

``find_candidates(draft)`` reads the draft once (``repeats.indexing.Reading``), finds the
cases sharing any of its lookup keys through the fingerprints' index, and scores the few
it found exactly, from their parties and text. It is not scoped: the caller decides what
to show of a case outside the officer's jurisdiction (``repeats.display``). A confidential
complainant still matches; no reason carries their name.

The lookup is one query. On PostgreSQL each key reads at most ``PER_KEY`` cases through
the GIN index (a key many cases share, a national agency or a common story, costs no more
than a rare one), the cases found are ranked by what they share (``indexing.WEIGHTS``) and
the first ``LOOKUP_LIMIT`` come back with their text. SQLite, the embedded default with
few cases, scans.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from cases.models import Complainant, Complaint, Respondent
from repeats import minhash
from repeats.indexing import WEIGHTS, Draft, Party, Person, Reading, SavedRespondent
from repeats.models import Fingerprint, Relation
from repeats.normalize import PersonName, name_other_places, name_similarity, phonetic, places_named

__all__ = ["Candidate", "Draft", "Reason", "Relation", "SavedRespondent", "find_candidates"]

# --- Thresholds -------------------------------------------------------------------------
# Chosen on the labelled set bench/repeats_set/ (349 complaints, 587 labelled pairs, made
# hard on purpose) with bench/repeats, which prints precision and recall per relation;
# with these values: the same complainant 1.00 / 1.00, the same respondent 1.00 / 0.97,
# the same grievance 0.92 / 0.98 (precision / recall, the check asked for 20). The
# stories in tests/repeats/test_matching.py hold each rule.

# Same complainant. A national ID decides alone (1.0); two different IDs are two people.
# Without one, evidence adds up: the same name as written 0.60, the same by sound and
# nearly as written (สมชาย/สมชัย) 0.55, by sound only (สมชาย/สมใจ) 0.40, the same first
# name by sound with a like surname 0.45; the same phone +0.35, the same house +0.25, an
# incident in the same sub-district +0.10. A name alone is not enough (common names are
# shared by many people), nor a phone or a house alone (a family shares them).
COMPLAINANT_MIN = 0.65
NAME_EXACT, NAME_CLOSE, NAME_SOUND, NAME_FIRST = 0.60, 0.55, 0.40, 0.45
CLOSE_SPELLING = 0.75  # name_similarity from which a name alike by sound is "nearly as written"
SPELT_CLOSE = 0.85  # a name this alike as written is nearly as written, whatever udom83 hears
SAME_PHONE, SAME_HOUSE, SAME_PLACE = 0.35, 0.25, 0.10

# Same respondent. An ID or an official's account decides alone; an organisation's name
# (abbreviations written out) 0.80, but a local body's name (อบต.หนองหว้า) repeats from
# province to province, so in another province it is 0.40; a person's name as for a
# complainant, with +0.10 in the same province.
RESPONDENT_MIN = 0.65
ORGANISATION, LOCAL_ELSEWHERE, SAME_PROVINCE = 0.80, 0.40, 0.10
# Branches: two named branches of one body are two respondents (ธ.ก.ส. สาขาจอมบึง is not
# สาขาโพธาราม); a branch and the body named without one may be the same.
OTHER_BRANCH, ONE_BRANCH = 0.40, 0.70

# Same grievance: the texts' words in common, each counted by how rare it is in Thai
# (minhash.weighted_jaccard: a lane's name says more than "ถนน"), with the evidence
# around them added. A grievance told again is told of the same place: the same
# sub-district +0.25, another -0.10, another province -0.10 more; the same sub-category
# +0.15 (both "other": +0.10), another under the same main category -0.10, another main
# category -0.15; the same complainant +0.10, the same respondent +0.05 (a party's other
# matters are other grievances); texts naming villages, lanes or land titles (หมู่ 5,
# ซอย 7, โฉนดเลขที่ 1234), none alike: -0.20 (another road of the same tambon). Below
# TEXT_FLOOR the texts are about different things, whatever the evidence: in the set, a
# retelling in the same place and sub-category shares 0.150 and more, the closest other
# matters 0.149 and less (a knife's edge: more retellings will move it). A text nearly
# the same (0.75 and more) is a candidate from anywhere in the country, unless filed
# under another category.
GRIEVANCE_MIN = 0.50
TEXT_FLOOR = 0.15
SAME_SUBDISTRICT, OTHER_SUBDISTRICT, OTHER_PROVINCE = 0.25, -0.10, -0.10
SAME_SUBCATEGORY, BOTH_OTHER, OTHER_SUBCATEGORY, OTHER_MAIN_CATEGORY = 0.15, 0.10, -0.10, -0.15
SAME_COMPLAINANT, SAME_RESPONDENT = 0.10, 0.05
OTHER_PLACES = -0.20
# Texts read exactly (newmm is the check's dearest step, about 0.3 ms a text): the best
# by their estimate. More grievances than this in one check would not be read by anyone.
GRIEVANCE_TEXTS = 10
# How far under the line a text's estimated similarity may be to be read exactly (the
# estimate's error is about 0.04 at 128 permutations).
ESTIMATE_MARGIN = 0.10

# The lookup: cases read per key, and cases scored.
PER_KEY = 50
LOOKUP_LIMIT = 100

COMPLAINANT_KINDS = frozenset({"cid", "cname", "cphone", "chouse"})
RESPONDENT_KINDS = frozenset({"rid", "rname", "rorg", "ruser"})


@dataclass(frozen=True)
class Reason:
    """Why a case is a candidate, as the panel shows it."""

    code: str  # same_id | similar_name | same_phone | same_address | same_respondent_id |
    # similar_respondent_name | same_official | similar_text | same_subdistrict | same_category
    label: str  # in the reader's language
    detail: str = ""  # e.g. the names compared: "สมชาย ~ สมชัย"


@dataclass
class Candidate:
    complaint_id: int
    relation: str  # a Relation value
    score: float  # 0..1
    reasons: list[Reason]
    shared_phrases: list[str] = field(default_factory=list)  # GRIEVANCE: pieces of both texts


@dataclass
class _Found:
    """A case the lookup found, with what it shares with the draft."""

    id: int
    kinds: set[str]
    signature: object
    subdistrict: str | None
    main_category: int | None
    category: int | None
    subject: str
    description: str
    people: list[Person] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)


def find_candidates(draft: Draft, *, exclude_ids=(), limit: int = 20) -> list[Candidate]:
    """The cases that may be repeats of ``draft``, best first, one per case and relation."""
    reading = Reading.of(draft)
    if not reading.keys:
        return []
    found = _lookup(reading.keys, [int(pk) for pk in exclude_ids])
    if not found:
        return []
    _load_parties(found)
    candidates: list[Candidate] = []
    people_scores: dict[int, tuple[float, list[Reason]]] = {}
    party_scores: dict[int, tuple[float, list[Reason]]] = {}
    for case in found:
        if case.people and (scored := _complainant(reading, case)):
            people_scores[case.id] = scored
            if scored[0] >= COMPLAINANT_MIN:
                candidates.append(Candidate(case.id, Relation.COMPLAINANT, round(scored[0], 3), scored[1]))
        if case.parties and (scored := _respondent(reading, case)):
            party_scores[case.id] = scored
            if scored[0] >= RESPONDENT_MIN:
                candidates.append(Candidate(case.id, Relation.RESPONDENT, round(scored[0], 3), scored[1]))
    candidates += _grievances(reading, found, people_scores, party_scores, limit)
    candidates.sort(key=lambda c: (-c.score, -getattr(c, "_rank", c.score), -c.complaint_id, c.relation))
    return _shared_out(candidates, limit)


def _shared_out(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """The best ``limit`` candidates, no relation taking more than half the places while
    another has candidates for them: a respondent complained about a hundred times (a
    national agency) must not push the complainant's own earlier case out of the panel."""
    share = max(1, limit // 2)
    chosen, waiting, taken = [], [], dict.fromkeys(Relation.values, 0)
    for candidate in candidates:
        if taken[candidate.relation] < share:
            taken[candidate.relation] += 1
            chosen.append(candidate)
        else:
            waiting.append(candidate)
    chosen += waiting[: max(0, limit - len(chosen))]
    order = {id(c): n for n, c in enumerate(candidates)}
    return sorted(chosen[:limit], key=lambda c: order[id(c)])


# --- The lookup -------------------------------------------------------------------------

_COLUMNS = "incident_subdistrict_id, main_category_id, category_id, subject, description"


def _lookup(keys: dict[int, str], exclude: list[int]) -> list[_Found]:
    wanted = list(keys)
    if connection.vendor == "postgresql":
        rows = _lookup_postgresql(wanted, [WEIGHTS[keys[k]] for k in wanted], exclude)
    else:
        rows = _lookup_scan(keys, exclude)
    mine = keys.keys()
    return [
        _Found(
            id=row[0],
            kinds={keys[k] for k in mine & set(row[1])},
            signature=minhash.unpack(row[2]),
            subdistrict=row[3],
            main_category=row[4],
            category=row[5],
            subject=row[6],
            description=row[7],
        )
        for row in rows
    ]


def lookup_sql() -> str:
    """The PostgreSQL lookup, with parameters (keys, their weights, the ids to leave out,
    PER_KEY, LOOKUP_LIMIT): each key reads at most PER_KEY fingerprints through the GIN
    index; the cases found are ranked by the weight of what they share, and come back
    with the keys they were found by (not all their keys: a case outside a crowded key's
    first PER_KEY is not found by it, which costs nothing when it shares that key with
    PER_KEY others)."""
    fingerprints, complaints = Fingerprint._meta.db_table, Complaint._meta.db_table
    columns = ", ".join(f"c.{column}" for column in _COLUMNS.split(", "))
    return f"""
        WITH hit AS (
            SELECT found.complaint_id, sum(wanted.weight) AS weight, array_agg(wanted.key) AS keys
            FROM unnest(%s::bigint[], %s::int[]) AS wanted(key, weight)
            CROSS JOIN LATERAL (
                SELECT complaint_id FROM {fingerprints}
                WHERE keys && ARRAY[wanted.key] AND NOT (complaint_id = ANY(%s::bigint[]))
                LIMIT %s
            ) AS found
            GROUP BY found.complaint_id
            ORDER BY weight DESC, found.complaint_id DESC
            LIMIT %s
        )
        SELECT f.complaint_id, hit.keys, f.signature, {columns}
        FROM hit
        JOIN {fingerprints} f ON f.complaint_id = hit.complaint_id
        JOIN {complaints} c ON c.id = hit.complaint_id
        ORDER BY hit.weight DESC, hit.complaint_id DESC
    """  # noqa: S608 - table and column names from the models; values travel as parameters


def _lookup_postgresql(keys: list[int], weights: list[int], exclude: list[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(lookup_sql(), [keys, weights, exclude, PER_KEY, LOOKUP_LIMIT])
        return cursor.fetchall()


def _lookup_scan(keys: dict[int, str], exclude: list[int]) -> list[tuple]:
    rows = (
        Fingerprint.objects.filter(keys__overlaps=list(keys))
        .exclude(complaint_id__in=exclude)
        .values_list("complaint_id", "keys", "signature", *(f"complaint__{c}" for c in _COLUMNS.split(", ")))
    )

    def weight(row):
        return sum(WEIGHTS[keys[k]] for k in set(row[1]) if k in keys)

    return sorted(rows, key=lambda row: (-weight(row), -row[0]))[:LOOKUP_LIMIT]


def _load_parties(found: list[_Found]) -> None:
    """Read the parties of the cases that share a complainant's or a respondent's key
    with the draft (one query each, only when some do)."""
    by_id = {case.id: case for case in found}
    people = [case.id for case in found if case.kinds & COMPLAINANT_KINDS]
    if people:
        rows = Complainant.objects.filter(complaint_id__in=people).order_by("pk")
        for row in rows.values("complaint_id", "is_anonymous", "is_confidential", *_PERSON_FIELDS):
            if person := Person.read(_Row(row)):
                by_id[row["complaint_id"]].people.append(person)
    parties = [case.id for case in found if case.kinds & RESPONDENT_KINDS]
    if parties:
        rows = Respondent.objects.filter(complaint_id__in=parties).order_by("pk")
        for row in rows.values("complaint_id", "kind", "name", "position", "national_id", "user_id"):
            if party := Party.read(_Row(row)):
                by_id[row["complaint_id"]].parties.append(party)


_PERSON_FIELDS = ("national_id", "first_name", "last_name", "phone", "address")


class _Row:
    """A ``values()`` row read as the attributes ``Person.read`` and ``Party.read`` take."""

    def __init__(self, values: dict):
        self.__dict__.update(values)


# --- Scoring ----------------------------------------------------------------------------


def _province(subdistrict: str | None) -> str:
    return (subdistrict or "")[:2]


def _name_score(a: PersonName, b: PersonName) -> tuple[float, bool]:
    """How much two names say that they are one person's, and whether as written; a name
    typed surname first counts as the same."""
    if not a or not b:
        return 0.0, False
    if a.text in (b.text, b.swapped.text):
        return NAME_EXACT, True
    spelling = max(name_similarity(a, b), name_similarity(a, b.swapped))
    if a.sound == b.sound:
        return (NAME_CLOSE if spelling >= CLOSE_SPELLING else NAME_SOUND), False
    if spelling >= SPELT_CLOSE:  # ประยุทธ/ประยุทธ์, จำเนียร/จำเนียน: udom83 hears them apart
        return NAME_CLOSE, False
    if a.first and b.first and phonetic(a.first) == phonetic(b.first):
        surnames = name_similarity(PersonName(a.last, ""), PersonName(b.last, ""))
        if a.last and b.last and surnames >= 0.6:
            return NAME_FIRST, False
    return 0.0, False


def _compared(a: PersonName, b_text: str, shown: bool) -> str:
    return f"{a.text} ~ {b_text}" if shown else ""


def _complainant(reading: Reading, case: _Found) -> tuple[float, list[Reason]] | None:
    best: tuple[float, list[Reason]] | None = None
    for mine in reading.people:
        for theirs in case.people:
            scored = _person_pair(
                mine, theirs, same_place=bool(reading.subdistrict) and reading.subdistrict == case.subdistrict
            )
            if scored and (best is None or scored[0] > best[0]):
                best = scored
    return best


def _person_pair(mine: Person, theirs: Person, *, same_place: bool) -> tuple[float, list[Reason]] | None:
    if mine.national_id and theirs.national_id:
        if mine.national_id == theirs.national_id:
            return 1.0, [Reason("same_id", _("เลขประจำตัวประชาชนตรงกัน"))]
        return None  # two people: their IDs say so
    score, reasons = 0.0, []
    name, as_written = _name_score(mine.name, theirs.name)
    if name:
        score += name
        label = _("ชื่อและนามสกุลตรงกัน") if as_written else _("ชื่อผู้ร้องออกเสียงคล้ายกัน")
        reasons.append(Reason("similar_name", label, _compared(mine.name, theirs.name.text, not theirs.confidential)))
    if set(mine.phones) & set(theirs.phones):
        score += SAME_PHONE
        reasons.append(Reason("same_phone", _("หมายเลขโทรศัพท์ตรงกัน")))
    if mine.address.same_house(theirs.address):
        score += SAME_HOUSE
        reasons.append(Reason("same_address", _("ที่อยู่ตรงกัน")))
    if name and same_place:
        score += SAME_PLACE
        reasons.append(Reason("same_subdistrict", _("เกิดเหตุในตำบลเดียวกัน")))
    return (min(score, 0.99), reasons) if reasons else None


def _respondent(reading: Reading, case: _Found) -> tuple[float, list[Reason]] | None:
    same_province = bool(reading.subdistrict) and _province(reading.subdistrict) == _province(case.subdistrict)
    best: tuple[float, list[Reason]] | None = None
    for mine in reading.parties:
        for theirs in case.parties:
            scored = _party_pair(mine, theirs, same_province=same_province)
            if scored and (best is None or scored[0] > best[0]):
                best = scored
    return best


def _party_pair(mine: Party, theirs: Party, *, same_province: bool) -> tuple[float, list[Reason]] | None:
    if mine.user_id and mine.user_id == theirs.user_id:
        return 1.0, [Reason("same_official", _("เป็นเจ้าหน้าที่คนเดียวกัน (บัญชีผู้ใช้เดียวกัน)"), theirs.display)]
    if mine.national_id and theirs.national_id:
        if mine.national_id == theirs.national_id:
            return 1.0, [Reason("same_respondent_id", _("เลขประจำตัวของผู้ถูกร้องตรงกัน"), theirs.display)]
        return None
    if mine.organisation and theirs.organisation and mine.organisation.key == theirs.organisation.key:
        branches = mine.organisation.branch, theirs.organisation.branch
        if mine.organisation.local and not same_province:
            score = LOCAL_ELSEWHERE
        elif all(branches) and branches[0] != branches[1]:
            score = OTHER_BRANCH
        else:
            score = ORGANISATION if branches[0] == branches[1] else ONE_BRANCH
        return score, [Reason("similar_respondent_name", _("ชื่อผู้ถูกร้องตรงกัน"), f"{mine.display} ~ {theirs.display}")]
    if mine.name and theirs.name:
        name, as_written = _name_score(mine.name, theirs.name)
        if not name:
            return None
        label = _("ชื่อผู้ถูกร้องตรงกัน") if as_written else _("ชื่อผู้ถูกร้องออกเสียงคล้ายกัน")
        reasons = [Reason("similar_respondent_name", label, f"{mine.display} ~ {theirs.display}")]
        if same_province:
            name += SAME_PROVINCE
        return min(name, 0.99), reasons
    return None


def _grievances(
    reading: Reading,
    found: list[_Found],
    people: dict[int, tuple[float, list[Reason]]],
    parties: dict[int, tuple[float, list[Reason]]],
    limit: int,
) -> list[Candidate]:
    """Score the texts: first by their signatures' estimate (all the cases found), then
    exactly, from the words, the best ``limit`` of them."""
    if not reading.words:
        return []
    guesses = minhash.estimates(minhash.unpack(reading.packed_signature), [case.signature for case in found])
    estimated = []
    for case, guess in zip(found, guesses, strict=True):
        if guess < TEXT_FLOOR - ESTIMATE_MARGIN:
            continue
        evidence, reasons = _around(reading, case, people.get(case.id), parties.get(case.id))
        if guess + evidence >= GRIEVANCE_MIN - ESTIMATE_MARGIN:
            estimated.append((guess + evidence, case, evidence, reasons))
    estimated.sort(key=lambda item: (-item[0], -item[1].id))
    candidates = []
    for _guess, case, evidence, reasons in estimated[: min(limit, GRIEVANCE_TEXTS)]:
        text = minhash.case_text(case.subject, case.description)
        tokens = minhash.read_cached(text)
        similarity = minhash.weighted_jaccard(reading.words, set(minhash.words(tokens)))
        if reading.places and name_other_places(reading.places, places_named(text)):
            evidence += OTHER_PLACES  # read here, for the few: it only ever lowers a score
        score = similarity + evidence
        if similarity < TEXT_FLOOR or score < GRIEVANCE_MIN:
            continue
        similar = Reason(
            "similar_text", _("เนื้อหาเรื่องคล้ายกัน"), _("ข้อความคล้ายกัน %(percent)d%%") % {"percent": round(similarity * 100)}
        )
        candidate = Candidate(
            case.id,
            Relation.GRIEVANCE,
            round(min(score, 0.99), 3),
            [similar, *reasons],
            minhash.shared_phrases(reading.tokens, tokens),
        )
        # The evidence beyond the 0.99 shown still ranks: the same text from the same person first.
        candidate._rank = score
        candidates.append(candidate)
    return candidates


def _around(reading: Reading, case: _Found, person, party) -> tuple[float, list[Reason]]:
    """The evidence around two texts: the place, the category, the complainant, the
    respondent (the villages and lanes they name are read for the few read exactly)."""
    evidence, reasons = 0.0, []
    if reading.subdistrict and case.subdistrict:
        if reading.subdistrict == case.subdistrict:
            evidence += SAME_SUBDISTRICT
            reasons.append(Reason("same_subdistrict", _("เกิดเหตุในตำบลเดียวกัน")))
        else:
            evidence += OTHER_SUBDISTRICT
            if _province(reading.subdistrict) != _province(case.subdistrict):
                evidence += OTHER_PROVINCE
    if reading.main_category and reading.main_category == case.main_category:
        if reading.category and reading.category == case.category:
            evidence += SAME_SUBCATEGORY
            reasons.append(Reason("same_category", _("ประเภทเรื่องเดียวกัน")))
        elif not reading.category and not case.category:
            evidence += BOTH_OTHER
            reasons.append(Reason("same_category", _("ประเภทเรื่องเดียวกัน")))
        elif reading.category and case.category:
            evidence += OTHER_SUBCATEGORY
    elif reading.main_category and case.main_category:
        evidence += OTHER_MAIN_CATEGORY
    if person and person[0] >= COMPLAINANT_MIN:
        evidence += SAME_COMPLAINANT
        reasons.append(person[1][0])
    if party and party[0] >= RESPONDENT_MIN:
        evidence += SAME_RESPONDENT
        reasons.append(party[1][0])
    return evidence, reasons
