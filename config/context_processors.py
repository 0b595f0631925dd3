from django.conf import settings

from config.health import worker_is_silent


def portal(request):
    user = getattr(request, "user", None)
    # Only those who can do something about it see the warning; the check is
    # one cache read, made only for them.
    show_worker_warning = bool(
        user is not None
        and user.is_authenticated
        and (user.is_organiser or user.is_administrator)
        and worker_is_silent()
    )
    return {"PORTAL_NAME": settings.PORTAL_NAME, "worker_silent": show_worker_warning}
