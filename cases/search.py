"""Thai-aware text search over complaints.

Thai is written without spaces between words, so a word is found as a
substring of a normalised document (subject, description, party names, case
number), not by matching whole tokens. Normalisation (pythainlp) puts vowels
and tone marks in one canonical order and drops zero-width characters, so the
same word typed two ways still matches. On PostgreSQL a trigram GIN index makes
the substring search fast (migration 0002).
"""

from __future__ import annotations

import re

from pythainlp.util import normalize as thai_normalize

from cases.codes import LENGTH as TRACKING_CODE_LENGTH
from cases.codes import normalize_tracking_code
from core.thai import to_arabic_digits

_SPACES = re.compile(r"\s+")
# What people type between the groups of a national ID or a phone number.
_DIGIT_GROUPS = re.compile(r"^[\d\s\-.]+$")
_TRACKING_CODE = re.compile(r"^[0-9A-Za-z\s\-]+$")


def normalize(text: str) -> str:
    text = thai_normalize(to_arabic_digits(text or ""))
    return _SPACES.sub(" ", text).strip().casefold()


def build_search_document(case) -> str:
    """The text a saved case is found by (``search_document`` of it and its people)."""
    return search_document(case, case.complainants.all(), case.respondents.all())


def search_document(case, complainants, respondents) -> str:
    """The text a case is found by, from the case and its people (saved or not).
    Confidential complainants' names are left out, so that a search cannot reveal
    who complained."""
    # An imported case is also found by its key in the records it came from (imports/).
    parts = [
        case.number,
        case.source_key,
        case.subject,
        case.description,
        case.category_other_text,
        case.incident_address,
    ]
    for person in complainants:
        if not person.is_anonymous and not person.is_confidential:
            parts += [person.first_name, person.last_name, person.national_id, person.phone, person.email]
    for party in respondents:
        parts += [party.name, party.position]
    return normalize(" ".join(p for p in parts if p))


def search_terms(query: str) -> list[str]:
    """Split a query into terms, each of which must occur in the document.

    A query of digits in groups (3-7001-00123-45-5, ๓ ๗๐๐๑ …, 081-234-5678)
    is one number: the document holds it as bare digits.
    """
    text = normalize(query)
    if _DIGIT_GROUPS.match(text) and re.search(r"[\s\-.]", text):
        return [re.sub(r"\D", "", text)]
    return [term for term in text.split(" ") if term]


def tracking_code_in(query: str) -> str:
    """The tracking code a query is, typed as people do (lower case, dashes,
    O for 0), or "" when the query is not one."""
    text = to_arabic_digits(query or "").strip()
    if not _TRACKING_CODE.match(text):
        return ""
    code = normalize_tracking_code(text)
    return code if len(code) == TRACKING_CODE_LENGTH else ""
