"""A document's life: draft → issued → revoked (see core.workflow)."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

from .models import Document

S = Document.Status

DOCUMENT = Workflow(
    "document",
    [
        Transition(
            "issue",
            _("Ban hành (cấp số)"),
            source=[S.DRAFT],
            target=S.ISSUED,
            permission="documents.organise",
            refusal=_("Văn bản này đã được ban hành."),
            confirm=_("Ban hành và cấp số cho văn bản này? Sau khi ban hành, văn bản không sửa được nữa."),
            style="success",
            url_name="documents:issue",
            stamp="issued_at",
        ),
        Transition(
            "revoke",
            _("Thu hồi"),
            source=[S.ISSUED],
            target=S.REVOKED,
            permission="documents.organise",
            refusal=_("Chỉ thu hồi được văn bản đã ban hành."),
            style="outline-danger",
            text_field="reason",
            url_name="documents:revoke",
            stamp="revoked_at",
        ),
    ],
)
