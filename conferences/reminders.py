"""What conferences and plans hand to the notifications app: each invited
agency's reply-by date and each duty's deadline, with the people to remind,
and the word when they are done. notifications knows nothing of conferences;
the keys below are all it keeps."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from agencies.selectors import agency_recipients
from notifications import services as notifications
from notifications.owners import ReminderOwner
from notifications.services import Deadline

from . import selectors
from .models import Conference, ConferenceStatus, DutyAssignment, ImprovementPlan, Invitation

S = ConferenceStatus


def scope_of(owner) -> str:
    return f"conferences.{owner._meta.model_name}:{owner.pk}"


def end_of(day: dt.date, at: dt.time | None = None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at or dt.time(23, 59, 59)))


def invitation_key(invitation) -> str:
    return invitation.ref


def assignment_key(assignment) -> str:
    return f"conferences.dutyassignment:{assignment.pk}"


def schedule_replies(conference: Conference) -> None:
    """Every invited agency that has not answered is reminded of the reply-by date."""
    invitations = list(conference.invitations.select_related("agency"))
    pending = [i for i in invitations if not i.withdrawn and i.reply == Invitation.Reply.PENDING]
    notifications.deadline_done(keys=[invitation_key(i) for i in invitations if i not in pending])
    due = conference.reply_deadline or (conference.date - dt.timedelta(days=1) if conference.date else None)
    if due is None or not conference.replies_remindable:
        notifications.deadline_done(keys=[invitation_key(i) for i in pending])
        return
    people = agency_recipients({i.agency_id for i in pending})
    notifications.deadlines_set(
        [
            Deadline(
                key=invitation_key(invitation),
                scope=scope_of(conference),
                due_at=end_of(due),
                what="Hạn xác nhận tham dự",
                context=conference.title,
                agency_name=invitation.agency.name,
                link=reverse("conferences:invitation-reply", args=[invitation.pk]),
                recipients=tuple(people[invitation.agency_id]),
            )
            for invitation in pending
        ]
    )


def reply_done(invitation: Invitation) -> None:
    notifications.deadline_done(keys=[invitation_key(invitation)])


def _owner_live(owner) -> bool:
    if isinstance(owner, Conference):
        return owner.status in (S.PLANNED, S.INVITED, S.HELD)
    return owner.status == ImprovementPlan.Status.ACTIVE


def schedule_duties(owner) -> None:
    """Each lead agency is reminded of its duty's deadline while the
    conference or plan is under way; finished duties get no more."""
    by_owner = {"duty__conference": owner} if isinstance(owner, Conference) else {"duty__plan": owner}
    assignments = list(DutyAssignment.objects.filter(**by_owner).select_related("duty", "agency"))
    open_ = [
        a for a in assignments if a.status != DutyAssignment.Status.DONE and a.duty.due_date and _owner_live(owner)
    ]
    notifications.deadline_done(keys=[assignment_key(a) for a in assignments if a not in open_])
    people = agency_recipients({a.agency_id for a in open_})
    notifications.deadlines_set(
        [
            Deadline(
                key=assignment_key(a),
                scope=scope_of(owner),
                due_at=end_of(a.duty.due_date, a.duty.due_time),
                what="Hạn hoàn thành nhiệm vụ",
                context=owner.title,
                detail=a.duty.task,
                agency_name=a.agency.name,
                link=reverse("conferences:assignment", args=[a.pk]),
                recipients=tuple(people[a.agency_id]),
            )
            for a in open_
        ]
    )


def duty_reported(assignment: DutyAssignment) -> None:
    if assignment.status == DutyAssignment.Status.DONE:
        notifications.deadline_done(keys=[assignment_key(assignment)])


def owner_over(owner) -> None:
    notifications.deadline_done_scope(scope=scope_of(owner))


def reminder_owner(kind: str):
    """The reminder pages' owner for a conference or a plan (see
    notifications.views): read in the user's scope, managed by its organisers."""
    conference = kind == "conference"

    def resolve(request, pk) -> ReminderOwner:
        owner = (selectors.conference_get if conference else selectors.plan_get)(user=request.user, pk=pk)
        if not request.user.has_perm("conferences.organise", owner):
            raise PermissionDenied
        return ReminderOwner(
            scope=scope_of(owner),
            title=owner.title,
            detail_url=reverse("conferences:detail" if conference else "conferences:plan-detail", args=[pk]),
            reminders_url=reverse("conferences:reminders" if conference else "conferences:plan-reminders", args=[pk]),
            resend_url_name="conferences:reminder-resend" if conference else "conferences:plan-reminder-resend",
            pk=owner.pk,
            province_id=owner.province_id,
        )

    return resolve
