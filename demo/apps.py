from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data built from the seed documents. Installed by the local and
    test settings only: production has neither the code nor the command."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = _("Dữ liệu mẫu")
