"""Rendered files: asking for the PDF or Word file of a document as it is
now, personal copies of an invitation, and e-mailing them. The rendering
itself runs in the worker (documents.tasks), each step safe to run twice: a
done file is left alone, output names are derived from the content hash (a
rerun overwrites, never leaves a stray file), and a batch is finished by
whichever chunk completes it, under a row lock."""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused
from core.permissions import require
from core.storage import store_file
from notifications.services import Recipient, notify

from .. import docx_export, rendering, sources
from ..models import Document, RenderBatch, RenderedFile

logger = logging.getLogger(__name__)
CHUNK = 10
DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được soạn và ban hành văn bản này.")


def enqueue_file(row: RenderedFile):
    from ..tasks import render_file

    transaction.on_commit(lambda: render_file.delay(row.pk))


def request_file(*, document: Document, kind: str) -> RenderedFile:
    """The file for the document as it is now: the cached one when the
    content has not changed, otherwise a new one queued for the worker."""
    if document.issued_file_id and kind == RenderedFile.Kind.PDF:
        return document.issued_file
    if document.is_registered:
        # Its text is on paper, not in sections: rendering would print an empty page.
        raise Refused(_("Văn bản vào sổ chỉ có bản đã ký được tải lên khi vào sổ; không tạo tệp từ cổng."))
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
            enqueue_file(row)
    return row


def addressees_for(document: Document) -> list[sources.Addressee]:
    return sources.ask(document, "addressees", None) or [
        sources.Addressee(key=f"line:{i}", label=line)
        for i, line in enumerate(rendering.lines(document.addressees), start=1)
    ]


def request_batch(*, actor, document: Document) -> RenderBatch:
    """Personal copies, one per addressee ("Kính gửi: …"), rendered in chunks
    by as many workers as run, then merged into one PDF and one zip."""
    require(actor, "documents.organise", document, DENIED)
    if document.is_registered:
        raise Refused(_("Văn bản vào sổ được ký ngoài cổng nên không tạo được giấy mời riêng từ cổng."))
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
        audit.record(actor=actor, action="document.copies", target=document, count=len(rows))
        from ..tasks import start_batch

        transaction.on_commit(lambda: start_batch.delay(batch.pk))
    return batch


def batch_email(*, actor, batch: RenderBatch) -> tuple[int, int]:
    """E-mail each addressee their own copy of an issued invitation, as a PDF
    attachment, through the outbox. Asking twice sends nothing twice: each
    copy's message is keyed by the copy. Returns (sent, without an address)."""
    document = batch.document
    require(actor, "documents.organise", document, DENIED)
    if document.status != Document.Status.ISSUED:
        raise Refused(_("Chỉ gửi được giấy mời đã ban hành (đã có số)."))
    if sources.ask(document, "send_page", ""):
        # Its source sends them (with a notice and each one's state): one way only, so nobody gets two.
        raise Refused(_("Giấy mời này được gửi ở trang “Gửi giấy mời” của hội nghị."))
    if batch.status != RenderBatch.Status.DONE:
        raise Refused(_("Các bản giấy mời riêng chưa tạo xong."))
    scope = (
        f"{document.content_type.app_label}.{document.content_type.model}:{document.object_id}"
        if document.content_type_id
        else ""
    )
    copies = list(batch.items.filter(status=RenderedFile.Status.DONE).order_by("addressee"))
    sent = 0
    with transaction.atomic():
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
        if sent:
            audit.record(actor=actor, action="document.email", target=document, count=sent)
    return sent, sum(1 for copy in copies if not copy.addressee_email)


# --- In the worker -----------------------------------------------------------------


def _render(row: RenderedFile) -> None:
    document = Document.objects.select_related("issuer", "province").get(pk=row.document_id)
    if rendering.row_hash(document, row) != row.content_hash:
        RenderedFile.objects.filter(pk=row.pk).update(
            status=RenderedFile.Status.FAILED, error=_("Văn bản đã thay đổi sau khi yêu cầu; hãy tạo tệp lại.")
        )
        return
    if row.kind == RenderedFile.Kind.PDF:
        data = rendering.write_pdf(rendering.print_html(document, addressee=row.addressee))
        pages = rendering.pdf_page_count(data)
    else:
        data = docx_export.build(document, addressee=row.addressee)
        pages = 0
    name = store_file(f"documents/{document.pk}/{row.content_hash}.{row.kind}", data)
    digest = rendering.sha256(data)
    RenderedFile.objects.filter(pk=row.pk).update(
        file=name,
        size=len(data),
        sha256=digest,
        pages=pages,
        status=RenderedFile.Status.DONE,
        error="",
        finished_at=timezone.now(),
    )
    # The issued PDF's checksum is recorded once and never rewritten.
    Document.objects.filter(pk=document.pk, issued_file_id=row.pk, issued_sha256="").update(issued_sha256=digest)


def _claim(row_id: int) -> RenderedFile | None:
    with transaction.atomic():
        row = RenderedFile.objects.select_for_update().filter(pk=row_id).first()
        if row is None or row.status == RenderedFile.Status.DONE:
            return None
        row.status = RenderedFile.Status.RUNNING
        row.save(update_fields=["status"])
    return row


def file_render(*, row_id: int) -> None:
    """Render one file, once: a done row is left alone; a failure is recorded
    on the row and shown on the page."""
    row = _claim(row_id)
    if row is None:
        return
    try:
        _render(row)
    except Exception as error:  # noqa: BLE001 — recorded on the row and shown on the page
        logger.exception("rendering file %s failed", row_id)
        RenderedFile.objects.filter(pk=row_id).update(status=RenderedFile.Status.FAILED, error=str(error)[:500])


def batch_start(*, batch_id: int) -> list[list[int]]:
    """Mark the batch running; the chunks of copies still to render (a
    finished batch is merged at once and gets none)."""
    ids = list(
        RenderedFile.objects.filter(batch_id=batch_id)
        .exclude(status=RenderedFile.Status.DONE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    RenderBatch.objects.filter(pk=batch_id, status=RenderBatch.Status.QUEUED).update(status=RenderBatch.Status.RUNNING)
    if not ids:
        batch_finish(batch_id=batch_id)
        return []
    # Chunks, so that every worker takes a share of a large batch.
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _zip_name(index: int, label: str) -> str:
    return f"{index:03d} - {slugify(label, allow_unicode=True)[:80] or 'giay-moi'}.pdf"


def batch_finish(*, batch_id: int) -> None:
    """Merge and zip once every copy is rendered; the lock makes sure only one
    chunk does it."""
    from pypdf import PdfWriter

    with transaction.atomic():
        batch = RenderBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status == RenderBatch.Status.DONE:
            return
        items = list(RenderedFile.objects.filter(batch=batch).order_by("pk"))
        if any(item.status in (RenderedFile.Status.QUEUED, RenderedFile.Status.RUNNING) for item in items):
            return
        failed = [item for item in items if item.status == RenderedFile.Status.FAILED]
        if failed:
            batch.status = RenderBatch.Status.FAILED
            batch.error = _("%(count)s bản không tạo được: %(error)s") % {
                "count": len(failed),
                "error": failed[0].error,
            }
            batch.save(update_fields=["status", "error"])
            return
        writer = PdfWriter()
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for index, item in enumerate(items, start=1):
                with item.file.open("rb") as handle:
                    data = handle.read()
                writer.append(io.BytesIO(data))
                bundle.writestr(_zip_name(index, item.addressee), data)
        merged = io.BytesIO()
        writer.write(merged)
        stem = f"documents/{batch.document_id}/batch-{batch.content_hash}"
        batch.merged_file.name = store_file(f"{stem}.pdf", merged.getvalue())
        batch.zip_file.name = store_file(f"{stem}.zip", archive.getvalue())
        batch.status = RenderBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["merged_file", "zip_file", "status", "finished_at"])
        document = batch.document
    # Whoever asked for the copies to be sent hears they are ready.
    sources.copies_ready(document)
