"""Reads of the audit trail, for the viewer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from .audit import ACTIONS
from .lookups import search_q
from .models import AuditEntry


def audit_list(
    *,
    user,
    search: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    target: str = "",
) -> QuerySet[AuditEntry]:
    """The trail an administrator (everything) or an organiser (their
    province's) may read, newest first. `target` is "app.model:pk"."""
    rows = AuditEntry.objects.select_related("content_type")
    if not user.is_administrator:
        rows = rows.filter(province_id=user.province_id) if user.province_id else rows.none()
    if search:
        rows = rows.filter(search_q(search, "object_repr", "actor_name", "note"))
    if action:
        rows = rows.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if since:
        rows = rows.filter(created_at__date__gte=since)
    if until:
        rows = rows.filter(created_at__date__lte=until)
    if target and ":" in target:
        label, _, pk = target.partition(":")
        app_label, _, model = label.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        rows = rows.filter(content_type=content_type, object_id=pk) if content_type else rows.none()
    return rows.order_by("-created_at", "-pk")


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda row: row[1])


@dataclass
class Change:
    label: str
    before: object
    after: object


def changes(entry: AuditEntry) -> list[Change]:
    """Each field that changed, under the field's Vietnamese name."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    out = []
    for name in dict.fromkeys([*entry.before, *entry.after]):
        label = name
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                pass
        out.append(Change(label=label, before=entry.before.get(name, ""), after=entry.after.get(name, "")))
    return out
