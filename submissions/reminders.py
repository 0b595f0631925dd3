"""Presentation deadlines handed to the notifications app: each agency that
still owes a presentation is reminded; sending the first file ends it."""

from __future__ import annotations

from django.urls import reverse

from conferences.reminders import recipients_for, scope_of
from notifications import services as notifications

from .models import Assignment, Presentation


def key(presentation_id: int) -> str:
    return f"submissions.presentation:{presentation_id}"


def schedule(assignment: Assignment) -> None:
    presentations = list(assignment.presentations.select_related("agency"))
    owing = [p for p in presentations if p.status == Presentation.Status.AWAITING]
    notifications.deadline_done(keys=[key(p.pk) for p in presentations if p not in owing])
    people = recipients_for({p.agency_id for p in owing})
    for presentation in owing:
        notifications.deadline_set(
            key=key(presentation.pk), scope=scope_of(assignment.conference), due_at=assignment.due_at,
            what="Hạn gửi tham luận", context=assignment.conference.title, detail=assignment.topic,
            agency_name=presentation.agency.name, link=reverse("submissions:detail", args=[presentation.pk]),
            recipients=people[presentation.agency_id],
            policy={"days_before": assignment.reminder_days} if assignment.reminder_days else None)


def done(presentation_ids) -> None:
    notifications.deadline_done(keys=[key(pk) for pk in presentation_ids])
