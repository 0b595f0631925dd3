"""Writes of the API app: tokens made and revoked by administrators (the key
shown once, only its hash kept), each use logged; a user's calendar
address made anew or withdrawn."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused
from core.permissions import require
from core.scoping import scopes_disabled

from .models import ApiToken, ApiTokenUse, CalendarFeed, Scope

KEY_START = "cchc_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    key: str  # shown once, never stored


@transaction.atomic
def token_create(*, actor, name: str, province, scopes: list[str], expires_at=None) -> NewToken:
    require(actor, "api.manage_tokens")
    problems = []
    if not name.strip():
        problems.append(_("Hãy ghi tên hệ thống dùng mã."))
    unknown = [s for s in scopes if s not in Scope.values]
    if not scopes or unknown:
        problems.append(_("Hãy chọn ít nhất một phạm vi đọc trong danh sách."))
    if expires_at is not None and expires_at <= timezone.now():
        problems.append(_("Ngày hết hạn phải sau thời điểm hiện tại."))
    if problems:
        raise Refused(*problems)
    prefix = secrets.token_hex(4)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name.strip(),
        province=province,
        scopes=sorted(set(scopes)),
        prefix=prefix,
        key_hash=key_hash(key),
        expires_at=expires_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="api.token_create",
        target=token,
        after={"name": token.name, "scopes": token.scopes, "expires_at": expires_at},
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    require(actor, "api.manage_tokens")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token  # a second click changes nothing
    token.revoked_at = timezone.now()
    token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=actor, action="api.token_revoke", target=token, after={"revoked_at": token.revoked_at})
    return token


def token_for_key(key: str) -> tuple[ApiToken | None, bool]:
    """The token a presented key names (by its plain prefix) and whether the
    key opens it: the whole key compared by hash in constant time, the token
    neither revoked nor expired. (None, False) when no token has the prefix."""
    if not key.startswith(KEY_START):
        return None, False
    prefix = key[len(KEY_START) :].split("_", 1)[0]
    with scopes_disabled():
        token = ApiToken.objects.select_related("province").filter(prefix=prefix).first()
    if token is None:
        return None, False
    return token, secrets.compare_digest(token.key_hash, key_hash(key)) and token.is_usable()


# A token's last use is written at most this often (a busy system calls many times a minute).
LAST_USED_EVERY = 60


def token_used(*, token: ApiToken, method: str, path: str, status: int, client_ip: str | None) -> None:
    """Log one call. Not an audit row: a read changes nothing, and the
    trail would drown in them; this log is the token's own."""
    now = timezone.now()
    with scopes_disabled():
        ApiTokenUse.objects.create(token=token, method=method, path=path[:500], status=status, client_ip=client_ip)
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now


# --- Calendar feeds ------------------------------------------------------------------------------


@transaction.atomic
def feed_reset(*, actor) -> CalendarFeed:
    """A new private calendar address for `actor`; any earlier one stops working."""
    import uuid

    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    if not created:
        feed.nonce = uuid.uuid4()
        feed.last_read_at = None
        feed.save(update_fields=["nonce", "last_read_at"])
    audit.record(actor=actor, action="api.feed_reset", target=actor, province_id=actor.province_id)
    return feed


@transaction.atomic
def feed_revoke(*, actor) -> None:
    deleted, _rows = CalendarFeed.objects.filter(user=actor).delete()
    if deleted:
        audit.record(actor=actor, action="api.feed_revoke", target=actor, province_id=actor.province_id)
