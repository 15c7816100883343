"""Public tracking codes: 130 random bits, written so that people can read them aloud.

Crockford's base32 (digits and capitals without I, L, O, U) has no letters
that sound or look alike; 26 characters carry 130 bits, grouped 5-5-5-5-6.
Typed codes are forgiving: lower case, spaces, dashes, O for 0, I or L for 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26  # 26 × 5 = 130 bits, over the 128 asked for
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_tracking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_tracking_code(code: str) -> str:
    return "-".join([code[0:5], code[5:10], code[10:15], code[15:20], code[20:]])


def normalize_tracking_code(typed: str) -> str:
    return "".join(c for c in typed.upper().translate(_TYPOS) if c in ALPHABET)
