"""Province scoping by structure (django-scopes).

Every model that belongs to a province has a scoped default manager: a query
made while no scope is active raises ScopeError instead of reading every
province's rows, and within a scope it is filtered to that province. The
request middleware activates the user's scope; tasks, management commands
and migrations run with scopes disabled (they act for the system, on ids a
scoped request handed them). Forgetting is loud, not a leak.

What a user may see inside their province (an official: their own agency)
is still decided by the selectors."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = ["province_scoped", "scope", "scopes_disabled", "user_scope"]


def province_scoped(path: str, manager_class=models.Manager):
    """A default manager scoped to the province reached from the model by `path`."""
    return ScopedManager(province=path, _manager_class=manager_class)


@contextmanager
def user_scope(user):
    """The scope a request of `user` runs in: administrators see every
    province; anyone else their own; an anonymous visitor none."""
    if getattr(user, "is_authenticated", False) and user.is_administrator:
        with scopes_disabled():
            yield
        return
    province_id = getattr(user, "province_id", None) if getattr(user, "is_authenticated", False) else None
    with scope(province=[province_id] if province_id else []):
        yield
