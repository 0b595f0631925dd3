"""Writes for index results: scores by round, the assessment's path
(indices.workflows), totals kept by the database, publication, national
results and who answers for each criterion. Every refusal says why in
Vietnamese and changes nothing; every change is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core import audit
from core.exceptions import Refused
from core.permissions import require
from core.uploads import EVIDENCE, UploadRejected, inspect_upload, store
from notifications.services import webhooks

from .. import reminders
from ..models import (
    Assessment,
    Criterion,
    Framework,
    NationalIndex,
    NationalResult,
    Publication,
    Responsibility,
    Score,
)
from ..scoring import check_score, parse_score
from ..selectors import covered_agencies
from ..workflows import ASSESSMENT

S = Assessment.Status
ROUND = Score.Round
ONLY_ORGANISERS = _("Chỉ Sở Nội vụ của tỉnh mới làm được việc này.")


def totals_refresh(assessments: QuerySet[Assessment], rounds=(ROUND.SELF, ROUND.APPRAISED)) -> None:
    """Write each assessment's totals per round: one UPDATE with a SUM per
    round. The appraisal's total counts the bonus and penalty (`adjustment`,
    kept by adjustments_refresh); without any appraised score it stays blank."""
    for round, column in ((ROUND.SELF, "self_total"), (ROUND.APPRAISED, "total")):
        if round not in rounds:
            continue
        sums = (
            Score.objects.filter(assessment=OuterRef("pk"), round=round)
            .order_by()
            .values("assessment")
            .annotate(total=Sum("value"))
            .values("total")
        )
        value = Subquery(sums)
        if column == "total":
            value = value + Coalesce(F("adjustment"), Value(Decimal(0)))  # NULL (no appraisal) stays NULL
        assessments.update(**{column: value})


# --- Opening the self-assessment --------------------------------------------------------------


@transaction.atomic
def assessments_open(*, actor, framework: Framework, province, deadline: dt.date | None) -> int:
    """Open (or reschedule) the self-assessment of every agency the framework
    covers in the province; their officials are reminded of the deadline."""
    if not actor.has_perm("indices.organise", province):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới mở tự đánh giá."))
    if deadline is not None and deadline < timezone.localdate():
        raise Refused(_("Hạn tự đánh giá %(day)s đã qua.") % {"day": deadline.strftime("%d/%m/%Y")})
    agencies = list(covered_agencies(framework, province))
    if not agencies:
        raise Refused(
            _("Tỉnh chưa có đơn vị nào thuộc đối tượng “%(subject)s” trong danh bạ.")
            % {"subject": framework.get_subject_display()}
        )
    existing = set(
        Assessment.objects.filter(framework=framework, agency__in=agencies).values_list("agency_id", flat=True)
    )
    Assessment.objects.bulk_create(
        [Assessment(framework=framework, agency=a, self_deadline=deadline) for a in agencies if a.pk not in existing]
    )
    Assessment.objects.filter(framework=framework, agency__in=agencies, status=S.SELF).update(self_deadline=deadline)
    reminders.schedule(framework, province)
    audit.record(
        actor=actor,
        action="assessment.open",
        target=framework,
        province_id=province.pk,
        model=Assessment,
        count=len(agencies),
        after={"self_deadline": deadline},
    )
    return len(agencies) - len(existing)


# --- Scores -----------------------------------------------------------------------------------


@dataclass
class ScoreInput:
    criterion_id: int
    raw: object
    note: str = ""
    evidence: object = None  # an UploadedFile


def _may_score(actor, assessment: Assessment, round: str) -> None:
    if round == ROUND.SELF:
        if not actor.has_perm("indices.self_assess", assessment):
            raise Refused(_("Chỉ cán bộ của đơn vị mới tự đánh giá."))
        if assessment.status != S.SELF:
            raise Refused(_("Bản tự đánh giá đã gửi, không sửa được nữa."))
    else:
        if not actor.has_perm("indices.organise", assessment):
            raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới thẩm định."))
        if assessment.status == S.PUBLISHED:
            raise Refused(_("Kết quả đã công bố, không sửa được nữa."))
        if round != ROUND.APPRAISED:
            raise Refused(_("Điểm thẩm định lần 1 đã chốt khi mở giải trình, không sửa được."))
        if assessment.status == S.EXPLAINING and not explanation_closed(assessment):
            raise Refused(
                _(
                    "Đơn vị đang giải trình đến hết ngày %(day)s: thẩm định lần 2 sau khi đơn vị gửi giải trình "
                    "hoặc hết hạn."
                )
                % {"day": assessment.explain_deadline.strftime("%d/%m/%Y")}
            )


def explanation_closed(assessment: Assessment) -> bool:
    """The explanation's deadline has passed (the final round may begin
    without the agency's answer)."""
    return assessment.explain_deadline is not None and assessment.explain_deadline < timezone.localdate()


@transaction.atomic
def scores_save(*, actor, assessment: Assessment, round: str, inputs: list[ScoreInput]) -> dict[int, str]:
    """Save one round's scores. Returns criterion id → error; when there is any
    error nothing is saved."""
    assessment = Assessment.objects.select_for_update().select_related("agency", "framework").get(pk=assessment.pk)
    _may_score(actor, assessment, round)
    leaves = {c.pk: c for c in assessment.framework.criteria.filter(children__isnull=True)}
    errors: dict[int, str] = {}
    parsed: list[tuple[Criterion, Decimal | None, ScoreInput]] = []
    evidence: dict[int, str] = {}  # criterion id → the stored file's extension, as its bytes tell
    for item in inputs:
        criterion = leaves.get(item.criterion_id)
        if criterion is None:
            continue
        try:
            value = parse_score(item.raw)
        except ValueError as error:
            errors[criterion.pk] = str(error)
            continue
        if value is not None and round == ROUND.SELF and criterion.method == Criterion.Method.SURVEY:
            # Measured by the sociological survey, not self-assessed (and not
            # required on submit, see assessment_submit).
            errors[criterion.pk] = _("Tiêu chí đo bằng điều tra xã hội học: đơn vị không tự chấm, để trống ô này.")
            continue
        if value is not None and (problem := check_score(value, criterion)):
            errors[criterion.pk] = problem
            continue
        if item.evidence is not None:
            try:
                evidence[criterion.pk] = inspect_upload(
                    item.evidence, use=EVIDENCE, max_bytes=settings.DUTY_FILE_MAX_BYTES
                ).kind
            except UploadRejected as error:
                errors[criterion.pk] = error.messages[0]
                continue
        parsed.append((criterion, value, item))
    if errors:
        return errors
    current = {s.criterion_id: s for s in assessment.scores.filter(round=round).select_related("criterion")}
    before = {code: str(score.value) for code, score in ((s.criterion.code, s) for s in current.values())}
    stored: list[str] = []
    try:
        for criterion, value, item in parsed:
            score = current.get(criterion.pk)
            if value is None:
                if score is not None:
                    score.delete()
                continue
            score = score or Score(assessment=assessment, criterion=criterion, round=round)
            score.value, score.note = value, item.note.strip()
            if item.evidence is not None:
                name = f"{assessment.pk}-{criterion.code}-{uuid.uuid4().hex[:12]}.{evidence[criterion.pk]}"
                stored.append(store(score.evidence, name, item.evidence, shown_name=item.evidence.name))
                score.evidence_name = item.evidence.name[:255]
            score.save()
    except BaseException:
        # The rows roll back with the transaction; the files written meanwhile go too.
        for name in stored:
            default_storage.delete(name)
        raise
    totals_refresh(Assessment.objects.filter(pk=assessment.pk))
    after = {s.criterion.code: str(s.value) for s in assessment.scores.filter(round=round).select_related("criterion")}
    audit.record(
        actor=actor,
        action=f"assessment.scores.{round}",
        target=assessment,
        before=before,
        after=after,
        count=len(parsed),
    )
    if round == ROUND.APPRAISED and assessment.status in (S.SELF, S.SUBMITTED):
        with ASSESSMENT.step(assessment, "appraise", actor=actor):
            pass
    elif round == ROUND.APPRAISED and assessment.status in (S.EXPLAINING, S.EXPLAINED):
        with ASSESSMENT.step(assessment, "final_appraise", actor=actor):
            reminders.explanation_done([assessment.pk])
    return {}


def assessment_submit(*, actor, assessment: Assessment) -> Assessment:
    require(actor, "indices.self_assess", assessment, _("Chỉ cán bộ của đơn vị mới tự đánh giá."))
    with ASSESSMENT.step(assessment, "submit", actor=actor) as locked:
        # Criteria scored by sociological survey are measured, not self-assessed.
        missing = (
            locked.framework.criteria.filter(children__isnull=True)
            .exclude(method=Criterion.Method.SURVEY)
            .exclude(scores__assessment=locked, scores__round=ROUND.SELF)
            .order_by("order")
        )
        codes = [c.code for c in missing[:8]]
        if codes:
            raise Refused(_("Còn tiêu chí chưa chấm: %(codes)s.") % {"codes": ", ".join(codes)})
        reminders.done([locked.pk])
    return assessment


def assessment_reopen(*, actor, assessment: Assessment) -> Assessment:
    """Send a submitted self-assessment back to the agency for changes."""
    if not actor.has_perm("indices.organise", assessment):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới trả lại bản tự đánh giá."))
    with ASSESSMENT.step(assessment, "reopen", actor=actor, fields=["submitted_at"]) as locked:
        locked.submitted_at = None
    return assessment


@transaction.atomic
def results_publish(*, actor, framework: Framework, province) -> Publication:
    """Publish the appraised results of the province's agencies under the
    framework: one change for all of them, audited as one."""
    if not actor.has_perm("indices.organise", province):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới công bố kết quả."))
    rows = Assessment.objects.filter(framework=framework, agency__province=province)
    if not rows.filter(total__isnull=False).exists():
        raise Refused(_("Chưa có kết quả thẩm định nào để công bố."))
    waiting = rows.filter(total__isnull=True).count()
    if waiting:
        raise Refused(_("Còn %(count)s đơn vị chưa có điểm thẩm định.") % {"count": waiting})
    explaining = rows.filter(status=S.EXPLAINING, explain_deadline__gte=timezone.localdate()).count()
    if explaining:
        raise Refused(
            _("Còn %(count)s đơn vị đang trong hạn giải trình: chờ giải trình và thẩm định lần 2 rồi mới công bố.")
            % {"count": explaining}
        )
    published = rows.filter(status__in=ASSESSMENT["publish"].source).update(
        status=S.PUBLISHED, published_at=timezone.now()
    )
    publication, _created = Publication.objects.get_or_create(
        province=province, year=framework.year, defaults={"published_by": actor}
    )
    publication.frameworks.add(framework)
    published_ids = list(rows.values_list("pk", flat=True))
    reminders.done(published_ids)
    reminders.explanation_done(published_ids)
    audit.record(
        actor=actor,
        action="assessment.publish",
        target=publication,
        model=Assessment,
        count=published,
        after={"framework": str(framework)},
    )
    webhooks.emit(
        "results.published",
        province_id=province.pk,
        about=f"publication:{publication.pk}:framework:{framework.pk}",
        data={
            "framework_id": framework.pk,
            "framework_code": framework.code,
            "year": framework.year,
            "published": published,
            "url": webhooks.api_url("framework-ranking", framework.pk),
        },
    )
    return publication


# --- National results and responsibilities ----------------------------------------------------


NATIONAL_FIELDS = ["year", "index", "score", "rank", "out_of", "source"]
NATIONAL_INDEX_FIELDS = ["code", "name", "full_name", "publisher", "unit", "maximum", "decimals", "higher_is_better"]


def national_index_save(*, actor, national_index: NationalIndex) -> NationalIndex:
    """Add or correct a national index (the admin): administrators only, audited."""
    require(actor, "agencies.administer", None, _("Chỉ quản trị hệ thống mới sửa danh mục chỉ số toàn quốc."))
    national_index.full_clean()
    with transaction.atomic():
        before = (
            audit.snapshot(NationalIndex.objects.get(pk=national_index.pk), NATIONAL_INDEX_FIELDS)
            if national_index.pk
            else {}
        )
        created = national_index.pk is None
        national_index.save()
        audit.record(
            actor=actor,
            action="national_index.create" if created else "national_index.update",
            target=national_index,
            before=before,
            after=audit.snapshot(national_index, NATIONAL_INDEX_FIELDS),
        )
    return national_index


def national_result_save(*, actor, province, values: dict, instance: NationalResult | None = None) -> NationalResult:
    if not actor.has_perm("indices.organise", province):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới nhập kết quả công bố."))
    result = instance or NationalResult(province=province)
    before = audit.snapshot(result, NATIONAL_FIELDS) if result.pk else {}
    for key, value in values.items():
        setattr(result, key, value)
    result.entered_by = actor
    try:
        result.full_clean()
    except ValidationError as error:
        raise Refused(*[m for messages in error.message_dict.values() for m in messages]) from error
    with transaction.atomic():
        created = result.pk is None
        result.save()
        audit.record(
            actor=actor,
            action="national_result.create" if created else "national_result.update",
            target=result,
            before=before,
            after=audit.snapshot(result, NATIONAL_FIELDS),
        )
    return result


@transaction.atomic
def responsibilities_save(*, actor, province, framework: Framework, mapping: dict[str, Agency | None]) -> int:
    """Replace who answers for each code of the framework's family in the province."""
    if not actor.has_perm("indices.organise", province):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới phân công trách nhiệm."))
    foreign = [a for a in mapping.values() if a is not None and a.province_id != province.pk]
    if foreign:
        raise Refused(_("Cơ quan chịu trách nhiệm phải thuộc tỉnh."))
    current = Responsibility.objects.filter(province=province, framework_code=framework.code, code__in=list(mapping))
    before = {r.code: str(r.agency) for r in current.select_related("agency")}
    current.delete()
    rows = [
        Responsibility(province=province, framework_code=framework.code, code=code, agency=agency)
        for code, agency in mapping.items()
        if agency is not None
    ]
    Responsibility.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="responsibility.save",
        target=framework,
        province_id=province.pk,
        model=Responsibility,
        count=len(rows),
        before=before,
        after={r.code: str(r.agency) for r in rows},
    )
    return len(rows)
