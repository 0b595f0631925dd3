"""Bulk writes at the database's pace: foreign keys checked once per
distinct key rather than once per row (`foreign_keys_checked_once`), many
rows that differ in one column written by one statement
(`create_for_each`), and COPY from lines of text (`copy_from`).

PostgreSQL enforces a foreign key with a trigger that runs, for each row
written, a lookup of the referenced row and a KEY SHARE lock on it. A
year's score import writes 340,000 rows that reference 3,400 assessments
and 100 criteria: 680,000 lookups of 3,500 rows, which took longer than
writing the rows and their three indexes together. `foreign_keys_checked_once`
does what those triggers do once per key, before the block writes: each
key the caller says the block will write is locked FOR KEY SHARE in its
table, and if one is missing nothing is written. Then it switches the
triggers off for the block (`session_replication_role = replica`,
PostgreSQL's own mechanism for replication and for restores) and back on
after it. The constraints stay declared and enforced for every other write.

The switch needs the database role to be a superuser or, from PostgreSQL
15, to hold `GRANT SET ON PARAMETER session_replication_role` (README,
deployment step 4). Without it the block runs with the triggers on: the
same result, at the per-row price."""

from __future__ import annotations

import copy
import io
import logging
import re
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint
from django.db.models.fields import NOT_PROVIDED, AutoFieldMixin

logger = logging.getLogger(__name__)


def may_defer_key_checks() -> bool:
    """Whether this connection's role may switch the key triggers off."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def _foreign_keys(model) -> list:
    """The fields of the foreign key constraints the model's table declares."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and field.db_constraint
    ]


def base_type(field) -> str:
    """The field's column type without its length or precision: an explicit
    cast to varchar(20) or numeric(7, 2) cuts a value silently, where
    storing into the column refuses it (or rounds it as any write does)."""
    return re.sub(r"\(.*\)", "", field.cast_db_type(connection)).strip()


@contextmanager
def foreign_keys_checked_once(model, keys: dict[str, Iterable]):
    """Write rows of `model`'s table inside the block (COPY, INSERT …
    SELECT, ON CONFLICT) with their foreign keys checked once per key.
    `keys` maps each foreign key column of the table to every value the
    block writes in it, whether it inserts the row or updates it (the
    caller builds the rows from these values; a value left out would go
    unchecked). The keys are checked and locked before the block, as
    PostgreSQL's trigger locks each row's key when it writes the row (not
    at the commit, as Django's deferred constraints would: the referenced
    rows must exist already). IntegrityError, and nothing written, if one
    names no row. The block runs in a savepoint either way: if it fails,
    its writes are undone and the triggers are back on."""
    foreign_keys = _foreign_keys(model)
    unnamed = {field.column for field in foreign_keys} - set(keys)
    if unnamed:
        raise ValueError(f"{model._meta.label}: the keys written in {sorted(unnamed)} are not given")
    quote = connection.ops.quote_name
    with transaction.atomic():
        if not may_defer_key_checks():
            yield
            return
        with connection.cursor() as cursor:
            for field in foreign_keys:
                wanted = list({key for key in keys[field.column] if key is not None})
                if not wanted:
                    continue
                target = field.related_model._meta.db_table
                # The lock PostgreSQL's trigger takes: the referenced row can
                # be neither deleted nor re-keyed until this transaction ends.
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {quote(target)} WHERE {quote(field.target_field.column)} "
                    f"= ANY(%s::{base_type(field.target_field)}[]) FOR KEY SHARE) AS locked",
                    [wanted],
                )
                (found,) = cursor.fetchone()
                if found != len(wanted):
                    table, missing = model._meta.db_table, len(wanted) - found
                    logger.warning("%s: %s of %s keys in %s missing", table, missing, len(wanted), field.column)
                    raise IntegrityError(
                        f'insert into "{table}" violates its foreign key on "{field.column}": '
                        f'{missing} key(s) not present in "{target}"'
                    )
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
            cursor.execute("SET LOCAL session_replication_role = origin")


def create_for_each(prototype, field: str, values) -> None:
    """One row per value of `field`, every other column as in the unsaved
    `prototype`; a row that would repeat a unique key is skipped (as
    bulk_create's ignore_conflicts). On PostgreSQL one INSERT … SELECT over
    the values: bulk_create prepares each column of each row in Python, a
    quarter of a second for a year's 3,400 assessments of 15 columns."""
    model = type(prototype)
    meta = model._meta
    varying = meta.get_field(field)
    if not isinstance(meta.pk, AutoFieldMixin):
        raise ValueError(f"{meta.label}: its primary key is not generated, every row would repeat the prototype's")
    # A unique key without the varying column would be repeated by every
    # row: all but the first would be skipped as conflicts, silently.
    keys = [{f.name} for f in meta.concrete_fields if f.unique and not f.primary_key]
    keys += [set(t) for t in meta.unique_together]
    keys += [set(c.fields) for c in meta.constraints if isinstance(c, UniqueConstraint)]  # conditional ones too
    for key in keys:
        if varying.name not in key:  # (a key of expressions has no fields: refused too)
            raise ValueError(f"{meta.label}: {sorted(key)} is unique, create_for_each would repeat it")
    fixed = [f for f in meta.concrete_fields if f is not varying and not isinstance(f, AutoFieldMixin)]
    for f in fixed:
        if f.generated or f.db_default is not NOT_PROVIDED:
            raise ValueError(f"{meta.label}.{f.name}: a value the database computes, not supported here")
    values = list(values)
    if not values:
        return
    if connection.vendor != "postgresql":
        rows = []
        for value in values:
            row = copy.copy(prototype)
            setattr(row, varying.attname, value)
            rows.append(row)
        model.objects.bulk_create(rows, ignore_conflicts=True)
        return
    quote = connection.ops.quote_name
    params = [f.get_db_prep_save(f.pre_save(prototype, add=True), connection) for f in fixed]
    # Each constant cast to its column's type: a bare NULL or date would be
    # taken for text in a SELECT list.
    constants = ", ".join(f"%s::{base_type(f)}" for f in fixed)
    columns = ", ".join(quote(f.column) for f in [*fixed, varying])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"SELECT {constants}, value FROM unnest(%s::{base_type(varying)}[]) AS value "
            "ON CONFLICT DO NOTHING",
            [*params, [varying.get_db_prep_save(v, connection) for v in values]],
        )


def copy_from(cursor, table: str, columns: list[str], texts) -> None:
    """COPY rows into `table` from `texts`, runs of whole lines in COPY's
    text format (a year's scores make 12 MB of them)."""
    quote = connection.ops.quote_name
    cursor.cursor.copy_expert(
        f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN", io.StringIO("".join(texts))
    )
