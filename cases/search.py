"""Thai search over complaints and the text of their scanned documents.

Thai is written without spaces between words, and a substring search in it matches
inside other words (ตา inside ตาม) and, under a C locale, across tone marks (ไม้ and
ไม่). Here a case is found by its *words*: its text is normalised (pythainlp: vowels
and tone marks in one order, zero-width characters dropped, Thai digits as 0-9), cut
into words by pythainlp's newmm tokenizer, and kept with their positions in
``Complaint.search_vector`` (cases/textsearch.py: a tsvector with a GIN index on
PostgreSQL). A query is cut the same way: the words typed together must follow one
another there, and what is typed apart must all be there.

Two tokenizations of one compound can differ (the document's context moves newmm's
cut), so a word is also indexed, at its own position, as the dictionary words of each
way to cut it (น้ำท่วม also as น้ำ and ท่วม), and a query word also asks for its pieces
one after the other or at one position. A cut must leave dictionary words only, so ตาม
gives nothing (ม is no word) and ไม้ is never ไม่.

Numbers typed in groups (a national ID 1-2345-67890-12-1, a phone 081 234 5678, Thai
digits) are one word, their digits, and each group is a word too.

A case's words are its fields (number, subject, description, address, its people;
confidential and anonymous complainants' names left out, and left out of its documents'
text too, so that a search cannot reveal who complained), then the text of its
documents' pages, which the documents app provides through ``provide_page_texts`` (it
sits above this app). A tsvector counts positions up to 16,383: words after that are
kept without a position (found as words, not in phrases with words before them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import geothai
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names, thai_words
from pythainlp.tokenize.newmm import segment
from pythainlp.tokenize.tcc import tcc_pos
from pythainlp.util import Trie
from pythainlp.util import normalize as thai_normalize

from cases.codes import LENGTH as TRACKING_CODE_LENGTH
from cases.codes import normalize_tracking_code
from cases.models import Complainant, Complaint, Respondent, case_number
from cases.textsearch import Both, Either, Node, Phrase, Word, quote
from core.thai import to_arabic_digits, to_thai_digits

# The lexemes' rules: raise it when they change (tokenizer, dictionary, what is indexed),
# and run ``manage.py reindex_search --outdated``.
SEARCH_VERSION = 1
MAX_POSITION = 16383  # a tsvector's last position
MAX_POSITIONS = 256  # positions a tsvector keeps per lexeme
MAX_VECTOR_BYTES = 900_000  # a tsvector holds at most 1 MB: later new words are dropped
MAX_NUMBER_DIGITS = 20  # digit groups joined into one word up to this length
MAX_SPLITS = 8  # ways to cut one word into dictionary words
MAX_QUERY_WORDS = 12
# Small databases are indexed by the migration; larger ones by the command (a case takes ~3 ms).
MIGRATION_BACKFILL_LIMIT = 20_000

_SPACES = re.compile(r"\s+")
_TRACKING_CODE = re.compile(r"^[0-9A-Za-z\s\-]+$")
_NON_THAI_LETTER = r"[^\W\d_\u0e00-\u0e7f]"
_RUN = re.compile(
    # letters and digits of other scripts, with at least one letter (abc, a1b2); numbers
    # in groups (081-234-5678, 1,500.50, 7001/2569/000123); Thai (digits already 0-9)
    rf"(?P<latin>(?=[^\W_\u0e00-\u0e7f]*{_NON_THAI_LETTER})[^\W_\u0e00-\u0e7f]+)"
    r"|(?P<number>[0-9]+(?:(?: ?[\-./,] ?| )[0-9]+)*)"
    r"|(?P<thai>[\u0e01-\u0e4e]+)"
)
_DIGITS = re.compile(r"[0-9]+")
_CONSONANT = re.compile(r"[\u0e01-\u0e2e]")
_AREA_PREFIX = re.compile(r"^(เขต|อำเภอ|กิ่งอำเภอ)")


def _areas() -> frozenset[str]:
    """The names of provinces and districts (geothai, as the geography is loaded), as a
    letter writes them (บางกะปิ, not เขตบางกะปิ)."""
    areas = {province.name_th for province in geothai.provinces()}
    for province in geothai.provinces():
        areas |= {_AREA_PREFIX.sub("", district.name_th) for district in geothai.districts(province.code)}
    return frozenset(areas)


_AREAS = _areas()
# newmm's dictionary with proper names added, people's first and family names (pythainlp's
# lists) and places: without them newmm cuts a name into words (ตา|คลี, สม|ชาย, บาง|กะปิ),
# which a search for ตา or ชาย then finds.
_NAMES = frozenset(thai_female_names() | thai_male_names() | thai_family_names()) | _AREAS
_WORDS = Trie(thai_words() | _NAMES)
# Those cut as names: a person's name that is a word too (ทองคำ, gold) is cut as a word.
_CUT_AS_NAMES = (_NAMES - thai_words()) | _AREAS


def newmm(text: str) -> list[str]:
    return segment(text, custom_dict=_WORDS)


def normalize(text: str) -> str:
    text = thai_normalize(to_arabic_digits(text or ""))
    return _SPACES.sub(" ", text).strip().casefold()


def tracking_code_in(query: str) -> str:
    """The tracking code a query is, typed as people do (lower case, dashes,
    O for 0), or "" when the query is not one."""
    text = to_arabic_digits(query or "").strip()
    if not _TRACKING_CODE.match(text):
        return ""
    code = normalize_tracking_code(text)
    return code if len(code) == TRACKING_CODE_LENGTH else ""


# --- Words ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a normalised text: ``text`` is the lexeme (a number's digits, without
    the separators it was written with), ``start:end`` where it stands."""

    text: str
    start: int
    end: int
    kind: str  # "thai", "latin" or "number"
    groups: tuple[str, ...] = ()  # a number's digit groups


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (normalised), in order."""
    found = []
    for run in _RUN.finditer(text):
        kind, value, offset = run.lastgroup, run.group(), run.start()
        if kind == "thai":
            for word in newmm(value):
                # A lone mark (ๆ, ฯ, a stray vowel of bad OCR) is no word.
                if _CONSONANT.search(word):
                    found.append(Token(word, offset, offset + len(word), kind))
                offset += len(word)
        elif kind == "number":
            groups = tuple(_DIGITS.findall(value))
            found.append(Token("".join(groups), offset, run.end(), kind, groups))
        else:
            found.append(Token(value, offset, run.end(), kind))
    return found


def is_word(text: str) -> bool:
    """Whether ``text`` is a word of the dictionary (pythainlp's, the tokenizer's)."""
    return text in _WORDS


@lru_cache(maxsize=100_000)
def splits(word: str) -> tuple[tuple[str, ...], ...]:
    """Each way to cut ``word`` into two or more dictionary words, at Thai character
    cluster boundaries (up to ``MAX_SPLITS``): น้ำท่วม → (น้ำ, ท่วม); ตาม → none.

    A proper name is cut only into words of three letters or more, as few as can be
    (เมืองนครราชสีมา → เมือง, นครราชสีมา; บ้านสร้าง → บ้าน, สร้าง, for a letter where
    the name swallowed the words เพื่อนบ้านสร้างรั้ว): ตาคลี, สมชาย, มานพ and
    นครราชสีมา hold no ตา, ชาย, มา.
    """
    found = _splits(word)
    if found and word in _CUT_AS_NAMES:
        found = tuple(split for split in found if min(map(len, split)) >= 3)
        fewest = min(map(len, found), default=0)
        found = tuple(split for split in found if len(split) == fewest)
    return found


def _splits(word: str) -> tuple[tuple[str, ...], ...]:
    if len(word) < 2 or not _CONSONANT.search(word):
        return ()
    ends = tcc_pos(word)
    size = len(word)
    steps: dict[int, list[int]] = {}
    for start in [0, *sorted(ends)]:
        if start < size:
            steps[start] = [
                start + len(prefix)
                for prefix in _WORDS.prefixes(word[start:])
                if start + len(prefix) in ends and (start or len(prefix) < size)
            ]
    # Which cut points lead to the end through dictionary words (from the end backwards).
    finishes = {size}
    for start in sorted(steps, reverse=True):
        if any(end in finishes for end in steps[start]):
            finishes.add(start)
    if 0 not in finishes:
        return ()
    found: list[tuple[str, ...]] = []

    def walk(start: int, path: tuple[str, ...]) -> None:
        for end in steps[start]:
            if len(found) >= MAX_SPLITS:
                return
            if end == size:
                found.append((*path, word[start:end]))
            elif end in finishes:
                walk(end, (*path, word[start:end]))

    walk(0, ())
    return tuple(found)


def _entries(found: Iterable[Token], first: int = 1) -> Iterator[tuple[str, int, Token]]:
    """(lexeme, position, token) of each word and of its pieces, positions from ``first``.

    A word's pieces (``splits``) stand at the word's own position; a number's groups
    each take one, and its digits stand at its first and at its last.
    """
    position = first
    for token in found:
        if token.kind == "number":
            count = len(token.groups)
            for index, group in enumerate(token.groups):
                yield group, position + index, token
            if count > 1 and len(token.text) <= MAX_NUMBER_DIGITS:
                yield token.text, position, token
                yield token.text, position + count - 1, token
            position += count
        else:
            yield token.text, position, token
            for split in splits(token.text):
                for piece in split:
                    yield piece, position, token
            position += 1


@dataclass(frozen=True)
class Withheld:
    """What must not be found nor shown of a case: the lexemes of its confidential and
    anonymous complainants' names, IDs, phones and e-mails, and their names as written
    (cut out of a text before its words are read: in a letter the tokenizer may cut a
    name otherwise than alone)."""

    words: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()  # normalised, longest first

    def __bool__(self) -> bool:
        return bool(self.words or self.names)

    def cut(self, text: str) -> str:
        for name in self.names:
            text = text.replace(name, " ")
        return text


NOTHING_WITHHELD = Withheld()


class _Vector:
    """Lexemes and their positions, filled text after text."""

    def __init__(self, withheld: Withheld = NOTHING_WITHHELD):
        self.positions: dict[str, list[int]] = {}
        self.next = 1
        self.size = 0
        self.withheld = withheld

    def add(self, text: str) -> None:
        last = self.next - 1
        for lexeme, position, _token in _entries(tokens(self.withheld.cut(normalize(text))), self.next):
            last = position
            if lexeme in self.withheld.words:
                continue
            found = self.positions.get(lexeme)
            if found is None:
                if self.size > MAX_VECTOR_BYTES:
                    continue
                self.positions[lexeme] = found = []
                self.size += len(lexeme.encode()) + 6
            if position <= MAX_POSITION and len(found) < MAX_POSITIONS and (not found or found[-1] != position):
                found.append(position)
                self.size += 2
        self.next = last + 1

    def literal(self) -> str:
        return " ".join(
            quote(lexeme) + (":" + ",".join(map(str, found)) if found else "")
            for lexeme, found in self.positions.items()
        )


def _shown(person) -> bool:
    return not person.is_anonymous and not person.is_confidential


def case_texts(case, complainants, respondents) -> list[str]:
    """The texts a case is found by, from the case and its people (saved or not).
    Confidential and anonymous complainants' names are left out."""
    # An imported case is also found by its key in the records it came from (imports/).
    parts = [
        case_number(case),
        case.source_key,
        case.subject,
        case.description,
        case.category_other_text,
        case.incident_address,
    ]
    for person in complainants:
        if _shown(person):
            parts += [person.first_name, person.last_name, person.national_id, person.phone, person.email]
    for party in respondents:
        parts += [party.name, party.position]
    return [part for part in parts if part]


def withheld(complainants) -> Withheld:
    """What a case's complainants who must not be found by name make withheld:
    confidential and anonymous ones (their letters name them)."""
    words, names = _Vector(), set()
    for person in complainants:
        if not _shown(person):
            for part in (person.first_name, person.last_name, person.national_id, person.phone, person.email):
                words.add(part or "")
            names |= {name for part in (person.first_name, person.last_name) if len(name := normalize(part)) > 1}
    if not words.positions and not names:
        return NOTHING_WITHHELD
    return Withheld(frozenset(words.positions), tuple(sorted(names, key=len, reverse=True)))


def vector(case, complainants, respondents, pages: Iterable[str] = ()) -> str:
    """The tsvector literal of a case: its fields, then its documents' pages."""
    found = _Vector(withheld(complainants))
    for text in case_texts(case, complainants, respondents):
        found.add(text)
    for text in pages:
        found.add(text)
    return found.literal()


# --- The documents' pages: a door for the documents app --------------------------------


@dataclass(frozen=True, slots=True)
class PageText:
    complaint_id: int
    document_id: int
    document: str  # what officers call the document (its description, or its file's name)
    number: int
    text: str


# (complaint ids, needles) -> the pages of those cases' documents, in reading order (by case,
# document, page); with needles, only pages whose text holds one of them (case-insensitive).
PageTexts = Callable[[Collection[int], Collection[str]], Iterable[PageText]]


def _no_pages(complaint_ids: Collection[int], needles: Collection[str]) -> Iterable[PageText]:
    return ()


_page_texts: PageTexts = _no_pages


def provide_page_texts(provider: PageTexts) -> None:
    """Install where the pages' text comes from (``documents.search``, when Django starts)."""
    global _page_texts
    _page_texts = provider


# --- Indexing ---------------------------------------------------------------------------

_CASE_FIELDS = (
    "pk", "number_district_id", "fiscal_year", "running_number", "source_key", "subject", "description",
    "category_other_text", "incident_address",
)  # fmt: skip
_PERSON_FIELDS = (
    "complaint_id", "is_anonymous", "is_confidential", "first_name", "last_name", "national_id", "phone", "email",
)  # fmt: skip


def vectors(complaint_ids: Collection[int]) -> dict[int, str]:
    """The vectors of the cases ``complaint_ids`` as saved now (four queries)."""
    people, parties, pages = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in Complainant.objects.filter(complaint_id__in=complaint_ids).order_by("pk").values(*_PERSON_FIELDS):
        people[row["complaint_id"]].append(SimpleNamespace(**row))
    for row in (
        Respondent.objects.filter(complaint_id__in=complaint_ids)
        .order_by("pk")
        .values("complaint_id", "name", "position")
    ):
        parties[row["complaint_id"]].append(SimpleNamespace(**row))
    for page in _page_texts(complaint_ids, ()):
        pages[page.complaint_id].append(page.text)
    return {
        row["pk"]: vector(SimpleNamespace(**row), people[row["pk"]], parties[row["pk"]], pages[row["pk"]])
        for row in Complaint.objects.filter(pk__in=complaint_ids).values(*_CASE_FIELDS)
    }


def reindex(complaint_id: int) -> None:
    """Index the case again from what is saved (its fields, people and documents)."""
    reindex_cases([complaint_id])


@transaction.atomic
def reindex_cases(complaint_ids: Collection[int]) -> int:
    """Index the cases again; return how many there were.

    The rows are locked while they are read and written: a document changing meanwhile
    (``reindex_after_commit`` writes the row) waits, then indexes the case again, so that
    an index made of the text before the change cannot be written after it.
    """
    rows = Complaint.objects.filter(pk__in=complaint_ids).order_by("pk").select_for_update(of=("self",))
    found = vectors(list(rows.values_list("pk", flat=True)))
    cases = [Complaint(pk=pk, search_vector=literal, search_version=SEARCH_VERSION) for pk, literal in found.items()]
    Complaint.objects.bulk_update(cases, ["search_vector", "search_version"])
    return len(cases)


def reindex_after_commit(complaint_ids: Iterable[int | None]) -> None:
    """Index the cases again once the caller's transaction commits (their documents
    changed). Until then they count as outdated, so that an index that failed after the
    commit is made again by ``reindex_search --outdated``."""
    ids = sorted({pk for pk in complaint_ids if pk is not None})
    if not ids:
        return
    Complaint.objects.filter(pk__in=ids).update(search_version=0)
    transaction.on_commit(lambda: reindex_cases(ids), robust=True)


# --- Queries ----------------------------------------------------------------------------


def _either(items: Iterable[Node]) -> Node:
    """Any of ``items``, nested alternatives flattened and each asked once."""
    flat: list[Node] = []
    for item in items:
        for one in item.items if isinstance(item, Either) else (item,):
            if one not in flat:
                flat.append(one)
    return Either(tuple(flat)) if len(flat) > 1 else flat[0]


def _slot(token: Token) -> Node:
    """What a query word asks: itself, or its pieces one after the other or at one place."""
    if token.kind == "number":
        if len(token.groups) == 1:
            return Word(token.text)
        if len(token.text) > MAX_NUMBER_DIGITS:
            return Phrase(tuple(Word(group) for group in token.groups))
        return _either((Word(token.text), Phrase(tuple(Word(group) for group in token.groups))))
    alternatives: list[Node] = [Word(token.text)]
    for split in splits(token.text):
        pieces = tuple(Word(piece) for piece in split)
        alternatives += [Phrase(pieces), Phrase(pieces, gap=0)]
    return _either(alternatives)


def _typing(groups: list[list[Token]], slots: list[Node]) -> list[Node]:
    """The last word as still being typed: when it is no dictionary word (ตรวจส, สมช),
    also the words it begins, and those the word before it and it begin together. A
    dictionary word stays itself (ตา must not find ตาม)."""
    last = groups[-1][-1]
    if len(groups[-1]) > 1 or last.kind == "number" or (last.kind == "thai" and is_word(last.text)):
        return slots
    # A lone letter would begin too many words to be worth the index's time.
    typed = _either((slots[-1], Word(last.text, prefix=True))) if len(last.text) > 1 else slots[-1]
    before = groups[-2] if len(groups) > 1 else None
    if (
        before is not None
        and len(before) == 1
        and last.kind == before[0].kind == "thai"
        and before[0].end == last.start
    ):
        joined = Word(before[0].text + last.text, prefix=True)
        return [*slots[:-2], _either((Phrase((slots[-2], typed)), joined))]
    return [*slots[:-1], typed]


def _pairs(found: list[Token]) -> list[list[Token]]:
    """The query's words, two words that are the pieces of a longer one (น้ำ ท่วม)
    taken together: a document may hold them as that one word (น้ำท่วม)."""
    groups: list[list[Token]] = []
    at = 0
    while at < len(found):
        pair = found[at : at + 2]
        if (
            len(pair) == 2
            and pair[0].kind == pair[1].kind == "thai"
            and (pair[0].text, pair[1].text) in splits(pair[0].text + pair[1].text)
        ):
            groups.append(pair)
            at += 2
        else:
            groups.append([found[at]])
            at += 1
    return groups


def _group_slot(group: list[Token]) -> Node:
    if len(group) == 1:
        return _slot(group[0])
    first, second = group
    joined = Token(first.text + second.text, first.start, second.end, "thai")
    return _either((Phrase((_slot(first), _slot(second))), _slot(joined)))


def parse_query(query: str) -> Node | None:
    """The query's words as a query of the index, or None if it has no words.

    What is typed without a space is a phrase (its words one after the other, as
    newmm cut them); what is typed apart must all be in the case, anywhere.
    """
    text = normalize(query)
    found = tokens(text)[:MAX_QUERY_WORDS]
    if not found:
        return None
    chunks: list[list[Token]] = [[found[0]]]
    for before, token in zip(found, found[1:], strict=False):
        if " " in text[before.end : token.start]:
            chunks.append([token])
        else:
            chunks[-1].append(token)
    nodes: list[Node] = []
    for chunk in chunks:
        groups = _pairs(chunk)
        slots = [_group_slot(group) for group in groups]
        if chunk is chunks[-1]:
            slots = _typing(groups, slots)
        node = Phrase(tuple(slots)) if len(slots) > 1 else slots[0]
        if node not in nodes:
            nodes.append(node)
    return Both(tuple(nodes)) if len(nodes) > 1 else nodes[0]


def matching(query: str) -> Q | None:
    """The condition of the cases a search ``query`` finds (None: no words, no condition)."""
    node = parse_query(query)
    return None if node is None else Q(search_vector__matches=node)


# --- The passage a hit shows ------------------------------------------------------------

# A place where the query's first word occurs is checked by cutting the words around it
# (a few dozen characters: cutting is what costs, about 2 µs a character); the passage
# shown is wider. A text is cut only if the query's strings are in it at all.
_CONTEXT = 24  # characters cut before a candidate place
_SHOW_BEFORE, _SHOW_AFTER = 50, 110  # characters shown around the match
_CANDIDATES = 12  # places tried per text


@dataclass(frozen=True)
class Passage:
    """Where a case matched: the words in <mark>, and the document page they are on."""

    html: SafeString
    document: str = ""
    page: int | None = None
    url: str = ""


def _needles(node: Node) -> set[str]:
    """Strings one of which is in any text the query matches: those of its first word."""
    if isinstance(node, Word):
        return {node.lexeme}
    if isinstance(node, Phrase | Both):
        return _needles(node.items[0])
    return set().union(*(_needles(item) for item in node.items))


def _spans(node: Node, index: dict[str, list[tuple[int, Token]]]) -> set[tuple[int, int, int, int]]:
    """(first position, last position, start, end) of each match of ``node``, as
    PostgreSQL's phrase operators count them (of words typed apart, the first's: the
    others may be anywhere in the case)."""
    if isinstance(node, Both):
        return _spans(node.items[0], index)
    if isinstance(node, Word):
        if node.prefix:
            places = [place for lexeme, found in index.items() if lexeme.startswith(node.lexeme) for place in found]
        else:
            places = index.get(node.lexeme, [])
        return {(position, position, token.start, token.end) for position, token in places}
    if isinstance(node, Either):
        return set().union(*(_spans(item, index) for item in node.items))
    current = _spans(node.items[0], index)
    for item in node.items[1:]:
        following = _spans(item, index)
        current = {
            (first, last, min(start, start2), max(end, end2))
            for first, last_before, start, end in current
            for first2, last, start2, end2 in following
            if first2 == last_before + node.gap
        }
        if not current:
            break
    return current


def _match(text: str, node: Node, needles: set[str], reach: int) -> tuple[int, int] | None:
    """Where in ``text`` (normalised) ``node`` matches: the first place found, or None."""
    tried = 0
    for needle in sorted(needles, key=len, reverse=True):
        at = text.find(needle)
        while at >= 0 and tried < _CANDIDATES:
            tried += 1
            low = max(0, at - _CONTEXT)
            index: dict[str, list[tuple[int, Token]]] = defaultdict(list)
            for lexeme, position, token in _entries(tokens(text[low : at + reach])):
                index[lexeme].append((position, token))
            spans = sorted((start, end) for _first, _last, start, end in _spans(node, index) if start <= at - low)
            if spans:
                start, end = spans[-1]  # the one that begins at the needle (or closest before it)
                return low + start, low + end
            at = text.find(needle, at + 1)
    return None


def _render(text: str, start: int, end: int, hiding: Withheld) -> SafeString | None:
    """``text`` around ``start:end`` (marked), cut at spaces, withheld words masked (None
    if the match itself is withheld)."""
    low = max(0, start - _SHOW_BEFORE)
    high = min(len(text), end + _SHOW_AFTER)
    if low > 0 and (space := text.find(" ", low, start)) >= 0:
        low = space + 1
    if high < len(text) and (space := text.rfind(" ", end, high)) >= 0:
        high = space
    hidden = []
    if hiding:
        window = text[low:high]
        hidden = [
            (low + token.start, low + token.end)
            for lexeme, _position, token in _entries(tokens(window))
            if lexeme in hiding.words
        ]
        for name in hiding.names:
            at = window.find(name)
            while at >= 0:
                hidden.append((low + at, low + at + len(name)))
                at = window.find(name, at + 1)
        if any(h_start < end and start < h_end for h_start, h_end in hidden):
            return None
        merged: list[tuple[int, int]] = []
        for h_start, h_end in sorted(hidden):
            if merged and h_start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], h_end))
            else:
                merged.append((h_start, h_end))
        hidden = merged

    def shown(a: int, b: int) -> str:
        out, at = [], a
        for h_start, h_end in hidden:
            if h_end <= at or h_start >= b:
                continue
            out += [escape(text[at:h_start]), "•••"]
            at = h_end
        out.append(escape(text[at:b]))
        return "".join(out)

    return mark_safe(  # noqa: S308 - every piece of text is escaped in shown()
        ("… " if low > 0 else "")
        + shown(low, start)
        + "<mark>"
        + shown(start, end)
        + "</mark>"
        + shown(end, high)
        + (" …" if high < len(text) else "")
    )


def _passage_html(raw: str, node: Node, needles: set[str], reach: int, hiding: Withheld):
    # The text as written, not normalised (a dozen passes of pythainlp's rules, most of the
    # cost): typed and read text has its marks in order already; where it has not, the
    # case is still found, without a passage.
    text = _SPACES.sub(" ", to_arabic_digits(raw)).casefold()
    found = _match(text, node, needles, reach)
    return None if found is None else _render(text, *found, hiding)


def _page_url(document_id: int, number: int) -> str:
    try:
        return reverse("documents:page", args=[document_id, number])
    except NoReverseMatch:  # the documents app names its page view so
        return ""


def passages(cases: list, query: str) -> dict[int, Passage]:
    """The passage where each of ``cases`` matches ``query``: from its own text (its
    fields, its shown complainants' and its respondents' names), else from one of its
    documents' pages. Four queries for all of them. Withheld names are masked."""
    node = parse_query(query)
    if node is None or not cases:
        return {}
    ids = [case.pk for case in cases]
    needles = _needles(node)
    reach = 2 * len(normalize(query)) + _CONTEXT + 16
    texts: dict[int, list[str]] = defaultdict(list)
    people: dict[int, list] = defaultdict(list)
    for row in Complainant.objects.filter(complaint_id__in=ids).order_by("pk").values(*_PERSON_FIELDS):
        person = SimpleNamespace(**row)
        people[person.complaint_id].append(person)
        if _shown(person):  # names only: IDs and phones are not for a list
            texts[person.complaint_id].append(f"{person.first_name} {person.last_name}")
    hiding = {pk: withheld(found) for pk, found in people.items()}
    # The documents app shows a letter's text on a confidential complainant's case only to
    # who may see the complainant (permissions.rules.can_see_confidential, which asks per
    # case): the list shows no passage from such a case's letters.
    sealed = {pk for pk, found in people.items() if any(person.is_confidential for person in found)}
    for pk, name, position in (
        Respondent.objects.filter(complaint_id__in=ids).order_by("pk").values_list("complaint_id", "name", "position")
    ):
        texts[pk] += [name, position]
    found: dict[int, Passage] = {}
    own = Complaint.objects.filter(pk__in=ids).values_list(
        "pk", "subject", "description", "incident_address", "category_other_text"
    )
    for pk, *fields in own:
        text = "\n".join(t for t in (*fields, *texts[pk]) if t)
        if (html := _passage_html(text, node, needles, reach, hiding.get(pk, NOTHING_WITHHELD))) is not None:
            found[pk] = Passage(html)
    # Thai digits too: the pages hold the text as it was read.
    digits = {to_thai_digits(needle) for needle in needles if needle.isdigit()}
    for page in _page_texts([pk for pk in ids if pk not in found and pk not in sealed], needles | digits):
        if page.complaint_id in found:
            continue
        html = _passage_html(page.text, node, needles, reach, hiding.get(page.complaint_id, NOTHING_WITHHELD))
        if html is not None:
            url = _page_url(page.document_id, page.number)
            found[page.complaint_id] = Passage(html, document=page.document, page=page.number, url=url)
    return found
