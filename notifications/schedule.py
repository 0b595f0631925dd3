"""When each reminder step of a deadline falls, by a policy.

Before the deadline: the listed days before (7, 3, 1 and the day itself) at
the policy's hour, Asia/Ho_Chi_Minh; after it: every N days, at most M
times. A step that lands on a weekend or a listed holiday moves to the
working day before it (before the deadline) or after it (overdue); two steps
that land on one day become one."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone


def _working(day: dt.date, policy, step: int) -> dt.date:
    holidays = set(policy.holidays or [])
    for _ in range(30):
        if not ((policy.skip_weekends and day.weekday() >= 5) or day.isoformat() in holidays):
            return day
        day += dt.timedelta(days=step)
    return day


def steps_for(due_at: dt.datetime, policy) -> list[tuple[str, dt.datetime]]:
    due_day = timezone.localtime(due_at).date()
    at = policy.send_time or dt.time(8, 0)
    planned: dict[dt.date, str] = {}
    for days in sorted({int(d) for d in policy.days_before or []}, reverse=True):
        day = _working(due_day - dt.timedelta(days=days), policy, -1)
        # The nearer step wins a shared day: its wording is the more urgent.
        planned[day] = "ngay-han" if days == 0 else f"truoc-{days}"
    for number in range(1, (policy.overdue_max or 0) + 1):
        day = _working(due_day + dt.timedelta(days=(policy.overdue_every or 1) * number), policy, +1)
        planned.setdefault(day, f"qua-han-{number}")
    return sorted(
        ((code, timezone.make_aware(dt.datetime.combine(day, at))) for day, code in planned.items()),
        key=lambda step: step[1],
    )


def remind_now_code(now, *, force: bool = False, token: str = "") -> str:
    """The step code of a "Nhắc ngay": the day's, so an item is reminded at
    most once a day (a step is unique per item and code in the database);
    a forced reminder takes the confirming form's token, so it too goes once."""
    if force:
        return f"nhac-them-{(token or uuid.uuid4().hex)[:12]}"
    return f"nhac-ngay-{timezone.localtime(now):%Y%m%d}"
