"""Duties: one assignment per lead agency, and the lead agencies' progress
reports, each a step of the assignment's workflow."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.selectors import Directory, area_root
from core.exceptions import Refused
from core.permissions import require
from core.uploads import DUTY_FILE, UploadRejected, inspect_upload, store
from notifications.services import webhooks

from .. import notices, reminders
from ..models import Conference, ConferenceStatus, Duty, DutyAssignment, DutyUpdate, ImprovementPlan
from ..workflows import DUTY_ASSIGNMENT

S = ConferenceStatus


def duty_lead_agencies(duty: Duty) -> list[Agency]:
    """The lead agency, or the units of the lead kinds active on the owner's
    day within the chosen unit's area (the issuer's by default)."""
    owner = duty.conference if duty.conference_id else duty.plan
    if duty.lead_agency_id:
        return [duty.lead_agency]
    if duty.lead_kinds:
        directory = Directory(owner.province_id, owner.as_of)
        return directory.group(duty.lead_kinds, duty.lead_under or area_root(owner.issuing_authority))
    return []


def duty_sync_assignments(*, duty: Duty) -> None:
    """One assignment per lead agency. An agency that no longer leads loses
    its assignment only if nothing was reported on it. Part of the change
    that saved the duty (and audited there)."""
    wanted = {agency.pk for agency in duty_lead_agencies(duty)}
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


def duty_report(*, actor, assignment: DutyAssignment, status: str, note: str, upload=None) -> DutyUpdate:
    """Record progress or completion, with a note and an optional file,
    which is inspected from its bytes before anything is written and removed
    again if the report is not saved after all."""
    require(actor, "conferences.report_duty", assignment, _("Chỉ cán bộ của đơn vị chủ trì được báo cáo nhiệm vụ này."))
    owner = assignment.duty.conference or assignment.duty.plan
    if isinstance(owner, Conference) and owner.status in (S.CANCELLED, S.DRAFT):
        raise Refused(_("Hội nghị chưa triển khai hoặc đã hủy."))
    if isinstance(owner, ImprovementPlan) and owner.status != ImprovementPlan.Status.ACTIVE:
        raise Refused(_("Kế hoạch chưa triển khai hoặc đã tổng kết."))
    steps = {DutyAssignment.Status.IN_PROGRESS: "progress", DutyAssignment.Status.DONE: "complete"}
    if status not in steps:
        raise Refused(_("Hãy chọn đang thực hiện hoặc hoàn thành."))
    if not note.strip():
        raise Refused(_("Hãy ghi nội dung đã thực hiện."))
    inspected = None
    if upload is not None:
        try:
            inspected = inspect_upload(upload, use=DUTY_FILE, max_bytes=settings.DUTY_FILE_MAX_BYTES)
        except UploadRejected as error:
            raise Refused(*error.messages) from None
    update = DutyUpdate(assignment=assignment, status=status, note=note.strip(), author=actor)
    stored = None
    try:
        with DUTY_ASSIGNMENT.step(
            assignment, steps[status], actor=actor, fields=["progress_note", "completed_at"], note=note.strip()
        ) as locked:
            if inspected is not None:
                update.original_name = inspected.name
                # Stored under a generated name, with the extension of what it is; the original is kept for display.
                stored = store(update.file, f"{uuid.uuid4().hex}.{inspected.kind}", upload, shown_name=inspected.name)
            update.full_clean()
            update.save()
            locked.progress_note = update.note
            locked.completed_at = timezone.now() if status == DutyAssignment.Status.DONE else None
            locked.status = status
            reminders.duty_reported(locked)
            notices.duty_reported(update)
            if status == DutyAssignment.Status.DONE:
                webhooks.emit(
                    "duty.completed",
                    province_id=locked.agency.province_id,
                    about=f"duty-assignment:{locked.pk}:{locked.completed_at.isoformat()}",
                    data={
                        "duty_id": locked.duty_id,
                        "assignment_id": locked.pk,
                        "agency_id": locked.agency_id,
                        "completed_at": locked.completed_at,
                        "note": update.note,
                        "url": webhooks.api_url("duty-detail", locked.duty_id),
                    },
                )
    except BaseException:
        if stored:
            update.file.storage.delete(stored)
        raise
    return update
