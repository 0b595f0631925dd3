"""Reads of conferences and plans, scoped to what the user may see.

Organisers, leaders and administrators see their province's conferences;
officials see their own agency's invitations and duties. A URL naming
another province's (or agency's) row is a 404."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.selectors import Directory, agency_contacts, area_root, scope_to_province
from core.formatting import vn_date
from core.lookups import search_q
from core.text import clip
from documents import issuers
from notifications.models import Channel, MessageState
from notifications.selectors import messages_by_ref

from .models import (
    Conference,
    ConferenceStatus,
    Delegate,
    Duty,
    DutyAssignment,
    DutyUpdate,
    ImprovementPlan,
    Invitation,
    InviteeLine,
    InviteeRole,
)

# --- Conferences --------------------------------------------------------------------


def deadline_problems(conference: Conference) -> list[str]:
    """Every preparation deadline must fall before the conference day."""
    if not conference.date:
        return []
    problems = []
    day = conference.date
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


def replies_open_for(user, invitation: Invitation) -> bool:
    """Officials answer until the reply deadline; the organiser may answer on
    the agency's behalf while the conference is invited or held."""
    conference = invitation.conference
    if user.agency_id != invitation.agency_id:
        return conference.status in (ConferenceStatus.INVITED, ConferenceStatus.HELD)
    return conference.replies_open


def conference_list(
    *, user, search: str = "", status: str = "", kind: str = "", year: int | None = None, order: Sequence = ()
) -> QuerySet[Conference]:
    """The conferences of the user's province, latest first unless `order`
    (ORDER BY terms, see core.tables) says otherwise."""
    if not user.has_perm("conferences.view_work"):
        return Conference.objects.none()
    qs = scope_to_province(Conference.objects.all(), user=user).select_related("province", "focal_agency")
    if search:
        qs = qs.filter(search_q(search, "title", "venue"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    live = Q(invitations__withdrawn=False)
    return qs.annotate(
        invited_count=Count("invitations", filter=live, distinct=True),
        attending_count=Count(
            "invitations", filter=live & Q(invitations__reply=Invitation.Reply.ATTENDING), distinct=True
        ),
    ).order_by(*(order or ("-date", "-created_at")))


def conference_get(*, user, pk) -> Conference:
    if not user.has_perm("conferences.view_work"):
        qs = Conference.objects.none()
    else:
        qs = scope_to_province(Conference.objects.all(), user=user)
    return get_object_or_404(qs.select_related("province", "issuing_authority", "focal_agency", "created_by"), pk=pk)


def conference_for_invitee(*, user, pk) -> Conference:
    """An official may open a conference their agency is invited to (for its .ics)."""
    if user.has_perm("conferences.view_work"):
        return conference_get(user=user, pk=pk)
    qs = Conference.objects.filter(invitations__agency_id=user.agency_id, invitations__withdrawn=False)
    return get_object_or_404(qs.select_related("province"), pk=pk)


def line_agencies(line: InviteeLine) -> list[Agency]:
    """The agencies one line stands for, as the directory stands on the
    conference's day."""
    return dict(line_expansions(line.conference, lines=[line]))[line]


def group_agencies(
    conference: Conference, *, awardees: bool, kinds: list[str], under: Agency | None = None
) -> list[Agency]:
    """A group named in a conference's texts: the units awarded at it (of
    the given kinds, if any), or the units of the given kinds active on the
    conference's day within `under`'s area (the issuer's area by default)."""
    if awardees:
        qs = Agency.objects.filter(awards__conference=conference).distinct().order_by("name")
        return list(qs.filter(kind__in=kinds) if kinds else qs)
    directory = Directory(conference.province_id, conference.as_of)
    return directory.group(kinds, under or area_root(conference.issuing_authority))


def line_expansions(conference: Conference, lines=None) -> list[tuple[InviteeLine, list[Agency]]]:
    """Each line with the agencies it stands for, as the directory stands on
    the conference's day: a fixed number of queries however many lines (the
    groups are cut from one read of the province's units)."""
    if lines is None:
        lines = list(
            conference.invitee_lines.select_related("agency", "person__agency", "group_under").prefetch_related(
                "also", "agency__members__person__agency", "agency__members__agency"
            )
        )
    T = InviteeLine.Target
    directory = (
        Directory(conference.province_id, conference.as_of) if any(line.target == T.GROUP for line in lines) else None
    )
    issuer_area = area_root(conference.issuing_authority)
    awarded = (
        group_agencies(conference, awardees=True, kinds=[]) if any(line.target == T.AWARDEES for line in lines) else []
    )
    expansions = []
    for line in lines:
        line.conference = conference
        if line.target == T.GROUP:
            # The issuer does not invite itself ("các sở, ban, ngành" in a Sở's own invitation).
            agencies = [
                a
                for a in directory.group(line.group_kinds, line.group_under or issuer_area)
                if a.pk != conference.issuing_authority_id
            ]
        elif line.target == T.AWARDEES:
            agencies = [a for a in awarded if not line.group_kinds or a.kind in line.group_kinds]
        elif line.target == T.AGENCY:
            agencies = ([line.agency] if line.agency_id else []) + [a for a in line.also.all() if a != line.agency]
        elif line.target == T.MEMBERS:
            agencies = list(dict.fromkeys(m.member_agency for m in line.agency.members.all())) if line.agency_id else []
        elif line.target == T.PERSON:
            agencies = [line.person.agency] if line.person_id else []
        else:
            agencies = []
        expansions.append((line, agencies))
    return expansions


def invitee_warnings(conference: Conference, expansions) -> list[str]:
    """What an organiser should look at before inviting: a unit two lines
    name, a group reaching outside the issuer's area."""
    issuer_area = area_root(conference.issuing_authority)
    warnings, seen = [], {}
    for line, agencies in expansions:
        for agency in agencies:
            if agency.pk in seen and seen[agency.pk] is not line:
                warnings.append(
                    _("“%(agency)s” có ở cả hai dòng “%(first)s” và “%(second)s”.")
                    % {"agency": agency.name, "first": clip(seen[agency.pk].text), "second": clip(line.text)}
                )
            seen.setdefault(agency.pk, line)
        if line.group_under_id and issuer_area is not None:
            directory = Directory(conference.province_id, conference.as_of)
            if not directory.within(line.group_under, issuer_area) and line.group_under.pk != issuer_area.pk:
                warnings.append(
                    _("Dòng “%(line)s” lấy đơn vị thuộc %(under)s, ngoài địa bàn của %(issuer)s.")
                    % {
                        "line": clip(line.text),
                        "under": line.group_under.name,
                        "issuer": conference.issuing_authority.name,
                    }
                )
    return warnings


def duty_expansions(owner) -> dict | None:
    """Who each duty led by a group of units reaches on the owner's day, and
    what looks wrong (no unit at all, a unit outside the issuer's area),
    shown on the duties page before anyone is reminded of it."""
    duties = [d for d in owner.duties.select_related("lead_under") if d.lead_kinds and not d.lead_agency_id]
    if not duties:
        return None
    directory = Directory(owner.province_id, owner.as_of)
    root = area_root(owner.issuing_authority)
    lines, warnings = [], []
    for duty in duties:
        label = duty.lead_label or issuers.group_phrase(duty.lead_kinds)
        agencies = directory.group(duty.lead_kinds, duty.lead_under or root)
        lines.append(({"text": f"{label} — {clip(duty.task)}"}, agencies))
        if not agencies:
            warnings.append(
                _("Nhóm chủ trì “%(label)s” không có đơn vị nào trong danh bạ ngày %(day)s.")
                % {"label": label, "day": vn_date(owner.as_of)}
            )
        if duty.lead_under and root is not None and not directory.within(duty.lead_under, root):
            warnings.append(
                _("Nhóm chủ trì “%(label)s” thuộc %(under)s, ngoài địa bàn của %(issuer)s.")
                % {"label": label, "under": duty.lead_under.name, "issuer": owner.issuing_authority.name}
            )
    return {"lines": lines, "warnings": warnings, "duties": True}


def invitee_lines_with_agencies(conference: Conference) -> list[tuple[InviteeLine, list[Agency]]]:
    """Each line with the agencies it expands to: live before invitations go
    out, the frozen list after."""
    if not conference.invitations_out:
        return line_expansions(conference)
    frozen: dict[int, list[Agency]] = {}
    for invitation in conference.invitations.filter(withdrawn=False).select_related("agency").order_by("agency__name"):
        frozen.setdefault(invitation.line_id, []).append(invitation.agency)
    return [
        (line, frozen.get(line.pk, [])) for line in conference.invitee_lines.select_related("agency", "person__agency")
    ]


def _assignment_counts(conference_filter: Q):
    """Subqueries counting an agency's duty assignments in one conference or plan."""
    base = DutyAssignment.objects.filter(conference_filter, agency=OuterRef("agency"))
    today = timezone.localdate()

    def count(qs):
        return Coalesce(
            Subquery(qs.order_by().values("agency").annotate(c=Count("pk")).values("c"), output_field=IntegerField()),
            Value(0),
        )

    return {
        "duties_total": count(base),
        "duties_done": count(base.filter(status=DutyAssignment.Status.DONE)),
        "duties_overdue": count(base.exclude(status=DutyAssignment.Status.DONE).filter(duty__due_date__lt=today)),
    }


def board_rows(
    *,
    conference: Conference,
    kind: str = "",
    reply: str = "",
    overdue: bool = False,
    search: str = "",
    order: Sequence = (),
) -> QuerySet[Invitation]:
    """One row per invited agency, with delegates and duty counts; a fixed
    number of queries however many agencies are invited. By agency name
    unless `order` (ORDER BY terms, see core.tables) says otherwise."""
    qs = conference.invitations.filter(withdrawn=False).select_related("agency", "line", "replied_by")
    if kind:
        qs = qs.filter(agency__kind=kind)
    if reply:
        qs = qs.filter(reply=reply)
    if search:
        qs = qs.filter(search_q(search, "agency__name"))
    delegates = Delegate.objects.filter(invitation=OuterRef("pk")).order_by().values("invitation")
    qs = qs.annotate(
        **_assignment_counts(Q(duty__conference=conference)),
        delegates_count=Coalesce(
            Subquery(delegates.annotate(c=Count("pk")).values("c"), output_field=IntegerField()), Value(0)
        ),
    )
    if overdue:
        qs = qs.filter(duties_overdue__gt=0)
    return qs.prefetch_related(Prefetch("delegates", queryset=Delegate.objects.order_by("order", "pk"))).order_by(
        *(order or ("agency__name", "pk"))
    )


def board_totals(conference: Conference) -> dict:
    live = conference.invitations.filter(withdrawn=False)
    R = Invitation.Reply
    totals = live.aggregate(
        invited=Count("pk"),
        attending=Count("pk", filter=Q(reply=R.ATTENDING)),
        declined=Count("pk", filter=Q(reply=R.DECLINED)),
        pending=Count("pk", filter=Q(reply=R.PENDING)),
    )
    delegates = Delegate.objects.filter(
        invitation__conference=conference, invitation__withdrawn=False, invitation__reply=R.ATTENDING
    )
    totals.update(
        delegates.aggregate(delegates=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False)))
    )
    totals.update(duty_totals(Q(duty__conference=conference)))
    return totals


def duty_totals(owner_filter: Q) -> dict:
    today = timezone.localdate()
    S = DutyAssignment.Status
    return DutyAssignment.objects.filter(owner_filter).aggregate(
        assignments=Count("pk"),
        done=Count("pk", filter=Q(status=S.DONE)),
        overdue=Count("pk", filter=~Q(status=S.DONE) & Q(duty__due_date__lt=today)),
    )


def duty_list(*, owner_filter: Q) -> QuerySet[Duty]:
    return (
        Duty.objects.filter(owner_filter)
        .select_related("lead_agency")
        .prefetch_related(
            "coordinating",
            Prefetch("assignments", queryset=DutyAssignment.objects.select_related("agency").order_by("agency__name")),
        )
        .order_by("order", "pk")
    )


def delegates_for_export(conference: Conference) -> QuerySet[Delegate]:
    return (
        Delegate.objects.filter(
            invitation__conference=conference, invitation__withdrawn=False, invitation__reply=Invitation.Reply.ATTENDING
        )
        .select_related("invitation__agency")
        .order_by("invitation__agency__name", "order", "pk")
    )


def checkin_search(*, conference: Conference, search: str = "") -> QuerySet[Delegate]:
    qs = delegates_for_export(conference)
    if search:
        qs = qs.filter(search_q(search, "full_name", "invitation__agency__name", "position"))
    return qs


def delegate_by_token(*, user, token) -> Delegate:
    qs = Delegate.objects.select_related("invitation__agency", "invitation__conference")
    if not (user.is_administrator or user.is_organiser):
        qs = qs.none()
    else:
        qs = scope_to_province(qs, user=user, path="invitation__conference__province")
    return get_object_or_404(qs, token=token)


# --- What an agency's official sees ---------------------------------------------------


def invitation_list_for_agency(*, user) -> QuerySet[Invitation]:
    if not user.is_authenticated or not user.agency_id:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(agency_id=user.agency_id, withdrawn=False)
        .exclude(conference__status__in=[ConferenceStatus.DRAFT, ConferenceStatus.PLANNED])
        .select_related("conference", "line")
        .annotate(delegate_count=Count("delegates"))
        .order_by("-conference__date")
    )


def invitation_get(*, user, pk) -> Invitation:
    """Officials reach their own agency's invitation; organisers any of their province's."""
    qs = Invitation.objects.select_related(
        "conference__province", "conference__issuing_authority", "agency", "line", "replied_by"
    )
    if user.is_administrator:
        pass
    elif user.is_organiser or user.is_leader:
        qs = scope_to_province(qs, user=user, path="conference__province")
    elif user.agency_id:
        qs = qs.filter(agency_id=user.agency_id, withdrawn=False).exclude(
            conference__status__in=[ConferenceStatus.DRAFT, ConferenceStatus.PLANNED]
        )
    else:
        qs = qs.none()
    return get_object_or_404(qs, pk=pk)


def assignment_list_for_agency(*, user, open_only: bool = False) -> QuerySet[DutyAssignment]:
    if not user.is_authenticated or not user.agency_id:
        return DutyAssignment.objects.none()
    qs = DutyAssignment.objects.filter(agency_id=user.agency_id).filter(
        Q(duty__conference__isnull=False)
        & ~Q(duty__conference__status__in=[ConferenceStatus.DRAFT, ConferenceStatus.CANCELLED])
        | Q(duty__plan__isnull=False) & ~Q(duty__plan__status=ImprovementPlan.Status.DRAFT)
    )
    if open_only:
        qs = qs.exclude(status=DutyAssignment.Status.DONE)
    return qs.select_related("duty__conference", "duty__plan", "duty__lead_agency").order_by("duty__due_date", "pk")


def assignment_get(*, user, pk) -> DutyAssignment:
    qs = DutyAssignment.objects.select_related(
        "duty__conference__province", "duty__plan__province", "duty__lead_agency", "agency"
    )
    if user.is_administrator:
        pass
    elif user.has_perm("conferences.view_work"):
        qs = scope_to_province(qs, user=user, path="agency__province")
    elif user.agency_id:
        qs = qs.filter(agency_id=user.agency_id)
    else:
        qs = qs.none()
    return get_object_or_404(qs, pk=pk)


def assignment_history(assignment: DutyAssignment) -> QuerySet[DutyUpdate]:
    return assignment.updates.select_related("author")


# --- Plans ---------------------------------------------------------------------------------


def plan_list(*, user, search: str = "") -> QuerySet[ImprovementPlan]:
    if not user.has_perm("conferences.view_work"):
        return ImprovementPlan.objects.none()
    qs = scope_to_province(ImprovementPlan.objects.all(), user=user).select_related("province", "focal_agency")
    if search:
        qs = qs.filter(search_q(search, "title"))
    return qs.annotate(
        duty_count=Count("duties", distinct=True),
        assignment_count=Count("duties__assignments", distinct=True),
        done_count=Count(
            "duties__assignments", filter=Q(duties__assignments__status=DutyAssignment.Status.DONE), distinct=True
        ),
    ).order_by("-year", "-created_at")


def plan_get(*, user, pk) -> ImprovementPlan:
    qs = (
        scope_to_province(ImprovementPlan.objects.all(), user=user)
        if user.has_perm("conferences.view_work")
        else ImprovementPlan.objects.none()
    )
    return get_object_or_404(qs.select_related("province", "issuing_authority", "focal_agency"), pk=pk)


def plan_board_rows(plan: ImprovementPlan) -> list[dict]:
    """Per lead agency: its assignments in the plan (one query)."""
    rows: dict[int, dict] = {}
    assignments = (
        DutyAssignment.objects.filter(duty__plan=plan)
        .select_related("agency", "duty")
        .order_by("agency__name", "duty__order", "duty_id")
    )
    for assignment in assignments:
        row = rows.setdefault(
            assignment.agency_id, {"agency": assignment.agency, "assignments": [], "done": 0, "overdue": 0}
        )
        row["assignments"].append(assignment)
        row["done"] += assignment.status == DutyAssignment.Status.DONE
        row["overdue"] += assignment.is_overdue
    return list(rows.values())


def open_assignments(*, user) -> QuerySet[DutyAssignment]:
    """Unfinished duties of the province with a deadline, soonest first (for dashboards)."""
    if not user.has_perm("conferences.view_work"):
        return DutyAssignment.objects.none()
    qs = scope_to_province(DutyAssignment.objects.all(), user=user, path="agency__province")
    return (
        qs.exclude(status=DutyAssignment.Status.DONE)
        .filter(duty__due_date__isnull=False)
        .exclude(duty__conference__status__in=[ConferenceStatus.DRAFT, ConferenceStatus.CANCELLED])
        .exclude(duty__plan__status__in=[ImprovementPlan.Status.DRAFT, ImprovementPlan.Status.CLOSED])
        .select_related("agency", "duty")
        .order_by("duty__due_date", "agency__name")
    )


# --- Sending the invitations ---------------------------------------------------------------


def invitation_documents(conference: Conference):
    from documents.selectors import documents_for_source

    return documents_for_source(conference).filter(purpose="invitation")


def invitation_drafts(conference: Conference):
    from documents.models import Document

    return invitation_documents(conference).filter(status=Document.Status.DRAFT)


def invitation_document(conference: Conference):
    """The invitation that goes out: the latest issued (or registered) one."""
    from documents.models import Document

    return (
        invitation_documents(conference)
        .filter(status=Document.Status.ISSUED)
        .order_by("-issued_on", "-number", "-pk")
        .first()
    )


def invitations_to_send(conference: Conference) -> QuerySet[Invitation]:
    """The invited agencies that get a copy: not withdrawn; the chair does not invite itself."""
    return conference.invitations.filter(withdrawn=False).exclude(role=InviteeRole.CHAIR)


def sending_rows(conference: Conference) -> list[Invitation]:
    """Each invited agency with its sending state, read in three queries:
    `state` (label, colour), `mail` and `notices` (its messages)."""
    rows = list(invitations_to_send(conference).select_related("agency", "person").order_by("agency__name"))
    messages = messages_by_ref([i.ref for i in rows])
    contacts = agency_contacts([row.agency_id for row in rows])
    for row in rows:
        row.contacts = contacts[row.agency_id]
        found = messages[row.ref]
        # A failed e-mail sent again counts by its latest copy.
        resent = {m.resend_of_id for m in found if m.resend_of_id}
        row.mail = [m for m in found if m.channel == Channel.EMAIL and m.pk not in resent]
        row.notices = [m for m in found if m.channel == Channel.PORTAL]
        row.read_at = min((m.read_at for m in row.notices if m.read_at), default=None)
        row.state = _sending_state(row)
    return rows


def invitations_unsent(conference: Conference) -> QuerySet[Invitation]:
    return invitations_to_send(conference).filter(send_requested_at__isnull=True)


def sending_preview(conference: Conference) -> list[Agency]:
    """Before the first send: the agencies the invitee lines reach today
    (the chair aside), each with `contacts`."""
    agencies = {
        agency.pk: agency
        for line, found in line_expansions(conference)
        if line.role != InviteeRole.CHAIR
        for agency in found
    }
    contacts = agency_contacts(list(agencies))
    rows = sorted(agencies.values(), key=lambda agency: agency.name)
    for agency in rows:
        agency.contacts = contacts[agency.pk]
    return rows


def _sending_state(row) -> tuple[str, str]:
    if not row.send_requested_at:
        return _("Chưa gửi"), "secondary"
    if not row.sent_at:
        return _("Đang tạo bản giấy mời riêng"), "warning"
    if any(m.state == MessageState.FAILED for m in row.mail):
        return _("Gửi thư lỗi"), "danger"
    if row.mail and all(m.state == MessageState.SENT for m in row.mail):
        return _("Đã gửi thư"), "success"
    if row.mail:
        return _("Đang gửi thư"), "warning"
    if row.notices:
        return _("Chỉ báo trên cổng (không có địa chỉ thư)"), "info"
    if row.contacts:
        return _("Đã gửi"), "success"  # before the portal kept a log of its mail
    return _("Không có địa chỉ thư điện tử hay tài khoản"), "danger"


WAITING = (MessageState.QUEUED, MessageState.SENDING, MessageState.HELD)


def sending_totals(rows: list[Invitation]) -> dict:
    return {
        "total": len(rows),
        "new": sum(1 for r in rows if not r.send_requested_at),
        "waiting": sum(1 for r in rows if r.send_requested_at and not r.sent_at),
        "sending": sum(1 for r in rows if any(m.state in WAITING for m in r.mail)),
        "sent": sum(1 for r in rows if r.state[1] in ("success", "info")),
        "failed": sum(1 for r in rows if any(m.state == MessageState.FAILED for m in r.mail)),
        "read": sum(1 for r in rows if r.read_at),
    }


def invitation_copy(invitation: Invitation):
    """The personal copy an invited agency was sent (the registered paper's
    scan when the invitation was signed outside), or None."""
    document = invitation.sent_document
    if document is None:
        return None
    if document.is_registered:
        return document.issued_file
    key = f"person:{invitation.person_id}" if invitation.person_id else f"agency:{invitation.agency_id}"
    return document.files.filter(addressee_key=key, status="done", kind="pdf").exclude(file="").order_by("-pk").first()


def live_owners() -> dict[int, list]:
    """Conferences under way and plans in force, by province: what the
    organisers' daily overdue summary reads (run by the worker, all provinces)."""
    found: dict[int, list] = {}
    live = [ConferenceStatus.PLANNED, ConferenceStatus.INVITED, ConferenceStatus.HELD]
    for owner in [
        *Conference.objects.filter(status__in=live),
        *ImprovementPlan.objects.filter(status=ImprovementPlan.Status.ACTIVE),
    ]:
        found.setdefault(owner.province_id, []).append(owner)
    return found


# --- What each role's home shows (the same rows as the menu pages) ----------------------


def invitations_to_answer(*, user) -> list[Invitation]:
    """The agency's invitations still waiting for its reply while replies are open."""
    return [
        invitation
        for invitation in invitation_list_for_agency(user=user)
        if invitation.reply == Invitation.Reply.PENDING and invitation.conference.replies_open
    ]


def conferences_late(*, user) -> list[Conference]:
    """The province's conferences the calendar says are late (see
    Conference.overdue_step): the day passed and not marked held, or the
    planned time passed without invitations."""
    live = [ConferenceStatus.DRAFT, ConferenceStatus.PLANNED, ConferenceStatus.INVITED, ConferenceStatus.HELD]
    return [c for c in conference_list(user=user, status="").filter(status__in=live) if c.overdue_step]


def plans_in_force(*, user) -> QuerySet[ImprovementPlan]:
    return plan_list(user=user).filter(status=ImprovementPlan.Status.ACTIVE)


# --- What the API reads (api/): the same rules as the pages, as querysets ---------------------

HIDDEN_FROM_INVITEES = [ConferenceStatus.DRAFT, ConferenceStatus.PLANNED]


def _of_drafts(user) -> Q:
    """What a system reading through the API does not see: conferences and
    plans still in draft (a person who sees the province's work does)."""
    return Q(status=ConferenceStatus.DRAFT) if getattr(user, "is_system", False) else Q(pk__in=[])


def conferences_readable(user) -> QuerySet[Conference]:
    """The province's conferences for those who see its work (a system: not
    drafts); for an agency's official, those their agency is invited to once
    invitations go out."""
    if user.has_perm("conferences.view_work"):
        return scope_to_province(Conference.objects.all(), user=user).exclude(_of_drafts(user))
    if not user.is_authenticated or not user.agency_id:
        return Conference.objects.none()
    invited = Invitation.objects.filter(agency_id=user.agency_id, withdrawn=False).values("conference_id")
    return Conference.objects.filter(pk__in=invited).exclude(status__in=HIDDEN_FROM_INVITEES)


def invitations_readable(user) -> QuerySet[Invitation]:
    """Every invitation of the province's conferences, or an official's agency's own."""
    if user.has_perm("conferences.view_work"):
        rows = scope_to_province(Invitation.objects.all(), user=user, path="conference__province")
        return rows.exclude(conference__in=Conference.objects.filter(_of_drafts(user)))
    if not user.is_authenticated or not user.agency_id:
        return Invitation.objects.none()
    return Invitation.objects.filter(agency_id=user.agency_id, withdrawn=False).exclude(
        conference__status__in=HIDDEN_FROM_INVITEES
    )


def invitee_lines_readable(user) -> QuerySet[InviteeLine]:
    """The invitee lines as the organisers wrote them: for those who see the province's work."""
    if not user.has_perm("conferences.view_work"):
        return InviteeLine.objects.none()
    rows = scope_to_province(InviteeLine.objects.all(), user=user, path="conference__province")
    return rows.exclude(conference__in=Conference.objects.filter(_of_drafts(user)))


def duties_readable(user) -> QuerySet[Duty]:
    """The province's duties, or those assigned to an official's agency (as on their page)."""
    if user.has_perm("conferences.view_work"):
        rows = scope_to_province(Duty.objects.all(), user=user)
        if getattr(user, "is_system", False):
            rows = rows.exclude(conference__status=ConferenceStatus.DRAFT).exclude(
                plan__status=ImprovementPlan.Status.DRAFT
            )
        return rows
    mine = assignment_list_for_agency(user=user).values("duty_id")
    return Duty.objects.filter(pk__in=mine)
