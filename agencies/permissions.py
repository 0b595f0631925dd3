"""Role checks for views. Which rows a user sees is the selectors' job;
these only decide which pages and actions a role has."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin


class RoleRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Allow the listed roles (administrators always)."""

    allowed_roles: tuple[str, ...] = ()

    def test_func(self):
        user = self.request.user
        return user.is_administrator or user.role in self.allowed_roles


class DirectoryManagerMixin(RoleRequiredMixin):
    allowed_roles = ("organiser",)
