"""Calls made with a token: `Authorization: Bearer cchc_…`. The request then
reads as the token's principal (see principal.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from core.audit import client_ip

from . import services
from .principal import TokenPrincipal


class TokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải là: Bearer <mã truy cập>."))
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không đúng.")) from None
        token, opens = services.token_for_key(key)
        if not opens:
            if token is not None:
                # A revoked, expired or forged key of a known token: its log shows the attempt.
                services.token_used(
                    token=token,
                    method=request.method,
                    path=request.get_full_path(),
                    status=401,
                    client_ip=client_ip(request),
                )
            raise exceptions.AuthenticationFailed(_("Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi."))
        return TokenPrincipal(token), token

    def authenticate_header(self, request):
        return 'Bearer realm="cchc-api"'


class PortalSessionAuthentication(SessionAuthentication):
    """A signed-in person calling the API from the portal's own pages: their
    session, with the second factor the middleware already required."""
