"""The words of a reminder, in Vietnamese, written when it is sent: "còn 3
ngày" is true on the day the person reads it."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from core.text import one_line


def vn_day(moment) -> str:
    day = timezone.localtime(moment).date()
    return f"{day.day}/{day.month}/{day.year}"


def phrase(item, now) -> str:
    days = (timezone.localtime(item.due_at).date() - timezone.localtime(now).date()).days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hôm nay là hạn cuối"
    return f"đã quá hạn {-days} ngày"


def absolute(link: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{link}" if link.startswith("/") else link


def subject(item, now) -> str:
    """One line, whatever was typed in the titles it quotes (a line break in a
    header would make the message unsendable)."""
    overdue = timezone.localtime(item.due_at).date() < timezone.localtime(now).date()
    tag = "[Quá hạn]" if overdue else "[Cần xử lý]"
    text = f"{tag} {one_line(item.what)}: {vn_day(item.due_at)}"
    if not item.context:
        return text
    context = one_line(item.context)
    context = context if len(context) <= 110 else context[:110].rsplit(" ", 1)[0] + "…"
    return f"{text} — {context}"


def reminder(item, recipient_name: str, now) -> dict:
    context = {
        "item": item,
        "name": recipient_name,
        "due": vn_day(item.due_at),
        "phrase": phrase(item, now),
        "url": absolute(item.link),
        "portal": settings.PORTAL_NAME,
    }
    return {
        "subject": subject(item, now),
        "body_text": render_to_string("notifications/email/reminder.txt", context),
        "body_html": render_to_string("notifications/email/reminder.html", context),
    }


def digest(name: str, entries: list[dict]) -> dict:
    context = {"name": name, "entries": entries, "portal": settings.PORTAL_NAME, "url": absolute("/thong-bao/")}
    return {
        "subject": f"[Cần xử lý] {len(entries)} việc đến hạn — {settings.PORTAL_NAME}",
        "body_text": render_to_string("notifications/email/digest.txt", context),
        "body_html": render_to_string("notifications/email/digest.html", context),
    }
