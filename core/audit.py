"""Writing the audit trail. Services call `record` inside their transaction,
so the row exists exactly when the change does; the client's address comes
from the request the middleware is serving (empty for tasks and commands).

    before = audit.snapshot(document, ["status", "number"])
    … change and save …
    audit.record(actor=actor, action="document.issue", target=document, before=before,
                 after=audit.snapshot(document, ["status", "number"]))"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)

# action code → Vietnamese label, filled by each app's AppConfig.ready().
ACTIONS: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    ACTIONS.update(labels)


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def client_ip(request) -> str | None:
    """The real client: REMOTE_ADDR, or, behind `TRUSTED_PROXY_COUNT` proxies
    that each append to X-Forwarded-For, the address the nearest untrusted
    hop gave (a client cannot forge what our own proxies appended)."""
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= trusted:
            return hops[-trusted]
    return request.META.get("REMOTE_ADDR") or None


class RequestContext:
    """Keeps the serving request's client address for the audit rows written meanwhile."""

    def __init__(self, client_ip: str | None):
        self.token = None
        self.client_ip = client_ip

    def __enter__(self):
        self.token = _client_ip.set(self.client_ip)
        return self

    def __exit__(self, *exc):
        _client_ip.reset(self.token)


def _plain(value):
    """A value as JSON keeps it, readable in the viewer."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
        return value.name or ""
    return value


def snapshot(instance, fields) -> dict:
    """The named fields of `instance` as the audit row keeps them; a foreign
    key is kept as the related row's text."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            related_id = getattr(instance, field.attname)
            values[name] = str(getattr(instance, name)) if related_id else None
        else:
            values[name] = _plain(getattr(instance, name))
    return values


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only what changed, on both sides."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys if k in before}, {k: after.get(k) for k in keys if k in after}


def record(
    *,
    actor,
    action: str,
    target=None,
    province_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    count: int = 1,
    note: str = "",
    model=None,
    actor_name: str = "",
):
    """One audit row. `target` is the row changed (or, for a bulk write, the
    row that owns the change: the conference whose invitations were frozen);
    `model` names the kind of rows when there is no single target;
    `actor_name` names someone not logged in (the name a failed login gave)."""
    from .models import AuditEntry

    before, after = diff(_plain(before or {}), _plain(after or {}))
    if province_id is None and target is not None:
        province_id = province_of(target)
    content_type = None
    if target is not None:
        content_type = ContentType.objects.get_for_model(target)
    elif model is not None:
        content_type = ContentType.objects.get_for_model(model)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_name=(actor.get_full_name() if authenticated else actor_name or str(_("Hệ thống")))[:150],
        province_id=province_id,
        action=action,
        content_type=content_type,
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        before=before,
        after=after,
        count=count,
        note=note,
        client_ip=_client_ip.get(),
    )


def province_of(obj) -> int | None:
    """The province a row belongs to, for the audit row and the permission
    predicates: its `province_id` (a province answers with its own id)."""
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    return getattr(obj, "province_id", None)
