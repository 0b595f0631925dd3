from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"
    verbose_name = _("Danh bạ cơ quan, đơn vị")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import audit
        from .lookups import install_sqlite_unaccent, register_lookups

        register_lookups()
        connection_created.connect(install_sqlite_unaccent, dispatch_uid="agencies-unaccent")
        audit.register_models()

    def seed_demo(self, *, stdout):
        from .demo import seed_directory

        seed_directory(stdout=stdout)
