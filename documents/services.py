"""Every change to a document: drafting, editing, issuing, revoking, and
asking for rendered files. Issued documents never change: a correction is a
new document that replaces the old one."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.permissions import can_organise
from core.exceptions import Refused
from notifications.services import Recipient, notify

from . import checks, rendering, sources
from .models import Document, NumberCounter, RenderBatch, RenderedFile, Section

HEADER_FIELDS = [
    "doc_type",
    "parent_issuer_name",
    "issuer_name",
    "issuer_abbr",
    "drafting_unit_abbr",
    "place",
    "dated",
    "title",
    "type_name",
    "addressees",
    "authority_lines",
    "signer_title",
    "signer_name",
    "recipients",
]


def _require_organiser(user, province_id):
    if not can_organise(user, province_id):
        raise PermissionDenied(_("Chỉ cán bộ Sở Nội vụ của tỉnh được soạn và ban hành văn bản này."))


def _require_draft(document: Document):
    if not document.is_draft:
        raise Refused(_("Văn bản đã ban hành thì không sửa được; hãy tạo văn bản thay thế."))


def issuer_defaults(issuer: Agency) -> dict:
    """How an agency prints as issuer: its name in capitals, its parent above
    it when it has one (a Sở under the provincial People's Committee)."""
    province = issuer.province
    name = issuer.name
    if issuer.kind == "ubnd_tinh":
        lines = "ỦY BAN NHÂN DÂN\nTỈNH " + province.name.upper()
    else:
        lines = name.upper()
    parent = ""
    if issuer.parent_id and issuer.kind != "ubnd_tinh":
        parent = (
            "UBND TỈNH " + province.name.upper() if issuer.parent.kind == "ubnd_tinh" else issuer.parent.name.upper()
        )
        if issuer.name.endswith(province.name):
            # "Sở Nội vụ tỉnh Lạng Sơn" under "UBND TỈNH LẠNG SƠN" prints as "SỞ NỘI VỤ".
            lines = name[: -len(province.name)].rstrip().removesuffix("tỉnh").rstrip().upper()
    return {
        "issuer_name": lines,
        "parent_issuer_name": parent,
        "issuer_abbr": issuer.short_name or issuer.code,
        "place": province.name,
    }


def document_create(
    *,
    actor,
    issuer: Agency,
    doc_type: str,
    source=None,
    purpose: str = "",
    sections: list[dict] | None = None,
    **fields,
) -> Document:
    _require_organiser(actor, issuer.province_id)
    values = issuer_defaults(issuer) | fields
    document = Document(
        province_id=issuer.province_id, issuer=issuer, doc_type=doc_type, purpose=purpose, created_by=actor, **values
    )
    if source is not None:
        document.source = source
    document.full_clean()
    with transaction.atomic():
        document.save()
        for order, row in enumerate(sections or [], start=1):
            Section.objects.create(document=document, order=order, **row)
    return document


def document_save(
    *, actor, document: Document, sections: list[Section] | None = None, deleted: list[Section] = ()
) -> Document:
    """Save the header and, when given, the sections as edited."""
    _require_organiser(actor, document.province_id)
    document.full_clean()
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_draft(locked)
        document.save()
        for section in deleted:
            if section.pk and section.document_id == document.pk:
                section.delete()
        for order, section in enumerate(sections or [], start=1):
            section.document = document
            section.order = order
            section.save()
    return document


def allocate_number(issuer: Agency, year: int) -> int:
    """The next number of the issuer's register for the year. Call inside a
    transaction: the counter row stays locked until it commits, so concurrent
    issues queue here and each gets the next number."""
    NumberCounter.objects.bulk_create([NumberCounter(issuer=issuer, year=year)], ignore_conflicts=True)
    counter = NumberCounter.objects.select_for_update().get(issuer=issuer, year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return counter.last


def issue(*, actor, document: Document) -> Document:
    """Check, number, date and freeze the document, then render its PDF once."""
    _require_organiser(actor, document.province_id)
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("issuer", "province").get(pk=document.pk)
        if not document.is_draft:
            raise Refused(_("Văn bản này đã được ban hành (số %(number)s).") % {"number": document.symbol_display})
        problems = checks.run_checks(document)
        if problems:
            raise Refused(*problems)
        today = timezone.localdate()
        document.year = today.year
        document.number = allocate_number(document.issuer, today.year)
        document.issued_on = today
        document.issued_at = timezone.now()
        document.issued_by = actor
        document.status = Document.Status.ISSUED
        document.save()
        html = rendering.print_html(document)
        row = RenderedFile.objects.create(
            document=document, kind=RenderedFile.Kind.PDF, content_hash=rendering.content_hash("pdf", html)
        )
        document.issued_file = row
        document.save(update_fields=["issued_file"])
        _enqueue_file(row)
        # The Word file of the issued text too, so nobody downloads a draft's.
        docx, _created = RenderedFile.objects.get_or_create(
            document=document, kind=RenderedFile.Kind.DOCX, content_hash=rendering.content_hash("docx", html)
        )
        _enqueue_file(docx)
    return document


def revoke(*, actor, document: Document, reason: str) -> Document:
    _require_organiser(actor, document.province_id)
    if not reason.strip():
        raise Refused(_("Hãy nêu lý do thu hồi."))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.ISSUED:
            raise Refused(_("Chỉ thu hồi được văn bản đã ban hành."))
        document.status = Document.Status.REVOKED
        document.revoked_at = timezone.now()
        document.revoked_by = actor
        document.revoke_reason = reason.strip()
        document.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    return document


def replacement_create(*, actor, document: Document) -> Document:
    """A new draft with the same content, which replaces the issued one once issued."""
    _require_organiser(actor, document.province_id)
    if document.is_draft:
        raise Refused(_("Dự thảo thì sửa trực tiếp, không cần văn bản thay thế."))
    existing = document.replaced_by.filter(status=Document.Status.DRAFT).first()
    if existing:
        return existing  # pressing twice opens the same draft
    with transaction.atomic():
        copy = Document(
            province_id=document.province_id,
            issuer=document.issuer,
            content_type=document.content_type,
            object_id=document.object_id,
            purpose=document.purpose,
            replaces=document,
            created_by=actor,
            **{name: getattr(document, name) for name in HEADER_FIELDS},
        )
        copy.dated = None
        copy.save()
        Section.objects.bulk_create(
            [
                Section(
                    document=copy,
                    order=s.order,
                    part=s.part,
                    label=s.label,
                    heading=s.heading,
                    landscape=s.landscape,
                    text=s.text,
                    figure=s.figure,
                )
                for s in document.sections.all()
            ]
        )
    return copy


# --- Rendered files ----------------------------------------------------------------


def _enqueue_file(row: RenderedFile):
    from .tasks import render_file

    transaction.on_commit(lambda: render_file.delay(row.pk))


def request_file(*, document: Document, kind: str) -> RenderedFile:
    """The file for the document as it is now: the cached one when the
    content has not changed, otherwise a new one queued for the worker."""
    if document.issued_file_id and kind == RenderedFile.Kind.PDF:
        return document.issued_file
    html = rendering.print_html(document)
    digest = rendering.content_hash(kind, html)
    with transaction.atomic():
        row, created = RenderedFile.objects.get_or_create(document=document, kind=kind, content_hash=digest)
        if not created and row.status == RenderedFile.Status.FAILED:
            row.status = RenderedFile.Status.QUEUED
            row.error = ""
            row.save(update_fields=["status", "error"])
            created = True
        if created:
            _enqueue_file(row)
    return row


def addressees_for(document: Document) -> list[sources.Addressee]:
    return sources.ask(document, "addressees", None) or [
        sources.Addressee(key=f"line:{i}", label=line)
        for i, line in enumerate(rendering.lines(document.addressees), start=1)
    ]


def request_batch(*, actor, document: Document) -> RenderBatch:
    """Personal copies, one per addressee ("Kính gửi: …"), rendered in chunks
    by as many workers as run, then merged into one PDF and one zip."""
    _require_organiser(actor, document.province_id)
    people = addressees_for(document)
    if not people:
        raise Refused(_("Chưa có nơi nào để gửi giấy mời riêng: hãy lập danh sách thành phần mời."))
    base = rendering.print_html(document)
    rows = [(person, rendering.copy_hash(base, person.label)) for person in people]
    digest = hashlib.sha256("\n".join(h for _, h in rows).encode()).hexdigest()
    with transaction.atomic():
        batch, created = RenderBatch.objects.get_or_create(
            document=document, content_hash=digest, defaults={"total": len(rows), "created_by": actor}
        )
        if not created and batch.status != RenderBatch.Status.FAILED:
            return batch
        existing = set(
            RenderedFile.objects.filter(
                document=document, kind="pdf", content_hash__in=[h for _, h in rows]
            ).values_list("content_hash", flat=True)
        )
        RenderedFile.objects.bulk_create(
            [
                RenderedFile(
                    document=document,
                    batch=batch,
                    kind=RenderedFile.Kind.PDF,
                    addressee=person.label,
                    addressee_key=person.key,
                    addressee_email=person.email,
                    content_hash=h,
                )
                for person, h in rows
                if h not in existing
            ]
        )
        RenderedFile.objects.filter(document=document, kind="pdf", content_hash__in=existing).update(batch=batch)
        batch.status = RenderBatch.Status.QUEUED
        batch.error = ""
        batch.save(update_fields=["status", "error"])
        from .tasks import start_batch

        transaction.on_commit(lambda: start_batch.delay(batch.pk))
    return batch


def batch_email(*, actor, batch: RenderBatch) -> tuple[int, int]:
    """E-mail each addressee their own copy of an issued invitation, as a PDF
    attachment, through the outbox. Asking twice sends nothing twice: each
    copy's message is keyed by the copy. Returns (sent, without an address)."""
    document = batch.document
    _require_organiser(actor, document.province_id)
    if document.status != Document.Status.ISSUED:
        raise Refused(_("Chỉ gửi được giấy mời đã ban hành (đã có số)."))
    if batch.status != RenderBatch.Status.DONE:
        raise Refused(_("Các bản giấy mời riêng chưa tạo xong."))
    scope = (
        f"{document.content_type.app_label}.{document.content_type.model}:{document.object_id}"
        if document.content_type_id
        else ""
    )
    copies = list(batch.items.filter(status=RenderedFile.Status.DONE).order_by("addressee"))
    sent = 0
    for copy in copies:
        if not copy.addressee_email:
            continue
        body = render_to_string("documents/email/invitation.txt", {"document": document, "copy": copy})
        name = f"{document.symbol_display.replace('/', '-')} - {copy.addressee[:60]}.pdf"
        sent += len(
            notify(
                recipients=[Recipient(email=copy.addressee_email, name=copy.addressee)],
                subject=f"{document.type_label} số {document.symbol_display}: {document.title}"[:300],
                body_text=body,
                attachments=[{"path": copy.file.name, "name": name, "type": "application/pdf"}],
                scope=scope,
                dedupe_key=f"documents.copy:{copy.pk}:{copy.content_hash[:16]}",
                actor=actor,
            )
        )
    return sent, sum(1 for copy in copies if not copy.addressee_email)
