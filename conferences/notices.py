"""What conferences and plans tell people as it happens, on the portal and
by e-mail as each person chose: an agency hears of a reply made on its
behalf, a note on its duty and a document issued to it; the organisers hear
of replies and completed duties, and each morning of what is overdue.

Each notice is written in the same transaction as the change it tells of,
under a key unique to that change, so a retried request tells once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.recipients import staff_recipients
from agencies.selectors import agency_recipients
from core.formatting import vn_date
from notifications import selectors as notification_selectors
from notifications.services import notify

from .models import Conference, DutyAssignment, DutyUpdate, ImprovementPlan, Invitation


def _tell(recipients, *, subject: str, body: str, link: str, ref: str, key: str, scope: str = "") -> None:
    notify(
        recipients=recipients,
        subject=subject,
        body_text=body,
        link=link,
        scope=scope,
        ref=ref,
        dedupe_key=key,
        portal=True,
        as_chosen=True,
    )


def reply_made(invitation: Invitation) -> None:
    """A reply on the agency's behalf is told to the agency; the agency's own,
    to the organisers."""
    conference = invitation.conference
    attending = invitation.reply == Invitation.Reply.ATTENDING
    answer = _("tham dự") if attending else _("không tham dự")
    key = f"{invitation.ref}:reply:{invitation.replied_at.isoformat()}"
    scope = f"conferences.conference:{conference.pk}"
    if invitation.replied_on_behalf:
        _tell(
            agency_recipients([invitation.agency_id])[invitation.agency_id],
            subject=_("Sở Nội vụ đã trả lời thay đơn vị: %(answer)s — %(title)s")
            % {"answer": answer, "title": conference.title},
            body=_("Sở Nội vụ đã ghi nhận trả lời “%(answer)s” của %(agency)s. Mở để xem hoặc sửa danh sách đại biểu.")
            % {"answer": answer, "agency": invitation.agency.name},
            link=reverse("conferences:invitation-reply", args=[invitation.pk]),
            ref=invitation.ref,
            key=key,
            scope=scope,
        )
        return
    delegates = invitation.delegates.count()
    _tell(
        staff_recipients(conference.province_id),
        subject=_("%(agency)s trả lời: %(answer)s — %(title)s")
        % {"agency": invitation.agency.name, "answer": answer, "title": conference.title},
        body=(
            _("%(agency)s xác nhận tham dự với %(n)d đại biểu.") % {"agency": invitation.agency.name, "n": delegates}
            if attending
            else _("%(agency)s báo không tham dự.") % {"agency": invitation.agency.name}
        )
        + (f"\n{invitation.reply_note}" if invitation.reply_note else ""),
        link=reverse("conferences:board", args=[conference.pk]),
        ref=invitation.ref,
        key=key,
        scope=scope,
    )


def duty_reported(update: DutyUpdate) -> None:
    """A note written on an agency's duty by someone else (the organiser) is
    told to the agency; a duty done, to the organisers."""
    assignment = update.assignment
    owner = assignment.duty.conference or assignment.duty.plan
    link = reverse("conferences:assignment", args=[assignment.pk])
    ref = f"conferences.dutyassignment:{assignment.pk}"
    key = f"conferences.dutyupdate:{update.pk}:notice"
    by_agency = update.author is not None and update.author.agency_id == assignment.agency_id
    if not by_agency:
        _tell(
            agency_recipients([assignment.agency_id])[assignment.agency_id],
            subject=_("Sở Nội vụ ghi nhận về nhiệm vụ: %(task)s") % {"task": assignment.duty.task[:120]},
            body=update.note,
            link=link,
            ref=ref,
            key=key,
        )
    elif update.status == DutyAssignment.Status.DONE:
        _tell(
            staff_recipients(owner.province_id),
            subject=_("%(agency)s đã hoàn thành nhiệm vụ: %(task)s")
            % {"agency": assignment.agency.name, "task": assignment.duty.task[:120]},
            body=update.note,
            link=link,
            ref=ref,
            key=key,
        )


def document_issued(owner, document) -> None:
    """An issued plan, report or decision of a conference or plan is told to
    the agencies it concerns (the invited, the duties' leads) and to the
    province's leaders. The invitation itself goes out by its own page."""
    if document.purpose == "invitation":
        return
    if isinstance(owner, Conference):
        agencies = set(owner.invitations.filter(withdrawn=False).values_list("agency_id", flat=True))
        agencies |= set(DutyAssignment.objects.filter(duty__conference=owner).values_list("agency_id", flat=True))
    elif isinstance(owner, ImprovementPlan):
        agencies = set(DutyAssignment.objects.filter(duty__plan=owner).values_list("agency_id", flat=True))
    else:
        return
    contacts = agency_recipients(agencies - {document.issuer_id})
    people = [r for rows in contacts.values() for r in rows] + staff_recipients(owner.province_id, (Role.LEADER,))
    _tell(
        people,
        subject=_("Văn bản mới: %(type)s số %(symbol)s — %(title)s")
        % {"type": document.type_label, "symbol": document.symbol_display, "title": document.title},
        body=_("%(issuer)s ban hành %(type)s số %(symbol)s ngày %(day)s: %(title)s.")
        % {
            "issuer": document.issuer_name or document.issuer.name,
            "type": document.type_label.lower(),
            "symbol": document.symbol_display,
            "day": vn_date(document.issued_on),
            "title": document.title,
        },
        link=reverse("documents:detail", args=[document.pk]),
        ref=f"documents.document:{document.pk}",
        key=f"documents.document:{document.pk}:issued",
    )


def overdue_summary(province_id: int, scopes: list[str], now=None) -> int:
    """The organisers' morning summary of what is overdue in the province's
    conferences and plans, once a day (the day is in its key)."""
    now = now or timezone.now()
    items = notification_selectors.overdue_items(scopes, now)
    if not items:
        return 0
    lines = [
        f"- {item.agency_name}: {item.what} (hạn {vn_date(timezone.localtime(item.due_at).date())}) — {item.context}"
        for item in items[:100]
    ]
    if len(items) > 100:
        lines.append(_("… và %(n)d việc khác.") % {"n": len(items) - 100})
    day = timezone.localtime(now).date()
    _tell(
        staff_recipients(province_id),
        subject=_("[Quá hạn] %(n)d việc quá hạn ngày %(day)s") % {"n": len(items), "day": vn_date(day)},
        body="\n".join(lines),
        link=reverse("conferences:list"),
        ref=f"conferences.overdue:{province_id}",
        key=f"conferences.overdue:{province_id}:{day.isoformat()}",
    )
    return len(items)


def overdue_summaries(now=None) -> int:
    """Every province's morning summary (the beat runs it daily)."""
    from .reminders import scope_of
    from .selectors import live_owners

    told = 0
    for province_id, owners in live_owners().items():
        told += bool(overdue_summary(province_id, [scope_of(owner) for owner in owners], now))
    return told
