"""Presentation deadlines handed to the notifications app: each agency that
still owes a presentation is reminded; sending the first file ends it."""

from __future__ import annotations

from django.urls import reverse

from agencies.selectors import agency_recipients
from conferences.models import ConferenceStatus
from conferences.reminders import scope_of
from notifications import services as notifications
from notifications.services import Deadline

from .models import Assignment, Presentation


def key(presentation_id: int) -> str:
    return f"submissions.presentation:{presentation_id}"


def schedule(assignment: Assignment) -> None:
    """Each agency that still owes the presentation is reminded of its
    deadline; a topic without one (a programme slot) reminds nobody, and
    losing its deadline cancels the reminders it had."""
    presentations = list(assignment.presentations.select_related("agency"))
    live = assignment.conference.status in (ConferenceStatus.DRAFT, ConferenceStatus.PLANNED, ConferenceStatus.INVITED)
    owing = [p for p in presentations if p.status == Presentation.Status.AWAITING and assignment.has_deadline and live]
    notifications.deadline_done(keys=[key(p.pk) for p in presentations if p not in owing])
    if not owing:
        return
    people = agency_recipients({p.agency_id for p in owing})
    notifications.deadlines_set(
        [
            Deadline(
                key=key(p.pk),
                scope=scope_of(assignment.conference),
                due_at=assignment.due_at,
                what="Hạn gửi tham luận",
                context=assignment.conference.title,
                detail=assignment.topic,
                agency_name=p.agency.name,
                link=reverse("submissions:detail", args=[p.pk]),
                recipients=tuple(people[p.agency_id]),
                policy={"days_before": assignment.reminder_days} if assignment.reminder_days else None,
            )
            for p in owing
        ]
    )


def done(presentation_ids) -> None:
    notifications.deadline_done(keys=[key(pk) for pk in presentation_ids])


def conference_over(conference) -> None:
    """The conference was held: nobody is chased for a presentation any more."""
    done(Presentation.objects.filter(assignment__conference=conference).values_list("pk", flat=True))
