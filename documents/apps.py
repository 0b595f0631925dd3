from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models as m

        # Issue, revocation and every edit of a draft: who, when, what.
        auditlog.register(m.Document)
        auditlog.register(m.Section)
