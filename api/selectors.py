"""The API's reads: each app's own selector (the same rules as its pages,
the province scope around them), with what the serializers print fetched
up front so a page of rows costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.models import Agency, Province, Succession
from agencies.selectors import province_list, scope_to_province
from conferences import selectors as conferences
from conferences.models import (
    Conference,
    ConferenceStatus,
    Delegate,
    Duty,
    DutyAssignment,
    Invitation,
    InviteeLine,
    ProgrammeItem,
)
from documents.models import Document, DocumentSigning
from documents.selectors import visible_documents
from indices import selectors as indices
from indices.models import Assessment, Criterion, Framework, NationalResult
from notifications.models import DeadlineItem
from submissions.models import Presentation
from submissions.selectors import visible_presentations


def provinces(user) -> QuerySet[Province]:
    return province_list(user=user).order_by("name", "pk")


def agencies(user) -> QuerySet[Agency]:
    history = Succession.objects.order_by("on_date", "pk")
    return (
        scope_to_province(Agency.objects.all(), user=user)
        .prefetch_related(
            Prefetch("succeeded_by", queryset=history, to_attr="successor_rows"),
            Prefetch("succeeds", queryset=history, to_attr="predecessor_rows"),
        )
        .order_by("name", "pk")
    )


def conferences_for(user) -> QuerySet[Conference]:
    return conferences.conferences_readable(user).prefetch_related(
        Prefetch(
            "programme_items",
            queryset=ProgrammeItem.objects.order_by("order", "starts_at", "pk"),
            to_attr="programme_rows",
        )
    )


def invitee_lines(user) -> QuerySet[InviteeLine]:
    return conferences.invitee_lines_readable(user).order_by("conference_id", "order", "pk")


def invitations(user) -> QuerySet[Invitation]:
    return (
        conferences.invitations_readable(user)
        .select_related("agency")
        .prefetch_related(
            Prefetch("delegates", queryset=Delegate.objects.order_by("order", "pk"), to_attr="delegate_rows")
        )
        .order_by("conference_id", "pk")
    )


def duties(user) -> QuerySet[Duty]:
    assignments = DutyAssignment.objects.order_by("pk")
    if not user.has_perm("conferences.view_work"):
        # An agency reads its own part of a duty, as on its page.
        assignments = assignments.filter(agency_id=user.agency_id)
    return conferences.duties_readable(user).prefetch_related(
        Prefetch("assignments", queryset=assignments, to_attr="assignment_rows")
    )


def presentations(user) -> QuerySet[Presentation]:
    return visible_presentations(user).select_related("assignment", "current_version")


def documents(user) -> QuerySet[Document]:
    """Issued and revoked documents (a draft is not yet a document to register)."""
    sealed = DocumentSigning.objects.filter(status=DocumentSigning.Status.SEALED)
    return (
        visible_documents(user)
        .exclude(status=Document.Status.DRAFT)
        .select_related("province", "issuer", "issued_file")
        .prefetch_related(Prefetch("signings", queryset=sealed, to_attr="sealed_signings"))
    )


def frameworks(user) -> QuerySet[Framework]:
    return indices.frameworks_for(user)


def with_criteria(frameworks: QuerySet[Framework]) -> QuerySet[Framework]:
    criteria = Criterion.objects.select_related("parent").order_by("order", "pk")
    return frameworks.prefetch_related(Prefetch("criteria", queryset=criteria, to_attr="criterion_rows"))


def results(user) -> QuerySet[Assessment]:
    """Published results, each with its rank among the province's agencies
    under the same framework (ties share a rank), whatever the filters keep."""
    published = indices.visible_assessments(user).filter(status=Assessment.Status.PUBLISHED)
    above = (
        Assessment.objects.filter(
            framework_id=OuterRef("framework_id"),
            agency__province_id=OuterRef("agency__province_id"),
            status=Assessment.Status.PUBLISHED,
            total__gt=OuterRef("total"),
        )
        .order_by()
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return published.select_related("agency").annotate(score=F("total"), rank=Coalesce(Subquery(above), Value(0)) + 1)


def ranking(user, framework: Framework, province: Province) -> QuerySet[Assessment]:
    published = indices.visible_assessments(user).filter(status=Assessment.Status.PUBLISHED)
    return indices.ranking(framework, province, assessments=published)


def national_results(user) -> QuerySet[NationalResult]:
    """Published national rankings: every province's, as the league page shows."""
    if not user.has_perm("indices.view_national"):
        return NationalResult.public.none()
    return NationalResult.public.order_by("-year", "index", "rank", "pk")


# --- Calendar feed ------------------------------------------------------------------------------

FEED_PAST = dt.timedelta(days=90)


def feed_conferences(user) -> QuerySet[Conference]:
    since = timezone.localdate() - FEED_PAST
    return (
        conferences.conferences_readable(user)
        .filter(date__gte=since)
        .exclude(status=ConferenceStatus.CANCELLED)
        .select_related("province")
        .order_by("date", "pk")
    )


def feed_deadlines(user) -> QuerySet[DeadlineItem]:
    """What the user is reminded of: replies, presentations and duties due."""
    since = timezone.now() - FEED_PAST
    return (
        DeadlineItem.objects.filter(recipients__user=user, due_at__gte=since)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
        .distinct()
        .order_by("due_at", "pk")
    )
