from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def notifications(request):
    """Officials' unread count for the navigation bar, counted only when a
    page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_official:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
