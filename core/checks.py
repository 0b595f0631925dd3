"""System checks of the portal's own configuration.

Checks tagged STARTUP must pass before a process serves or works: `manage.py
check` and `migrate` run them as Django runs every check, and the processes
Django does not check (gunicorn through config/wsgi.py, Celery workers) call
`refuse_to_start`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register, run_checks
from django.core.exceptions import ImproperlyConfigured

STARTUP = "portal_startup"

# Backends that accept a message and deliver it nowhere: the outbox would
# mark reminders and invitations "sent" while nobody receives them.
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(STARTUP)
def email_backend_delivers(app_configs, **kwargs):
    if not getattr(settings, "EMAIL_DELIVERY_REQUIRED", False):
        return []
    if settings.EMAIL_BACKEND not in NON_DELIVERING_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: e-mails would be marked sent and never delivered.",
            hint="Set EMAIL_URL to the mail server, e.g. smtp+tls://user:password@mail.tinh.gov.vn:587",
            id="core.E001",
        )
    ]


def refuse_to_start() -> None:
    """Raise ImproperlyConfigured with every serious STARTUP finding."""
    errors = [message for message in run_checks(tags=[STARTUP]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(str(error) for error in errors))


@register(deploy=True)
def signing_key_secret_set(app_configs, **kwargs):
    # The body keys' secrets are encrypted under it (documents/secrets.py);
    # derived from SECRET_KEY they would travel with any leak of the settings.
    if getattr(settings, "SIGNING_KEY_SECRET", ""):
        return []
    return [
        Warning(
            "SIGNING_KEY_SECRET is not set: body signing keys kept in the database are encrypted under a key "
            "derived from SECRET_KEY.",
            hint="Set SIGNING_KEY_SECRET in the environment file to 50 random characters, kept apart from backups.",
            id="core.W002",
        )
    ]
