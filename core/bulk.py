"""Bulk writes at the database's pace: foreign keys checked once per
distinct key rather than once per row (`foreign_keys_checked_once`), and
many rows that differ in one column written by one statement
(`create_for_each`).

PostgreSQL enforces a foreign key with a trigger that runs, for each row
written, a lookup of the referenced row and a KEY SHARE lock on it. A
year's score import writes 340,000 rows that reference 3,400 assessments
and 100 criteria: 680,000 lookups of 3,500 rows, which took longer than
writing the rows and their three indexes together. `foreign_keys_checked_once`
switches those triggers off for the block (`session_replication_role =
replica`, PostgreSQL's own mechanism for replication and for restores),
then does what they would have done, once per key: every distinct key the
block wrote is locked FOR KEY SHARE in its table, and if one is missing
the block's writes are refused and rolled back. The constraints stay
declared and enforced for every other write.

The switch needs the database role to be a superuser or, from PostgreSQL
15, to hold `GRANT SET ON PARAMETER session_replication_role` (README,
deployment step 4). Without it the block runs with the triggers on: the
same result, at the per-row price."""

from __future__ import annotations

import copy
import logging
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.db.models.fields import AutoFieldMixin

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


def _foreign_keys(model) -> list[tuple[str, str, str]]:
    """(column, referenced table, referenced column) of each foreign key
    constraint the model's table declares."""
    return [
        (field.column, field.related_model._meta.db_table, field.target_field.column)
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and field.db_constraint
    ]


@contextmanager
def foreign_keys_checked_once(model):
    """Insert rows into `model`'s table inside the block (COPY, INSERT …
    SELECT, ON CONFLICT): their foreign keys are checked once per distinct
    key when the block ends. Only rows inserted in the block are checked
    (an UPDATE that leaves the key columns alone needs no check, as in
    PostgreSQL's own triggers), so the block must not change key columns of
    existing rows. Raises IntegrityError, with the block's writes undone, if
    a key names no row."""
    if not may_defer_key_checks():
        yield
        return
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    quote = connection.ops.quote_name
    # A savepoint: if the block fails and its caller goes on in the same
    # transaction, rolling it back also restores the triggers.
    with transaction.atomic(), connection.cursor() as cursor:
        # The block's new rows take their ids from the table's sequence, so
        # they lie between these two values (with, at most, rows other
        # transactions insert meanwhile: checked too, harmlessly).
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk])
        (first,) = cursor.fetchone()
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk])
        (last,) = cursor.fetchone()
        foreign_keys = _foreign_keys(model)
        if not foreign_keys:
            return
        # Every key column's distinct values in one pass over the new rows:
        # a row per value, the other columns NULL (grouping sets).
        columns = [quote(column) for column, _target, _target_column in foreign_keys]
        cursor.execute(
            f"SELECT {', '.join(f'GROUPING({c})' for c in columns)}, {', '.join(columns)} FROM {quote(table)} "
            f"WHERE {quote(pk)} > %s AND {quote(pk)} < %s "
            f"GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in columns)})",
            [first, last],
        )
        count = len(columns)
        keys = [set() for _ in columns]
        for row in cursor.fetchall():
            # GROUPING(c) is 0 in the rows grouped by c.
            index = row[:count].index(0)
            if row[count + index] is not None:
                keys[index].add(row[count + index])
        for (column, target, target_column), wanted in zip(foreign_keys, keys, strict=True):
            if not wanted:
                continue
            # The lock PostgreSQL's trigger takes: the referenced row can be
            # neither deleted nor re-keyed until this transaction ends.
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {quote(target)} WHERE {quote(target_column)} = ANY(%s) "
                f"FOR KEY SHARE) AS locked",
                [list(wanted)],
            )
            (found,) = cursor.fetchone()
            if found != len(wanted):
                logger.warning("%s: %s of %s keys in %s missing", table, len(wanted) - found, len(wanted), column)
                raise IntegrityError(
                    f'insert into "{table}" violates its foreign key on "{column}": '
                    f'{len(wanted) - found} key(s) not present in "{target}"'
                )


def create_for_each(prototype, field: str, values) -> None:
    """One row per value of `field`, every other column as in the unsaved
    `prototype`; a row that would repeat a unique key is skipped (as
    bulk_create's ignore_conflicts). On PostgreSQL one INSERT … SELECT over
    the values: bulk_create prepares each column of each row in Python, a
    quarter of a second for a year's 3,400 assessments of 15 columns."""
    model = type(prototype)
    meta = model._meta
    varying = meta.get_field(field)
    # A unique key without the varying column would be repeated by every
    # row: all but the first would be skipped as conflicts, silently.
    keys = [{f.name} for f in meta.concrete_fields if f.unique and not f.primary_key]
    keys += [set(c.fields) for c in meta.total_unique_constraints] + [set(t) for t in meta.unique_together]
    for key in keys:
        if varying.name not in key:
            raise ValueError(f"{meta.label}: {sorted(key)} is unique, create_for_each would repeat it")
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
    fixed = [f for f in meta.concrete_fields if f is not varying and not isinstance(f, AutoFieldMixin)]
    quote = connection.ops.quote_name
    params = [f.get_db_prep_save(f.pre_save(prototype, add=True), connection) for f in fixed]
    # Each constant cast to its column's type: a bare NULL or date would be
    # taken for text in a SELECT list.
    constants = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in fixed)
    columns = ", ".join(quote(f.column) for f in [*fixed, varying])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"SELECT {constants}, value FROM unnest(%s::{varying.cast_db_type(connection)}[]) AS value "
            "ON CONFLICT DO NOTHING",
            [*params, [varying.get_db_prep_save(v, connection) for v in values]],
        )


class _Lines:
    """The file COPY reads from, filled as it reads from an iterable of
    texts, each a run of whole lines."""

    def __init__(self, texts):
        self._texts = iter(texts)
        self._pending = ""

    def read(self, size: int = -1) -> str:
        parts, length = [self._pending], len(self._pending)
        while size < 0 or length < size:
            text = next(self._texts, None)
            if text is None:
                break
            parts.append(text)
            length += len(text)
        text = "".join(parts)
        if 0 <= size < len(text):
            text, self._pending = text[:size], text[size:]
        else:
            self._pending = ""
        return text


def copy_from(cursor, table: str, columns: list[str], texts) -> None:
    """COPY rows into `table` from `texts` (an iterable of runs of whole
    lines in COPY's text format), each pulled as PostgreSQL takes in the
    previous ones: the server stores the first rows while Python still
    writes the last, and the whole never sits in memory."""
    quote = connection.ops.quote_name
    cursor.cursor.copy_expert(
        f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN", _Lines(texts), size=65536
    )
