"""Rendering runs in the worker. Every task takes ids and is safe to run
twice: a done file is left alone, output names are derived from the content
hash (a rerun overwrites, never leaves a stray file), and a batch is
finished by whichever chunk completes it, under a row lock."""

from __future__ import annotations

import io
import logging
import zipfile

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import docx_export, rendering
from .models import Document, RenderBatch, RenderedFile

logger = logging.getLogger(__name__)
CHUNK = 10


def store_file(path: str, data: bytes) -> str:
    """Write `data` at exactly `path` (a rerun replaces it, never adds a
    renamed copy) and return the stored name."""
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


def render_one(row: RenderedFile) -> None:
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


def _render_safely(row_id: int) -> None:
    row = _claim(row_id)
    if row is None:
        return
    try:
        render_one(row)
    except Exception as error:  # noqa: BLE001 — recorded on the row and shown on the page
        logger.exception("rendering file %s failed", row_id)
        RenderedFile.objects.filter(pk=row_id).update(status=RenderedFile.Status.FAILED, error=str(error)[:500])


@shared_task(name="documents.render_file", ignore_result=True)
def render_file(row_id: int) -> None:
    _render_safely(row_id)


@shared_task(name="documents.start_batch", ignore_result=True)
def start_batch(batch_id: int) -> None:
    ids = list(
        RenderedFile.objects.filter(batch_id=batch_id)
        .exclude(status=RenderedFile.Status.DONE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    RenderBatch.objects.filter(pk=batch_id, status=RenderBatch.Status.QUEUED).update(status=RenderBatch.Status.RUNNING)
    if not ids:
        finish_batch(batch_id)
        return
    # Chunks, so that every worker takes a share of a large batch.
    for start in range(0, len(ids), CHUNK):
        render_chunk.delay(batch_id, ids[start : start + CHUNK])


@shared_task(name="documents.render_chunk", ignore_result=True)
def render_chunk(batch_id: int, row_ids: list[int]) -> None:
    for row_id in row_ids:
        _render_safely(row_id)
    finish_batch(batch_id)


def _zip_name(index: int, label: str) -> str:
    return f"{index:03d} - {slugify(label, allow_unicode=True)[:80] or 'giay-moi'}.pdf"


def finish_batch(batch_id: int) -> None:
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
        batch.merged_file.name = store_file(
            f"documents/{batch.document_id}/batch-{batch.content_hash}.pdf", merged.getvalue()
        )
        batch.zip_file.name = store_file(
            f"documents/{batch.document_id}/batch-{batch.content_hash}.zip", archive.getvalue()
        )
        batch.status = RenderBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["merged_file", "zip_file", "status", "finished_at"])
