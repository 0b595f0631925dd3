"""An `unaccent` transform that works on PostgreSQL (the unaccent extension)
and on SQLite (a Python function registered per connection), so that search
folds diacritics the same way on the embedded and the real database."""

from django.db.models import CharField, Q, TextField, Transform

from .text import fold


class Unaccent(Transform):
    lookup_name = "unaccent"
    function = "UNACCENT"


def register_lookups():
    CharField.register_lookup(Unaccent)
    TextField.register_lookup(Unaccent)


def install_sqlite_unaccent(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, fold, deterministic=True)


def search_q(term: str, *fields: str) -> Q:
    """Diacritic- and case-folding match of `term` on any of `fields`. A NUL
    (typed, or sent as %00) is dropped: PostgreSQL refuses it in a string."""
    folded = fold((term or "").replace("\x00", ""))
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__unaccent__icontains": folded})
    return query
