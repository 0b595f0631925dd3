import logging
import re
import time
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.functional import empty

from .logs import request_id_var

access_log = logging.getLogger("portal.request")

# What a proxy's id may look like (nginx's $request_id is 32 hex digits): no
# spaces or quotes that could forge a log line.
REQUEST_ID_FORMAT = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# Polled every few seconds by monitoring: their lines would drown the rest.
QUIET_PATHS = {"/healthz", "/metrics"}

# URL parameters that are secrets: never written to the log.
SECRET_KWARGS = frozenset({"token", "key"})


class RequestIdMiddleware:
    """Names each request: the X-Request-ID our proxy sent (only when there
    is one, TRUSTED_PROXY_COUNT > 0, and it looks like an id), else a new
    one. It is on `request.request_id`, on the response's X-Request-ID, on
    every log line written meanwhile (config.logs), and in one access line
    per request with its status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = self._incoming(request) or uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            # Only a user the view already loaded: the log must not add a query.
            user = getattr(getattr(request, "user", None), "_wrapped", None)
            # A secret in the address (a password-reset token, a calendar feed's
            # key) is logged as its pattern.
            match = getattr(request, "resolver_match", None)
            path = f"/{match.route}" if match and SECRET_KWARGS & match.kwargs.keys() else request.path
            access_log.log(
                logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
                "%s %s %s %sms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": getattr(user, "pk", None) if user is not empty else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _incoming(request) -> str | None:
        if not getattr(settings, "TRUSTED_PROXY_COUNT", 0):
            return None
        value = request.headers.get("X-Request-ID", "")
        return value if REQUEST_ID_FORMAT.fullmatch(value) else None


class PortalLanguageMiddleware:
    """Vietnamese unless the user chose otherwise. Unlike LocaleMiddleware it
    ignores the browser's Accept-Language: most officials' machines run an
    English Windows, and they still expect the portal in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
