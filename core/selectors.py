"""Reads of the audit trail, for the viewer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .audit import ACTIONS
from .formatting import vn_date, vn_datetime
from .lookups import search_q
from .models import AuditEntry

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2})?)?")


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


def shown(value) -> str:
    """A stored value as people read it: dates dd/mm/yyyy, yes/no, lists joined."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items())
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        moment = dt.datetime.fromisoformat(value)
        return vn_datetime(moment) if "T" in value else vn_date(moment.date())
    return str(value)


def changes(entry: AuditEntry) -> list[Change]:
    """Each field that changed, under the field's Vietnamese name; what was
    and stays empty is left out."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    out = []
    for name in dict.fromkeys([*entry.before, *entry.after]):
        before, after = shown(entry.before.get(name)), shown(entry.after.get(name))
        if not before and not after:
            continue
        label = name
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                pass
        out.append(Change(label=label, before=before, after=after))
    return out
