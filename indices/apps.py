from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indices"
    verbose_name = _("Chỉ số PAR INDEX, SIPAS")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the indices' permissions)
        from .drafting import register_hooks

        register_hooks()
