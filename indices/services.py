"""Writes for index results: scores by round, the assessment's path
(self-assessing → submitted → appraised → published), totals kept by the
database, national results and who answers for each criterion. Every refusal
says why in Vietnamese and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import LOCAL_UNIT_KINDS, PROVINCIAL_BODY_KINDS, Agency, AgencyKind
from agencies.permissions import can_organise
from core.exceptions import Refused
from core.formatting import vn_number

from . import reminders
from .models import Assessment, Criterion, Framework, NationalResult, Publication, Responsibility, Score

S = Assessment.Status
ROUND = Score.Round

# Which agencies a framework's subject covers.
SUBJECT_KINDS = {
    Framework.Subject.DEPARTMENT: PROVINCIAL_BODY_KINDS,
    Framework.Subject.COMMUNE: LOCAL_UNIT_KINDS,
    Framework.Subject.PROVINCE: (AgencyKind.PROVINCIAL_COMMITTEE,),
}


def parse_score(raw) -> Decimal | None:
    """A score as people type it: "85,97", "85.97", 85.97; blank is None.
    Raises ValueError with the Vietnamese reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("“%(value)s” không phải là số.") % {"value": raw})
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if isinstance(raw, str) and "," in text:
        if "." in text:  # "1.234,5": dots group thousands
            text = text.replace(".", "")
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” không phải là số.") % {"value": raw}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” không phải là số.") % {"value": raw})
    rounded = value.quantize(Decimal("0.01"))
    # Excel stores 85.97 as 85.969999999999999: a float is rounded, typed text is not.
    if not isinstance(raw, float) and rounded != value:
        raise ValueError(_("“%(value)s” có quá hai chữ số thập phân.") % {"value": raw})
    return rounded


def check_score(value: Decimal, criterion: Criterion) -> str:
    """'' when 0 ≤ value ≤ maximum, else the reason."""
    if value < 0:
        return _("Điểm không được âm.")
    if value > criterion.maximum:
        return _("Điểm %(value)s vượt điểm tối đa %(maximum)s của tiêu chí %(code)s.") % {
            "value": vn_number(value, 2),
            "maximum": vn_number(criterion.maximum, 2),
            "code": criterion.code,
        }
    return ""


def totals_refresh(assessments: QuerySet[Assessment], rounds=(ROUND.SELF, ROUND.APPRAISED)) -> None:
    """Write each assessment's totals per round: one UPDATE with a SUM per round."""
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
        assessments.update(**{column: Subquery(sums)})


# --- Opening the self-assessment --------------------------------------------------------------


def covered_agencies(framework: Framework, province) -> QuerySet[Agency]:
    return Agency.objects.filter(province=province, kind__in=SUBJECT_KINDS[framework.subject]).exclude(
        active_to__lt=timezone.localdate()
    )


@transaction.atomic
def assessments_open(*, actor, framework: Framework, province, deadline: dt.date | None) -> int:
    """Open (or reschedule) the self-assessment of every agency the framework
    covers in the province; their officials are reminded of the deadline."""
    if not can_organise(actor, province.pk):
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
        own = actor.agency_id == assessment.agency_id
        if not (own or can_organise(actor, assessment.agency.province_id)):
            raise Refused(_("Chỉ cán bộ của đơn vị mới tự đánh giá."))
        if assessment.status != S.SELF:
            raise Refused(_("Bản tự đánh giá đã gửi, không sửa được nữa."))
    else:
        if not can_organise(actor, assessment.agency.province_id):
            raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới thẩm định."))
        if assessment.status == S.PUBLISHED:
            raise Refused(_("Kết quả đã công bố, không sửa được nữa."))


@transaction.atomic
def scores_save(*, actor, assessment: Assessment, round: str, inputs: list[ScoreInput]) -> dict[int, str]:
    """Save one round's scores. Returns criterion id → error; when there is any
    error nothing is saved."""
    assessment = Assessment.objects.select_for_update().select_related("agency", "framework").get(pk=assessment.pk)
    _may_score(actor, assessment, round)
    leaves = {c.pk: c for c in assessment.framework.criteria.filter(children__isnull=True)}
    errors: dict[int, str] = {}
    parsed: list[tuple[Criterion, Decimal | None, ScoreInput]] = []
    for item in inputs:
        criterion = leaves.get(item.criterion_id)
        if criterion is None:
            continue
        try:
            value = parse_score(item.raw)
        except ValueError as error:
            errors[criterion.pk] = str(error)
            continue
        if value is not None and (problem := check_score(value, criterion)):
            errors[criterion.pk] = problem
            continue
        if item.evidence is not None and (problem := _check_evidence(item.evidence)):
            errors[criterion.pk] = problem
            continue
        parsed.append((criterion, value, item))
    if errors:
        return errors
    current = {s.criterion_id: s for s in assessment.scores.filter(round=round)}
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
                score.evidence.save(
                    _evidence_name(assessment, criterion, item.evidence.name), item.evidence, save=False
                )
                stored.append(score.evidence.name)
                score.evidence_name = item.evidence.name[:255]
            score.save()
    except Exception:
        # The rows roll back with the transaction; the files written meanwhile go too.
        for name in stored:
            default_storage.delete(name)
        raise
    totals_refresh(Assessment.objects.filter(pk=assessment.pk))
    if round == ROUND.APPRAISED and assessment.status in (S.SELF, S.SUBMITTED):
        Assessment.objects.filter(pk=assessment.pk).update(status=S.APPRAISED, appraised_at=timezone.now())
    return {}


EVIDENCE_TYPES = {"pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "jpg", "jpeg", "png", "zip"}


def _check_evidence(upload) -> str:
    suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in EVIDENCE_TYPES:
        return _("Tệp minh chứng “%(name)s”: chỉ nhận PDF, Word, Excel, ảnh JPG/PNG hoặc ZIP.") % {"name": upload.name}
    if upload.size > settings.DUTY_FILE_MAX_BYTES:
        return _("Tệp minh chứng “%(name)s” quá lớn: tối đa %(mb)s MB.") % {
            "name": upload.name,
            "mb": settings.DUTY_FILE_MAX_BYTES // 2**20,
        }
    if not upload.size:
        return _("Tệp minh chứng “%(name)s” trống.") % {"name": upload.name}
    return ""


def _evidence_name(assessment: Assessment, criterion: Criterion, original: str) -> str:
    suffix = original.rsplit(".", 1)[-1].lower() if "." in original else "bin"
    return f"{assessment.pk}-{criterion.code}.{suffix[:8]}"


@transaction.atomic
def assessment_submit(*, actor, assessment: Assessment) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("agency", "framework").get(pk=assessment.pk)
    _may_score(actor, assessment, ROUND.SELF)
    # Criteria scored by sociological survey are measured, not self-assessed.
    missing = (
        assessment.framework.criteria.filter(children__isnull=True)
        .exclude(method=Criterion.Method.SURVEY)
        .exclude(scores__assessment=assessment, scores__round=ROUND.SELF)
        .order_by("order")
    )
    codes = [c.code for c in missing[:8]]
    if codes:
        raise Refused(_("Còn tiêu chí chưa chấm: %(codes)s.") % {"codes": ", ".join(codes)})
    assessment.status, assessment.submitted_at = S.SUBMITTED, timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    reminders.done([assessment.pk])
    return assessment


@transaction.atomic
def assessment_reopen(*, actor, assessment: Assessment) -> Assessment:
    """Send a submitted self-assessment back to the agency for changes."""
    if not can_organise(actor, assessment.agency.province_id):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới trả lại bản tự đánh giá."))
    if assessment.status != S.SUBMITTED:
        raise Refused(_("Chỉ trả lại được bản tự đánh giá đã gửi và chưa thẩm định."))
    assessment.status, assessment.submitted_at = S.SELF, None
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    return assessment


@transaction.atomic
def results_publish(*, actor, framework: Framework, province) -> Publication:
    """Publish the appraised results of the province's agencies under the framework."""
    if not can_organise(actor, province.pk):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới công bố kết quả."))
    rows = Assessment.objects.filter(framework=framework, agency__province=province)
    if not rows.filter(total__isnull=False).exists():
        raise Refused(_("Chưa có kết quả thẩm định nào để công bố."))
    waiting = rows.filter(total__isnull=True).count()
    if waiting:
        raise Refused(_("Còn %(count)s đơn vị chưa có điểm thẩm định.") % {"count": waiting})
    rows.exclude(status=S.PUBLISHED).update(status=S.PUBLISHED, published_at=timezone.now())
    publication, _created = Publication.objects.get_or_create(
        province=province, year=framework.year, defaults={"published_by": actor}
    )
    publication.frameworks.add(framework)
    reminders.done(list(rows.values_list("pk", flat=True)))
    return publication


# --- National results and responsibilities ----------------------------------------------------


def national_result_save(*, actor, province, values: dict, instance: NationalResult | None = None) -> NationalResult:
    if not can_organise(actor, province.pk):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới nhập kết quả công bố."))
    result = instance or NationalResult(province=province)
    for key, value in values.items():
        setattr(result, key, value)
    result.entered_by = actor
    try:
        result.full_clean()
    except ValidationError as error:
        raise Refused(*[m for messages in error.message_dict.values() for m in messages]) from error
    result.save()
    return result


@transaction.atomic
def responsibilities_save(*, actor, province, framework: Framework, mapping: dict[str, Agency | None]) -> int:
    """Replace who answers for each code of the framework's family in the province."""
    if not can_organise(actor, province.pk):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới phân công trách nhiệm."))
    foreign = [a for a in mapping.values() if a is not None and a.province_id != province.pk]
    if foreign:
        raise Refused(_("Cơ quan chịu trách nhiệm phải thuộc tỉnh."))
    Responsibility.objects.filter(province=province, framework_code=framework.code, code__in=list(mapping)).delete()
    rows = [
        Responsibility(province=province, framework_code=framework.code, code=code, agency=agency)
        for code, agency in mapping.items()
        if agency is not None
    ]
    Responsibility.objects.bulk_create(rows)
    return len(rows)


def can_self_assess(user, assessment: Assessment) -> bool:
    """The agency's own people while it is self-assessing (the Sở may help)."""
    if assessment.status != S.SELF:
        return False
    return user.agency_id == assessment.agency_id or can_organise(user, assessment.agency.province_id)
