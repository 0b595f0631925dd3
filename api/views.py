"""The read API (/api/v1/). Every endpoint reads through its app's selector
as the signed-in person or the token's principal, inside that reader's
province scope; each answers one scope of the token."""

from __future__ import annotations

import json
from contextlib import ExitStack

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from agencies.models import Agency, Province
from conferences.models import Conference, Duty, Invitation, InviteeLine
from core.audit import client_ip
from core.scoping import user_scope
from core.storage import private_attachment
from documents import metadata
from documents.models import Document
from indices.models import Assessment, Framework, NationalResult
from submissions.models import Presentation
from submissions.views import CONTENT_TYPES

from . import filters as api_filters
from . import selectors, serializers, services
from .models import ApiToken, Scope


def not_found(request, *args, **kwargs):
    return JsonResponse(
        {"detail": _("Không có địa chỉ này trong API (xem /api/v1/schema/)."), "code": "not_found"},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and single rows, read in the reader's own scope; every call of a
    token logged with its answer."""

    api_scope: str = ""
    model = None  # what the endpoint lists (for the schema, which reads no rows)
    read = None  # the selector: read(user) -> QuerySet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model._base_manager.none()
        return self.read(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self._scope = ExitStack()
        status = 500  # what the log says if the answer never comes (an error nobody foresaw)
        try:
            response = super().dispatch(request, *args, **kwargs)
            status = response.status_code
            # Every answer is one reader's own: no shared cache keeps it.
            response["Cache-Control"] = "no-store"
            return response
        finally:
            self._scope.close()
            token = getattr(self.request, "auth", None) if hasattr(self, "request") else None
            if isinstance(token, ApiToken):
                services.token_used(
                    token=token,
                    method=request.method,
                    path=request.get_full_path(),
                    status=status,
                    client_ip=client_ip(request),
                )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The middleware scoped the request to its session's user (none, for
        # a token): the reader is known only now.
        self._scope.enter_context(user_scope(request.user))


class ProvinceViewSet(ReadViewSet):
    """Tỉnh, thành phố (kể cả trước sắp xếp 2025, với tỉnh kế thừa).

    Provinces, with their successor after the 2025 merger."""

    api_scope = Scope.DIRECTORY
    model = Province
    serializer_class = serializers.ProvinceSerializer
    filterset_class = api_filters.ProvinceFilter
    ordering_fields = ["name", "code", "id"]

    read = staticmethod(selectors.provinces)


class AgencyViewSet(ReadViewSet):
    """Cơ quan, đơn vị của tỉnh, với lịch sử kế thừa.

    The province's agencies, with their succession history."""

    api_scope = Scope.DIRECTORY
    model = Agency
    serializer_class = serializers.AgencySerializer
    filterset_class = api_filters.AgencyFilter
    ordering_fields = ["name", "code", "updated_at", "id"]

    read = staticmethod(selectors.agencies)


class ConferenceViewSet(ReadViewSet):
    """Hội nghị và chương trình.

    Conferences with their programme."""

    api_scope = Scope.CONFERENCES
    model = Conference
    serializer_class = serializers.ConferenceSerializer
    filterset_class = api_filters.ConferenceFilter
    ordering_fields = ["date", "updated_at", "id"]
    ordering = ["-date", "-id"]

    read = staticmethod(selectors.conferences_for)


class InviteeLineViewSet(ReadViewSet):
    """Thành phần mời như Sở Nội vụ ghi.

    Invitee lines as the organisers wrote them."""

    api_scope = Scope.CONFERENCES
    model = InviteeLine
    serializer_class = serializers.InviteeLineSerializer
    filterset_class = api_filters.InviteeLineFilter
    ordering_fields = ["conference", "order", "id"]

    read = staticmethod(selectors.invitee_lines)


class InvitationViewSet(ReadViewSet):
    """Giấy mời từng đơn vị, trả lời và đại biểu.

    Invitations, replies and delegates."""

    api_scope = Scope.CONFERENCES
    model = Invitation
    serializer_class = serializers.InvitationSerializer
    filterset_class = api_filters.InvitationFilter
    ordering_fields = ["conference", "replied_at", "id"]

    read = staticmethod(selectors.invitations)


class DutyViewSet(ReadViewSet):
    """Nhiệm vụ và tiến độ từng đơn vị.

    Duties and each agency's progress."""

    api_scope = Scope.CONFERENCES
    model = Duty
    serializer_class = serializers.DutySerializer
    filterset_class = api_filters.DutyFilter
    ordering_fields = ["due_date", "id"]
    ordering = ["due_date", "id"]

    read = staticmethod(selectors.duties)


class PresentationViewSet(ReadViewSet):
    """Tham luận (thông tin; tệp qua /file/).

    Presentations (metadata; the file through /file/)."""

    api_scope = Scope.SUBMISSIONS
    model = Presentation
    serializer_class = serializers.PresentationSerializer
    filterset_class = api_filters.PresentationFilter
    ordering_fields = ["updated_at", "first_submitted_at", "id"]
    ordering = ["id"]

    read = staticmethod(selectors.presentations)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """Tệp của lần gửi mới nhất.

        The latest version's file."""
        presentation = self.get_object()
        version = presentation.current_version
        # A system reads the file once the Sở has accepted it; before, it is a
        # working draft between two offices (as a leader's pages keep it).
        draft = getattr(request.user, "is_system", False) and presentation.status != Presentation.Status.ACCEPTED
        if version is None or draft:
            raise Http404
        return private_attachment(version.file, version.original_name, CONTENT_TYPES[version.file_type])


class DocumentViewSet(ReadViewSet):
    """Văn bản đã ban hành, với thông tin đầu ra theo Nghị định 30/2020.

    Issued documents with their Decree 30 record."""

    api_scope = Scope.DOCUMENTS
    model = Document
    serializer_class = serializers.DocumentSerializer
    filterset_class = api_filters.DocumentFilter
    ordering_fields = ["issued_on", "issued_at", "updated_at", "id"]
    ordering = ["-issued_at", "-id"]

    read = staticmethod(selectors.documents)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """Tệp PDF đã ban hành (bản có chữ ký số nếu ký số).

        The issued PDF (the signed one when signed)."""
        document = self.get_object()
        row = document.issued_file
        if row is None or not row.is_done or not row.file:
            raise Http404
        response = private_attachment(row.file, f"{document.symbol_display.replace('/', '-')}.pdf", "application/pdf")
        response["Digest"] = f"sha-256={row.sha256}"
        return response

    @extend_schema(responses={(200, "application/json"): serializers.DocumentRecordSerializer})
    @action(detail=True, methods=["get"], url_path="record")
    def record(self, request, pk=None):
        """Thông tin đầu ra của văn bản (tệp JSON tải về).

        The Decree 30 record as a JSON download."""
        document = self.get_object()
        sealed = document.sealed_signings
        record = serializers.DocumentRecordSerializer(
            metadata.outgoing_record(document, sealed[0] if sealed else None)
        ).data
        body = json.dumps(record, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = document.symbol_display.replace("/", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response


class FrameworkViewSet(ReadViewSet):
    """Bộ chỉ số (PAR INDEX, SIPAS…) và tiêu chí.

    Index frameworks and their criteria."""

    api_scope = Scope.INDICES
    model = Framework
    filterset_class = api_filters.FrameworkFilter
    ordering_fields = ["year", "code", "id"]
    ordering = ["-year", "code", "id"]

    read = staticmethod(selectors.frameworks)

    def get_queryset(self):
        frameworks = super().get_queryset()
        return selectors.with_criteria(frameworks) if self.action == "retrieve" else frameworks

    def get_serializer_class(self):
        return serializers.FrameworkDetailSerializer if self.action == "retrieve" else serializers.FrameworkSerializer

    @extend_schema(
        parameters=[OpenApiParameter("province", int, description="Tỉnh (mặc định: tỉnh của người đọc).")],
        responses=serializers.ResultSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=[])
    def ranking(self, request, pk=None):
        """Bảng xếp hạng đã công bố của tỉnh.

        The province's published ranking."""
        framework = self.get_object()
        province = self._province(request)
        rows = selectors.ranking(request.user, framework, province)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializers.ResultSerializer(page, many=True).data)

    def _province(self, request):
        provinces = selectors.provinces(request.user)
        wanted = request.query_params.get("province")
        if wanted:
            if not (wanted.isascii() and wanted.isdigit() and len(wanted) < 19):
                raise Http404
            return get_object_or_404(provinces, pk=wanted)
        # A province's reader reads their own; an administrator names one (the first by name otherwise).
        province = provinces.first() if request.user.is_administrator else request.user.province
        if province is None:
            raise Http404
        return province


class ResultViewSet(ReadViewSet):
    """Kết quả đã công bố của từng đơn vị, với thứ hạng trong tỉnh.

    Published results with the agency's rank."""

    api_scope = Scope.INDICES
    model = Assessment
    serializer_class = serializers.ResultSerializer
    filterset_class = api_filters.ResultFilter
    ordering_fields = ["published_at", "score", "id"]
    ordering = ["framework", "rank", "id"]

    read = staticmethod(selectors.results)


class NationalResultViewSet(ReadViewSet):
    """Kết quả PAR INDEX, SIPAS… các tỉnh do Trung ương công bố.

    National results as published."""

    api_scope = Scope.INDICES
    model = NationalResult
    serializer_class = serializers.NationalResultSerializer
    filterset_class = api_filters.NationalResultFilter
    ordering_fields = ["year", "rank", "score", "id"]

    read = staticmethod(selectors.national_results)
