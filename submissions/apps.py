from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions"
    verbose_name = _("Tham luận")

    def ready(self):
        from . import hooks, permissions  # noqa: F401  (permissions registers the presentations' permissions)

        hooks.register()
