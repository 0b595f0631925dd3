from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        from django.apps import apps
        from django.db.backends.signals import connection_created

        from . import checks, permissions  # noqa: F401  (register core's checks and permissions)
        from .labels import name_relation_rows, name_third_party_fields, name_unnamed_fields
        from .lookups import install_sqlite_unaccent, register_lookups

        register_lookups()
        connection_created.connect(install_sqlite_unaccent, dispatch_uid="core-unaccent")
        name_unnamed_fields(apps.get_models())
        name_relation_rows(apps.get_models(include_auto_created=True))
        name_third_party_fields(apps)
