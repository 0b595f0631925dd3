"""The webhooks as the OpenAPI schema describes them (OpenAPI 3.1 `webhooks`):
what each event POSTs, so an integrator reads the payloads, headers and the
signature rule from the schema alone."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiWebhook, extend_schema
from rest_framework import serializers

from notifications.models import WEBHOOK_EVENTS

from .serializers import DocumentRecordSerializer

HOW = """
Cổng gửi POST, nội dung JSON (UTF-8), tới địa chỉ quản trị đã đăng ký.
The portal POSTs JSON to the registered URL.

Tiêu đề / Headers:
- `X-CCHC-Event`: tên sự kiện / the event's name
- `X-CCHC-Delivery`: số của lần gửi trong nhật ký của cổng / the delivery's id in the portal's log
- `Idempotency-Key`: mã sự kiện (= `id`), giống nhau mọi lần gửi lại: bỏ qua khi đã nhận /
  the event id, the same on every retry: drop a repeat
- `X-CCHC-Timestamp`: giây Unix lúc gửi / Unix seconds at sending
- `X-CCHC-Signature`: `sha256=` + HMAC-SHA256 (hex) của `X-CCHC-Timestamp + "." + nội dung nhận được`,
  khóa là cả chuỗi bí mật `whsec_…` / `sha256=` + hex HMAC-SHA256 of `timestamp + "." + raw body`,
  keyed with the whole `whsec_…` secret

Hệ thống nhận kiểm tra chữ ký, từ chối khi thời điểm lệch quá 5 phút, trả 2xx khi đã nhận.
Mọi trả lời khác (kể cả 3xx), hoặc không kết nối được, được gửi lại sau 30 giây, 1, 2, 4… phút
(cách nhau tối đa 6 giờ; 8 lần theo mặc định, cài đặt `WEBHOOK_MAX_ATTEMPTS`, rồi ghi "không gửi được"
để quản trị gửi lại). Ít nhất một lần.
Verify the signature, refuse a timestamp more than 5 minutes off, answer 2xx once stored.
Anything else (3xx included) or no connection is retried after 30 s, 1, 2, 4… minutes
(at most 6 hours apart; 8 tries by default, then "failed" until an administrator sends it again). At least once.
"""


class _Envelope(serializers.Serializer):
    id = serializers.UUIDField(help_text="Mã sự kiện = Idempotency-Key / the event id")
    event = serializers.ChoiceField(choices=list(WEBHOOK_EVENTS))
    occurred_at = serializers.DateTimeField(help_text="Lúc xảy ra (giờ Việt Nam) / when it happened")
    province_id = serializers.IntegerField(help_text="Tỉnh (/api/v1/provinces/<id>/) / province")


class _DocumentData(serializers.Serializer):
    document_id = serializers.IntegerField()
    url = serializers.URLField(help_text="/api/v1/documents/<id>/")
    record = DocumentRecordSerializer(
        help_text=(
            "Thông tin đầu ra của văn bản đi (Nghị định 30/2020) / the outgoing document's record (Decree 30/2020)"
        )
    )


class _InvitationData(serializers.Serializer):
    invitation_id = serializers.IntegerField()
    conference_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    reply = serializers.ChoiceField(choices=["attending", "declined"])
    replied_at = serializers.DateTimeField()
    replied_on_behalf = serializers.BooleanField(
        help_text="Sở Nội vụ trả lời thay đơn vị / answered by the Department of Home Affairs on the agency's behalf"
    )
    delegate_count = serializers.IntegerField()
    url = serializers.URLField(help_text="/api/v1/invitations/<id>/")


class _PresentationData(serializers.Serializer):
    presentation_id = serializers.IntegerField()
    conference_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="Lần gửi thứ mấy / the version's number")
    late = serializers.BooleanField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="/api/v1/presentations/<id>/")


class _DutyData(serializers.Serializer):
    duty_id = serializers.IntegerField()
    assignment_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    note = serializers.CharField()
    url = serializers.URLField(help_text="/api/v1/duties/<id>/")


class _ResultsData(serializers.Serializer):
    framework_id = serializers.IntegerField()
    framework_code = serializers.CharField()
    year = serializers.IntegerField()
    published = serializers.IntegerField(
        help_text="Số đơn vị được công bố kết quả / how many agencies' results were published"
    )
    url = serializers.URLField(help_text="/api/v1/frameworks/<id>/ranking/")


def _payload(name: str, data: type[serializers.Serializer], *events: str) -> type[serializers.Serializer]:
    fields = {"event": serializers.ChoiceField(choices=list(events)), "data": data(), "__module__": __name__}
    return type(name, (_Envelope,), fields)


DocumentEvent = _payload("DocumentEvent", _DocumentData, "document.issued", "document.revoked")
InvitationRepliedEvent = _payload("InvitationRepliedEvent", _InvitationData, "invitation.replied")
PresentationUploadedEvent = _payload("PresentationUploadedEvent", _PresentationData, "presentation.uploaded")
DutyCompletedEvent = _payload("DutyCompletedEvent", _DutyData, "duty.completed")
ResultsPublishedEvent = _payload("ResultsPublishedEvent", _ResultsData, "results.published")

WHAT = {
    "document.issued": (
        DocumentEvent,
        "Khi tệp PDF đã ban hành có (văn bản soạn trên cổng), khi ký số xong, khi vào sổ.",
    ),
    "document.revoked": (DocumentEvent, "Văn bản bị thu hồi; `record.status` là `revoked`, có lý do."),
    "invitation.replied": (InvitationRepliedEvent, "Mỗi lần đơn vị (hoặc Sở thay đơn vị) trả lời giấy mời."),
    "presentation.uploaded": (PresentationUploadedEvent, "Mỗi lần đơn vị gửi một bản tham luận."),
    "duty.completed": (DutyCompletedEvent, "Đơn vị báo hoàn thành nhiệm vụ."),
    "results.published": (ResultsPublishedEvent, "Sở Nội vụ công bố kết quả một bộ chỉ số."),
}


def _webhook(event: str) -> OpenApiWebhook:
    payload, when = WHAT[event]
    return OpenApiWebhook(
        name=event,
        decorator=extend_schema(
            summary=f"{WEBHOOK_EVENTS[event]} ({event})",
            description=f"{when}\n{HOW}",
            request=payload,
            responses={200: None},
        ),
    )


document_issued = _webhook("document.issued")
document_revoked = _webhook("document.revoked")
invitation_replied = _webhook("invitation.replied")
presentation_uploaded = _webhook("presentation.uploaded")
duty_completed = _webhook("duty.completed")
results_published = _webhook("results.published")
