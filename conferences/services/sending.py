"""Invitations that reach people: one action checks the conference and its
issued invitation, freezes the invited agencies, has the personal copies
rendered, and hands each invited agency its copy through the outbox (an
e-mail with the PDF, a notice to its officials on the portal).

Exactly once, whatever is clicked or retried: the organiser's action marks
the invitations it asks for (`send_requested_at`) under the conference's
row lock; delivery, run by the worker once the copies are rendered (or at
once when they already are), takes the asked-for and not-yet-sent ones
under their row locks, and each message carries a unique key per
invitation and document. A re-send after invitees changed asks only for
the new ones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import agency_recipients
from core import audit, jobs
from core.exceptions import Refused
from core.permissions import require
from core.text import one_line
from documents import selectors as document_selectors
from documents.services import files as document_files
from notifications.services import Recipient, notify

from .. import selectors
from ..models import Conference, ConferenceStatus, Invitation
from .conferences import DENIED, conference_invite, invite_problems

S = ConferenceStatus


def send_problems(conference: Conference, document) -> list[str]:
    """Everything that keeps the invitations from going out, at once."""
    problems = []
    if conference.status in (S.DRAFT, S.PLANNED):
        problems += invite_problems(conference, selectors.line_expansions(conference))
    elif conference.status != S.INVITED:
        problems.append(_("Hội nghị đã tổ chức, đã kết thúc hoặc đã hủy: không gửi giấy mời nữa."))
    if document is None:
        drafted = selectors.invitation_drafts(conference).exists()
        problems.append(
            _("Giấy mời đã soạn nhưng chưa ban hành: hãy kiểm tra và ban hành (cấp số) giấy mời trước khi gửi.")
            if drafted
            else _("Chưa có giấy mời: hãy soạn giấy mời (nút “Soạn giấy mời”), ban hành rồi gửi.")
        )
    elif document.is_registered and not document.issued_file_id:
        problems.append(_("Giấy mời vào sổ chưa có bản ký số tải lên: hãy tải bản đã ký lên trang văn bản."))
    return problems


def invitations_send(*, actor, conference: Conference) -> int:
    """The organiser's "send": check, invite (the first time), ask for the
    copies of every invited agency not yet asked for, and deliver what is
    ready. Returns how many invitations were newly asked for."""
    require(actor, "conferences.organise", conference, DENIED)
    document = selectors.invitation_document(conference)
    problems = send_problems(conference, document)
    if problems:
        raise Refused(*problems)
    with transaction.atomic():
        # Two organisers, or a double click: the second waits here, then
        # finds nothing left to ask for.
        locked = Conference.objects.select_for_update().get(pk=conference.pk)
        if locked.status in (S.DRAFT, S.PLANNED):
            conference_invite(actor=actor, conference=locked)
        asked = selectors.invitations_to_send(locked).filter(send_requested_at__isnull=True)
        count = asked.update(send_requested_at=timezone.now())
        if count:
            audit.record(actor=actor, action="conference.invitations_send", target=locked, count=count)
        if not document.is_registered:
            document_files.request_batch(actor=actor, document=document)
        # Copies already rendered (a re-send, a registered paper) go now;
        # the others when the worker has rendered them (documents' hook).
        # A broker that is down loses nothing: what was asked for is in the
        # database, and the batch's end or the job sweep delivers it.
        transaction.on_commit(lambda: _deliver_later(locked.pk), robust=True)
    conference.refresh_from_db()
    return count


def _deliver_later(conference_id: int) -> None:
    from ..tasks import deliver_invitations

    jobs.publish(deliver_invitations, conference_id=conference_id)


# Invitations asked for this long ago and still not handed to the outbox are
# delivered by the sweep; after a few days the organiser's press is needed.
SWEEP_WINDOW = dt.timedelta(days=3)


def invitations_sweep(now) -> int:
    """The job sweep (core.jobs): invitations asked for whose hand-over was
    lost (the broker was down when the organiser pressed, or restarted) are
    delivered once their copies are rendered. Returns the conferences handed over."""
    from documents.models import RenderBatch

    from ..tasks import deliver_invitations

    waiting = (
        Invitation._base_manager.filter(
            send_requested_at__lt=now - jobs.REDISPATCH_AFTER,
            send_requested_at__gt=now - SWEEP_WINDOW,
            sent_at__isnull=True,
            withdrawn=False,
            conference__status=S.INVITED,
        )
        .values_list("conference_id", flat=True)
        .distinct()
    )
    handed = 0
    for conference in Conference._base_manager.filter(pk__in=list(waiting)):
        document = selectors.invitation_document(conference)
        if document is None:
            continue
        # Copies still rendering are delivered by their batch's end.
        ready = (
            document.is_registered
            or RenderBatch._base_manager.filter(document=document, status=RenderBatch.Status.DONE).exists()
        )
        if ready and jobs.publish(deliver_invitations, conference_id=conference.pk):
            handed += 1
    return handed


def copies_ready(conference: Conference, document) -> None:
    """The documents app's word that a document's personal copies are rendered."""
    if document.purpose == "invitation":
        invitations_deliver(conference_id=conference.pk)


def _copies(document, invitations) -> dict[str, object]:
    if document.is_registered:
        return {_addressee_key(i): document.issued_file for i in invitations}
    return document_selectors.current_copies(document, document_files.addressees_for(document))


def _addressee_key(invitation: Invitation) -> str:
    return f"person:{invitation.person_id}" if invitation.person_id else f"agency:{invitation.agency_id}"


def invitations_deliver(*, conference_id: int) -> int:
    """Hand each asked-for invitation whose copy is rendered to the outbox,
    once. Run by the worker; safe to run twice or at once with itself."""
    conference = Conference.objects.get(pk=conference_id)
    document = selectors.invitation_document(conference)
    if document is None:
        return 0
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=selectors.invitations_to_send(conference).values("pk"))
            .filter(send_requested_at__isnull=False, sent_at__isnull=True)
            .select_related("agency", "person")
        )
        if not invitations:
            return 0
        copies = _copies(document, invitations)
        contacts = agency_recipients({i.agency_id for i in invitations})
        subject = one_line(f"{document.type_label} số {document.symbol_display}: {document.title}")[:300]
        now = timezone.now()
        sent = []
        for invitation in invitations:
            copy = copies.get(_addressee_key(invitation))
            if copy is None:
                continue  # still rendering: the batch's end calls again
            _hand_over(invitation, conference, document, copy, contacts.get(invitation.agency_id, []), subject)
            invitation.sent_at, invitation.sent_document = now, document
            sent.append(invitation)
        Invitation.objects.bulk_update(sent, ["sent_at", "sent_document"])
    return len(sent)


def _hand_over(invitation: Invitation, conference, document, copy, contacts: list[Recipient], subject: str) -> None:
    """The invited agency's e-mail (its own address, or its officials' when
    it has none) with its copy, and a notice to each of its officials."""
    person = invitation.person
    address = (person.email if person else "") or invitation.agency.email
    label = copy.addressee or invitation.agency.name
    by_mail = (
        [Recipient(email=address, name=label)] if address else [Recipient(email=c.email, name=c.name) for c in contacts]
    )
    body = render_to_string("documents/email/invitation.txt", {"document": document, "copy": copy, "label": label})
    name = f"{document.symbol_display.replace('/', '-')} - {label[:60]}.pdf"
    common = dict(
        subject=subject,
        link=reverse("conferences:invitation-reply", args=[invitation.pk]),
        scope=f"conferences.conference:{conference.pk}",
        ref=invitation.ref,
    )
    key = f"{invitation.ref}:{document.pk}"
    notify(
        recipients=[r for r in by_mail if r.email],
        body_text=body,
        attachments=[{"path": copy.file.name, "name": name, "type": "application/pdf"}],
        dedupe_key=f"{key}:mail",
        **common,
    )
    notify(
        recipients=[Recipient(user_id=c.user_id, name=c.name) for c in contacts if c.user_id],
        body_text=_("Đơn vị được mời dự %(title)s. Mở để xem giấy mời và xác nhận tham dự.")
        % {"title": conference.title},
        portal=True,
        dedupe_key=f"{key}:notice",
        **common,
    )
