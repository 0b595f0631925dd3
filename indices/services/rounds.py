"""The rounds after the first appraisal: the explanation (giải trình), in
which an agency answers with a note and more files where points were cut,
by a deadline; and the bonus and penalty points (điểm thưởng, điểm trừ)
the appraisers give, each counted within the framework's cap.

Opening the explanation freezes round 1 (its scores are copied to the
FIRST round, never written again); the final round then edits the
appraisal in force, so the ranking, the analysis and the decision always
read the last round."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused
from core.permissions import require
from core.uploads import EVIDENCE, UploadRejected, inspect_upload, store

from .. import notices, reminders
from ..models import Adjustment, Assessment, Criterion, Explanation, Framework, Score
from ..workflows import ASSESSMENT
from .scores import explanation_closed, totals_refresh

S = Assessment.Status
ROUND = Score.Round


def cut_criteria(assessment: Assessment) -> list[Criterion]:
    """The leaf criteria where round 1 gave less than the agency's own score:
    what the agency may explain (two queries)."""
    rounds: dict[int, dict[str, Decimal]] = {}
    first = ROUND.FIRST if assessment.status not in (S.SELF, S.SUBMITTED, S.APPRAISED) else ROUND.APPRAISED
    for criterion_id, round, value in Score.objects.filter(
        assessment=assessment, round__in=[ROUND.SELF, first]
    ).values_list("criterion_id", "round", "value"):
        rounds.setdefault(criterion_id, {})[round] = value
    cut = [pk for pk, values in rounds.items() if first in values and values[first] < values.get(ROUND.SELF, 0)]
    return list(Criterion.objects.filter(pk__in=cut).order_by("order"))


@transaction.atomic
def explanations_open(*, actor, framework: Framework, province, deadline: dt.date) -> int:
    """Open the explanation for every agency of the province appraised in
    round 1 under the framework: round 1 is frozen (copied to FIRST in one
    statement), the deadline set and reminded. Returns how many opened."""
    require(actor, "indices.organise", province, _("Chỉ Sở Nội vụ của tỉnh mới mở giải trình."))
    if deadline < timezone.localdate():
        raise Refused(_("Hạn giải trình %(day)s đã qua.") % {"day": deadline.strftime("%d/%m/%Y")})
    rows = Assessment.objects.filter(framework=framework, agency__province=province)
    opening = list(rows.filter(status=S.APPRAISED).values_list("pk", flat=True))
    already = rows.filter(status=S.EXPLAINING)
    if not opening and not already.exists():
        raise Refused(_("Chưa có đơn vị nào đã thẩm định lần 1 để mở giải trình."))
    if opening:
        Score.objects.bulk_create(
            [
                Score(assessment_id=a, criterion_id=c, round=ROUND.FIRST, value=v, note=note)
                for a, c, v, note in Score.objects.filter(assessment_id__in=opening, round=ROUND.APPRAISED).values_list(
                    "assessment_id", "criterion_id", "value", "note"
                )
            ],
            batch_size=2000,
            ignore_conflicts=True,  # opened twice (a retry): round 1 stays as first frozen
        )
        rows.filter(pk__in=opening).update(status=S.EXPLAINING, explain_deadline=deadline)
        notices.explanation_opened(list(rows.filter(pk__in=opening).select_related("agency", "framework")))
    # Reopening with another deadline moves it for those still explaining.
    already.update(explain_deadline=deadline)
    reminders.schedule_explanations(framework, province)
    audit.record(
        actor=actor,
        action="assessment.open_explanation",
        target=framework,
        province_id=province.pk,
        model=Assessment,
        count=len(opening),
        after={"explain_deadline": deadline},
    )
    return len(opening)


@dataclass
class ExplanationInput:
    criterion_id: int
    note: str
    evidence: object = None  # an UploadedFile


def _may_explain(actor, assessment: Assessment) -> None:
    require(actor, "indices.explain", assessment, _("Chỉ cán bộ của đơn vị mới giải trình."))
    if assessment.status != S.EXPLAINING:
        raise Refused(_("Giải trình chưa mở hoặc đã gửi, không sửa được."))
    if explanation_closed(assessment):
        raise Refused(_("Đã hết hạn giải trình (%(day)s).") % {"day": assessment.explain_deadline.strftime("%d/%m/%Y")})


@transaction.atomic
def explanations_save(*, actor, assessment: Assessment, inputs: list[ExplanationInput]) -> dict[int, str]:
    """Save the agency's explanations (a blank note removes one). Returns
    criterion id → error; with any error nothing is saved."""
    assessment = Assessment.objects.select_for_update().select_related("agency", "framework").get(pk=assessment.pk)
    _may_explain(actor, assessment)
    cut = {c.pk: c for c in cut_criteria(assessment)}
    current = {e.criterion_id: e for e in assessment.explanations.all()}
    errors: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for item in inputs:
        if item.criterion_id not in cut:
            if item.note.strip() or item.evidence is not None:
                errors[item.criterion_id] = _("Tiêu chí này không bị trừ điểm ở vòng thẩm định lần 1.")
            continue
        if item.evidence is not None:
            try:
                kinds[item.criterion_id] = inspect_upload(
                    item.evidence, use=EVIDENCE, max_bytes=settings.DUTY_FILE_MAX_BYTES
                ).kind
            except UploadRejected as error:
                errors[item.criterion_id] = error.messages[0]
                continue
        if item.evidence is not None and not item.note.strip():
            errors[item.criterion_id] = _("Ghi nội dung giải trình cho tệp gửi kèm.")
    if errors:
        return errors
    before = {cut[pk].code: e.note for pk, e in current.items() if pk in cut}
    stored: list[str] = []
    try:
        for item in inputs:
            if item.criterion_id not in cut:
                continue
            explanation = current.get(item.criterion_id)
            note = item.note.strip()
            if not note:
                if explanation is not None:
                    explanation.delete()
                continue
            explanation = explanation or Explanation(assessment=assessment, criterion=cut[item.criterion_id])
            explanation.note = note
            if item.evidence is not None:
                name = (
                    f"{assessment.pk}-{cut[item.criterion_id].code}-{uuid.uuid4().hex[:12]}.{kinds[item.criterion_id]}"
                )
                stored.append(store(explanation.evidence, name, item.evidence, shown_name=item.evidence.name))
                explanation.evidence_name = item.evidence.name[:255]
            explanation.save()
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    after = {e.criterion.code: e.note for e in assessment.explanations.select_related("criterion")}
    audit.record(actor=actor, action="assessment.explanations", target=assessment, before=before, after=after)
    return {}


def explanation_submit(*, actor, assessment: Assessment) -> Assessment:
    """Send the explanation to the appraisers; the agency cannot change it after."""
    require(actor, "indices.explain", assessment, _("Chỉ cán bộ của đơn vị mới giải trình."))
    with ASSESSMENT.step(assessment, "explain", actor=actor) as locked:
        if explanation_closed(locked):
            raise Refused(_("Đã hết hạn giải trình (%(day)s).") % {"day": locked.explain_deadline.strftime("%d/%m/%Y")})
        if not locked.explanations.exists():
            raise Refused(_("Chưa có nội dung giải trình nào: ghi giải trình cho ít nhất một tiêu chí bị trừ điểm."))
        reminders.explanation_done([locked.pk])
        notices.explanation_sent(Assessment.objects.select_related("agency", "framework").get(pk=locked.pk))
    return assessment


# --- Bonus and penalty --------------------------------------------------------------------------


def adjustments_refresh(assessment_ids) -> None:
    """Each assessment's bonus minus penalty, each within its framework's cap,
    then its total again."""
    sums = (
        Adjustment.objects.filter(assessment_id__in=assessment_ids)
        .values("assessment_id")
        .annotate(
            bonus=Sum("points", filter=Q(kind=Adjustment.Kind.BONUS)),
            penalty=Sum("points", filter=Q(kind=Adjustment.Kind.PENALTY)),
        )
    )
    found = {row["assessment_id"]: row for row in sums}
    for assessment in Assessment.objects.filter(pk__in=assessment_ids).select_related("framework"):
        row = found.get(assessment.pk)
        if row is None:
            net = None
        else:
            bonus, penalty = row["bonus"] or Decimal(0), row["penalty"] or Decimal(0)
            framework = assessment.framework
            if framework.bonus_cap is not None:
                bonus = min(bonus, framework.bonus_cap)
            if framework.penalty_cap is not None:
                penalty = min(penalty, framework.penalty_cap)
            net = bonus - penalty
        if assessment.adjustment != net:
            Assessment.objects.filter(pk=assessment.pk).update(adjustment=net)
    totals_refresh(Assessment.objects.filter(pk__in=assessment_ids), rounds=(ROUND.APPRAISED,))


def _may_adjust(actor, assessment: Assessment, kind: str) -> None:
    require(actor, "indices.organise", assessment, _("Chỉ Sở Nội vụ của tỉnh mới cho điểm thưởng, điểm trừ."))
    if assessment.status == S.PUBLISHED:
        raise Refused(_("Kết quả đã công bố, không sửa được nữa."))
    if assessment.status in (S.SELF, S.SUBMITTED):
        raise Refused(_("Điểm thưởng, điểm trừ cho sau khi thẩm định."))
    cap = assessment.framework.bonus_cap if kind == Adjustment.Kind.BONUS else assessment.framework.penalty_cap
    if cap is None:
        raise Refused(
            _("Bộ chỉ số “%(framework)s” không có %(kind)s.")
            % {"framework": assessment.framework, "kind": Adjustment.Kind(kind).label.lower()}
        )


@transaction.atomic
def adjustment_add(
    *, actor, assessment: Assessment, kind: str, points: Decimal, reason: str, evidence=None
) -> Adjustment:
    assessment = Assessment.objects.select_for_update().select_related("framework", "agency").get(pk=assessment.pk)
    _may_adjust(actor, assessment, kind)
    if not reason.strip():
        raise Refused(_("Ghi lý do của điểm thưởng, điểm trừ."))
    if points is None or points <= 0:
        raise Refused(_("Số điểm phải lớn hơn 0."))
    adjustment = Adjustment(assessment=assessment, kind=kind, points=points, reason=reason.strip(), entered_by=actor)
    stored = None
    if evidence is not None:
        try:
            extension = inspect_upload(evidence, use=EVIDENCE, max_bytes=settings.DUTY_FILE_MAX_BYTES).kind
        except UploadRejected as error:
            raise Refused(error.messages[0]) from None
        name = f"{assessment.pk}-{kind}-{uuid.uuid4().hex[:12]}.{extension}"
        stored = store(adjustment.evidence, name, evidence, shown_name=evidence.name)
        adjustment.evidence_name = evidence.name[:255]
    try:
        adjustment.save()
        adjustments_refresh([assessment.pk])
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    audit.record(
        actor=actor,
        action="assessment.adjustment_add",
        target=assessment,
        after={"kind": kind, "points": points, "reason": adjustment.reason},
    )
    return adjustment


@transaction.atomic
def adjustment_remove(*, actor, adjustment: Adjustment) -> None:
    assessment = Assessment.objects.select_for_update().select_related("framework").get(pk=adjustment.assessment_id)
    _may_adjust(actor, assessment, adjustment.kind)
    before = {"kind": adjustment.kind, "points": adjustment.points, "reason": adjustment.reason}
    if adjustment.evidence:
        name = adjustment.evidence.name
        transaction.on_commit(lambda: default_storage.delete(name))
    adjustment.delete()
    adjustments_refresh([assessment.pk])
    audit.record(actor=actor, action="assessment.adjustment_remove", target=assessment, before=before)
