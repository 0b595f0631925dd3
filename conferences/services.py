"""Every change to a conference or plan: checked, atomic, audited.

Each status transition is one function with its own checks; a refusal is a
`Refused` carrying the Vietnamese reasons, shown to the user as they are."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.permissions import can_organise
from core.exceptions import Refused
from core.formatting import vn_number
from indices.selectors import losses_by_responsible

from . import reminders, selectors
from .models import (
    Conference,
    ConferenceStatus,
    Delegate,
    Duty,
    DutyAssignment,
    DutyUpdate,
    ImprovementPlan,
    Invitation,
    InviteeChange,
    InviteeLine,
)

S = ConferenceStatus


# --- Permissions --------------------------------------------------------------------


def _require_organiser(user, province_id):
    if not can_organise(user, province_id):
        raise PermissionDenied(_("Chỉ cán bộ Sở Nội vụ của tỉnh được thay đổi hội nghị, kế hoạch này."))


def _require_open(conference: Conference):
    if not conference.is_open:
        raise Refused(_("Hội nghị %(status)s, không thể sửa.") % {"status": conference.get_status_display().lower()})


# --- Deadlines ------------------------------------------------------------------------


def deadline_problems(conference: Conference) -> list[str]:
    """Every preparation deadline must fall before the conference day."""
    if not conference.date:
        return []
    problems = []
    day = conference.date
    from core.formatting import vn_date

    if conference.reply_deadline and conference.reply_deadline >= day:
        problems.append(
            _("Hạn xác nhận tham dự (%(due)s) phải trước ngày hội nghị (%(day)s).")
            % {"due": vn_date(conference.reply_deadline), "day": vn_date(day)}
        )
    for duty in conference.duties.filter(phase=Duty.Phase.PREPARATION, due_date__gte=day):
        problems.append(
            _("Hạn của nhiệm vụ “%(task)s” (%(due)s) phải trước ngày hội nghị (%(day)s).")
            % {"task": duty.task[:60], "due": vn_date(duty.due_date), "day": vn_date(day)}
        )
    return problems


# --- Conference ------------------------------------------------------------------------


def conference_save(*, actor, conference: Conference) -> Conference:
    """Create or update the conference's own fields."""
    _require_organiser(actor, conference.province_id)
    if conference.pk:
        current = Conference.objects.get(pk=conference.pk)
        _require_open(current)
    else:
        conference.created_by = actor
        conference.status = S.DRAFT
    conference.full_clean()
    with transaction.atomic():
        conference.save()
        if conference.invitations_out:
            problems = deadline_problems(conference)
            if problems:
                raise Refused(*problems)  # leaving the block rolls the save back
            reminders.schedule_replies(conference)
    return conference


def conference_plan(*, actor, conference: Conference) -> Conference:
    _require_organiser(actor, conference.province_id)
    if conference.status != S.DRAFT:
        raise Refused(_("Chỉ hội nghị đang dự thảo mới chuyển sang lên kế hoạch."))
    problems = []
    if not conference.content_items.exists():
        problems.append(_("Hãy nhập ít nhất một nội dung hội nghị."))
    if not conference.date and not conference.schedule_note:
        problems.append(_("Hãy nhập ngày tổ chức, hoặc ghi chú thời gian dự kiến."))
    if problems:
        raise Refused(*problems)
    with transaction.atomic():
        _set_status(conference, S.PLANNED)
        reminders.schedule_duties(conference)
    return conference


def conference_invite(*, actor, conference: Conference) -> Conference:
    """Send the invitations: check, then freeze the invited agencies."""
    _require_organiser(actor, conference.province_id)
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=conference.pk)
        if conference.status not in (S.DRAFT, S.PLANNED):
            raise Refused(_("Giấy mời đã được gửi hoặc hội nghị không còn mở."))
        problems = []
        if not conference.date:
            problems.append(_("Hãy nhập ngày tổ chức trước khi gửi giấy mời."))
        elif conference.date < timezone.localdate():
            problems.append(_("Ngày tổ chức đã qua."))
        if not conference.venue:
            problems.append(_("Hãy nhập địa điểm trước khi gửi giấy mời."))
        expansions = selectors.line_expansions(conference)
        if not expansions:
            problems.append(_("Chưa có thành phần mời nào."))
        for line, agencies in expansions:
            if line.target != InviteeLine.Target.TEXT and not agencies:
                problems.append(
                    _("Thành phần “%(line)s” không ứng với đơn vị nào trong danh bạ.") % {"line": line.text}
                )
        if expansions and not any(agencies for _line, agencies in expansions):
            problems.append(_("Không có đơn vị nào để gửi giấy mời."))
        problems += deadline_problems(conference)
        if problems:
            raise Refused(*problems)
        invitations_freeze(conference=conference, expansions=expansions, invited_at=timezone.now())
        reminders.schedule_replies(conference)
        reminders.schedule_duties(conference)
    return conference


def invitations_freeze(*, conference: Conference, expansions: Iterable[tuple[InviteeLine, list[Agency]]], invited_at):
    """One invitation per agency (the first line naming it; the largest quota)
    and the status "invited". conference_invite calls it after its checks;
    the demo calls it to record invitations sent in the past."""
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
    conference.invited_at = invited_at
    conference.status = S.INVITED
    conference.save(update_fields=["status", "invited_at", "updated_at"])


def conference_mark_held(*, actor, conference: Conference) -> Conference:
    _require_organiser(actor, conference.province_id)
    if conference.status != S.INVITED:
        raise Refused(_("Chỉ hội nghị đã gửi giấy mời mới được ghi nhận đã tổ chức."))
    if conference.date and conference.date > timezone.localdate():
        raise Refused(_("Hội nghị chưa đến ngày tổ chức."))
    with transaction.atomic():
        _set_status(conference, S.HELD)
        reminders.schedule_replies(conference)  # replies are over; follow-up duties go on
    return conference


def conference_conclude(*, actor, conference: Conference, conclusions: str) -> Conference:
    _require_organiser(actor, conference.province_id)
    if conference.status != S.HELD:
        raise Refused(_("Chỉ hội nghị đã tổ chức mới được kết luận."))
    if not conclusions.strip():
        raise Refused(_("Hãy nhập nội dung kết luận."))
    conference.conclusions = conclusions.strip()
    conference.concluded_at = timezone.now()
    with transaction.atomic():
        conference.save(update_fields=["conclusions", "concluded_at", "updated_at"])
        _set_status(conference, S.CONCLUDED)
        reminders.owner_over(conference)
    return conference


def conference_cancel(*, actor, conference: Conference, reason: str) -> Conference:
    _require_organiser(actor, conference.province_id)
    _require_open(conference)
    if conference.status == S.HELD:
        raise Refused(_("Hội nghị đã tổ chức, không thể hủy."))
    if not reason.strip():
        raise Refused(_("Hãy ghi lý do hủy hội nghị."))
    conference.cancel_reason = reason.strip()
    with transaction.atomic():
        conference.save(update_fields=["cancel_reason", "updated_at"])
        _set_status(conference, S.CANCELLED)
        reminders.owner_over(conference)
    return conference


def _set_status(conference: Conference, status: str) -> Conference:
    conference.status = status
    conference.save(update_fields=["status", "updated_at"])
    return conference


# --- Parts edited as lists (basis, content, programme, invitees, duties, awards) ---------


def conference_part_save(*, actor, conference: Conference, part: str, formset, reason: str = "") -> None:
    """Save one list of a conference from its formset. Invitee lines after
    invitations went out need a recorded reason; the frozen list then
    changes only for the lines that changed."""
    _require_organiser(actor, conference.province_id)
    _require_open(conference)
    frozen = conference.invitations_out and part == "invitees"
    if frozen and not reason.strip():
        raise Refused(_("Giấy mời đã gửi: hãy ghi lý do thay đổi thành phần mời."))
    with transaction.atomic():
        saved = formset.save()
        _renumber(formset)
        if part == "duties":
            for duty in saved:
                duty_sync_assignments(duty=duty)
            if conference.invitations_out:
                problems = deadline_problems(conference)
                if problems:
                    raise Refused(*problems)
            reminders.schedule_duties(conference)
        if frozen and (saved or formset.deleted_objects):
            summary = _resync_lines(conference, touched=saved)
            if formset.deleted_objects:
                summary += _("; xóa %(n)d dòng") % {"n": len(formset.deleted_objects)}
            InviteeChange.objects.create(conference=conference, reason=reason.strip(), actor=actor, summary=summary)
            reminders.schedule_replies(conference)


def _renumber(formset) -> None:
    """Rows keep the order typed; new rows (order 0) go last; then 1, 2, 3…"""
    rows = list(formset.model.objects.filter(**{formset.fk.name: formset.instance}))
    rows.sort(key=lambda row: (row.order or 10**6, row.pk))
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row.order = position
            row.save(update_fields=["order"])


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


# --- Replies and delegates -------------------------------------------------------------------


def can_reply(user, invitation: Invitation) -> bool:
    if can_organise(user, invitation.conference.province_id):
        return True
    return user.is_official and user.agency_id == invitation.agency_id


def replies_open_for(user, invitation: Invitation) -> bool:
    """Officials answer until the reply deadline; the organiser may answer on
    the agency's behalf while the conference is invited or held."""
    conference = invitation.conference
    if user.agency_id != invitation.agency_id:
        return conference.status in (S.INVITED, S.HELD)
    return conference.replies_open


def invitation_reply(*, actor, invitation: Invitation, reply: str, note: str = "", delegates: list[dict]) -> Invitation:
    """Answer an invitation and name delegates within the quota. `delegates`
    are dicts of full_name, position, phone, email and, for one kept, id."""
    if not can_reply(actor, invitation):
        raise PermissionDenied(_("Bạn không thể trả lời giấy mời của đơn vị khác."))
    on_behalf = actor.agency_id != invitation.agency_id
    conference = invitation.conference
    if invitation.withdrawn:
        raise Refused(_("Đơn vị không còn trong thành phần mời."))
    if not replies_open_for(actor, invitation):
        if on_behalf or conference.status != S.INVITED:
            raise Refused(_("Hội nghị không còn nhận trả lời."))
        raise Refused(_("Đã hết hạn xác nhận tham dự. Hãy liên hệ Sở Nội vụ nếu cần thay đổi."))
    R = Invitation.Reply
    if reply not in (R.ATTENDING, R.DECLINED):
        raise Refused(_("Hãy chọn tham dự hoặc không tham dự."))
    if reply == R.ATTENDING:
        if not delegates:
            raise Refused(_("Hãy đăng ký ít nhất 01 đại biểu."))
        if len(delegates) > invitation.quota:
            raise Refused(_("Đơn vị được cử tối đa %(n)02d đại biểu.") % {"n": invitation.quota})
    else:
        delegates = []
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        kept = {d.pk: d for d in invitation.delegates.all()}
        keep_ids = set()
        for order, data in enumerate(delegates):
            delegate = kept.get(data.get("id")) or Delegate(invitation=invitation)
            for field in ("full_name", "position", "phone", "email"):
                setattr(delegate, field, (data.get(field) or "").strip())
            delegate.order = order
            delegate.full_clean()
            delegate.save()
            keep_ids.add(delegate.pk)
        invitation.delegates.exclude(pk__in=keep_ids).delete()
        invitation.reply = reply
        invitation.reply_note = note.strip()
        invitation.replied_at = timezone.now()
        invitation.replied_by = actor
        invitation.replied_on_behalf = on_behalf
        invitation.save(update_fields=["reply", "reply_note", "replied_at", "replied_by", "replied_on_behalf"])
        reminders.reply_done(invitation)
    return invitation


def delegate_check_in(*, actor, delegate: Delegate, present: bool = True) -> Delegate:
    """Mark a delegate present (or undo a mistaken tap). Tapping twice keeps
    the first time."""
    with transaction.atomic():
        # Checked on the row as it is now: the reply may have changed since
        # the page was loaded.
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("invitation__conference")
            .get(pk=delegate.pk)
        )
        invitation, conference = delegate.invitation, delegate.invitation.conference
        _require_organiser(actor, conference.province_id)
        if conference.status not in (S.INVITED, S.HELD):
            raise Refused(_("Chỉ điểm danh khi hội nghị đã gửi giấy mời và chưa kết thúc."))
        if invitation.reply != Invitation.Reply.ATTENDING or invitation.withdrawn:
            raise Refused(_("Đại biểu không thuộc đơn vị đã xác nhận tham dự."))
        if present and delegate.checked_in_at is None:
            delegate.checked_in_at = timezone.now()
            delegate.checked_in_by = actor
        elif not present:
            delegate.checked_in_at = None
            delegate.checked_in_by = None
        delegate.save(update_fields=["checked_in_at", "checked_in_by"])
    return delegate


# --- Duties --------------------------------------------------------------------------------------


def duty_lead_agencies(duty: Duty):
    owner = duty.conference if duty.conference_id else duty.plan
    if duty.lead_agency_id:
        return Agency.objects.filter(pk=duty.lead_agency_id)
    if duty.lead_kinds:
        return Agency.objects.filter(province_id=owner.province_id, kind__in=duty.lead_kinds).active()
    return Agency.objects.none()


def duty_sync_assignments(*, duty: Duty) -> None:
    """One assignment per lead agency. An agency that no longer leads loses
    its assignment only if nothing was reported on it."""
    wanted = set(duty_lead_agencies(duty).values_list("pk", flat=True))
    existing = {a.agency_id: a for a in duty.assignments.all()}
    DutyAssignment.objects.bulk_create(
        [DutyAssignment(duty=duty, agency_id=pk) for pk in wanted - existing.keys()], ignore_conflicts=True
    )
    stale = [
        a.pk
        for agency_id, a in existing.items()
        if agency_id not in wanted and a.status == DutyAssignment.Status.OPEN and not a.updates.exists()
    ]
    DutyAssignment.objects.filter(pk__in=stale).delete()


def can_report(user, assignment: DutyAssignment) -> bool:
    owner = assignment.duty.conference or assignment.duty.plan
    if can_organise(user, owner.province_id):
        return True
    return user.is_official and user.agency_id == assignment.agency_id


def duty_report(*, actor, assignment: DutyAssignment, status: str, note: str, upload=None) -> DutyUpdate:
    """Record progress or completion, with a note and an optional file."""
    if not can_report(actor, assignment):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị chủ trì được báo cáo nhiệm vụ này."))
    owner = assignment.duty.conference or assignment.duty.plan
    if isinstance(owner, Conference) and owner.status in (S.CANCELLED, S.DRAFT):
        raise Refused(_("Hội nghị chưa triển khai hoặc đã hủy."))
    if isinstance(owner, ImprovementPlan) and owner.status != ImprovementPlan.Status.ACTIVE:
        raise Refused(_("Kế hoạch chưa triển khai hoặc đã tổng kết."))
    if status not in DutyAssignment.Status.values or status == DutyAssignment.Status.OPEN:
        raise Refused(_("Hãy chọn đang thực hiện hoặc hoàn thành."))
    if not note.strip():
        raise Refused(_("Hãy ghi nội dung đã thực hiện."))
    update = DutyUpdate(assignment=assignment, status=status, note=note.strip(), author=actor)
    with transaction.atomic():
        if upload is not None:
            suffix = PurePosixPath(upload.name).suffix.lower()[:10]
            update.original_name = upload.name[:255]
            # Stored under a generated name; the original is kept for display.
            update.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
        update.full_clean()
        update.save()
        assignment = DutyAssignment.objects.select_for_update().get(pk=assignment.pk)
        assignment.status = status
        assignment.progress_note = update.note
        assignment.completed_at = timezone.now() if status == DutyAssignment.Status.DONE else None
        assignment.save(update_fields=["status", "progress_note", "completed_at", "updated_at"])
        reminders.duty_reported(assignment)
    return update


# --- Improvement plans -------------------------------------------------------------------------


def plan_save(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    _require_organiser(actor, plan.province_id)
    if plan.pk and ImprovementPlan.objects.get(pk=plan.pk).status == ImprovementPlan.Status.CLOSED:
        raise Refused(_("Kế hoạch đã tổng kết, không thể sửa."))
    if not plan.pk:
        plan.created_by = actor
    plan.full_clean()
    plan.save()
    return plan


def plan_part_save(*, actor, plan: ImprovementPlan, part: str, formset) -> None:
    _require_organiser(actor, plan.province_id)
    if plan.status == ImprovementPlan.Status.CLOSED:
        raise Refused(_("Kế hoạch đã tổng kết, không thể sửa."))
    with transaction.atomic():
        saved = formset.save()
        _renumber(formset)
        if part == "duties":
            for duty in saved:
                duty_sync_assignments(duty=duty)
            reminders.schedule_duties(plan)


def plan_activate(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    _require_organiser(actor, plan.province_id)
    if plan.status != ImprovementPlan.Status.DRAFT:
        raise Refused(_("Kế hoạch đã được triển khai."))
    problems = []
    if not plan.duties.exists():
        problems.append(_("Hãy giao ít nhất một nhiệm vụ."))
    if not plan.report_deadline:
        problems.append(_("Hãy nhập hạn báo cáo kết quả."))
    if problems:
        raise Refused(*problems)
    with transaction.atomic():
        plan.status = ImprovementPlan.Status.ACTIVE
        plan.save(update_fields=["status", "updated_at"])
        reminders.schedule_duties(plan)
    return plan


def plan_close(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    _require_organiser(actor, plan.province_id)
    if plan.status != ImprovementPlan.Status.ACTIVE:
        raise Refused(_("Chỉ kế hoạch đang thực hiện mới được tổng kết."))
    with transaction.atomic():
        plan.status = ImprovementPlan.Status.CLOSED
        plan.save(update_fields=["status", "updated_at"])
        reminders.owner_over(plan)
    return plan


@transaction.atomic
def plan_duties_from_index(*, actor, plan: ImprovementPlan) -> tuple[int, str]:
    """One duty per agency that answers for lost points of the province's
    PAR INDEX / SIPAS in the plan's index years, listing its criteria and the
    points lost. An agency that already has such a duty is left as it is.
    Returns how many were made and a warning naming criteria nobody answers for."""
    _require_organiser(actor, plan.province_id)
    if plan.status == ImprovementPlan.Status.CLOSED:
        raise Refused(_("Kế hoạch đã tổng kết, không thể sửa."))
    years = [int(y) for y in plan.index_years or []] or [plan.year - 1]
    groups = [group for year in years for group in losses_by_responsible(plan.province, year)]
    if not groups:
        raise Refused(
            _("Chưa có điểm từng tiêu chí của tỉnh cho năm chỉ số %(years)s: nhập ở mục Chỉ số CCHC.")
            % {"years": ", ".join(map(str, years))}
        )
    unassigned = [loss.code for agency, items in groups if agency is None for _f, loss in items]
    have = set(plan.duties.filter(task__startswith=INDEX_DUTY_PREFIX).values_list("lead_agency_id", flat=True))
    order = plan.duties.count()
    made = 0
    for agency, items in groups:
        if agency is None or agency.pk in have:
            continue
        have.add(agency.pk)
        parts = [
            f"{framework.get_index_display()} {loss.code} {loss.name} (mất {vn_number(loss.lost, 2)}"
            f"{'%' if framework.unit == 'percent' else ' điểm'})"
            for framework, loss in items
        ]
        # PAR INDEX loses points, SIPAS loses percent: never added together.
        lost: dict[str, Decimal] = {}
        for framework, loss in items:
            lost[framework.get_index_display()] = lost.get(framework.get_index_display(), Decimal("0")) + loss.lost
        summary = "; ".join(
            f"{name} {vn_number(value, 2)} {'%' if name == 'SIPAS' else 'điểm'}".replace(" %", "%")
            for name, value in lost.items()
        )
        order += 1
        due = plan.report_deadline if plan.report_deadline and plan.report_deadline >= timezone.localdate() else None
        duty = Duty.objects.create(
            plan=plan,
            order=order,
            section=f"Trách nhiệm của {agency.name}",
            lead_agency=agency,
            task=f"{INDEX_DUTY_PREFIX} tiêu chí bị mất điểm ({summary}): {'; '.join(parts)}",
            due_date=due,
        )
        duty_sync_assignments(duty=duty)
        made += 1
    reminders.schedule_duties(plan)
    warning = (
        _("Các tiêu chí %(codes)s chưa có cơ quan chủ trì: phân công ở mục Chỉ số CCHC.")
        % {"codes": ", ".join(unassigned[:10])}
        if unassigned
        else ""
    )
    return made, warning


INDEX_DUTY_PREFIX = "Chủ trì tham mưu khắc phục các"
