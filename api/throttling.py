"""A rate limit per token (per person for session calls), counted in the
cache: losing the counts on a Redis restart only forgives a minute."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from .principal import TokenPrincipal


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(user, TokenPrincipal):
            ident = f"token-{user.token.pk}"
        elif user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
