"""Who hears about what, as the notifications app's recipients: the staff
of a province by role (organisers hear of replies and uploads, leaders of
documents issued), read in one query."""

from __future__ import annotations

from notifications.services import Recipient

from .models import Role, User


def staff_recipients(province_id: int, roles: tuple[str, ...] = (Role.ORGANISER,)) -> list[Recipient]:
    users = User.objects.filter(agency__province_id=province_id, role__in=roles, is_active=True).order_by("pk")
    return [Recipient(user_id=u.pk, email=u.email, name=u.get_full_name()) for u in users]
