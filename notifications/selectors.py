"""Reads of the outbox: a person's notifications, a scope's log."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import schedule
from .models import Channel, DeadlineItem, Message, MessageState, Preference, ReminderStep, StepState


def inbox(user) -> QuerySet[Message]:
    return (
        Message.objects.filter(user=user, channel=Channel.PORTAL).select_related("item").order_by("-created_at", "-pk")
    )


def messages_by_ref(refs) -> dict[str, list[Message]]:
    """Every message about each of `refs` (both channels), oldest first, in
    one query: the sender's page shows each row's delivery and reading."""
    found: dict[str, list[Message]] = {ref: [] for ref in refs}
    for message in Message.objects.filter(ref__in=found).order_by("pk"):
        found[message.ref].append(message)
    return found


def overdue_items(scopes: list[str], now) -> list[DeadlineItem]:
    """The open items of the given scopes past their due moment, oldest first."""
    return list(
        DeadlineItem.objects.filter(scope__in=scopes, done_at__isnull=True, due_at__lt=now).order_by(
            "due_at", "agency_name"
        )
    )


def unread_count(user) -> int:
    """Unread notices, a reminder whose work is done aside (nothing to do there any more)."""
    return (
        Message.objects.filter(user=user, channel=Channel.PORTAL, read_at__isnull=True)
        .filter(Q(item__isnull=True) | Q(item__done_at__isnull=True))
        .count()
    )


def scope_log(scope: str, *, state: str = "") -> QuerySet[Message]:
    """Every e-mail sent for a conference or plan, newest first."""
    qs = Message.objects.filter(scope=scope, channel=Channel.EMAIL).select_related("item", "resend_of", "created_by")
    return qs.filter(state=state) if state else qs


def scope_counts(scope: str) -> dict:
    email = Q(channel=Channel.EMAIL)
    return Message.objects.filter(scope=scope).aggregate(
        total=Count("pk", filter=email),
        sent=Count("pk", filter=email & Q(state=MessageState.SENT)),
        waiting=Count("pk", filter=email & Q(state__in=[MessageState.QUEUED, MessageState.SENDING, MessageState.HELD])),
        failed=Count("pk", filter=email & Q(state=MessageState.FAILED)),
    )


def message_in_scope(scope: str, pk) -> Message | None:
    return Message.objects.filter(scope=scope, channel=Channel.EMAIL, pk=pk).first()


def upcoming_steps(scope: str) -> QuerySet[ReminderStep]:
    """The reminders still to go out for a scope, soonest first."""
    return (
        ReminderStep.objects.filter(item__scope=scope, state=StepState.PENDING, item__done_at__isnull=True)
        .select_related("item")
        .order_by("send_at")
    )


def preference_of(user) -> Preference:
    """The user's e-mail preference (an unsaved default when none was chosen)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def remind_candidates(keys: list[str], scope: str, now) -> list:
    """The open items of a scope a "Nhắc ngay" would reach, each marked
    `reminded_today` when the day's reminder already went."""
    items = list(DeadlineItem.objects.filter(key__in=keys, scope=scope, done_at__isnull=True).order_by("agency_name"))
    done = set(
        ReminderStep.objects.filter(item__in=items, code=schedule.remind_now_code(now)).values_list(
            "item_id", flat=True
        )
    )
    for item in items:
        item.reminded_today = item.pk in done
    return items
