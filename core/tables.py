"""Tables people sort: which column a list is ordered by (?sort=key, or
?sort=-key the other way round), the header links that change it, and the
order the database applies. All on the server, so the order holds across
pages, goes along with the filters into the export and needs no JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When
from django.http import QueryDict
from django.utils.translation import gettext as _

from .text import fold

PARAM = "sort"


@dataclass(frozen=True)
class Column:
    """One column of a table. `order` holds the fields (or expressions) it
    sorts by, ascending; a column without them does not sort. Figures and
    dates open largest first (`descending_first`), as people look for the
    most, the latest, the worst."""

    key: str
    label: str
    order: tuple = ()
    css: str = ""
    title: str = ""
    descending_first: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order)


@dataclass(frozen=True)
class Header:
    column: Column
    url: str
    aria_sort: str
    action: str


class Sorting:
    """The order a request asks for among `columns`; an unknown or missing
    ?sort= leaves the list in its own (the selector's) order."""

    def __init__(self, query: QueryDict, columns: Iterable[Column]):
        self.columns = {column.key: column for column in columns}
        self.query = query
        raw = query.get(PARAM, "")
        key = raw.removeprefix("-")
        column = self.columns.get(key)
        if column is not None and column.sortable:
            self.key, self.descending = key, raw.startswith("-")
        else:
            self.key, self.descending = "", False

    @property
    def column(self) -> Column | None:
        return self.columns.get(self.key)

    @property
    def param(self) -> str:
        """The ?sort= value in force ("" for the list's own order)."""
        if not self.key:
            return ""
        return f"-{self.key}" if self.descending else self.key

    @property
    def choices(self) -> list[tuple[str, str]]:
        """Every order as a choice, for phones, where the headers are hidden."""
        found = []
        for column in self.columns.values():
            if column.sortable:
                found.append((column.key, _("%(column)s, tăng dần") % {"column": column.label}))
                found.append((f"-{column.key}", _("%(column)s, giảm dần") % {"column": column.label}))
        return found

    def order_by(self, *tiebreak) -> list:
        """ORDER BY for the column asked for (empty rows last either way),
        then `tiebreak` so pages never share or skip a row; [] when none is."""
        if not self.key:
            return []
        terms = []
        for item in self.column.order:
            expression = F(item) if isinstance(item, str) else item
            terms.append(expression.desc(nulls_last=True) if self.descending else expression.asc(nulls_last=True))
        return terms + list(tiebreak)

    def sort_rows(self, rows: list, value) -> list:
        """The same order for rows sorted in Python: `value(row)` is the
        sort value, None last either way; the sort is stable."""
        present = [row for row in rows if value(row) is not None]
        missing = [row for row in rows if value(row) is None]
        return sorted(present, key=value, reverse=self.descending) + missing

    def querystring(self, **changes) -> str:
        """The request's query without its page (a new order or filter
        starts at page 1), with `changes` applied."""
        query = self.query.copy()
        query.pop("page", None)
        for name, value in changes.items():
            query.pop(name, None)
            if value:
                query[name] = value
        return query.urlencode()

    def header(self, key: str) -> Header:
        column = self.columns[key]
        if not column.sortable:
            return Header(column, "", "", "")
        active = key == self.key
        if active:
            descending = not self.descending
        else:
            descending = column.descending_first
        aria = ("descending" if self.descending else "ascending") if active else ""
        action = _("bấm để sắp xếp giảm dần") if descending else _("bấm để sắp xếp tăng dần")
        param = f"-{key}" if descending else key
        return Header(column, f"?{self.querystring(**{PARAM: param})}", aria, action)


def choice_order(field: str, choices: Sequence[tuple[str, str]], *, by_label: bool = False) -> Case:
    """An expression ordering `field`'s choices as listed (a status in its
    workflow's order), or by their labels as read (`by_label`), not by
    their stored codes."""
    values = [value for value, _label in choices]
    if by_label:
        values = [value for value, label in sorted(choices, key=lambda choice: fold(str(choice[1])))]
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )
