from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions"
    verbose_name = _("Tham luận")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models as m

        # Assignments, uploads and decisions: who, when, what.
        for model in (m.Assignment, m.Presentation, m.Version, m.Review):
            auditlog.register(model)

        from . import hooks

        hooks.register()

    def seed_demo(self, *, stdout):
        from .demo import seed_presentations

        seed_presentations(stdout=stdout)
