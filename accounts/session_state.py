"""What a session keeps about its user's second factor and last activity.
Set once at login (any login: the form, the admin's, a test's force_login),
so the middleware answers most requests without a query."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

HAS_DEVICE = "accounts.has_device"
LAST_SEEN = "accounts.last_seen"


def two_factor_required(user) -> bool:
    """Administrators and organisers must use a second factor where the
    settings require it (production); anyone may choose to."""
    return settings.TWO_FACTOR_REQUIRED and (user.is_superuser or user.role in settings.TWO_FACTOR_REQUIRED_ROLES)


def has_device(request) -> bool:
    """Whether the session's user has a confirmed second factor (asked once per session)."""
    if HAS_DEVICE not in request.session:
        request.session[HAS_DEVICE] = user_has_device(request.user)
    return request.session[HAS_DEVICE]


def set_has_device(request, value: bool) -> None:
    request.session[HAS_DEVICE] = value


@receiver(user_logged_in, dispatch_uid="accounts-session-state")
def _mark_new_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[HAS_DEVICE] = user_has_device(user)
    request.session[LAST_SEEN] = int(time.time())
