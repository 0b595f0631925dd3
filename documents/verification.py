"""The verification code an issued document carries: ten characters of
Crockford's base32 (no I, L, O, U: nothing to misread on paper or say
twice on the phone), shown in groups ("7KQ2M-9XD3F") and read back
whatever the case, spaces or dashes, with O taken for 0 and I or L for 1."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a person typed, as stored: "7kq2m-9xd3f" and "7KQ2M 9XD3F" give 7KQ2M9XD3F."""
    text = "".join(ch for ch in str(typed).upper() if ch.isalnum())
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def shown(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if code else ""
