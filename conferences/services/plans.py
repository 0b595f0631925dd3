"""Improvement plans (seed 002): their fields, lists, steps draft → active →
closed, and the duties drafted from the province's lost index points."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused
from core.formatting import vn_number
from core.permissions import require
from indices.selectors import losses_by_responsible

from .. import reminders
from ..models import BasisDocument, Duty, ImprovementPlan
from ..workflows import PLAN
from ._rows import rows_save, texts
from .duties import duty_sync_assignments

P = ImprovementPlan.Status
DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được thay đổi hội nghị, kế hoạch này.")
FIELDS = [
    "title", "issuing_authority", "focal_agency", "year", "index_years", "background", "purposes", "requirements",
    "goals", "measures", "report_deadline", "report_instruction",
]  # fmt: skip
PARTS = {"basis": BasisDocument, "duties": Duty}


def _require_not_closed(plan: ImprovementPlan):
    if plan.status == P.CLOSED:
        raise Refused(_("Kế hoạch đã tổng kết, không thể sửa."))


def plan_save(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    require(actor, "conferences.organise", plan, DENIED)
    before = {}
    if plan.pk:
        current = ImprovementPlan.objects.get(pk=plan.pk)
        _require_not_closed(current)
        before = audit.snapshot(current, FIELDS)
    else:
        plan.created_by = actor
    plan.full_clean()
    with transaction.atomic():
        created = not before
        plan.save()
        audit.record(
            actor=actor,
            action="plan.create" if created else "plan.update",
            target=plan,
            before=before,
            after=audit.snapshot(plan, FIELDS),
        )
    return plan


def plan_part_save(*, actor, plan: ImprovementPlan, part: str, rows: list[dict], deleted: list[int] = ()) -> None:
    require(actor, "conferences.organise", plan, DENIED)
    _require_not_closed(plan)
    model = PARTS[part]
    with transaction.atomic():
        before = texts(model.objects.filter(plan=plan).order_by("order", "pk"))
        saved, _removed = rows_save(owner=plan, fk_name="plan", model=model, rows=rows, deleted=deleted)
        if part == "duties":
            for duty in saved:
                duty_sync_assignments(duty=duty)
            reminders.schedule_duties(plan)
        audit.record(
            actor=actor,
            action=f"plan.part.{part}",
            target=plan,
            before={part: before},
            after={part: texts(model.objects.filter(plan=plan).order_by("order", "pk"))},
        )


def plan_activate(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    require(actor, "conferences.organise", plan, DENIED)
    with PLAN.step(plan, "activate", actor=actor) as locked:
        problems = []
        if not locked.duties.exists():
            problems.append(_("Hãy giao ít nhất một nhiệm vụ."))
        if not locked.report_deadline:
            problems.append(_("Hãy nhập hạn báo cáo kết quả."))
        if problems:
            raise Refused(*problems)
        locked.status = P.ACTIVE
        reminders.schedule_duties(locked)
    return plan


def plan_close(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    require(actor, "conferences.organise", plan, DENIED)
    with PLAN.step(plan, "close", actor=actor) as locked:
        reminders.owner_over(locked)
    return plan


def _losses_text(items) -> tuple[str, str]:
    """(summary, criteria) of one agency's lost points: PAR INDEX loses
    points, SIPAS loses percent, never added together."""
    parts = [
        f"{framework.get_index_display()} {loss.code} {loss.name} (mất {vn_number(loss.lost, 2)}"
        f"{'%' if framework.unit == 'percent' else ' điểm'})"
        for framework, loss in items
    ]
    lost: dict[str, Decimal] = {}
    for framework, loss in items:
        lost[framework.get_index_display()] = lost.get(framework.get_index_display(), Decimal("0")) + loss.lost
    summary = "; ".join(
        f"{name} {vn_number(value, 2)} {'%' if name == 'SIPAS' else 'điểm'}".replace(" %", "%")
        for name, value in lost.items()
    )
    return summary, "; ".join(parts)


@transaction.atomic
def plan_duties_from_index(*, actor, plan: ImprovementPlan) -> tuple[int, str]:
    """One duty per agency that answers for lost points of the province's
    PAR INDEX / SIPAS in the plan's index years, listing its criteria and the
    points lost. An agency that already has such a duty is left as it is.
    Returns how many were made and a warning naming criteria nobody answers for."""
    require(actor, "conferences.organise", plan, DENIED)
    _require_not_closed(plan)
    years = [int(y) for y in plan.index_years or []] or [plan.year - 1]
    groups = [group for year in years for group in losses_by_responsible(plan.province, year)]
    if not groups:
        raise Refused(
            _("Chưa có điểm từng tiêu chí của tỉnh cho năm chỉ số %(years)s: nhập ở mục Chỉ số CCHC.")
            % {"years": ", ".join(map(str, years))}
        )
    unassigned = [loss.code for agency, items in groups if agency is None for _f, loss in items]
    have = set(plan.duties.filter(origin=Duty.Origin.INDEX_LOSSES).values_list("lead_agency_id", flat=True))
    order = plan.duties.count()
    made = []
    for agency, items in groups:
        if agency is None or agency.pk in have:
            continue
        have.add(agency.pk)
        summary, criteria = _losses_text(items)
        order += 1
        due = plan.report_deadline if plan.report_deadline and plan.report_deadline >= timezone.localdate() else None
        duty = Duty.objects.create(
            plan=plan,
            order=order,
            section=f"Trách nhiệm của {agency.name}",
            lead_agency=agency,
            task=f"Chủ trì tham mưu khắc phục các tiêu chí bị mất điểm ({summary}): {criteria}",
            due_date=due,
            origin=Duty.Origin.INDEX_LOSSES,
        )
        duty_sync_assignments(duty=duty)
        made.append(duty)
    reminders.schedule_duties(plan)
    if made:
        audit.record(
            actor=actor, action="plan.duties_from_index", target=plan, model=Duty, count=len(made),
            after={"duties": texts(made)},
        )  # fmt: skip
    warning = (
        _("Các tiêu chí %(codes)s chưa có cơ quan chủ trì: phân công ở mục Chỉ số CCHC.")
        % {"codes": ", ".join(unassigned[:10])}
        if unassigned
        else ""
    )
    return len(made), warning
