"""The filters every list takes (?status=…&year=…&date_from=…), named the
same way across endpoints: `year`, a date range `…_from`/`…_to`,
`updated_since`, and the related row's id (`conference`, `agency`)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

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

FIRST_YEAR, LAST_YEAR = 1900, 2200


class _WholeNumberFilter(filters.NumberFilter):
    """A whole number within bounds the database can take (a decimal, or a
    year 0, is refused with 400 rather than failing in the query)."""

    field_class = forms.IntegerField
    bounds = (None, None)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", self.bounds[0])
        kwargs.setdefault("max_value", self.bounds[1])
        super().__init__(*args, **kwargs)


class YearFilter(_WholeNumberFilter):
    """A calendar year."""

    bounds = (FIRST_YEAR, LAST_YEAR)


class IdFilter(_WholeNumberFilter):
    """A row's id (another province's gives no rows)."""

    bounds = (1, 2**63 - 1)


class _MomentField(IsoDateTimeField):
    default_validators = []

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return moment


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 moment (2026-05-01T08:00:00+07:00); without an offset, Vietnam's time."""

    field_class = _MomentField


class ProvinceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Province.Kind.choices)
    region = filters.CharFilter()

    class Meta:
        model = Province
        fields = []


class AgencyFilter(filters.FilterSet):
    province = IdFilter(field_name="province_id")
    parent = IdFilter(field_name="parent_id")
    active_on = filters.DateFilter(
        method="filter_active_on", help_text="Đơn vị đang hoạt động vào ngày này. / units active on this day"
    )
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")

    kind = filters.ChoiceFilter(choices=AgencyKind.choices)
    level = filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Agency
        fields = []

    def filter_active_on(self, queryset, name, day):
        return queryset.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=day)
        )


class _ReaderFilterSet(filters.FilterSet):
    def reads_province(self) -> bool:
        """An agency's official filters by their own agency's rows only: the
        other agencies of a duty or a conference are not theirs to query."""
        return self.request.user.has_perm("conferences.view_work")

    def own_agency(self):
        return self.request.user.agency_id


class ConferenceFilter(_ReaderFilterSet):
    year = YearFilter(field_name="date__year")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")
    agency = IdFilter(
        method="filter_agency", help_text="Hội nghị có mời đơn vị này. / conferences this agency is invited to"
    )
    focal_agency = IdFilter(field_name="focal_agency_id")

    status = filters.ChoiceFilter(choices=ConferenceStatus.choices)
    kind = filters.ChoiceFilter(choices=ConferenceKind.choices)

    class Meta:
        model = Conference
        fields = []

    def filter_agency(self, queryset, name, value):
        if not self.reads_province() and value != self.own_agency():
            return queryset.none()
        invited = Invitation.objects.filter(conference=OuterRef("pk"), agency_id=value, withdrawn=False)
        return queryset.filter(Exists(invited))


class InviteeLineFilter(filters.FilterSet):
    conference = IdFilter(field_name="conference_id")
    agency = IdFilter(field_name="agency_id")
    role = filters.ChoiceFilter(choices=InviteeRole.choices)

    class Meta:
        model = InviteeLine
        fields = []


class InvitationFilter(filters.FilterSet):
    year = YearFilter(field_name="conference__date__year")
    date_from = filters.DateFilter(field_name="conference__date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="conference__date", lookup_expr="lte")
    replied_since = MomentFilter(field_name="replied_at", lookup_expr="gte")
    conference = IdFilter(field_name="conference_id")
    agency = IdFilter(field_name="agency_id")

    reply = filters.ChoiceFilter(choices=Invitation.Reply.choices)
    withdrawn = filters.BooleanFilter()
    role = filters.ChoiceFilter(choices=InviteeRole.choices)

    class Meta:
        model = Invitation
        fields = []


class DutyFilter(_ReaderFilterSet):
    year = YearFilter(field_name="due_date__year")
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    conference = IdFilter(field_name="conference_id")
    plan = IdFilter(field_name="plan_id")
    agency = IdFilter(
        method="filter_agency", help_text="Nhiệm vụ giao cho đơn vị này. / duties assigned to this agency"
    )
    status = filters.ChoiceFilter(
        choices=DutyAssignment.Status.choices,
        method="filter_status",
        help_text="Có đơn vị ở tình trạng này. / an agency's part is in this state",
    )

    phase = filters.ChoiceFilter(choices=Duty.Phase.choices)

    class Meta:
        model = Duty
        fields = []

    def _assignments(self):
        rows = DutyAssignment.objects.filter(duty=OuterRef("pk"))
        return rows if self.reads_province() else rows.filter(agency_id=self.own_agency())

    def filter_agency(self, queryset, name, value):
        return queryset.filter(Exists(self._assignments().filter(agency_id=value)))

    def filter_status(self, queryset, name, value):
        return queryset.filter(Exists(self._assignments().filter(status=value)))


class PresentationFilter(filters.FilterSet):
    conference = IdFilter(field_name="assignment__conference_id")
    agency = IdFilter(field_name="agency_id")
    assignment = IdFilter(field_name="assignment_id")
    year = YearFilter(field_name="assignment__conference__date__year")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")

    status = filters.ChoiceFilter(choices=Presentation.Status.choices)
    late = filters.BooleanFilter()

    class Meta:
        model = Presentation
        fields = []


class DocumentFilter(filters.FilterSet):
    date_from = filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")
    issuer = IdFilter(field_name="issuer_id")

    doc_type = filters.ChoiceFilter(choices=DocType.choices)
    status = filters.ChoiceFilter(choices=[c for c in Document.Status.choices if c[0] != Document.Status.DRAFT])
    year = YearFilter()

    class Meta:
        model = Document
        fields = []


class FrameworkFilter(filters.FilterSet):
    year = YearFilter()
    index = filters.ChoiceFilter(choices=IndexKind.choices)
    subject = filters.ChoiceFilter(choices=Framework.Subject.choices)
    code = filters.CharFilter()

    class Meta:
        model = Framework
        fields = []


class ResultFilter(filters.FilterSet):
    year = YearFilter(field_name="framework__year")
    published_since = MomentFilter(field_name="published_at", lookup_expr="gte")
    framework = IdFilter(field_name="framework_id")
    agency = IdFilter(field_name="agency_id")

    class Meta:
        model = Assessment
        fields = []


class NationalResultFilter(filters.FilterSet):
    province = IdFilter(field_name="province_id")
    index = filters.CharFilter()
    year = YearFilter()

    class Meta:
        model = NationalResult
        fields = []


class StrictOrdering(OrderingFilter):
    """?ordering= with the endpoint's fields only: an unknown one is refused
    (400), as a bad filter is, and the schema lists the allowed values."""

    def get_ordering(self, request, queryset, view):
        terms = request.query_params.get(self.ordering_param)
        if terms:
            allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            wrong = [t.strip() for t in terms.split(",") if t.strip().lstrip("-") not in allowed]
            if wrong:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Không sắp xếp được theo: %(fields)s. Dùng: %(allowed)s (thêm “-” để giảm dần).")
                            % {"fields": ", ".join(wrong), "allowed": ", ".join(sorted(allowed))}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", None) or [])
        if not fields:
            return []
        values = [value for name in fields for value in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sắp xếp theo (thêm “-” để giảm dần; nhiều trường cách nhau bằng dấu phẩy). / Order by.",
                "schema": {"type": "string", "enum": values},
            }
        ]
