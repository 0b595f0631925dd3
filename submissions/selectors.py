"""Reads of presentations, scoped to who may see them.

A presentation is seen by the organisers of its province and by the
officials of the agency that owes it; nobody else, leaders included: these
are working drafts between two offices. A URL naming one the user may not
see answers 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.selectors import scope_to_province
from conferences.models import Conference, ConferenceStatus
from indices import selectors as indices_selectors

from .models import Assignment, Booklet, Presentation, Review, Version

Status = Presentation.Status

# Programme order: the slot in the programme first, then the assignment's own order.
PROGRAMME_ORDER = [F("programme_item__order").asc(nulls_last=True), "order", "pk"]
PRESENTATION_PROGRAMME_ORDER = [
    F("assignment__programme_item__order").asc(nulls_last=True),
    "assignment__order",
    "assignment_id",
    "agency__name",
]


def visible_presentations(user) -> QuerySet[Presentation]:
    """The province's organisers see its presentations; an agency's officials
    their own; leaders none (working drafts between two offices)."""
    qs = scope_to_province(Presentation.objects.all(), user=user, path="agency__province")
    # A system reading through the API (its token's "submissions" scope) sees
    # what the organisers list: metadata, and the files through the same selector.
    if user.is_administrator or user.is_organiser or getattr(user, "is_system", False):
        return qs
    if user.is_official and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def _with_parts(qs: QuerySet[Presentation]) -> QuerySet[Presentation]:
    return qs.select_related(
        "assignment__conference__province", "assignment__programme_item", "agency", "current_version"
    )


def presentation_get(*, user, pk) -> Presentation:
    return get_object_or_404(_with_parts(visible_presentations(user)), pk=pk)


def presentation_list(
    *,
    user,
    status: str = "",
    open_only: bool = False,
    conference_id: int | None = None,
) -> QuerySet[Presentation]:
    qs = _with_parts(visible_presentations(user))
    if conference_id:
        qs = qs.filter(assignment__conference_id=conference_id)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        # Still to do: not decided, for a conference that has not yet taken place.
        qs = qs.filter(
            status__in=[Status.AWAITING, Status.REVISION, Status.SUBMITTED],
            assignment__conference__status__in=[
                ConferenceStatus.DRAFT,
                ConferenceStatus.PLANNED,
                ConferenceStatus.INVITED,
            ],
        )
    return qs.annotate(version_count=Count("versions")).order_by(
        F("assignment__due_date").asc(nulls_last=True), "assignment__conference_id", *PRESENTATION_PROGRAMME_ORDER
    )


def owed_by_agency(*, user) -> list[Presentation]:
    """What an official's agency still has to send (or resend), soonest first;
    sent ones waiting for the organiser come after."""
    if not user.is_official:
        return []
    rows = list(presentation_list(user=user, open_only=True))
    # Topics without a deadline after those with one: nothing presses.
    return sorted(
        rows,
        key=lambda p: (
            p.status == Status.SUBMITTED,
            p.assignment.due_date is None,
            p.assignment.due_date or dt.date.max,
        ),
    )


def history(presentation: Presentation) -> list[dict]:
    """Versions and decisions in the order they happened, newest first."""
    events = [
        {"kind": "version", "at": v.uploaded_at, "version": v}
        for v in presentation.versions.select_related("uploaded_by")
    ]
    events += [
        {"kind": "review", "at": r.created_at, "review": r}
        for r in presentation.reviews.select_related("actor", "version")
    ]
    return sorted(events, key=lambda e: e["at"], reverse=True)


def version_get(*, user, presentation_pk, pk) -> Version:
    presentation = presentation_get(user=user, pk=presentation_pk)
    return get_object_or_404(presentation.versions.all(), pk=pk)


def assignment_list(conference: Conference) -> list[Assignment]:
    presentations = Prefetch(
        "presentations",
        queryset=Presentation.objects.select_related("agency", "current_version")
        .annotate(version_count=Count("versions"))
        .order_by("agency__name"),
    )
    return list(
        conference.presentation_assignments.select_related("agency", "programme_item")
        .prefetch_related(presentations)
        .order_by(*PROGRAMME_ORDER)
    )


def assignment_get(*, user, conference_pk, pk) -> Assignment:
    qs = scope_to_province(Assignment.objects.all(), user=user, path="conference__province")
    assignment = get_object_or_404(
        qs.select_related("conference", "agency", "programme_item"), pk=pk, conference_id=conference_pk
    )
    if not user.has_perm("submissions.manage", assignment.conference):
        # Another province's assignment does not exist for this user.
        raise Http404
    return assignment


def assignments_in_programme_order(conference: Conference) -> list[Assignment]:
    return list(
        conference.presentation_assignments.select_related("agency__province", "programme_item").order_by(
            *PROGRAMME_ORDER
        )
    )


def overdue_q(prefix: str = "") -> Q:
    """Still owed after its deadline (the stated time, or the end of the
    day); a topic without a deadline never is."""
    now = timezone.localtime()
    return Q(**{f"{prefix}status": Status.AWAITING, f"{prefix}assignment__due_date__isnull": False}) & (
        Q(**{f"{prefix}assignment__due_date__lt": now.date()})
        | Q(**{f"{prefix}assignment__due_date": now.date(), f"{prefix}assignment__due_time__lt": now.time()})
    )


def board_totals(conference: Conference) -> dict:
    totals = Presentation.objects.filter(assignment__conference=conference).aggregate(
        assigned=Count("pk"),
        submitted=Count("pk", filter=~Q(status=Status.AWAITING)),
        late=Count("pk", filter=Q(late=True)),
        revision=Count("pk", filter=Q(status=Status.REVISION)),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        overdue=Count("pk", filter=overdue_q()),
    )
    totals["unresolved_groups"] = (
        conference.presentation_assignments.exclude(assignee=Assignment.Assignee.AGENCY)
        .filter(presentations__isnull=True)
        .count()
    )
    return totals


def board_rows(conference: Conference) -> list[Presentation]:
    """Per agency, its presentations and their state."""
    return list(
        Presentation.objects.filter(assignment__conference=conference)
        .select_related("agency", "assignment", "current_version")
        .annotate(version_count=Count("versions"))
        .order_by("agency__name", *PRESENTATION_PROGRAMME_ORDER)
    )


def booklet_entries(conference: Conference) -> list[Presentation]:
    """The accepted presentations, in programme order, with their accepted file."""
    return list(
        Presentation.objects.filter(
            assignment__conference=conference, status=Status.ACCEPTED, current_version__isnull=False
        )
        .select_related("agency", "assignment__programme_item", "current_version")
        .order_by(*PRESENTATION_PROGRAMME_ORDER)
    )


def booklet_is_current(booklet: Booklet) -> bool:
    from .booklet import content_hash

    return content_hash(booklet.conference, booklet_entries(booklet.conference)) == booklet.content_hash


def latest_booklet(conference: Conference) -> Booklet | None:
    return conference.booklets.first()


def booklet_get(*, user, conference_pk, pk) -> Booklet:
    qs = scope_to_province(Booklet.objects.all(), user=user, path="conference__province")
    booklet = get_object_or_404(qs.select_related("conference"), pk=pk, conference_id=conference_pk)
    if not user.has_perm("submissions.manage", booklet.conference):
        raise Http404
    return booklet


def last_review(presentation: Presentation) -> Review | None:
    return presentation.reviews.select_related("actor").order_by("-created_at", "-pk").first()


def index_guidance(presentation: Presentation) -> str:
    """The assignee's criteria below the maximum in the index years the
    conference analyses: what its presentation should answer."""
    conference = presentation.assignment.conference
    years = [int(y) for y in conference.index_years or []]
    year = max(years) if years else (conference.date.year - 1 if conference.date else None)
    return indices_selectors.index_guidance(presentation.agency, year) if year else ""
