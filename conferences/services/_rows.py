"""Saving a list of rows a conference or plan owns (its basis documents,
programme, invitee lines, duties…) from plain data: what the page's formset
cleaned, never the formset itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.exceptions import Refused


def refused_by(error: ValidationError) -> Refused:
    return Refused(*[m for messages in error.message_dict.values() for m in messages])


def rows_save(*, owner, fk_name: str, model, rows: list[dict], deleted: list[int]) -> tuple[list, list]:
    """Delete the rows named in `deleted`, then create or update each of
    `rows` (a dict of field values; "id" names an existing row, none a new
    one), then number them 1, 2, 3… in the order typed (new rows last).
    Returns (saved, removed)."""
    existing = {row.pk: row for row in model.objects.filter(**{fk_name: owner})}
    removed = [existing.pop(pk) for pk in deleted if pk in existing]
    for row in removed:
        row.delete()
    saved = []
    for values in rows:
        values = dict(values)
        pk = values.pop("id", None)
        instance = existing.get(pk) if pk else model(**{fk_name: owner})
        if instance is None:
            raise Refused(_("Một dòng vừa bị người khác xóa; hãy tải lại trang rồi sửa lại."))
        many = {name: values.pop(name) for name in list(values) if model._meta.get_field(name).many_to_many}
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except ValidationError as error:
            raise refused_by(error) from None
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        saved.append(instance)
    _renumber(model, fk_name, owner)
    return saved, removed


def _renumber(model, fk_name: str, owner) -> None:
    """Rows keep the order typed; new rows (order 0) go last; then 1, 2, 3…"""
    rows = list(model.objects.filter(**{fk_name: owner}))
    rows.sort(key=lambda row: (row.order or 10**6, row.pk))
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row.order = position
            row.save(update_fields=["order"])


def texts(rows) -> list[str]:
    """How a list reads in the audit trail."""
    return [str(row)[:120] for row in rows]
