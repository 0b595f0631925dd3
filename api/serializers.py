"""What each endpoint returns. Related rows are named by id (and, where a
reader needs it to make sense of a row, by name); nested lists are read by
the selectors' prefetches, so a page costs the same few queries whatever
its length (tests/test_api.py counts them)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency, Province
from conferences.models import Conference, Delegate, Duty, DutyAssignment, Invitation, InviteeLine, ProgrammeItem
from documents import metadata
from documents.models import Document
from indices.models import Assessment, Criterion, Framework, NationalResult
from submissions.models import Presentation, Version


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else metadata.absolute(path)


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name", "kind", "region", "active_from", "active_to", "successor"]


# A unit's successions, one way or the other: the other unit, how, from when.
SUCCESSIONS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "agency": {"type": "integer"},
            "kind": {"type": "string"},
            "on_date": {"type": "string", "format": "date", "nullable": True},
        },
    },
}


class AgencySerializer(serializers.ModelSerializer):
    successors = serializers.SerializerMethodField(
        help_text=(
            "Đơn vị kế thừa (sau sáp nhập, chia tách, đổi tên). / successor units (after a merger, split or renaming)"
        )
    )
    predecessors = serializers.SerializerMethodField(
        help_text="Đơn vị trước (đã chuyển chức năng cho đơn vị này). / predecessor units"
    )

    class Meta:
        model = Agency
        fields = [
            "id",
            "province",
            "code",
            "electronic_id",
            "name",
            "short_name",
            "kind",
            "level",
            "locality",
            "parent",
            "email",
            "phone",
            "address",
            "active_from",
            "active_to",
            "successors",
            "predecessors",
            "updated_at",
        ]

    @extend_schema_field(SUCCESSIONS)
    def get_successors(self, agency):
        return [{"agency": s.successor_id, "kind": s.kind, "on_date": s.on_date} for s in agency.successor_rows]

    @extend_schema_field(SUCCESSIONS)
    def get_predecessors(self, agency):
        return [{"agency": s.predecessor_id, "kind": s.kind, "on_date": s.on_date} for s in agency.predecessor_rows]


class ProgrammeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeItem
        fields = ["order", "starts_at", "title", "speaker", "agency"]


class ConferenceSerializer(serializers.ModelSerializer):
    programme = ProgrammeItemSerializer(source="programme_rows", many=True, read_only=True)
    page = serializers.SerializerMethodField(
        help_text="Trang của hội nghị trên cổng. / the conference's page on the portal"
    )

    class Meta:
        model = Conference
        fields = [
            "id",
            "province",
            "kind",
            "title",
            "status",
            "date",
            "start_time",
            "end_time",
            "schedule_note",
            "time_tba",
            "venue",
            "venue_address",
            "venue_tba",
            "chair",
            "issuing_authority",
            "focal_agency",
            "index_years",
            "reply_deadline",
            "invited_at",
            "concluded_at",
            "updated_at",
            "programme",
            "page",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, conference):
        return absolute(self.context.get("request"), reverse("conferences:detail", args=[conference.pk]))


class InviteeLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InviteeLine
        fields = ["id", "conference", "order", "section", "text", "target", "agency", "person", "role", "quota"]


class DelegateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delegate
        # Phones and e-mail addresses stay on the portal: a delegate's name and
        # position are what a report or a seating plan needs.
        fields = ["order", "full_name", "position", "checked_in_at"]


# One field instance each, to write values exactly as DRF's own fields do.
DATETIME = serializers.DateTimeField()


def _moment(value):
    return DATETIME.to_representation(value) if value is not None else None


# The declared fields describe the schema; rows are written by hand
# (`to_representation`), several times faster than DRF field by field: a
# system reads a 2,000-agency conference's invitations in one page.
# tests/test_api.py checks that both write the same.
class InvitationSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    delegates = DelegateSerializer(source="delegate_rows", many=True, read_only=True)

    def to_representation(self, invitation):
        return {
            "id": invitation.pk,
            "conference": invitation.conference_id,
            "agency": invitation.agency_id,
            "agency_name": invitation.agency.name,
            "role": invitation.role,
            "quota": invitation.quota,
            "withdrawn": invitation.withdrawn,
            "reply": invitation.reply,
            "reply_note": invitation.reply_note,
            "replied_at": _moment(invitation.replied_at),
            "replied_on_behalf": invitation.replied_on_behalf,
            "sent_at": _moment(invitation.sent_at),
            "delegates": [
                {
                    "order": delegate.order,
                    "full_name": delegate.full_name,
                    "position": delegate.position,
                    "checked_in_at": _moment(delegate.checked_in_at),
                }
                for delegate in invitation.delegate_rows
            ],
        }

    class Meta:
        model = Invitation
        fields = [
            "id",
            "conference",
            "agency",
            "agency_name",
            "role",
            "quota",
            "withdrawn",
            "reply",
            "reply_note",
            "replied_at",
            "replied_on_behalf",
            "sent_at",
            "delegates",
        ]


class DutyAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyAssignment
        fields = ["id", "agency", "status", "progress_note", "completed_at", "updated_at"]


class DutySerializer(serializers.ModelSerializer):
    assignments = DutyAssignmentSerializer(source="assignment_rows", many=True, read_only=True)

    class Meta:
        model = Duty
        fields = [
            "id",
            "conference",
            "plan",
            "section",
            "task",
            "lead_label",
            "lead_agency",
            "due_date",
            "due_time",
            "due_wording",
            "deliverable",
            "phase",
            "assignments",
        ]


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Version
        fields = ["number", "original_name", "file_type", "size", "pages", "is_late", "uploaded_at"]


class PresentationSerializer(serializers.ModelSerializer):
    conference = serializers.IntegerField(source="assignment.conference_id", read_only=True)
    topic = serializers.CharField(source="assignment.topic", read_only=True)
    current_version = VersionSerializer(read_only=True)
    file = serializers.SerializerMethodField(
        help_text=(
            "Tải tệp của lần gửi mới nhất (cùng quyền như trên cổng). / "
            "the latest version's file (same rights as the portal's pages)"
        )
    )

    class Meta:
        model = Presentation
        fields = [
            "id",
            "conference",
            "assignment",
            "topic",
            "agency",
            "status",
            "late",
            "first_submitted_at",
            "updated_at",
            "current_version",
            "file",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_file(self, presentation):
        if presentation.current_version_id is None:
            return None
        return absolute(self.context.get("request"), reverse("api:presentation-file", args=[presentation.pk]))


class SignerSerializer(serializers.Serializer):
    text = serializers.CharField(
        help_text="Quyền hạn, chức vụ và họ tên người ký, như in. / authority, title and name of the signer, as printed"
    )
    name = serializers.CharField()
    title = serializers.CharField()
    authority = serializers.ListField(
        child=serializers.CharField(), help_text="Quyền hạn ký (TM., KT., TL., …). / the signing authority lines"
    )


class IssuerSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Đơn vị trong danh bạ (/api/v1/agencies/<id>/) / the unit in the directory")
    code = serializers.CharField(
        help_text="Mã đơn vị trong danh bạ của tỉnh / the unit's code in the province's directory"
    )
    electronic_id = serializers.CharField(
        help_text=(
            "Mã định danh điện tử (QCVN 102:2016/BTTTT), nếu danh bạ có / "
            "the national electronic identifier (QCVN 102:2016/BTTTT), when known"
        )
    )
    name = serializers.CharField(help_text="Tên cơ quan ban hành, như danh bạ ghi / the issuer's name in the directory")
    printed_name = serializers.CharField(
        help_text="Tên cơ quan như in ở góc trái văn bản / the issuer's name as printed in the heading"
    )
    parent_name = serializers.CharField(
        help_text="Tên cơ quan chủ quản (nếu in) / the parent body's name, when printed"
    )
    abbreviation = serializers.CharField(
        help_text="Chữ viết tắt trong ký hiệu văn bản / the abbreviation in the document's symbol"
    )


class FileSerializer(serializers.Serializer):
    name = serializers.CharField()
    media_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField(help_text="Mã kiểm tra SHA-256 của tệp. / the file's SHA-256")
    url = serializers.URLField()


class DocumentRecordSerializer(serializers.Serializer):
    """The outgoing document's record (Nghị định 30/2020/NĐ-CP, Phụ lục VI)."""

    identifier = serializers.CharField(help_text=metadata.FIELDS["identifier"])
    number = serializers.IntegerField()
    symbol = serializers.CharField()
    number_symbol = serializers.CharField(help_text=metadata.FIELDS["number_symbol"])
    date = serializers.DateField(help_text=metadata.FIELDS["date"])
    place = serializers.CharField(help_text="Địa danh / place name")
    doc_type = serializers.CharField(help_text="Mã loại văn bản (GM, KH, QĐ, CV, BC, TB, …) / the document type's code")
    type_name = serializers.CharField(help_text=metadata.FIELDS["type_name"])
    summary = serializers.CharField(help_text=metadata.FIELDS["summary"])
    language = serializers.CharField(help_text=metadata.FIELDS["language"])
    page_count = serializers.IntegerField(allow_null=True, help_text=metadata.FIELDS["page_count"])
    issuer = IssuerSerializer(help_text=metadata.FIELDS["issuer"])
    signer = SignerSerializer(help_text=metadata.FIELDS["signer"])
    addressees = serializers.ListField(child=serializers.CharField(), help_text="Kính gửi / addressees")
    recipients = serializers.ListField(child=serializers.CharField(), help_text=metadata.FIELDS["recipients"])
    filed = serializers.CharField(
        help_text=(
            "Dòng “Lưu:” của nơi nhận (nơi lưu văn bản), tách khỏi danh sách / "
            "the recipients' “Lưu:” (filed at) line, apart from the list"
        )
    )
    files = FileSerializer(many=True, help_text=metadata.FIELDS["files"])
    digitally_signed = serializers.BooleanField(help_text="Văn bản điện tử có chữ ký số / digitally signed")
    origin = serializers.ChoiceField(
        choices=["drafted", "registered"],
        help_text=(
            "drafted: soạn và ban hành trên cổng; registered: ký ngoài cổng, văn thư vào sổ / "
            "drafted: written and issued on the portal; registered: signed elsewhere and registered"
        ),
    )
    status = serializers.ChoiceField(choices=["issued", "revoked"])
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoke_reason = serializers.CharField()
    replaces = serializers.IntegerField(
        allow_null=True, help_text="Văn bản được thay thế (id) / the document this one replaces (id)"
    )
    verification_code = serializers.CharField(
        help_text="Mã xác minh in trên văn bản / the verification code printed on the document"
    )
    verification_url = serializers.URLField()
    issued_at = serializers.DateTimeField()


class DocumentSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField(
        help_text=(
            "Thông tin đầu ra của văn bản đi (Nghị định 30/2020). / the outgoing document's record (Decree 30/2020)"
        )
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "province",
            "issuer",
            "doc_type",
            "status",
            "year",
            "number",
            "issued_on",
            "updated_at",
            "record",
        ]

    @extend_schema_field(DocumentRecordSerializer)
    def get_record(self, document):
        sealed = getattr(document, "sealed_signings", None)
        return DocumentRecordSerializer(metadata.outgoing_record(document, sealed[0] if sealed else None)).data


class CriterionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Criterion
        fields = ["code", "parent", "name", "maximum", "method", "level"]


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["id", "code", "year", "name", "index", "subject", "unit", "maximum", "legal_basis"]


class FrameworkDetailSerializer(FrameworkSerializer):
    criteria = CriterionSerializer(source="criterion_rows", many=True, read_only=True)

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "criteria"]


class ResultSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    rank = serializers.IntegerField(
        read_only=True,
        help_text="Xếp hạng trong tỉnh (đồng điểm đồng hạng). / rank within the province (ties share a rank)",
    )
    score = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "framework", "agency", "agency_name", "score", "adjustment", "rank", "published_at"]


class NationalResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalResult
        fields = ["id", "province", "index", "year", "score", "rank", "out_of", "source"]
