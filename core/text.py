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


# The Vietnamese alphabet's order: ă and â after a, đ after d, ê after e, ô
# and ơ after o, ư after u; a tone mark only breaks ties. A code-point sort
# puts Đà Nẵng and Đồng Tháp after Yên Bái.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


def vn_sort_key(value: str) -> tuple:
    """Sort key for Vietnamese names, as a dictionary orders them."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", (value or "").lower()):
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c) or c in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", base)
        position = _ALPHABET.find(letter)
        letters.append(position if position >= 0 and letter else 100 + ord(letter[:1] or " "))
        tones.append(next((_TONES[c] for c in decomposed if c in _TONES), 0))
    return tuple(letters), tuple(tones)
