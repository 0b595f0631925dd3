"""Who may manage the API's tokens, and the DRF check that a call's token
holds the scope its endpoint belongs to."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from core.permissions import is_administrator

from .principal import TokenPrincipal

rules.add_perm("api.manage_tokens", is_administrator)
rules.add_perm("api.view_schema", rules.is_authenticated)


class HasReadScope(BasePermission):
    """A token reads only the scopes it was given; a signed-in person reads
    what their pages show them (their own rules, asked by the selectors)."""

    message = _("Mã truy cập này không được cấp phạm vi đọc dữ liệu này.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(user, TokenPrincipal):
            return user.can_read(view.api_scope)
        return True
