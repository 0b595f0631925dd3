"""Which directory models keep an audit trail (who, when, what changed)."""

from auditlog.registry import auditlog


def register_models():
    from .models import Agency, DirectoryImport, Person, Province, User

    auditlog.register(Province)
    auditlog.register(Agency)
    auditlog.register(Person)
    auditlog.register(DirectoryImport, exclude_fields=["file"])
    auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields=set())
