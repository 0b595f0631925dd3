"""Login throttling on django-axes. Wrong passwords are counted per account
and per client address (the same address the audit trail records); past
either limit a login is refused by `ThrottleBackend`, first among the
authentication backends, so no password is hashed for it. A lockout lasts
LOGIN_COOLOFF_MINUTES, and each further lockout of the same account or
address within LOGIN_COOLOFF_MAX_HOURS twice as long as the one before.

Password reset requests are counted in the cache per address and per
e-mail address (`count`)."""

from __future__ import annotations

import datetime as dt
import hashlib

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils import timezone

from core.audit import client_ip

# How many lockouts an account or address had within the longest cool-off.
_LOCKOUTS_KEY = "login-lockouts:{kind}:{value}"


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' check, for logins that come with a request. Without one (a
    test client's login(), the shell) there is no client to count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def attempted_username(request, credentials=None) -> str:
    """The account a login names, as it is counted: "QuanTri " and "quantri"
    are one account to the counter, so case and spaces do not multiply tries."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return (username or "").strip().lower()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _lockout_keys(username: str, address: str | None) -> dict[str, str]:
    return {
        "account": _LOCKOUTS_KEY.format(kind="account", value=_digest(username)),
        "address": _LOCKOUTS_KEY.format(kind="address", value=address or "-"),
    }


def _longest() -> dt.timedelta:
    return dt.timedelta(hours=settings.LOGIN_COOLOFF_MAX_HOURS)


def _cool_off_after(lockouts: int) -> dt.timedelta:
    base = dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    return min(base * 2 ** max(lockouts - 1, 0), _longest())


def cool_off(request=None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long this client's failures count, and so how
    long its lockout lasts; doubled by each lockout it already had."""
    if request is None:
        return _cool_off_after(0)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    keys = _lockout_keys(attempted_username(request, getattr(request, "axes_credentials", None)), address)
    counts = cache.get_many(list(keys.values()))
    return _cool_off_after(max(counts.values(), default=0))


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: AXES_FAILURE_LIMIT failures
    of one account, or LOGIN_FAILURES_PER_ADDRESS from one address (an
    office behind one NAT address shares it), lock out."""

    def _attempts(self, request, credentials):
        since = request.axes_attempt_time - cool_off(request)
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(attempt_time__gte=since)
        return recent.filter(username=username), recent.filter(ip_address=request.axes_ip_address)

    def failures(self, request, credentials=None) -> tuple[int, int]:
        """(this account's, this address's) failures that still count."""
        return tuple(
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self._attempts(request, credentials)
        )

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this with AXES_FAILURE_LIMIT: the account's count;
        # is_locked and user_login_failed add the address's own limit.
        return self.failures(request, credentials)[0]

    def lock_reasons(self, request, credentials=None) -> list[str]:
        by_account, by_address = self.failures(request, credentials)
        reasons = []
        if by_account >= settings.AXES_FAILURE_LIMIT:
            reasons.append("account")
        if by_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            reasons.append("address")
        return reasons

    def is_locked(self, request, credentials=None) -> bool:
        return bool(self.lock_reasons(request, credentials))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Refused by ThrottleBackend: no password was checked, nothing to count.
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or refused:
            return
        request.login_failed = True
        reasons = self.lock_reasons(request, credentials)
        if not reasons:
            return
        # This failure locks: the page says so, the back-off grows, and the
        # rows of this client are kept as long as its new cool-off.
        request.axes_locked_out = True
        request.axes_credentials = credentials
        request.login_lock_reasons = reasons
        keys = _lockout_keys(get_client_username(request, credentials), request.axes_ip_address)
        for reason in reasons:
            key = keys[reason]
            cache.add(key, 0, timeout=int(_longest().total_seconds()))
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=int(_longest().total_seconds()))
        until = request.axes_attempt_time + cool_off(request)
        by_account, by_address = self._attempts(request, credentials)
        locking = {"account": by_account, "address": by_address}
        for reason in reasons:
            AccessAttemptExpiration.objects.filter(access_attempt__in=locking[reason]).update(expires_at=until)

    def locked_until(self, request, credentials=None):
        """When this client may try again: its newest counted failure plus its cool-off."""
        by_account, by_address = self._attempts(request, credentials)
        locking = {"account": by_account, "address": by_address}
        times = [
            locking[reason].aggregate(t=Max("attempt_time"))["t"] for reason in self.lock_reasons(request, credentials)
        ]
        newest = max((t for t in times if t), default=request.axes_attempt_time)
        return newest + cool_off(request)

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        # Cleaning runs for every client; each row goes when its own
        # expiration passed (set from its client's cool-off), never by the
        # cool-off of the client who happens to log in.
        count, _ = AccessAttempt.objects.filter(expiration__expires_at__lte=timezone.now()).delete()
        return count


def count(kind: str, value: str, *, window: int = 3600) -> int:
    """Count one request of `kind` for `value` (an address, an e-mail
    address) in a fixed window of `window` seconds; returns the count so far."""
    key = f"throttle:{kind}:{_digest(value.strip().lower())}"
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
