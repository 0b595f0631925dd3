"""Role checks for views. Which rows a user sees is the selectors' job;
these only decide which pages and actions a role has."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin


class RoleRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Allow the listed roles (administrators always)."""

    allowed_roles: tuple[str, ...] = ()

    def test_func(self):
        user = self.request.user
        return user.is_administrator or user.role in self.allowed_roles


class DirectoryManagerMixin(RoleRequiredMixin):
    allowed_roles = ("organiser",)


class Refused(Exception):
    """A change not allowed now; `reasons` say why, in Vietnamese. Every app's
    services raise it and every view shows the reasons."""

    def __init__(self, *reasons: str):
        self.reasons = [str(r) for r in reasons]
        super().__init__("; ".join(self.reasons))


def show_refusal(request, refused: Refused) -> None:
    """Every reason of a refusal as an error message on the next page."""
    for reason in refused.reasons:
        messages.error(request, reason)


def can_organise(user, province_id) -> bool:
    """Organisers act for their own province; administrators for every one."""
    if not user.is_authenticated:
        return False
    if user.is_administrator:
        return True
    return user.is_organiser and province_id is not None and user.province_id == province_id


def can_see_province_work(user) -> bool:
    """Organisers, leaders and administrators see all their province's work."""
    return user.is_authenticated and (user.is_administrator or user.is_organiser or user.is_leader)
