"""Deadlines handed to the notifications app: each agency still
self-assessing is reminded of the self-assessment's deadline, each agency
still explaining of the explanation's; sending (or publication) ends it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from agencies.selectors import agency_recipients
from notifications import services as notifications
from notifications.services import Deadline

from .models import Assessment


def key(assessment_id: int) -> str:
    return f"indices.assessment:{assessment_id}"


def scope_of(framework, province) -> str:
    return f"indices.framework:{framework.pk}:province:{province.pk}"


def _schedule(framework, province, *, status, deadline: str, key_of, what: str) -> None:
    """Remind each agency of the province whose assessment is in `status` of
    its `deadline` (a date field); end the reminders of the others."""
    assessments = list(
        Assessment.objects.filter(framework=framework, agency__province=province).select_related("agency")
    )
    owing = [a for a in assessments if a.status == status and getattr(a, deadline)]
    notifications.deadline_done(keys=[key_of(a.pk) for a in assessments if a not in owing])
    people = agency_recipients([a.agency_id for a in owing])
    notifications.deadlines_set(
        [
            Deadline(
                key=key_of(a.pk),
                scope=scope_of(framework, province),
                due_at=timezone.make_aware(dt.datetime.combine(getattr(a, deadline), dt.time(23, 59, 59))),
                what=what,
                context=str(framework),
                agency_name=a.agency.name,
                link=reverse("indices:assessment", args=[a.pk]),
                recipients=tuple(people[a.agency_id]),
            )
            for a in owing
        ]
    )


def schedule(framework, province) -> None:
    _schedule(
        framework,
        province,
        status=Assessment.Status.SELF,
        deadline="self_deadline",
        key_of=key,
        what="Hạn gửi tự đánh giá",
    )


def done(assessment_ids) -> None:
    notifications.deadline_done(keys=[key(pk) for pk in assessment_ids])


def explanation_key(assessment_id: int) -> str:
    return f"indices.explanation:{assessment_id}"


def schedule_explanations(framework, province) -> None:
    _schedule(
        framework,
        province,
        status=Assessment.Status.EXPLAINING,
        deadline="explain_deadline",
        key_of=explanation_key,
        what="Hạn gửi giải trình",
    )


def explanation_done(assessment_ids) -> None:
    notifications.deadline_done(keys=[explanation_key(pk) for pk in assessment_ids])
