"""Reads of the audit trail, for the viewer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import ACTIONS
from .formatting import vn_date, vn_datetime
from .lookups import search_q
from .models import AuditEntry
from .text import fold

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2})?)?")


# The actor choice for rows no person wrote (tasks, commands, imports).
SYSTEM = "he-thong"


def audit_visible(*, user) -> QuerySet[AuditEntry]:
    """The trail an administrator (everything) or an organiser (their
    province's) may read."""
    rows = AuditEntry.objects.all()
    if not user.is_administrator:
        rows = rows.filter(province_id=user.province_id) if user.province_id else rows.none()
    return rows


def audit_list(
    *,
    user,
    search: str = "",
    action: str = "",
    actor: str = "",
    kind: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    target: str = "",
) -> QuerySet[AuditEntry]:
    """The trail `user` may read, newest first. `actor` is a user's id or
    SYSTEM; `kind` is "app.model"; `target` is "app.model:pk"."""
    rows = audit_visible(user=user).select_related("content_type")
    if search:
        rows = rows.filter(search_q(search, "object_repr", "actor_name", "note"))
    if action:
        rows = rows.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if actor == SYSTEM:
        rows = rows.filter(actor__isnull=True)
    elif actor.isdigit():
        rows = rows.filter(actor_id=int(actor))
    if kind:
        rows = rows.filter(content_type=_content_type(kind))
    if since:
        rows = rows.filter(created_at__date__gte=since)
    if until:
        rows = rows.filter(created_at__date__lte=until)
    if target and ":" in target:
        label, _, pk = target.partition(":")
        content_type = _content_type(label)
        rows = rows.filter(content_type=content_type, object_id=pk) if content_type else rows.none()
    return rows.order_by("-created_at", "-pk")


def _content_type(label: str) -> ContentType | None:
    app_label, _, model = label.partition(".")
    return ContentType.objects.filter(app_label=app_label, model=model).first()


def kind_label(content_type: ContentType) -> str:
    """What kind of row an entry speaks of, as people call it ("Hội nghị")."""
    model = content_type.model_class()
    return capfirst(model._meta.verbose_name) if model else content_type.model


def actor_choices(*, user) -> list[tuple[str, str]]:
    """Who wrote the rows `user` may read, by their latest name, then the system."""
    rows = audit_visible(user=user)
    names: dict[int, str] = {}
    for actor_id, name in (
        rows.filter(actor__isnull=False).order_by("actor_id", "-created_at").values_list("actor_id", "actor_name")
    ):
        names.setdefault(actor_id, name)
    choices = sorted(((str(pk), name or str(pk)) for pk, name in names.items()), key=lambda row: fold(row[1]))
    if rows.filter(actor__isnull=True).exists():
        choices.append((SYSTEM, str(_("Hệ thống"))))
    return choices


def kind_choices(*, user) -> list[tuple[str, str]]:
    """The kinds of rows the trail `user` may read speaks of."""
    ids = audit_visible(user=user).exclude(content_type=None).values_list("content_type_id", flat=True).distinct()
    kinds = ContentType.objects.filter(pk__in=ids)
    return sorted(((f"{ct.app_label}.{ct.model}", kind_label(ct)) for ct in kinds), key=lambda row: fold(row[1]))


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


# Keys services write beside a model's fields (counts, lists, summaries).
KEY_LABELS = {
    "added": gettext_lazy("thêm"),
    "dropped": gettext_lazy("bỏ"),
    "kept": gettext_lazy("giữ nguyên"),
    "summary": gettext_lazy("tóm tắt"),
    "codes": gettext_lazy("mã"),
    "criteria": gettext_lazy("số tiêu chí"),
    "cells": gettext_lazy("số ô"),
    "agencies": gettext_lazy("số đơn vị"),
    "delegates": gettext_lazy("đại biểu"),
    "duties": gettext_lazy("nhiệm vụ"),
    "outline": gettext_lazy("dàn ý"),
    "nodes": gettext_lazy("số mục"),
    "subject": gettext_lazy("tiêu đề thư"),
    "email": gettext_lazy("thư điện tử"),
    "framework": gettext_lazy("bộ chỉ số"),
    "successors": gettext_lazy("đơn vị kế thừa"),
    "members": gettext_lazy("thành viên"),
    # A conference's lists, as conference_part_save records them.
    "invitees": gettext_lazy("thành phần mời"),
    "basis": gettext_lazy("văn bản căn cứ"),
    "content": gettext_lazy("nội dung"),
    "programme": gettext_lazy("chương trình"),
    "awards": gettext_lazy("khen thưởng"),
}


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model, field, name: str) -> str:
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    if field is not None and field.related_model is not None:  # a reverse relation: its rows
        return str(field.related_model._meta.verbose_name_plural)
    return str(KEY_LABELS.get(name, name))


def _choice_label(field, value):
    """A stored code as its label ("submitted" → "Đã nộp"), lists included."""
    choices = dict(getattr(field, "flatchoices", None) or [])
    if not choices:
        return value
    if isinstance(value, list):
        return [choices.get(v, v) for v in value]
    return choices.get(value, value)


def changes(entry: AuditEntry) -> list[Change]:
    """Each field that changed, under the field's Vietnamese name and with
    choices by their labels; what was and stays empty is left out."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    out = []
    for name in dict.fromkeys([*entry.before, *entry.after]):
        field = _field(model, name)
        before = shown(_choice_label(field, entry.before.get(name)))
        after = shown(_choice_label(field, entry.after.get(name)))
        if not before and not after:
            continue
        out.append(Change(label=_label(model, field, name), before=before, after=after))
    return out
