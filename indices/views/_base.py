"""What every index page shares: the province on view, and the way back to
a page of it (an administrator's ?tinh= goes along)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .. import selectors
from ..models import Score


def province_view(permission: str = ""):
    """A page of one province's results: login, the province read for the
    user (core.scoping keeps it theirs), `permission` asked of it, and the
    province handed to the view after the request."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            code = request.GET.get("tinh") or request.POST.get("tinh") or ""
            province = selectors.province_for(user=request.user, code=code)
            if permission and not request.user.has_perm(permission, province):
                raise PermissionDenied
            return view(request, province, *args, **kwargs)

        return wrapper

    return decorator


def here(request, province, name: str, *args) -> str:
    """A page of this app for the province on view."""
    url = reverse(name, args=args)
    return f"{url}?tinh={province.code}" if request.user.is_administrator else url


def score_round(request) -> str:
    return Score.Round.SELF if request.GET.get("vong") == "tu-danh-gia" else Score.Round.APPRAISED
