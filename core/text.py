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
