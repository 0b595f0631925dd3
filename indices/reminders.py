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


def schedule(framework, province) -> None:
    assessments = list(
        Assessment.objects.filter(framework=framework, agency__province=province).select_related("agency")
    )
    owing = [a for a in assessments if a.status == Assessment.Status.SELF and a.self_deadline]
    notifications.deadline_done(keys=[key(a.pk) for a in assessments if a not in owing])
    people = agency_recipients([a.agency_id for a in owing])
    notifications.deadlines_set(
        [
            Deadline(
                key=key(a.pk),
                scope=scope_of(framework, province),
                due_at=timezone.make_aware(dt.datetime.combine(a.self_deadline, dt.time(23, 59, 59))),
                what="Hạn gửi tự đánh giá",
                context=str(framework),
                agency_name=a.agency.name,
                link=reverse("indices:assessment", args=[a.pk]),
                recipients=tuple(people[a.agency_id]),
            )
            for a in owing
        ]
    )


def done(assessment_ids) -> None:
    notifications.deadline_done(keys=[key(pk) for pk in assessment_ids])


def explanation_key(assessment_id: int) -> str:
    return f"indices.explanation:{assessment_id}"


def schedule_explanations(framework, province) -> None:
    assessments = list(
        Assessment.objects.filter(framework=framework, agency__province=province).select_related("agency")
    )
    owing = [a for a in assessments if a.status == Assessment.Status.EXPLAINING and a.explain_deadline]
    notifications.deadline_done(keys=[explanation_key(a.pk) for a in assessments if a not in owing])
    people = agency_recipients([a.agency_id for a in owing])
    notifications.deadlines_set(
        [
            Deadline(
                key=explanation_key(a.pk),
                scope=scope_of(framework, province),
                due_at=timezone.make_aware(dt.datetime.combine(a.explain_deadline, dt.time(23, 59, 59))),
                what="Hạn gửi giải trình",
                context=str(framework),
                agency_name=a.agency.name,
                link=reverse("indices:assessment", args=[a.pk]),
                recipients=tuple(people[a.agency_id]),
            )
            for a in owing
        ]
    )


def explanation_done(assessment_ids) -> None:
    notifications.deadline_done(keys=[explanation_key(pk) for pk in assessment_ids])
