"""A conference: its own fields, its lists, and its steps draft → planned →
invited → held → concluded (or cancelled), each through the workflow table,
checked on the locked row and audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core import audit
from core.exceptions import Refused
from core.permissions import require

from .. import extensions, reminders, selectors
from ..models import (
    Award,
    BasisDocument,
    Conference,
    ConferenceStatus,
    ContentItem,
    Duty,
    Invitation,
    InviteeChange,
    InviteeLine,
    ProgrammeItem,
)
from ..workflows import CONFERENCE
from ._rows import rows_save, texts
from .duties import duty_sync_assignments

S = ConferenceStatus
DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được thay đổi hội nghị, kế hoạch này.")
FIELDS = [
    "title", "kind", "issuing_authority", "focal_agency", "index_years", "date", "start_time", "end_time",
    "schedule_note", "reply_deadline", "venue", "venue_address", "chair", "purposes", "requirements", "budget_note",
    "contact", "time_tba", "venue_tba", "presentations_in", "reference_date", "checkin_days_before",
]  # fmt: skip
# The lists of a conference, by the name its page and the audit trail use.
PARTS = {
    "basis": BasisDocument,
    "content": ContentItem,
    "programme": ProgrammeItem,
    "invitees": InviteeLine,
    "duties": Duty,
    "awards": Award,
}


def _require_open(conference: Conference):
    if not conference.is_open:
        raise Refused(_("Hội nghị %(status)s, không thể sửa.") % {"status": conference.get_status_display().lower()})


def conference_save(*, actor, conference: Conference) -> Conference:
    """Create or update the conference's own fields. When a time or place
    the plan left "to be announced" is fixed and the plan was issued, the
    announcement (Thông báo) is drafted from the data at once."""
    require(actor, "conferences.organise", conference, DENIED)
    before = {}
    announced = False
    if conference.pk:
        current = Conference.objects.get(pk=conference.pk)
        _require_open(current)
        before = audit.snapshot(current, FIELDS)
        announced = (current.time_tba or current.venue_tba) and not (conference.time_tba or conference.venue_tba)
    else:
        conference.created_by = actor
        conference.status = S.DRAFT
    conference.full_clean()
    with transaction.atomic():
        created = not before
        conference.save()
        if announced and _plan_issued(conference):
            from .drafts import owner_draft  # drafts build on this module's saves

            owner_draft(actor=actor, owner=conference, kind="thong-bao")
        if conference.invitations_out:
            problems = selectors.deadline_problems(conference)
            if problems:
                raise Refused(*problems)  # leaving the block rolls the save back
            reminders.schedule_replies(conference)
        audit.record(
            actor=actor,
            action="conference.create" if created else "conference.update",
            target=conference,
            before=before,
            after=audit.snapshot(conference, FIELDS),
        )
    return conference


def conference_plan(*, actor, conference: Conference) -> Conference:
    require(actor, "conferences.organise", conference, DENIED)
    with CONFERENCE.step(conference, "plan", actor=actor) as locked:
        problems = []
        if not locked.content_items.exists():
            problems.append(_("Hãy nhập ít nhất một nội dung hội nghị."))
        if not locked.date and not locked.schedule_note and not locked.time_tba:
            problems.append(_("Hãy nhập ngày tổ chức, ghi chú thời gian dự kiến, hoặc đánh dấu “thông báo sau”."))
        if problems:
            raise Refused(*problems)
    reminders.schedule_duties(conference)
    return conference


def _plan_issued(conference: Conference) -> bool:
    from documents.models import Document
    from documents.selectors import documents_for_source

    return documents_for_source(conference).filter(purpose="plan", status=Document.Status.ISSUED).exists()


def invite_problems(conference: Conference, expansions) -> list[str]:
    """What keeps the invitations from going out, all at once."""
    problems = []
    if conference.time_tba or conference.venue_tba:
        problems.append(
            _(
                "Thời gian, địa điểm đang ghi “thông báo sau”: hãy chốt thời gian, địa điểm (bỏ đánh dấu “thông báo "
                "sau”) trước khi gửi giấy mời."
            )
        )
    if not conference.date:
        problems.append(_("Hãy nhập ngày tổ chức trước khi gửi giấy mời."))
    elif conference.date < timezone.localdate():
        problems.append(_("Ngày tổ chức đã qua."))
    if not conference.venue:
        problems.append(_("Hãy nhập địa điểm trước khi gửi giấy mời."))
    if not expansions:
        problems.append(_("Chưa có thành phần mời nào."))
    for line, agencies in expansions:
        if line.target != InviteeLine.Target.TEXT and not agencies:
            problems.append(_("Thành phần “%(line)s” không ứng với đơn vị nào trong danh bạ.") % {"line": line.text})
    if expansions and not any(agencies for _line, agencies in expansions):
        problems.append(_("Không có đơn vị nào để gửi giấy mời."))
    return problems + selectors.deadline_problems(conference)


def conference_invite(*, actor, conference: Conference) -> Conference:
    """Send the invitations: check, then freeze the invited agencies."""
    require(actor, "conferences.organise", conference, DENIED)
    with CONFERENCE.step(conference, "invite", actor=actor) as locked:
        expansions = selectors.line_expansions(locked)
        problems = invite_problems(locked, expansions)
        if problems:
            raise Refused(*problems)
        invitations_freeze(actor=actor, conference=locked, expansions=expansions)
        locked.status = S.INVITED  # the reminders read it
        reminders.schedule_replies(locked)
        reminders.schedule_duties(locked)
    return conference


def invitations_freeze(*, actor, conference: Conference, expansions: Iterable[tuple[InviteeLine, list[Agency]]]):
    """One invitation per agency (the first line naming it; the largest
    quota). conference_invite calls it after its checks; the demo calls it
    to record invitations sent in the past."""
    rows: dict[int, Invitation] = {}
    for line, agencies in expansions:
        for agency in agencies:
            if agency.pk in rows:
                rows[agency.pk].quota = max(rows[agency.pk].quota, line.quota)
                continue
            rows[agency.pk] = Invitation(
                conference=conference,
                agency=agency,
                line=line,
                role=line.role,
                quota=line.quota,
                person_id=line.person_id,
            )
    Invitation.objects.bulk_create(rows.values(), ignore_conflicts=True)
    audit.record(
        actor=actor, action="conference.invitations_freeze", target=conference, model=Invitation, count=len(rows)
    )


def conference_mark_held(*, actor, conference: Conference) -> Conference:
    require(actor, "conferences.organise", conference, DENIED)
    with CONFERENCE.step(conference, "hold", actor=actor) as locked:
        if locked.date and locked.date > timezone.localdate():
            raise Refused(_("Hội nghị chưa đến ngày tổ chức."))
        locked.status = S.HELD
        reminders.schedule_replies(locked)  # replies are over; follow-up duties go on
        extensions.day_over(locked)  # presentations for the day are no longer chased
    return conference


def conference_conclude(*, actor, conference: Conference, conclusions: str) -> Conference:
    require(actor, "conferences.organise", conference, DENIED)
    if not conclusions.strip():
        raise Refused(_("Hãy nhập nội dung kết luận."))
    with CONFERENCE.step(conference, "conclude", actor=actor, fields=["conclusions"]) as locked:
        locked.conclusions = conclusions.strip()
        reminders.owner_over(locked)
    return conference


def conference_cancel(*, actor, conference: Conference, reason: str) -> Conference:
    require(actor, "conferences.organise", conference, DENIED)
    if not reason.strip():
        raise Refused(_("Hãy ghi lý do hủy hội nghị."))
    with CONFERENCE.step(conference, "cancel", actor=actor, fields=["cancel_reason"]) as locked:
        locked.cancel_reason = reason.strip()
        reminders.owner_over(locked)
    return conference


# --- Lists (basis, content, programme, invitees, duties, awards) -----------------------------------


def conference_part_save(
    *, actor, conference: Conference, part: str, rows: list[dict], deleted: list[int] = (), reason: str = ""
) -> None:
    """Save one list of a conference. Invitee lines after invitations went
    out need a recorded reason; the frozen list then changes only for the
    lines that changed."""
    require(actor, "conferences.organise", conference, DENIED)
    _require_open(conference)
    model = PARTS[part]
    frozen = conference.invitations_out and part == "invitees"
    if frozen and not reason.strip():
        raise Refused(_("Giấy mời đã gửi: hãy ghi lý do thay đổi thành phần mời."))
    with transaction.atomic():
        before = texts(model.objects.filter(conference=conference).order_by("order", "pk"))
        saved, removed = rows_save(owner=conference, fk_name="conference", model=model, rows=rows, deleted=deleted)
        if part == "duties":
            for duty in saved:
                duty_sync_assignments(duty=duty)
            if conference.invitations_out:
                problems = selectors.deadline_problems(conference)
                if problems:
                    raise Refused(*problems)
            reminders.schedule_duties(conference)
        summary = ""
        if frozen and (saved or removed):
            summary = _resync_lines(conference, touched=saved)
            if removed:
                summary += _("; xóa %(n)d dòng") % {"n": len(removed)}
            InviteeChange.objects.create(conference=conference, reason=reason.strip(), actor=actor, summary=summary)
            reminders.schedule_replies(conference)
        audit.record(
            actor=actor,
            action=f"conference.part.{part}",
            target=conference,
            before={part: before},
            after={part: texts(model.objects.filter(conference=conference).order_by("order", "pk"))},
            note="; ".join(p for p in (reason.strip(), summary) if p),
        )


def _resync_lines(conference: Conference, touched: list[InviteeLine]) -> str:
    """After invitations went out: re-expand only the lines that changed."""
    cover: dict[int, InviteeLine] = {}
    for line in touched:
        line.conference = conference
        for agency in selectors.line_agencies(line):
            cover.setdefault(agency.pk, line)
    touched_ids = {line.pk for line in touched}
    added = withdrawn = 0
    existing = {inv.agency_id: inv for inv in conference.invitations.select_related("line")}
    for invitation in existing.values():
        if invitation.line_id is None or invitation.line_id in touched_ids:
            line = cover.get(invitation.agency_id)
            if line:
                if invitation.withdrawn:
                    added += 1
                invitation.line, invitation.quota, invitation.role, invitation.withdrawn = (
                    line,
                    line.quota,
                    line.role,
                    False,
                )
            elif not invitation.withdrawn:
                invitation.withdrawn = True
                withdrawn += 1
            invitation.save(update_fields=["line", "quota", "role", "withdrawn"])
    for agency_id, line in cover.items():
        if agency_id not in existing:
            Invitation.objects.create(
                conference=conference,
                agency_id=agency_id,
                line=line,
                role=line.role,
                quota=line.quota,
                person_id=line.person_id,
            )
            added += 1
    return _("thêm %(added)d đơn vị, rút %(withdrawn)d đơn vị") % {"added": added, "withdrawn": withdrawn}
