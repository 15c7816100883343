"""What a case is matched by: its ``Draft`` read once (``Reading``) and the lookup keys
stored in its ``Fingerprint``.

A key is a signed 64-bit hash of a kind and a value (blake2b, 8 bytes). The kinds:

============  ========================================================================
``cid``       a complainant's national ID (13 digits)
``cname``     a complainant's name by sound: udom83 of the first name and of the surname
``cphone``    a complainant's phone (0 and 9 or 10 digits)
``chouse``    a complainant's first name by sound, with the house (number, หมู่, ตำบล):
              finds the same person at the same house when the surname is misspelt
``rid``       a respondent's national ID or juristic-person number
``rname``     a person or official respondent's name by sound
``rorg``      a company's or agency's name (``normalize.organisation_key``)
``ruser``     an official respondent's account here
``band``      one national LSH band of the MinHash of the subject and description
``near``      one district LSH band, with the incident's district (4-digit code)
``place``     the incident's sub-district with the main category: the complaints about
              the same kind of thing in the same place, whatever their words
============  ========================================================================

``index_case`` is called in the intake's transaction (``repeats.receivers``); the
``index_repeats`` command fills in the cases recorded before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.utils import timezone

from cases.services import ComplainantData, RespondentData
from repeats import minhash
from repeats.models import Fingerprint
from repeats.normalize import (
    Address,
    Organisation,
    PersonName,
    looks_like_organisation,
    national_id,
    phones,
    places_named,
)

# Raise when what a fingerprint holds changes (normalisation, keys, MinHash parameters):
# ``index_repeats --outdated`` re-indexes the cases fingerprinted by an earlier version.
VERSION = 1

# How much sharing one key of a kind says, to rank the cases found before scoring them:
# an ID says more than a name, a name more than one band of a text.
WEIGHTS = {
    "cid": 100, "rid": 100, "ruser": 100,
    "cphone": 20, "chouse": 20, "cname": 10, "rname": 10, "rorg": 10, "place": 5,
    "band": 1, "near": 1,
}  # fmt: skip

PERSON_KINDS = ("person", "official")


def key(kind: str, value: str) -> int:
    """The 64-bit key of a value of a kind, as the ``bigint`` PostgreSQL stores."""
    digest = hashlib.blake2b(f"{kind}\x1f{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class SavedRespondent(RespondentData):
    """A respondent as the case holds it: with the official's account, when it has one."""

    user_id: int | None = None


@dataclass
class Draft:
    """What the intake knows about a complaint, before or after it is saved."""

    complainants: list = field(default_factory=list)  # of cases.services.ComplainantData
    respondents: list = field(default_factory=list)  # of RespondentData (SavedRespondent: + account)
    subject: str = ""
    description: str = ""
    incident_subdistrict_id: str | None = None
    main_category_id: int | None = None
    category_id: int | None = None

    @classmethod
    def from_case(cls, case) -> Draft:
        """The draft of a saved case (two queries: its complainants, its respondents)."""
        complainant_fields = [f for f in ComplainantData.__dataclass_fields__ if f != "subdistrict"]
        complainants = [ComplainantData(**row) for row in case.complainants.order_by("pk").values(*complainant_fields)]
        respondent_fields = list(SavedRespondent.__dataclass_fields__)
        respondents = [SavedRespondent(**row) for row in case.respondents.order_by("pk").values(*respondent_fields)]
        return cls(
            complainants=complainants,
            respondents=respondents,
            subject=case.subject,
            description=case.description,
            incident_subdistrict_id=case.incident_subdistrict_id,
            main_category_id=case.main_category_id,
            category_id=case.category_id,
        )


# --- A draft read for matching ----------------------------------------------------------


@dataclass
class Person:
    """A complainant read: ID, name, phones, house (read from the address when asked)."""

    national_id: str
    name: PersonName
    phones: tuple[str, ...]
    written_address: str = ""
    confidential: bool = False

    @classmethod
    def read(cls, data) -> Person | None:
        if getattr(data, "is_anonymous", False):
            return None
        person = cls(
            national_id=national_id(data.national_id or ""),
            name=PersonName.read(data.first_name, data.last_name),
            phones=phones(data.phone or ""),
            written_address=data.address or "",
            confidential=bool(getattr(data, "is_confidential", False)),
        )
        return person if (person.national_id or person.name or person.phones) else None

    @cached_property
    def address(self) -> Address:
        return Address.read(self.written_address)

    def keys(self) -> list[tuple[str, str]]:
        found = [("cid", self.national_id)] if self.national_id else []
        if self.name:
            found.append(("cname", self.name.sound))
        found += [("cphone", phone) for phone in self.phones]
        if self.name.first and self.written_address and self.address.key:
            found.append(("chouse", f"{PersonName(self.name.first, '').sound}|{self.address.key}"))
        return found


@dataclass
class Party:
    """A respondent read: a person (or official) by name, an organisation by its words."""

    kind: str
    national_id: str
    name: PersonName | None  # a person or an official
    organisation: Organisation | None  # a company or an agency
    display: str  # the name as written, for the reasons
    position: str = ""
    user_id: int | None = None

    @classmethod
    def read(cls, data) -> Party | None:
        kind = data.kind or "person"
        # A page or a shop recorded as a person is read as what it is.
        person = kind in PERSON_KINDS and not looks_like_organisation(data.name or "")
        organisation = None if person else Organisation.read(data.name or "")
        party = cls(
            kind=kind,
            national_id=national_id(data.national_id or ""),
            name=PersonName.read_full(data.name or "") if person else None,
            organisation=organisation if organisation and organisation.key else None,
            display=(data.name or "").strip(),
            position=(getattr(data, "position", "") or "").strip(),
            user_id=getattr(data, "user_id", None),
        )
        return party if (party.national_id or party.name or party.organisation or party.user_id) else None

    def keys(self) -> list[tuple[str, str]]:
        found = [("rid", self.national_id)] if self.national_id else []
        if self.user_id:
            found.append(("ruser", str(self.user_id)))
        if self.name:
            found.append(("rname", self.name.sound))
        if self.organisation:
            found.append(("rorg", self.organisation.key))
        return found


@dataclass
class Reading:
    """A draft read once for matching: its people and parties, its text's words and
    MinHash, and its lookup keys (key → kind)."""

    people: list[Person]
    parties: list[Party]
    tokens: list[str]  # the text as minhash.read cuts it, for the shared phrases
    words: set[str]
    signature: np.ndarray | None  # full 32-bit values
    subdistrict: str | None
    main_category: int | None
    category: int | None
    places: dict = field(default_factory=dict)  # the villages, lanes, land titles the text names

    @classmethod
    def of(cls, draft: Draft) -> Reading:
        text = minhash.case_text(draft.subject, draft.description)
        tokens = minhash.read(text)
        words = set(minhash.words(tokens))
        return cls(
            people=[p for p in map(Person.read, draft.complainants) if p],
            parties=[p for p in map(Party.read, draft.respondents) if p],
            tokens=tokens,
            words=words,
            signature=minhash.signature(words),
            subdistrict=draft.incident_subdistrict_id,
            main_category=draft.main_category_id,
            category=draft.category_id,
            places=places_named(text),
        )

    @cached_property
    def keys(self) -> dict[int, str]:
        """Every lookup key of the draft, with its kind."""
        found: dict[int, str] = {}
        for kind, value in self.named_keys():
            found.setdefault(key(kind, value), kind)
        return found

    def named_keys(self) -> list[tuple[str, str]]:
        named: list[tuple[str, str]] = []
        for person in self.people:
            named += person.keys()
        for party in self.parties:
            named += party.keys()
        if self.signature is not None:
            national, district = minhash.bands(self.signature)
            named += [("band", f"{band}:{value.hex()}") for band, value in enumerate(national)]
            if self.subdistrict:
                where = self.subdistrict[:4]
                named += [("near", f"{where}:{band}:{value.hex()}") for band, value in enumerate(district)]
        if self.subdistrict and self.main_category:
            named.append(("place", f"{self.subdistrict}:{self.main_category}"))
        return named

    @property
    def packed_signature(self) -> bytes:
        return minhash.pack(self.signature)


def draft_keys(draft: Draft) -> list[int]:
    """The lookup keys of a draft (what its fingerprint holds, or what it is looked up by)."""
    return list(Reading.of(draft).keys)


# --- Fingerprints -----------------------------------------------------------------------


def fingerprint_of(draft: Draft) -> tuple[list[int], bytes]:
    """The keys and the packed signature a case's fingerprint holds."""
    reading = Reading.of(draft)
    return list(reading.keys), reading.packed_signature


def index_case(case) -> None:
    """(Re)compute a case's fingerprint: called in the intake's transaction (three queries:
    its complainants, its respondents, one upsert)."""
    keys, signature = fingerprint_of(Draft.from_case(case))
    Fingerprint.objects.bulk_create(
        [Fingerprint(complaint_id=case.pk, keys=keys, signature=signature, version=VERSION, indexed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["complaint"],
        update_fields=["keys", "signature", "version", "indexed_at"],
    )
