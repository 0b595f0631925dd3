"""The filters every list takes (?status=…&year=…&date_from=…), named the
same way across endpoints: `year`, a date range `…_from`/`…_to`,
`updated_since`, and the related row's id (`conference`, `agency`)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, Q

from agencies.models import Agency, AgencyKind, Level, Province
from conferences.models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    Duty,
    DutyAssignment,
    Invitation,
    InviteeLine,
    InviteeRole,
)
from documents.models import DocType, Document
from indices.models import Assessment, Framework, IndexKind, NationalResult
from submissions.models import Presentation


class ProvinceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Province.Kind.choices)
    region = filters.CharFilter()

    class Meta:
        model = Province
        fields = []


class AgencyFilter(filters.FilterSet):
    province = filters.NumberFilter(field_name="province_id")
    parent = filters.NumberFilter(field_name="parent_id")
    active_on = filters.DateFilter(method="filter_active_on", help_text="Đơn vị đang hoạt động vào ngày này.")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    kind = filters.ChoiceFilter(choices=AgencyKind.choices)
    level = filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Agency
        fields = []

    def filter_active_on(self, queryset, name, day):
        return queryset.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=day)
        )


class ConferenceFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="date__year")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    agency = filters.NumberFilter(method="filter_agency", help_text="Hội nghị có mời đơn vị này.")
    focal_agency = filters.NumberFilter(field_name="focal_agency_id")

    status = filters.ChoiceFilter(choices=ConferenceStatus.choices)
    kind = filters.ChoiceFilter(choices=ConferenceKind.choices)

    class Meta:
        model = Conference
        fields = []

    def filter_agency(self, queryset, name, value):
        invited = Invitation.objects.filter(conference=OuterRef("pk"), agency_id=value, withdrawn=False)
        return queryset.filter(Exists(invited))


class InviteeLineFilter(filters.FilterSet):
    conference = filters.NumberFilter(field_name="conference_id")
    agency = filters.NumberFilter(field_name="agency_id")
    role = filters.ChoiceFilter(choices=InviteeRole.choices)

    class Meta:
        model = InviteeLine
        fields = []


class InvitationFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="conference__date__year")
    date_from = filters.DateFilter(field_name="conference__date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="conference__date", lookup_expr="lte")
    replied_since = filters.IsoDateTimeFilter(field_name="replied_at", lookup_expr="gte")
    conference = filters.NumberFilter(field_name="conference_id")
    agency = filters.NumberFilter(field_name="agency_id")

    reply = filters.ChoiceFilter(choices=Invitation.Reply.choices)
    withdrawn = filters.BooleanFilter()
    role = filters.ChoiceFilter(choices=InviteeRole.choices)

    class Meta:
        model = Invitation
        fields = []


class DutyFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="due_date__year")
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    conference = filters.NumberFilter(field_name="conference_id")
    plan = filters.NumberFilter(field_name="plan_id")
    agency = filters.NumberFilter(method="filter_agency", help_text="Nhiệm vụ giao cho đơn vị này.")
    status = filters.ChoiceFilter(
        choices=DutyAssignment.Status.choices, method="filter_status", help_text="Có đơn vị ở tình trạng này."
    )

    phase = filters.ChoiceFilter(choices=Duty.Phase.choices)

    class Meta:
        model = Duty
        fields = []

    def filter_agency(self, queryset, name, value):
        return queryset.filter(Exists(DutyAssignment.objects.filter(duty=OuterRef("pk"), agency_id=value)))

    def filter_status(self, queryset, name, value):
        return queryset.filter(Exists(DutyAssignment.objects.filter(duty=OuterRef("pk"), status=value)))


class PresentationFilter(filters.FilterSet):
    conference = filters.NumberFilter(field_name="assignment__conference_id")
    agency = filters.NumberFilter(field_name="agency_id")
    assignment = filters.NumberFilter(field_name="assignment_id")
    year = filters.NumberFilter(field_name="assignment__conference__date__year")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    status = filters.ChoiceFilter(choices=Presentation.Status.choices)
    late = filters.BooleanFilter()

    class Meta:
        model = Presentation
        fields = []


class DocumentFilter(filters.FilterSet):
    date_from = filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    issuer = filters.NumberFilter(field_name="issuer_id")

    doc_type = filters.ChoiceFilter(choices=DocType.choices)
    status = filters.ChoiceFilter(choices=Document.Status.choices)
    year = filters.NumberFilter()

    class Meta:
        model = Document
        fields = []


class FrameworkFilter(filters.FilterSet):
    year = filters.NumberFilter()
    index = filters.ChoiceFilter(choices=IndexKind.choices)
    subject = filters.ChoiceFilter(choices=Framework.Subject.choices)
    code = filters.CharFilter()

    class Meta:
        model = Framework
        fields = []


class ResultFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="framework__year")
    published_since = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    framework = filters.NumberFilter(field_name="framework_id")
    agency = filters.NumberFilter(field_name="agency_id")

    class Meta:
        model = Assessment
        fields = []


class NationalResultFilter(filters.FilterSet):
    province = filters.NumberFilter(field_name="province_id")
    index = filters.CharFilter()
    year = filters.NumberFilter()

    class Meta:
        model = NationalResult
        fields = []
