"""A grievance's text as a set of words, its MinHash signature, and the LSH band keys that
find the texts like it through one index lookup.

Text → tokens (pythainlp's newmm, after cleaning and writing the abbreviation table out)
→ words (without Thai and complaint-form stopwords) → MinHash of the set of words
(datasketch, ``NUM_PERM`` permutations from a fixed seed) → bands, each one 64-bit key
(``repeats.indexing``). Two texts whose word sets have Jaccard similarity *s* share at
least one of ``b`` bands of ``r`` values with probability 1 − (1 − s^r)^b.

Words, not pairs of words: a grievance told again in other words keeps more of its words
(Jaccard 0.24–0.53 on hand-written retellings) than of its word pairs (0.15–0.35), and
pairs tell little more about two different matters (0.08 against 0.12 at the 95th
percentile of unrelated bench texts).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import cache, lru_cache

import numpy as np
from datasketch import MinHash
from pythainlp.corpus import thai_stopwords, thai_words, tnc
from pythainlp.tokenize import word_tokenize

from repeats.normalize import DATA, expand_abbreviations

# 128 permutations: the estimate's standard error is about 0.04 at a similarity of 0.5,
# enough to rank the candidates, whose exact similarity is then computed from their text.
NUM_PERM = 128
SEED = 20251
# Two sets of bands over separate permutations (see ``band_probability``):
# - national bands, 16 of 6 rows (permutations 0-95): a pair shares one with probability
#   0.96 at similarity 0.75, 0.22 at 0.5, 0.001 at 0.25: the same text, a little edited,
#   anywhere in the country; few enough cases share a band that one lookup reads them.
# - district bands, 16 of 2 rows (permutations 96-127), keyed with the incident's district:
#   0.94 at 0.4, 0.78 at 0.3, 0.48 at 0.2: the same grievance retold in other words, in
#   the same district, where few cases share the few words a band holds.
# The complaints about the same kind of thing in the same sub-district come through the
# ``place`` key (repeats.indexing), whatever their words.
NATIONAL_ROWS, NATIONAL_BANDS = 6, 16
DISTRICT_ROWS, DISTRICT_BANDS = 2, 16
# Long texts are compared by their beginning: the subject and the first part of the
# description say what the grievance is, and the cost of reading Thai grows with length.
MAX_CHARS = 3000

_WORD = re.compile(r"[\w\u0e01-\u0e4e]")  # a token with at least one letter or digit


@cache
def stopwords() -> frozenset[str]:
    """pythainlp's Thai stopwords (they ship in its wheel) and the complaint form's own."""
    with open(DATA / "stopwords.txt", encoding="utf-8") as handle:
        own = {line.strip() for line in handle if line.strip() and not line.startswith("#")}
    return frozenset(thai_stopwords()) | own


def read(text: str) -> list[str]:
    """The tokens of ``text`` as newmm cuts it, after cleaning and writing the
    abbreviations out; runs of spaces are one " " token (they are part of the phrases)."""
    text = expand_abbreviations((text or "")[:MAX_CHARS])
    if not text:
        return []
    return [" " if token.isspace() else token for token in word_tokenize(text, engine="newmm")]


@lru_cache(maxsize=4096)
def _read_cached(text: str) -> tuple[str, ...]:
    return tuple(read(text))


def read_cached(text: str) -> list[str]:
    """``read``, remembered for the texts read lately: the intake check runs again as the
    officer types, over the same candidates."""
    return list(_read_cached(text))


def words(tokens: Sequence[str]) -> list[str]:
    """The tokens that say something: no spaces, punctuation, ๆ or stopwords."""
    drop = stopwords() | {"ๆ"}
    return [token for token in tokens if token not in drop and _WORD.search(token)]


def case_text(subject: str, description: str) -> str:
    return f"{subject or ''}\n{description or ''}"


@cache
def _permutations():
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def signature(items: Iterable[str]) -> np.ndarray | None:
    """The MinHash of a set of words (``NUM_PERM`` uint32 values), or None for none."""
    encoded = [item.encode("utf-8") for item in items]
    if not encoded:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", permutations=_permutations())
    minhash.update_batch(encoded)
    return minhash.hashvalues.astype(np.uint32)


def bands(values: np.ndarray) -> tuple[list[bytes], list[bytes]]:
    """The signature cut into its national and its district bands, each band the bytes of
    its values."""
    national_end = NATIONAL_ROWS * NATIONAL_BANDS
    national = [
        values[band * NATIONAL_ROWS : (band + 1) * NATIONAL_ROWS].astype("<u4").tobytes()
        for band in range(NATIONAL_BANDS)
    ]
    district = [
        values[national_end + band * DISTRICT_ROWS : national_end + (band + 1) * DISTRICT_ROWS].astype("<u4").tobytes()
        for band in range(DISTRICT_BANDS)
    ]
    return national, district


def pack(values: np.ndarray | None) -> bytes:
    """The signature as stored: the low 16 bits of each value (b-bit MinHash: two texts'
    values agree by chance once in 65,536, which does not move the estimate)."""
    if values is None:
        return b""
    return (values & 0xFFFF).astype("<u2").tobytes()


def unpack(stored: bytes | memoryview | None) -> np.ndarray | None:
    if not stored:
        return None
    return np.frombuffer(bytes(stored), dtype="<u2")


def estimate(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """The Jaccard similarity two packed signatures estimate."""
    if a is None or b is None or len(a) != len(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def estimates(mine: np.ndarray | None, theirs: list) -> list[float]:
    """``estimate`` of one signature against many at once."""
    if mine is None or not theirs:
        return [0.0] * len(theirs)
    width = len(mine)
    rows = np.stack([t if t is not None and len(t) == width else np.full(width, -1, dtype=np.int32) for t in theirs])
    return ((rows == mine).sum(axis=1) / width).tolist()


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@cache
def _frequencies() -> tuple[dict[str, int], frozenset[str], float]:
    """Word counts of the Thai National Corpus (pythainlp ships them), and its dictionary."""
    counts = dict(tnc.word_freqs())
    return counts, frozenset(thai_words()), math.log(sum(counts.values()))


def weight(word: str) -> float:
    """How much sharing a word says: the more common in Thai (the Thai National Corpus),
    the less. A word the corpus does not hold is a name (of a village, a lane, a shop), a
    number or a rare word: they tell one matter from another of the same kind."""
    counts, dictionary, total = _frequencies()
    count = counts.get(word) or (5 if word in dictionary else 1)
    return total - math.log(count)


def weighted_jaccard(a: set[str], b: set[str]) -> float:
    """The share of the two texts' words they both have, each word counted by ``weight``:
    "ซอยศรีวิชัย 7" in both says more than "ถนน" and "ชำรุด" in both."""
    if not a or not b:
        return 0.0
    union = sum(weight(w) for w in a | b)
    return sum(weight(w) for w in a & b) / union if union else 0.0


def band_probability(similarity: float, *, rows: int, bands: int) -> float:
    """The chance that two texts of this Jaccard similarity share at least one band key."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def shared_phrases(a: Sequence[str], b: Sequence[str], *, most: int = 5) -> list[str]:
    """The longest runs of tokens (from ``read``) both texts have in the same order, longest
    first: what the panel highlights. A run counts when it holds two words that say
    something, or one of six letters or more; it is a piece of the cleaned text."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    drop = stopwords()
    phrases = []
    for block in matcher.get_matching_blocks():
        run = list(a[block.a : block.a + block.size])
        # A phrase begins and ends with a word that says something.
        while run and (run[0] in drop or not _WORD.search(run[0])):
            run.pop(0)
        while run and (run[-1] in drop or not _WORD.search(run[-1])):
            run.pop()
        meaningful = [t for t in run if t not in drop and _WORD.search(t)]
        phrase = "".join(run)
        if (len(meaningful) >= 2 or (meaningful and len(phrase) >= 6)) and phrase not in phrases:
            phrases.append(phrase)
    phrases.sort(key=len, reverse=True)
    return phrases[:most]
