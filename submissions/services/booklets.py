"""The conference booklet ("Tài liệu Hội nghị"): asked for here, built in the
worker (submissions.tasks). A build takes the booklet by its id and is safe
to run twice: a finished booklet is left alone, and its files are named by
the content hash, so a rerun overwrites rather than leaving strays."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences.models import Conference
from core import audit, jobs
from core.exceptions import Refused
from core.permissions import require
from core.storage import store_file

from .. import booklet as binding
from .. import selectors
from ..models import BOOKLET_RUNNING_TIMEOUT, Booklet

logger = logging.getLogger(__name__)


@transaction.atomic
def booklet_request(*, actor, conference: Conference) -> Booklet:
    """The booklet of the accepted presentations as they are now. Asking
    again for the same content returns the same row; one not done (failed,
    or stuck queued or running because its worker or the broker lost it)
    is queued again and handed over."""
    require(actor, "submissions.manage", conference)
    entries = selectors.booklet_entries(conference)
    if not entries:
        raise Refused(_("Chưa có tham luận nào được chấp nhận để đưa vào tài liệu hội nghị."))
    booklet, created = Booklet.objects.select_for_update().get_or_create(
        conference=conference,
        content_hash=binding.content_hash(conference, entries),
        defaults={"total": len(entries), "requested_by": actor},
    )
    if not created:
        # Asked again: it becomes the conference's current booklet.
        booklet.requested_at, booklet.requested_by = timezone.now(), actor
        fields = ["requested_at", "requested_by"]
        if booklet.status != Booklet.Status.DONE:
            for name, value in (jobs.requeue_fields(booklet.requested_at) | {"done": 0, "attempts": 0}).items():
                setattr(booklet, name, value)
            fields += ["status", "error", "done", "queued_at", "dispatched_at", "attempts"]
        booklet.save(update_fields=fields)
    audit.record(
        actor=actor, action="booklet.request", target=booklet, province_id=conference.province_id, count=len(entries)
    )
    if booklet.status == Booklet.Status.QUEUED:
        _hand_over(booklet.pk)
    return booklet


def _hand_over(booklet_id: int) -> None:
    from ..tasks import build_booklet

    jobs.dispatch(build_booklet, Booklet, booklet_id, booklet_id=booklet_id)


def _claim(booklet_id: int) -> Booklet | None:
    with transaction.atomic():
        booklet = Booklet.objects.select_for_update().select_related("conference").filter(pk=booklet_id).first()
        # Only a queued build, or one whose worker died, is taken: a duplicate
        # delivery while another worker builds it does nothing.
        if booklet is None or not jobs.take(booklet, timezone.now(), BOOKLET_RUNNING_TIMEOUT):
            return None
        booklet.done, booklet.error = 0, ""
        booklet.save(update_fields=["done", "error"])
    return booklet


def booklets_sweep(now) -> int:
    """The job sweep (core.jobs): booklets whose build was lost with the
    broker, or whose worker died, are handed over again."""
    booklets = Booklet._base_manager
    recovered = jobs.recover(booklets.all(), now, BOOKLET_RUNNING_TIMEOUT)
    ids = recovered + list(jobs.waiting(booklets.all(), now).values_list("pk", flat=True)[:500])
    for pk in ids:
        _hand_over(pk)
    return len(ids)


def _build(booklet: Booklet) -> None:
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


def booklet_build(*, booklet_id: int) -> None:
    """Build a queued (or stalled) booklet; a failure is recorded on the row."""
    booklet = _claim(booklet_id)
    if booklet is None:
        return
    try:
        _build(booklet)
    except Exception as error:  # noqa: BLE001 — recorded on the row and shown on the page
        logger.exception("booklet %s failed", booklet_id)
        Booklet.objects.filter(pk=booklet_id).update(status=Booklet.Status.FAILED, error=str(error)[:500])
