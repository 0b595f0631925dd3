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


def one_line(text: str) -> str:
    """Text from users made safe for a mail header (a subject, a name, an
    attachment's name): line breaks of every kind and other control
    characters become spaces, runs of spaces one. A title typed on two lines
    must not make every message about it unsendable."""
    if not text:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in str(text))
    return " ".join(cleaned.split())
