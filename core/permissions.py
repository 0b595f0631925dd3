"""Who may do what, as named predicates (the `rules` library). Each app's
`permissions.py` builds its permissions from these and registers them; views
ask them through `PermissionMixin` (or `request.user.has_perm`), and
services assert the same permission with `require`, so the page and the
write can never disagree.

A predicate's object is any row with a `province_id` (a province answers
with its own id), or none."""

from __future__ import annotations

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .audit import province_of


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_administrator


@rules.predicate
def is_organiser(user) -> bool:
    return user.is_authenticated and user.is_organiser


@rules.predicate
def is_leader(user) -> bool:
    return user.is_authenticated and user.is_leader


@rules.predicate
def is_official(user) -> bool:
    return user.is_authenticated and user.is_official


@rules.predicate
def in_own_province(user, obj) -> bool:
    """The row belongs to the user's own province."""
    province_id = province_of(obj)
    return user.is_authenticated and province_id is not None and user.province_id == province_id


# Organisers act for their own province; administrators for every one.
organises = is_administrator | (is_organiser & in_own_province)
# Organisers, leaders and administrators see all of their province's work.
sees_province_work = is_administrator | is_organiser | is_leader

rules.add_perm("core.view_audit", is_administrator | is_organiser)


def require(user, permission: str, obj=None, message: str = "") -> None:
    """Raise PermissionDenied unless `user` has `permission` on `obj`: what
    a service asserts before it writes. `user` None is the system itself (a
    task, a management command), which acts on what a permitted user asked."""
    if user is None:
        return
    if not user.has_perm(permission, obj):
        raise PermissionDenied(message or permission)


class PermissionMixin(LoginRequiredMixin):
    """A view that asks one permission of the row it works on:
    `permission_object()` reads it (through a selector) once, and
    `self.object` keeps it for the view."""

    permission: str = ""

    def permission_object(self):
        return None

    def permission_target(self):
        """What the permission is asked of: the row, unless a view says otherwise."""
        return self.object

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.permission_object()
        if self.permission and not request.user.has_perm(self.permission, self.permission_target()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
