from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indices"
    verbose_name = _("Chỉ số PAR INDEX, SIPAS")

    def seed_demo(self, *, stdout):
        from .demo import seed_indices

        seed_indices(stdout=stdout)

    def ready(self):
        from .drafting import register_hooks

        register_hooks()
