"""An `unaccent` transform that works on PostgreSQL (the unaccent extension)
and on SQLite (a Python function registered per connection), so that search
folds diacritics the same way on the embedded and the real database; and
`any`, a membership test with one parameter however many values it holds."""

from collections.abc import Iterable

from django.db.models import CharField, Field, ForeignKey, Model, Q, TextField, Transform
from django.db.models.lookups import In

from .bulk import base_type
from .text import fold


class Unaccent(Transform):
    lookup_name = "unaccent"
    function = "UNACCENT"


class AnyOf(In):
    """`field__any=[…]`: the field's value is one of the list's. Where
    `field__in` writes one placeholder per value, and Django prepares each
    (15 ms to compile a query over a year's 3,400 assessments, repeated by
    every statement of an import), this sends the list to PostgreSQL as one
    array parameter. Elsewhere (SQLite) it is `__in`."""

    lookup_name = "any"

    def get_prep_lookup(self):
        if isinstance(self.rhs, str | bytes) or not isinstance(self.rhs, Iterable):
            raise TypeError(f"__any takes a list of values, not {type(self.rhs).__name__}")
        self.rhs = [value.pk if isinstance(value, Model) else value for value in self.rhs]
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        field = getattr(field, "target_field", field)  # a foreign key: the column it refers to
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s::{base_type(field)}[])", (*lhs_params, values)


def register_lookups():
    CharField.register_lookup(Unaccent)
    TextField.register_lookup(Unaccent)
    Field.register_lookup(AnyOf)
    ForeignKey.register_lookup(AnyOf)  # a relation's lookups are its own, not its base Field's


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
