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
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import audit, jobs
from core.exceptions import Refused
from core.permissions import require
from core.recent import Recent
from core.storage import store_file
from core.text import one_line
from notifications.services import Recipient, notify

from .. import copies, docx_export, metadata, rendering, sources
from ..models import Document, RenderBatch, RenderedFile

logger = logging.getLogger(__name__)
CHUNK = 10
SWEEP_LIMIT = 2000
DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được soạn và ban hành văn bản này.")


def enqueue_file(row: RenderedFile):
    """Hand the row to a worker after commit; a broker that is down fails
    nothing (the row waits queued and the job sweep hands it over)."""
    from ..tasks import render_file

    jobs.dispatch(render_file, RenderedFile, row.pk, row_id=row.pk)


def _start(batch: RenderBatch) -> None:
    from ..tasks import start_batch

    jobs.dispatch(start_batch, RenderBatch, batch.pk, batch_id=batch.pk)


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
    if kind == RenderedFile.Kind.PDF:
        rendering.remember(digest, html)
    with transaction.atomic():
        row, created = RenderedFile.objects.get_or_create(document=document, kind=kind, content_hash=digest)
        if not created and row.status != RenderedFile.Status.DONE:
            # Asked again: failed, or stuck queued or running (its worker or
            # the broker lost it), it is queued again and handed over now.
            fields = jobs.requeue_fields(timezone.now()) | {"attempts": 0}
            RenderedFile.objects.filter(pk=row.pk).update(**fields)
            for name, value in fields.items():
                setattr(row, name, value)
            created = True
        if created:
            enqueue_file(row)
    return row


def addressees_for(document: Document) -> list[sources.Addressee]:
    return sources.ask(document, "addressees", None) or [
        sources.Addressee(key=f"line:{i}", label=line)
        for i, line in enumerate(rendering.lines(document.addressees), start=1)
    ]


def request_batch(*, actor, document: Document, again: bool = False) -> RenderBatch:
    """Personal copies, one per addressee ("Kính gửi: …"), rendered in chunks
    by as many workers as run, then merged into one PDF and one zip. A
    failed batch is queued again; with `again` (the organiser's "Tạo lại"),
    so is one that is still queued or running, whatever became of its
    workers: the copies not done are rendered, the others kept."""
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
        if not created and (batch.status == RenderBatch.Status.DONE or not (again or batch.is_failed)):
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
        now = timezone.now()
        # Copies that failed or were left by a worker are queued again; done ones are kept.
        batch.items.exclude(status=RenderedFile.Status.DONE).update(**jobs.requeue_fields(now), attempts=0)
        for name, value in jobs.requeue_fields(now).items():
            setattr(batch, name, value)
        batch.save(update_fields=["status", "error", "queued_at", "dispatched_at"])
        audit.record(actor=actor, action="document.copies", target=document, count=len(rows))
        _start(batch)
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
                    subject=one_line(f"{document.type_label} số {document.symbol_display}: {document.title}")[:300],
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


@dataclass
class _Prepared:
    """What every copy of a chunk shares: the document, its HTML (what each
    row's hash is checked against) and, for personal copies, the document
    laid out once (documents.copies)."""

    document: Document
    html: str
    sheet: copies.CopySheet | None = None


# The sheets this worker process laid out lately, by batch: the chunks of a
# batch that reach the same process lay it out once, and the chunk that
# finishes the batch merges from it.
_SHEETS = Recent(2)


def _prepare(document_id: int, batch_id: int | None = None) -> _Prepared:
    document = Document.objects.select_related("issuer", "province").get(pk=document_id)
    prepared = _Prepared(document=document, html=rendering.print_html(document))
    if batch_id is not None:
        from .signatures import sealed_signing

        if not sealed_signing(document):  # a sealed copy is signed one by one (signatures.sealed_copy)
            prepared.sheet = _sheet(batch_id, prepared)
    return prepared


def _sheet(batch_id: int, prepared: _Prepared) -> copies.CopySheet | None:
    labels = sorted(
        RenderedFile.objects.filter(batch_id=batch_id).exclude(addressee="").values_list("addressee", flat=True)
    )
    key = (batch_id, rendering.content_hash("sheet", "\0".join([prepared.html, *labels])))
    if key not in _SHEETS:
        _SHEETS.put(key, copies.copy_sheet(prepared.document, labels) if labels else None)
    return _SHEETS[key]


def _render(row: RenderedFile, prepared: _Prepared | None = None) -> None:
    html = rendering.asked(row.content_hash) if prepared is None and row.kind == RenderedFile.Kind.PDF else None
    if html is not None:
        # The very HTML this file was asked for (same process): print it.
        document = Document.objects.select_related("issuer", "province").get(pk=row.document_id)
        data, pages = rendering.render_pdf(html)
        _store(row, document, data, pages)
        return
    prepared = prepared or _prepare(row.document_id)
    document, html = prepared.document, prepared.html
    # A personal copy's hash is over the whole document's HTML and its
    # addressee (see rendering.copy_hash): the HTML is built once.
    expected = rendering.copy_hash(html, row.addressee) if row.addressee else rendering.content_hash(row.kind, html)
    if expected != row.content_hash:
        RenderedFile.objects.filter(pk=row.pk).update(
            status=RenderedFile.Status.FAILED, error=_("Văn bản đã thay đổi sau khi yêu cầu; hãy tạo tệp lại.")
        )
        return
    if row.kind == RenderedFile.Kind.PDF:
        from .signatures import sealed_copy, sealed_signing

        data = prepared.sheet.pdf(row.addressee) if prepared.sheet and row.addressee else None
        if data is not None:
            pages = prepared.sheet.pages
        elif row.addressee and sealed_signing(document):
            data = sealed_copy(document, row.addressee)
            pages = rendering.pdf_page_count(data)
        else:
            copy_html = rendering.print_html(document, addressee=row.addressee) if row.addressee else html
            data, pages = rendering.render_pdf(copy_html)
    else:
        data = docx_export.build(document, addressee=row.addressee)
        pages = 0
    _store(row, document, data, pages)


def _store(row: RenderedFile, document: Document, data: bytes, pages: int) -> None:
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
    # The issued PDF's checksum is recorded once and never rewritten; the
    # systems that registered for it hear of the issue then, file and all.
    if document.issued_file_id != row.pk:
        return  # a copy or a draft's file: no issue to record (read with the row's document)
    with transaction.atomic():
        if Document.objects.filter(pk=document.pk, issued_file_id=row.pk, issued_sha256="").update(
            issued_sha256=digest
        ):
            metadata.announce(document, "document.issued")


def _claim(row_id: int) -> RenderedFile | None:
    """The row, marked running, if it is this worker's to render: queued, or
    left running by a worker that died. A duplicate delivery gets None.
    One at a time, so a worker that dies holds one copy, not its chunk."""
    with transaction.atomic():
        row = RenderedFile.objects.select_for_update().filter(pk=row_id).first()
        if row is None or not jobs.take(row, timezone.now()):
            return None
    return row


def file_render(*, row_id: int, prepared: _Prepared | None = None) -> None:
    """Render one file, once: a done row is left alone; a failure is recorded
    on the row and shown on the page."""
    row = _claim(row_id)
    if row is None:
        return
    try:
        _render(row, prepared)
    except Exception as error:  # noqa: BLE001 — recorded on the row and shown on the page
        logger.exception("rendering file %s failed", row_id)
        RenderedFile.objects.filter(pk=row_id).update(status=RenderedFile.Status.FAILED, error=str(error)[:500])


def chunk_render(*, batch_id: int, row_ids: list[int]) -> None:
    """Render a chunk of a batch's copies, then finish the batch if the chunk
    was its last. The document is read and laid out once for the chunk (and
    for every later chunk of the batch this process takes)."""
    # Queued, or running (perhaps left by a dead worker: `jobs.take` decides).
    pending = RenderedFile.objects.filter(pk__in=row_ids, status__in=[jobs.QUEUED, jobs.RUNNING])
    document_id = pending.values_list("document_id", flat=True).first()
    prepared = None
    if document_id is not None:
        try:
            prepared = _prepare(document_id, batch_id)
        except Exception:  # noqa: BLE001 — each copy is then rendered alone, and fails on its own row
            logger.exception("laying out the copies of batch %s once failed", batch_id)
    for row_id in row_ids:
        file_render(row_id=row_id, prepared=prepared)
    batch_finish(batch_id=batch_id)


def batch_start(*, batch_id: int) -> list[list[int]]:
    """Mark the batch running; the chunks of copies still queued (a batch
    with none left to render is finished at once and gets none). Run again
    (the sweep, a retry), it hands out only what is still queued."""
    batch = RenderBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status in (RenderBatch.Status.DONE, RenderBatch.Status.FAILED):
        return []
    RenderBatch.objects.filter(pk=batch_id, status=RenderBatch.Status.QUEUED).update(
        status=RenderBatch.Status.RUNNING, started_at=timezone.now()
    )
    pending = dict(
        RenderedFile.objects.filter(batch_id=batch_id)
        .filter(status__in=[RenderedFile.Status.QUEUED, RenderedFile.Status.RUNNING])
        .order_by("pk")
        .values_list("pk", "status")
    )
    ids = [pk for pk, status in pending.items() if status == RenderedFile.Status.QUEUED]
    if not pending:
        batch_finish(batch_id=batch_id)
        return []
    # Chunks, so that every worker takes a share of a large batch.
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def chunk_dispatch(*, batch_id: int, row_ids: list[int]) -> None:
    from ..tasks import render_chunk

    jobs.dispatch(render_chunk, RenderedFile, row_ids, batch_id=batch_id, row_ids=row_ids)


def _zip_name(index: int, label: str) -> str:
    return f"{index:03d} - {slugify(label, allow_unicode=True)[:80] or 'giay-moi'}.pdf"


def batch_finish(*, batch_id: int) -> None:
    """Merge and zip once every copy is rendered; the lock makes sure only one
    chunk does it."""
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
        parts = []
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for index, item in enumerate(items, start=1):
                with item.file.open("rb") as handle:
                    parts.append(handle.read())
                bundle.writestr(_zip_name(index, item.addressee), parts[-1])
        # The sheet this process laid the copies out with, if it did: the
        # merged file then shares its fonts (any copy not from it is
        # appended whole, so whichever process finishes, the file is right).
        sheet = next((sheet for (pk, _html), sheet in _SHEETS.items() if pk == batch.pk and sheet), None)
        merged = copies.merge(parts, sheet)
        stem = f"documents/{batch.document_id}/batch-{batch.content_hash}"
        batch.merged_file.name = store_file(f"{stem}.pdf", merged)
        batch.zip_file.name = store_file(f"{stem}.zip", archive.getvalue())
        batch.status = RenderBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["merged_file", "zip_file", "status", "finished_at"])
        document = batch.document
    # Whoever asked for the copies to be sent hears they are ready.
    sources.copies_ready(document)


# --- The job sweep (core.jobs) ----------------------------------------------------


def jobs_sweep(now) -> int:
    """Hand over again what the broker or a worker lost: batches never
    started, files and copies queued and not handed over lately, files left
    running by a worker that died, batches whose copies are all rendered but
    which nobody finished. Returns how many tasks it published."""
    from ..tasks import render_file, start_batch

    handed = 0
    # Not the scoped manager: the sweep acts for the system, over every province.
    files, batches = RenderedFile._base_manager, RenderBatch._base_manager
    recovered = jobs.recover(files.all(), now)
    for pk in jobs.waiting(batches.all(), now).values_list("pk", flat=True)[:SWEEP_LIMIT]:
        jobs.dispatch(start_batch, RenderBatch, pk, batch_id=pk)
        handed += 1
    unfinished = (
        batches.filter(status=RenderBatch.Status.RUNNING)
        .exclude(items__status__in=[RenderedFile.Status.QUEUED, RenderedFile.Status.RUNNING])
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - jobs.REDISPATCH_AFTER))
    )
    for pk in unfinished.values_list("pk", flat=True)[:SWEEP_LIMIT]:
        jobs.dispatch(start_batch, RenderBatch, pk, batch_id=pk)
        handed += 1
    pending = (
        files.filter(Q(pk__in=recovered) | Q(pk__in=jobs.waiting(files.all(), now).values("pk")))
        .filter(status=RenderedFile.Status.QUEUED)
        .exclude(batch__status=RenderBatch.Status.QUEUED)  # its batch's start hands them out
        .order_by("batch_id", "pk")
        .values_list("pk", "batch_id")[:SWEEP_LIMIT]
    )
    by_batch: dict[int, list[int]] = {}
    for pk, batch_id in pending:
        if batch_id is None:
            jobs.dispatch(render_file, RenderedFile, pk, row_id=pk)
            handed += 1
        else:
            by_batch.setdefault(batch_id, []).append(pk)
    for batch_id, ids in by_batch.items():
        for start in range(0, len(ids), CHUNK):
            chunk_dispatch(batch_id=batch_id, row_ids=ids[start : start + CHUNK])
            handed += 1
    return handed
