from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conferences"
    verbose_name = _("Hội nghị và kế hoạch")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models as m

        # Replies, check-ins, duties and transitions are the changes that
        # matter: each keeps who, when and what.
        for model in (
            m.Conference,
            m.ImprovementPlan,
            m.InviteeLine,
            m.Invitation,
            m.Delegate,
            m.Duty,
            m.DutyAssignment,
            m.DutyUpdate,
            m.Award,
            m.BasisDocument,
            m.ProgrammeItem,
            m.ContentItem,
        ):
            auditlog.register(model, exclude_fields=["token"] if model is m.Delegate else None)

        from .drafting import register_hooks

        register_hooks()

    def seed_demo(self, *, stdout):
        from .demo import seed_conferences

        seed_conferences(stdout=stdout)

    def seed_demo_documents(self, *, stdout):
        from .demo import seed_documents

        stdout.write(f"Văn bản mẫu: {seed_documents()} văn bản dự thảo, có sẵn PDF và DOCX.")
