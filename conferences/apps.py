from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conferences"
    verbose_name = _("Hội nghị và kế hoạch")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the conferences' permissions)
        from .drafting import register_hooks

        register_hooks()
