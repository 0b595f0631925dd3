"""Vietnamese text folding, shared by search and imports."""

import unicodedata


def fold(value: str) -> str:
    """Lower-case, strip diacritics, đ -> d: "LẠNG SƠN" and "lang son" meet.

    Mirrors PostgreSQL's unaccent() + lower() so Python-side folding (query
    terms, header matching) agrees with what the database compares."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def clip(text: str, limit: int = 60) -> str:
    """Text quoted in a message, shortened at a word with "…", never mid-word."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut.rstrip(',;:')}…"
