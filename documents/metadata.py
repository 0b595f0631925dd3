"""An issued document as the province's e-office registers it: the output
information of an outgoing document that Decree 30/2020/NĐ-CP (Phụ lục VI,
"Thông tin đầu ra của văn bản đi") asks a records system to keep, so the
e-office files it without anyone retyping. The keys are English; each one's
Decree 30 name is in FIELDS (and in the API's schema). Urgency (mức độ khẩn)
is not kept by the portal, so it is not in the record."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from .models import Document, DocumentSigning
from .verification import shown

# key → the field's name in Decree 30's list (Phụ lục VI), in its order.
FIELDS = {
    "identifier": "Mã định danh văn bản / document identifier",
    "number_symbol": "Số, ký hiệu văn bản / number and symbol",
    "date": "Ngày, tháng, năm văn bản / date",
    "type_name": "Tên loại văn bản / document type",
    "summary": "Trích yếu nội dung / summary",
    "language": "Ngôn ngữ / language",
    "page_count": "Số trang văn bản / page count",
    "signer": "Chức vụ, họ và tên người ký / signer's title and name",
    "recipients": "Nơi nhận / recipients",
    "issuer": "Tên cơ quan, tổ chức ban hành văn bản / issuing body",
    "files": "Tệp văn bản (kèm mã kiểm tra SHA-256) / files with their SHA-256",
    "note": "Ghi chú / note",
}


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def issuer_id(document: Document) -> str:
    """The issuer's national electronic identifier (QCVN 102) when the
    directory has it; else the province's code and the unit's own, which are
    unique together."""
    issuer = document.issuer
    return issuer.electronic_id or f"{document.province.code}.{issuer.code}"


def identifier(document: Document) -> str:
    """One name for one issued document, the same in every system that
    registers it: the issuer, the year, the number and the symbol (an issuer
    never gives a number twice in a year). Given at issue and kept."""
    if document.identifier:
        return document.identifier
    return f"{issuer_id(document)}.{document.year}.{document.number_text}.{document.symbol}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


ARCHIVE_LINE = re.compile(r"^\s*-?\s*Lưu\s*:?\s*", re.IGNORECASE)


def recipients(text: str) -> tuple[list[str], str]:
    """The "Nơi nhận" lines as names (the list's ";" and "." dropped), and
    apart the filing line ("Lưu: VT, NC."), which names no recipient."""
    names, filed = [], ""
    for line in _lines(text):
        line = line.lstrip("-–+ ").strip()
        if ARCHIVE_LINE.match(line):
            filed = ARCHIVE_LINE.sub("", line).rstrip(" .;")
            continue
        name = line.rstrip(" ;.,")
        if name:
            names.append(name)
    return names, filed


def outgoing_record(document: Document, signing: DocumentSigning | None = None) -> dict:
    """The record of an issued (or revoked) document. `signing` is its sealed
    digital signing, when it was signed that way."""
    issued_file = document.issued_file
    files = []
    if issued_file is not None and issued_file.sha256:
        files.append(
            {
                "name": f"{document.symbol_display.replace('/', '-')}.pdf",
                "media_type": "application/pdf",
                "size": issued_file.size,
                "sha256": issued_file.sha256,
                "url": absolute(reverse("api:document-pdf", args=[document.pk])),
            }
        )
    authority = _lines(document.authority_lines)
    signer_line = " ".join(p for p in (*authority, document.signer_title, document.signer_name) if p)
    names, filed = recipients(document.recipients)
    record = {
        "identifier": identifier(document),
        "number": document.number,
        "symbol": document.symbol,
        "number_symbol": document.symbol_display,
        "date": document.issued_on,
        "place": document.place,
        "doc_type": document.doc_type,
        "type_name": document.type_label,
        "summary": document.title,
        "language": "vi",
        "page_count": issued_file.pages if issued_file is not None and issued_file.pages else None,
        "issuer": {
            "id": document.issuer_id,
            "code": document.issuer.code,
            "electronic_id": document.issuer.electronic_id,
            "name": document.issuer.name,
            "printed_name": " ".join(_lines(document.issuer_name)),
            "parent_name": " ".join(_lines(document.parent_issuer_name)),
            "abbreviation": document.issuer_abbr,
        },
        "signer": {
            "text": signer_line,
            "name": document.signer_name,
            "title": document.signer_title,
            "authority": authority,
        },
        "addressees": [line.rstrip(" ;.,") for line in _lines(document.addressees)],
        "recipients": names,
        "filed": filed,
        "files": files,
        "digitally_signed": signing is not None,
        "origin": document.origin,
        "status": document.status,
        "revoked_at": document.revoked_at,
        "revoke_reason": document.revoke_reason,
        "replaces": document.replaces_id,
        "verification_code": shown(document.verification_code),
        "verification_url": (
            absolute(reverse("documents:verify", args=[document.verification_code]))
            if document.verification_code
            else ""
        ),
        "issued_at": document.issued_at,
    }
    return record


def _sealed_signing(document: Document) -> DocumentSigning | None:
    return DocumentSigning.objects.filter(document=document, status=DocumentSigning.Status.SEALED).first()


def announce(document: Document, event: str) -> None:
    """Tell the province's subscribed systems (webhooks) that `document` was
    issued (its PDF exists: a drafted document's once rendered) or revoked.
    Called inside the transaction that makes the change."""
    from notifications.services import webhooks

    document = Document.objects.select_related("province", "issuer", "issued_file").get(pk=document.pk)
    webhooks.emit(
        event,
        province_id=document.province_id,
        about=f"document:{document.pk}",
        data={
            "document_id": document.pk,
            "url": absolute(reverse("api:document-detail", args=[document.pk])),
            "record": outgoing_record(document, _sealed_signing(document)),
        },
    )
