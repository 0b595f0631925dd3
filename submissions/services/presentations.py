"""Every change to presentations: checked, atomic, audited.

An upload is validated from its bytes before anything is written; if the
database refuses the row afterwards, the stored file is removed again, so
a failed upload leaves nothing behind."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences.selectors import group_agencies
from core import audit, uploads
from core.exceptions import Refused
from core.formatting import vn_date
from core.permissions import require
from notifications.services import webhooks

from .. import notices, reminders
from ..models import Assignment, Presentation, Review, Version
from ..workflows import PRESENTATION

Status = Presentation.Status
ASSIGNMENT_FIELDS = ["topic", "guidance", "assignee", "agency", "group_label", "group_kinds", "due_date", "due_time",
                     "programme_item", "allow_late", "reminder_days"]  # fmt: skip


# --- Assignments -------------------------------------------------------------------------


def assignment_agencies(assignment: Assignment):
    if assignment.assignee == Assignment.Assignee.AGENCY:
        return [assignment.agency] if assignment.agency_id else []
    return list(
        group_agencies(
            assignment.conference,
            awardees=assignment.assignee == Assignment.Assignee.AWARDEES,
            kinds=assignment.group_kinds,
            under=assignment.group_under,
        )
    )


@transaction.atomic
def assignment_save(*, actor, assignment: Assignment) -> Assignment:
    """Create or update an assignment and the presentations it stands for."""
    require(actor, "submissions.manage", assignment.conference)
    before = audit.snapshot(Assignment.objects.get(pk=assignment.pk), ASSIGNMENT_FIELDS) if assignment.pk else {}
    created = assignment.pk is None
    if assignment.pk is None and not assignment.order:
        last = assignment.conference.presentation_assignments.order_by("-order").first()
        assignment.order = (last.order + 1) if last else 1
    assignment.full_clean()
    assignment.save()
    audit.record(
        actor=actor,
        action="assignment.create" if created else "assignment.update",
        target=assignment,
        province_id=assignment.conference.province_id,
        before=before,
        after=audit.snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    assignment_sync(actor=actor, assignment=assignment)
    return assignment


@transaction.atomic
def assignment_sync(*, actor, assignment: Assignment) -> tuple[int, int]:
    """Match the presentations to the assignee as the directory (or the
    awards) now stand: add the new agencies; drop the ones no longer in it,
    unless they have sent something, which is never thrown away."""
    require(actor, "submissions.manage", assignment.conference)
    wanted = {agency.pk for agency in assignment_agencies(assignment)}
    existing = {p.agency_id: p for p in assignment.presentations.all()}
    added = [Presentation(assignment=assignment, agency_id=pk) for pk in wanted - existing.keys()]
    Presentation.objects.bulk_create(added, ignore_conflicts=True)  # a double submit adds nothing twice
    stale = [p.pk for agency_id, p in existing.items() if agency_id not in wanted]
    dropped = list(Presentation.objects.filter(pk__in=stale, versions__isnull=True).values_list("pk", flat=True))
    Presentation.objects.filter(pk__in=dropped).delete()
    reminders.done(dropped)
    reminders.schedule(assignment)
    if added or dropped:
        audit.record(
            actor=actor,
            action="assignment.sync",
            target=assignment,
            province_id=assignment.conference.province_id,
            model=Presentation,
            count=len(added) + len(dropped),
            after={"added": len(added), "dropped": len(dropped)},
        )
    return len(added), len(dropped)


@transaction.atomic
def assignment_delete(*, actor, assignment: Assignment) -> None:
    require(actor, "submissions.manage", assignment.conference)
    if Version.objects.filter(presentation__assignment=assignment).exists():
        raise Refused(_("Đã có đơn vị gửi tệp cho tham luận này nên không thể xóa. Có thể sửa nội dung hoặc hạn gửi."))
    reminders.done(list(assignment.presentations.values_list("pk", flat=True)))
    audit.record(
        actor=actor,
        action="assignment.delete",
        target=assignment,
        province_id=assignment.conference.province_id,
        before=audit.snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    assignment.delete()


# --- Uploads -------------------------------------------------------------------------------


def upload_deadline_refusal(presentation: Presentation, now=None) -> str | None:
    """Why an upload is not taken now, or None."""
    assignment = presentation.assignment
    if presentation.status == Status.ACCEPTED:
        return _("Tham luận đã được chấp nhận; không cần gửi thêm. Nếu cần thay tệp, hãy liên hệ Sở Nội vụ.")
    if presentation.status == Status.REJECTED:
        return _("Tham luận đã bị từ chối nên không nhận thêm tệp.")
    now = now or timezone.now()
    if assignment.is_past_due(now) and presentation.first_submitted_at is None and not assignment.allow_late:
        return _(
            "Đã quá hạn gửi tham luận (hạn %(due)s) và đợt này không nhận tệp gửi muộn. Hãy liên hệ Sở Nội vụ."
        ) % {"due": vn_date(assignment.due_date)}
    return None


def version_upload(*, actor, presentation: Presentation, upload, note: str = "") -> Version:
    """A new version of the presentation, or a Refused with the reason."""
    require(actor, "submissions.upload", presentation)
    try:
        inspected = uploads.inspect_upload(upload, use=uploads.PRESENTATION, max_bytes=settings.PRESENTATION_MAX_BYTES)
    except uploads.UploadRejected as error:
        raise Refused(*error.messages) from None
    stored = None
    fields = ["current_version", "first_submitted_at", "late"]
    try:
        with transaction.atomic():
            current = Presentation.objects.select_for_update().select_related("assignment").get(pk=presentation.pk)
            refusal = upload_deadline_refusal(current)
            if refusal:
                raise Refused(refusal)
            with PRESENTATION.step(current, "submit", actor=actor, fields=fields) as locked:
                now = timezone.now()
                # Lateness is the first submission's: a correction sent later is not late.
                late = current.assignment.is_past_due(now) and locked.first_submitted_at is None
                last = locked.versions.order_by("-number").first()
                version = Version(
                    presentation=locked,
                    number=(last.number + 1) if last else 1,
                    token=uuid.uuid4().hex,
                    original_name=inspected.name,
                    file_type=inspected.kind,
                    size=inspected.size,
                    sha256=inspected.sha256,
                    pages=inspected.pages,
                    note=note.strip(),
                    is_late=late,
                    uploaded_by=actor,
                    uploaded_at=now,
                )
                stored = uploads.store(version.file, inspected.name, upload, shown_name=inspected.name)
                version.full_clean()
                version.save()
                locked.current_version = version
                if locked.first_submitted_at is None:
                    locked.first_submitted_at, locked.late = now, late
                reminders.done([locked.pk])
                notices.uploaded(version)
                webhooks.emit(
                    "presentation.uploaded",
                    province_id=locked.agency.province_id,
                    about=f"presentation-version:{version.pk}",
                    data={
                        "presentation_id": locked.pk,
                        "conference_id": locked.assignment.conference_id,
                        "agency_id": locked.agency_id,
                        "version": version.number,
                        "late": version.is_late,
                        "uploaded_at": version.uploaded_at,
                        "url": webhooks.api_url("presentation-detail", locked.pk),
                    },
                )
    except BaseException:
        if stored:
            version.file.storage.delete(stored)
        raise
    presentation.refresh_from_db()
    return version


# --- Review ---------------------------------------------------------------------------------

DECISION_STEP = {
    Review.Decision.ACCEPT: "accept",
    Review.Decision.REVISE: "revise",
    Review.Decision.REJECT: "reject",
}


def presentation_review(
    *, actor, presentation: Presentation, decision: str, comment: str = "", version_id: int | None = None
) -> Review:
    """`version_id` is the version the organiser looked at: if the agency sent
    another meanwhile, the decision is refused rather than applied to a file
    nobody has read."""
    require(actor, "submissions.manage", presentation)
    comment = comment.strip()
    if decision not in DECISION_STEP:
        raise Refused(_("Quyết định không hợp lệ."))
    if decision != Review.Decision.ACCEPT and not comment:
        raise Refused(_("Hãy ghi nhận xét để đơn vị biết cần sửa gì hoặc vì sao không chấp nhận."))
    with PRESENTATION.step(presentation, DECISION_STEP[decision], actor=actor, note=comment) as locked:
        if locked.current_version_id is None:
            raise Refused(_("Đơn vị chưa gửi tệp nào để xem xét."))
        if version_id is not None and version_id != locked.current_version_id:
            raise Refused(_("Đơn vị vừa gửi một bản mới. Hãy xem bản mới trước khi quyết định."))
        review = Review(
            presentation=locked, version_id=locked.current_version_id, decision=decision, comment=comment, actor=actor
        )
        review.full_clean()
        review.save()
        notices.reviewed(review)
    presentation.refresh_from_db()
    return review
