"""The booklet is built in the worker. The task takes an id and is safe to
run twice: a finished booklet is left alone, and its files are named by the
content hash, so a rerun overwrites rather than leaving strays."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.storage import store_file

from . import booklet as binding
from . import selectors
from .models import BOOKLET_TIME_LIMIT, Booklet

logger = logging.getLogger(__name__)


def _claim(booklet_id: int) -> Booklet | None:
    with transaction.atomic():
        booklet = Booklet.objects.select_for_update().select_related("conference").filter(pk=booklet_id).first()
        # Only a queued build, or one whose worker died, is taken: a duplicate
        # delivery while another worker builds it does nothing.
        if booklet is None or not (booklet.status == Booklet.Status.QUEUED or booklet.is_stalled):
            return None
        booklet.status, booklet.done, booklet.error = Booklet.Status.RUNNING, 0, ""
        booklet.started_at = timezone.now()
        booklet.save(update_fields=["status", "done", "error", "started_at"])
    return booklet


def build(booklet: Booklet) -> None:
    conference = booklet.conference
    presentations = selectors.booklet_entries(conference)
    if binding.content_hash(conference, presentations) != booklet.content_hash:
        Booklet.objects.filter(pk=booklet.pk).update(
            status=Booklet.Status.FAILED,
            error=_("Danh sách tham luận được chấp nhận đã thay đổi; hãy tạo lại tài liệu."),
        )
        return
    Booklet.objects.filter(pk=booklet.pk).update(total=len(presentations) + 1)
    entries, originals = [], []
    for done, presentation in enumerate(presentations, start=1):
        with presentation.current_version.file.open("rb") as handle:
            data = handle.read()
        originals.append((presentation, data))
        pdf, reason = binding.entry_pdf(presentation, data)
        entry = binding.Entry(presentation=presentation, pdf=pdf, note=reason)
        if pdf:
            entry.pages = binding.page_count(pdf)
        entries.append(entry)
        Booklet.objects.filter(pk=booklet.pk).update(done=done)
    pdf, pages = binding.bind(conference, entries)
    base = f"booklets/{conference.pk}/{booklet.content_hash[:24]}"
    pdf_name = store_file(f"{base}.pdf", pdf)
    zip_name = store_file(f"{base}.zip", binding.originals_zip(originals))
    not_converted = [
        {"agency": e.presentation.agency.name, "name": e.presentation.current_version.original_name, "reason": e.note}
        for e in entries
        if not e.pdf
    ]
    Booklet.objects.filter(pk=booklet.pk).update(
        pdf=pdf_name,
        zip=zip_name,
        pages=pages,
        not_converted=not_converted,
        done=len(presentations) + 1,
        status=Booklet.Status.DONE,
        finished_at=timezone.now(),
    )


@shared_task(
    name="submissions.build_booklet",
    ignore_result=True,
    soft_time_limit=BOOKLET_TIME_LIMIT - 100,
    time_limit=BOOKLET_TIME_LIMIT,
)
def build_booklet(booklet_id: int) -> None:
    booklet = _claim(booklet_id)
    if booklet is None:
        return
    try:
        build(booklet)
    except Exception as error:  # noqa: BLE001 — recorded on the row and shown on the page
        logger.exception("booklet %s failed", booklet_id)
        Booklet.objects.filter(pk=booklet_id).update(status=Booklet.Status.FAILED, error=str(error)[:500])
