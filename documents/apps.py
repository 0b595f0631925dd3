from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the documents' permissions)
