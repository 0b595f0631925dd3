"""Session rules applied to every request of a logged-in user: the second
factor before anything else, and logout after a spell of inactivity."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .session_state import LAST_SEEN, has_device, two_factor_required

# Pages a user may open between the password and the second factor: to
# confirm the factor they have, or to set up the one their role requires.
ALWAYS_OPEN = {"login", "logout", "set_language", "healthz"}
OPEN_TO_VERIFY = ALWAYS_OPEN | {"two_factor_verify"}
OPEN_TO_SET_UP = ALWAYS_OPEN | {"two_factor_setup"}
# Activity is written to the session at most this often, not on every request.
SEEN_RESOLUTION = 60


def _redirect(request, url: str):
    """A redirect that htmx follows as a whole page, not into a fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(name: str, request) -> str:
    url = reverse(name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


class IdleTimeoutMiddleware:
    """Logs out a session left alone for SESSION_IDLE_TIMEOUT seconds, and
    says so on the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN)
            if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT:
                services.logged_out(user=user, idle=True)
                logout(request)
                messages.info(
                    request,
                    _("Phiên làm việc đã hết sau %(minutes)d phút không hoạt động. Hãy đăng nhập lại.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
                )
                return _redirect(request, _with_next("login", request))
            if seen is None or now - seen >= SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a user who has a second factor (or whose role
    requires one) reaches nothing but its pages until it is confirmed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        view = request.resolver_match.view_name if request.resolver_match else ""
        if has_device(request):
            return None if view in OPEN_TO_VERIFY else _redirect(request, _with_next("two_factor_verify", request))
        if two_factor_required(user):
            return None if view in OPEN_TO_SET_UP else _redirect(request, _with_next("two_factor_setup", request))
        return None
