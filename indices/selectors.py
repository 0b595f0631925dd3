"""Analysis, computed in the database: totals, ranks with ties, changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    StdDev,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, Rank
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.models import LOCAL_UNIT_KINDS, PROVINCIAL_BODY_KINDS, Agency, AgencyKind, Province, Succession
from agencies.selectors import Lineage, Relative, scope_to_province
from core.formatting import vn_number
from core.lookups import search_q

from .models import (
    SCORE,
    Adjustment,
    Assessment,
    Criterion,
    Explanation,
    Framework,
    IndexKind,
    NationalIndex,
    NationalResult,
    Publication,
    Responsibility,
    Score,
)

TWO = Decimal("0.01")

# Which agencies a framework's subject covers. Townships (thị trấn) were
# communes' peers until 30/6/2025 and are ranked with them in their years.
SUBJECT_KINDS = {
    Framework.Subject.DEPARTMENT: PROVINCIAL_BODY_KINDS,
    Framework.Subject.DISTRICT: (AgencyKind.DISTRICT, AgencyKind.TOWN, AgencyKind.PROVINCIAL_CITY),
    Framework.Subject.COMMUNE: (*LOCAL_UNIT_KINDS, AgencyKind.TOWNSHIP),
    Framework.Subject.PROVINCE: (AgencyKind.PROVINCIAL_COMMITTEE,),
}


def year_end(year: int) -> dt.date:
    """The day whose directory a year's results belong to. A year is assessed
    after it ends, of the units that stood at its end: communes dissolved on
    30/6/2025 have results for 2024 and earlier, and the commune they merged
    into answers for the whole of 2025."""
    return dt.date(year, 12, 31)


def covered_agencies(framework: Framework, province) -> QuerySet[Agency]:
    """The units the framework ranks in its year: a dissolved unit keeps its
    own years, a unit set up later is not in them."""
    return Agency.objects.filter(province=province, kind__in=SUBJECT_KINDS[framework.subject]).active_on(
        year_end(framework.year)
    )


def published(value: Decimal) -> Decimal:
    """Two decimals, half up, as results are published."""
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


# --- What a user may read ---------------------------------------------------------------------


def province_for(*, user, code: str = "") -> Province:
    """The province a page shows: the user's own; an administrator picks one
    (?tinh=code), the first by name when none is picked."""
    if user.is_administrator:
        province = (Province.objects.filter(code=code).first() if code else None) or Province.objects.order_by(
            "name"
        ).first()
        if province is None:
            raise Http404
        return province
    if user.province is None:
        raise PermissionDenied
    return user.province


def visible_assessments(user) -> QuerySet[Assessment]:
    """Organisers and leaders see their province's results; an official sees
    their own agency's at every stage and the province's once published."""
    assessments = scope_to_province(Assessment.objects.all(), user=user, path="agency__province")
    if user.has_perm("indices.view_province"):
        return assessments
    return assessments.filter(Q(agency_id=user.agency_id) | Q(status=Assessment.Status.PUBLISHED))


def assessment_get(*, user, pk) -> Assessment:
    return get_object_or_404(visible_assessments(user).select_related("agency", "agency__province", "framework"), pk=pk)


def frameworks_for(user) -> QuerySet[Framework]:
    """Frameworks are the same for every province; an official sees those
    their agency has a result under."""
    frameworks = Framework.objects.all()
    if not user.has_perm("indices.view_province"):
        frameworks = frameworks.filter(assessments__in=visible_assessments(user)).distinct()
    return frameworks


def framework_get(*, user, pk) -> Framework:
    return get_object_or_404(frameworks_for(user), pk=pk)


def publication_get(*, user, pk) -> Publication:
    if not user.has_perm("indices.view_province"):
        raise Http404
    qs = scope_to_province(Publication.objects.select_related("province"), user=user)
    return get_object_or_404(qs, pk=pk)


def publication_of(framework: Framework, province) -> Publication | None:
    return Publication.objects.filter(province=province, year=framework.year, frameworks=framework).first()


def national_result_get(*, province, pk) -> NationalResult:
    return get_object_or_404(NationalResult, pk=pk, province=province)


def evidence_get(*, assessment: Assessment, pk) -> Score:
    score = get_object_or_404(Score, pk=pk, assessment=assessment)
    if not score.evidence:
        raise Http404
    return score


def can_self_assess(user, assessment: Assessment) -> bool:
    """The agency's own people while it is self-assessing (the Sở may help)."""
    return assessment.status == Assessment.Status.SELF and user.has_perm("indices.self_assess", assessment)


def previous(framework: Framework) -> Framework | None:
    """The same framework a year earlier (frameworks of one family share a code)."""
    return Framework.objects.filter(code=framework.code, year=framework.year - 1).first()


def _column(round: str) -> str:
    return "total" if round == Score.Round.APPRAISED else "self_total"


def ranking(
    framework: Framework,
    province=None,
    *,
    round: str = Score.Round.APPRAISED,
    assessments: QuerySet[Assessment] | None = None,
    search: str = "",
    order: Sequence = (),
) -> QuerySet[Assessment]:
    """Every scored agency under the framework, with its total (the sum of its
    leaf scores, kept by the database) and its rank, ties sharing a rank (1, 2,
    2, 4). Within a province when one is given; only the agencies whose name
    matches `search`, still with their rank among all; by rank unless `order`
    (ORDER BY terms, see core.tables) says otherwise."""
    column = _column(round)
    rows = (assessments if assessments is not None else Assessment.objects.all()).filter(
        framework=framework, **{f"{column}__isnull": False}
    )
    if province is not None:
        rows = rows.filter(agency__province=province)
    if search:
        # A window would rank the rows found among themselves: count instead
        # the rows above each one (the same 1, 2, 2, 4), for the few found.
        above = rows.filter(**{f"{column}__gt": OuterRef(column)}).order_by().values("framework")
        rank = Coalesce(Subquery(above.annotate(n=Count("pk")).values("n")), 0) + 1
        rows = rows.filter(search_q(search, "agency__name", "agency__short_name", "agency__code"))
    else:
        rank = Window(expression=Rank(), order_by=F(column).desc())
    return (
        rows.select_related("agency")
        .annotate(score=F(column), rank=rank)
        .order_by(*(order or ("rank", "agency__name")))
    )


def field_total(code: str, *, round: str = Score.Round.APPRAISED) -> Subquery:
    """An assessment's total in the field `code`, to sort a ranking by."""
    scores = Score.objects.filter(assessment=OuterRef("pk"), round=round, criterion__field_code=code)
    return Subquery(
        scores.order_by().values("assessment").annotate(total=Sum("value")).values("total"),
        output_field=DecimalField(**SCORE),
    )


def largest_loss(*, round: str = Score.Round.APPRAISED) -> Subquery:
    """An assessment's largest loss on one criterion, to sort a ranking by."""
    scores = Score.objects.filter(assessment=OuterRef("pk"), round=round)
    return Subquery(
        scores.order_by().values("assessment").annotate(most=Max(_lost_expression())).values("most"),
        output_field=DecimalField(**SCORE),
    )


def standing(framework: Framework, province, *, round: str = Score.Round.APPRAISED) -> dict[int, tuple]:
    """agency id → (total, rank) for the whole province: what a later year is compared with."""
    return {
        row["agency_id"]: (row["score"], row["rank"])
        for row in ranking(framework, province, round=round).values("agency_id", "score", "rank")
    }


def spread(
    framework: Framework,
    province,
    *,
    round: str = Score.Round.APPRAISED,
    assessments: QuerySet[Assessment] | None = None,
) -> dict:
    """Count, highest, lowest, mean and standard deviation of the totals (of
    the rows the user may see, when given)."""
    column = _column(round)
    rows = assessments if assessments is not None else Assessment.objects.all()
    figures = rows.filter(framework=framework, agency__province=province, **{f"{column}__isnull": False}).aggregate(
        count=Count("pk"), highest=Max(column), lowest=Min(column), mean=Avg(column), deviation=StdDev(column)
    )
    figures["range"] = figures["highest"] - figures["lowest"] if figures["count"] else None
    for key in ("mean", "deviation"):  # shown to two places, half up, as published
        figures[key] = published(figures[key]) if figures[key] is not None else None
    return figures


def field_totals(assessment_ids, *, round: str = Score.Round.APPRAISED) -> dict[int, dict[str, Decimal]]:
    """assessment id → field code → total of the field."""
    totals: dict[int, dict[str, Decimal]] = {}
    rows = (
        Score.objects.filter(assessment_id__in=list(assessment_ids), round=round)
        .values("assessment_id", "criterion__field_code")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        totals.setdefault(row["assessment_id"], {})[row["criterion__field_code"]] = row["total"]
    return totals


def field_averages(framework: Framework, province, *, round: str = Score.Round.APPRAISED) -> dict[str, Decimal]:
    """field code → the province's mean total of the field over the agencies scored."""
    rows = (
        Score.objects.filter(assessment__framework=framework, assessment__agency__province=province, round=round)
        .values("criterion__field_code")
        .annotate(total=Sum("value"), agencies=Count("assessment_id", distinct=True))
        .order_by()
    )
    return {row["criterion__field_code"]: published(row["total"] / row["agencies"]) for row in rows if row["agencies"]}


def fields(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.filter(level=1).order_by("order"))


def leaves(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.filter(children__isnull=True).order_by("order"))


@dataclass
class Loss:
    criterion_id: int
    code: str
    name: str
    maximum: Decimal
    value: Decimal | None
    lost: Decimal
    below: int = 1  # agencies below the maximum (province-wide rows)
    responsible: Agency | None = None


def _lost_expression():
    return ExpressionWrapper(F("criterion__maximum") - F("value"), output_field=DecimalField(**SCORE))


def losses(assessment_ids, *, round: str = Score.Round.APPRAISED, limit: int | None = None) -> dict[int, list[Loss]]:
    """assessment id → its criteria below the maximum, largest loss first."""
    rows = (
        Score.objects.filter(assessment_id__in=list(assessment_ids), round=round, value__lt=F("criterion__maximum"))
        .annotate(lost=_lost_expression())
        .values(
            "assessment_id", "criterion_id", "criterion__code", "criterion__name", "criterion__maximum", "value", "lost"
        )
        .order_by("assessment_id", "-lost", "criterion__order")
    )
    found: dict[int, list[Loss]] = {}
    for row in rows:
        mine = found.setdefault(row["assessment_id"], [])
        if limit is None or len(mine) < limit:
            mine.append(
                Loss(
                    row["criterion_id"],
                    row["criterion__code"],
                    row["criterion__name"],
                    row["criterion__maximum"],
                    row["value"],
                    row["lost"],
                )
            )
    return found


def criterion_losses(framework: Framework, province, *, round: str = Score.Round.APPRAISED) -> list[Loss]:
    """Province-wide: each criterion's points lost over all agencies, largest
    first, with how many agencies fell short and who answers for it."""
    rows = (
        Score.objects.filter(
            assessment__framework=framework,
            assessment__agency__province=province,
            round=round,
            value__lt=F("criterion__maximum"),
        )
        .values("criterion_id", "criterion__code", "criterion__name", "criterion__maximum")
        .annotate(lost=Sum(_lost_expression()), below=Count("pk"))
        .order_by("-lost", "criterion__order")
    )
    who = responsible_for(province, framework.code)
    return [
        Loss(
            row["criterion_id"],
            row["criterion__code"],
            row["criterion__name"],
            row["criterion__maximum"],
            None,
            row["lost"],
            row["below"],
            who(row["criterion__code"]),
        )
        for row in rows
    ]


def responsible_for(province, framework_code: str):
    """A function: criterion code → the agency the province holds responsible
    (the longest mapped prefix: "3.2" before "3"), or None."""
    mapping = {
        r.code: r.agency
        for r in Responsibility.objects.filter(province=province, framework_code=framework_code).select_related(
            "agency"
        )
    }

    def who(code: str) -> Agency | None:
        parts = code.split(".")
        for size in range(len(parts), 0, -1):
            agency = mapping.get(".".join(parts[:size]))
            if agency is not None:
                return agency
        return None

    return who


def responsibilities(province, framework: Framework) -> dict[str, Responsibility]:
    return {
        r.code: r
        for r in Responsibility.objects.filter(province=province, framework_code=framework.code).select_related(
            "agency"
        )
    }


def rank_of(assessment: Assessment, *, round: str = Score.Round.APPRAISED) -> tuple[int | None, int]:
    """(rank, out of) of one agency in its province, ties sharing a rank."""
    column = _column(round)
    value = getattr(assessment, column)
    peers = Assessment.objects.filter(
        framework_id=assessment.framework_id,
        agency__province_id=assessment.agency.province_id,
        **{f"{column}__isnull": False},
    )
    if value is None:
        return None, peers.count()
    counts = peers.aggregate(out_of=Count("pk"), above=Count("pk", filter=Q(**{f"{column}__gt": value})))
    return counts["above"] + 1, counts["out_of"]


def ranked_share(assessment: Assessment) -> tuple[int, int]:
    """(appraised, assessed) in the agency's province for its framework: a
    rank is provisional until every assessed agency has been appraised."""
    counts = Assessment.objects.filter(
        framework_id=assessment.framework_id, agency__province_id=assessment.agency.province_id
    ).aggregate(all=Count("pk"), done=Count("pk", filter=Q(total__isnull=False)))
    return counts["done"], counts["all"]


def scores_of(assessment: Assessment) -> dict[int, dict[str, Score]]:
    """criterion id → round → score."""
    found: dict[int, dict[str, Score]] = {}
    for score in assessment.scores.all():
        found.setdefault(score.criterion_id, {})[score.round] = score
    return found


@dataclass
class Stood:
    """The result of a unit that stood, that year, for the unit on view:
    "UBND xã A (trước sáp nhập) 82,10", ranked in its own year."""

    relative: Relative
    total: Decimal
    rank: int | None = None

    @property
    def agency(self) -> Agency:
        return self.relative.agency


@dataclass
class TrendYear:
    year: int
    total: Decimal | None  # the unit's own appraised total
    mean: Decimal | None  # the province's mean that year
    stood: list[Stood] = field(default_factory=list)  # its predecessors' results that year


def trend(
    agency: Agency,
    framework: Framework,
    *,
    lineage: Lineage | None = None,
    visible: QuerySet[Assessment] | None = None,
) -> list[TrendYear]:
    """The agency's appraised total and its province's mean in each year of
    the framework's family, and for each year the results of the units that
    stood for it then (its predecessors before a merger, split or renaming),
    each under its own name: four queries, whatever the lineage."""
    lineage = lineage or Lineage(agency.province_id)
    own = {
        row["framework__year"]: row["total"]
        for row in Assessment.objects.filter(agency=agency, framework__code=framework.code, total__isnull=False).values(
            "framework__year", "total"
        )
    }
    means = {
        row["framework__year"]: published(row["mean"])
        for row in Assessment.objects.filter(
            framework__code=framework.code, agency__province_id=agency.province_id, total__isnull=False
        )
        .values("framework__year")
        .annotate(mean=Avg("total"))
        .order_by()
    }
    earlier: dict[tuple[int, int], Decimal] = {}
    ancestors = [a.pk for a in lineage.ancestors(agency)]
    if ancestors:
        rows = (visible if visible is not None else Assessment.objects.all()).filter(
            agency_id__in=ancestors, framework__code=framework.code, total__isnull=False
        )
        earlier = {
            (r["agency_id"], r["framework__year"]): r["total"]
            for r in rows.values("agency_id", "framework__year", "total")
        }
    points = []
    for year in sorted(set(own) | {year for _pk, year in earlier}):
        stood = [
            Stood(relative, earlier[(relative.agency.pk, year)])
            for relative in lineage.predecessors_on(agency, year_end(year))
            if (relative.agency.pk, year) in earlier
        ]
        if year in own or stood:
            points.append(TrendYear(year, own.get(year), means.get(year), stood))
    return points


def stood_in(
    agency: Agency, framework: Framework, *, lineage: Lineage, standing: dict[int, tuple]
) -> tuple[Relative | None, list[Stood]]:
    """Who answered, in `framework`'s year, for a unit that had no result of
    its own then, from that year's `standing` (agency id → (total, rank)).
    Returns (the unit under its former name, to compare with as itself; the
    predecessors' results). Only a renaming carries the unit on: its result
    is compared as the unit's own. Merged or split units are shown beside
    it, never compared with it: no unit earned their sum or their mean."""
    relatives = lineage.predecessors_on(agency, year_end(framework.year))
    if len(relatives) == 1 and relatives[0].kind == Succession.Kind.RENAMED:
        return (relatives[0] if relatives[0].agency.pk in standing else None), []
    return None, [Stood(r, *standing[r.agency.pk]) for r in relatives if r.agency.pk in standing]


def latest_in_family(agency_ids, framework: Framework, *, visible: QuerySet[Assessment]) -> dict[int, Assessment]:
    """agency id → its latest result (that the user may see) under the
    framework's family: where a dissolved unit's page leads. One query."""
    found: dict[int, Assessment] = {}
    rows = (
        visible.filter(agency_id__in=list(agency_ids), framework__code=framework.code)
        .select_related("framework", "agency")
        .order_by("agency_id", "-framework__year")
    )
    for assessment in rows:
        found.setdefault(assessment.agency_id, assessment)
    return found


def national_results(province) -> QuerySet[NationalResult]:
    names = NationalIndex.objects.filter(code=OuterRef("index")).values("name")[:1]
    return (
        NationalResult.public.filter(province=province).annotate(index_name=Subquery(names)).order_by("-year", "index")
    )


def _change(now: Decimal, before: Decimal | None, unit: str) -> str:
    difference = now - before
    word = "tăng" if difference >= 0 else "giảm"
    return f"{word} {vn_number(abs(difference), 2)}{unit}"


def _rank_clause(now: NationalResult, before: NationalResult, *, padded: bool) -> str:
    """ ", giảm 7 hạng so với năm 2023"; across tables of different sizes (63
    provinces in 2024, 34 in 2025) places do not compare: " (năm 2024: 52/63)"."""
    if now.out_of != before.out_of:
        return f" (năm {before.year}: {before.rank}/{before.out_of})"
    return f", {_rank_change(now.rank, before.rank, padded=padded)} so với năm {before.year}"


def _rank_change(now: int, before: int, *, padded: bool) -> str:
    steps = before - now
    if steps == 0:
        return "giữ nguyên thứ hạng"
    number = f"{abs(steps):02d}" if padded else str(abs(steps))
    return f"{'tăng' if steps > 0 else 'giảm'} {number} hạng"


def national_summary(province, year: int, *, with_region: bool = False) -> str:
    """The sentence reports open with, from the published national results:
    "Chỉ số PAR INDEX tỉnh Lai Châu đạt 85,97 điểm, tăng 0,19 điểm so với năm
    2023, xếp vị trí thứ 56/63 tỉnh, thành phố, giảm 7 hạng …". "thành phố"
    for a centrally-run city; SIPAS changes in percentage points and rank
    changes with one or two digits as the province's office writes them
    (Province.percent_change_in_points, rank_change_two_digits), the same way
    in every clause. `with_region`: a second sentence placing the province
    in its region."""
    results = {
        (r.index, r.year): r
        for r in NationalResult.public.filter(province=province, year__in=[year, year - 1], index__in=["par", "sipas"])
    }
    padded = province.rank_change_two_digits
    whom = province.full_name
    parts = []
    par, par_before = results.get((IndexKind.PAR, year)), results.get((IndexKind.PAR, year - 1))
    if par:
        text = f"Chỉ số PAR INDEX {whom} đạt {vn_number(par.score, 2)} điểm"
        if par_before:
            text += f", {_change(par.score, par_before.score, ' điểm')} so với năm {year - 1}"
        if par.rank:
            text += f", xếp vị trí thứ {par.rank}/{par.out_of} tỉnh, thành phố"
            if par_before and par_before.rank:
                text += _rank_clause(par, par_before, padded=padded)
        parts.append(text)
    sipas, sipas_before = results.get((IndexKind.SIPAS, year)), results.get((IndexKind.SIPAS, year - 1))
    if sipas:
        text = f"Chỉ số SIPAS đạt {vn_number(sipas.score, 2)}%"
        if sipas_before:
            unit = " điểm phần trăm" if province.percent_change_in_points else "%"
            text += f", {_change(sipas.score, sipas_before.score, unit)} so với năm {year - 1}"
        if sipas.rank:
            text += f"; xếp hạng {sipas.rank}/{sipas.out_of} tỉnh, thành phố"
            if sipas_before and sipas_before.rank:
                text += _rank_clause(sipas, sipas_before, padded=padded)
        parts.append(text)
    sentence = "; ".join(parts)
    if with_region and sentence:
        region = region_sentence(province, year)
        sentence += f". {region}" if region else ""
    return sentence


def region_sentence(province, year: int) -> str:
    """ "Trong vùng Trung du và miền núi phía Bắc (14 tỉnh, thành phố), tỉnh
    Lai Châu đứng thứ 9 về PAR INDEX và thứ 11 về SIPAS." — among the
    provinces of its region ranked that year (one query)."""
    if not province.region:
        return ""
    rows = list(
        NationalResult.public.filter(
            year=year, index__in=["par", "sipas"], province__region=province.region, rank__isnull=False
        ).values_list("index", "province_id", "rank")
    )
    places = []
    for code, name in (("par", "PAR INDEX"), ("sipas", "SIPAS")):
        ranked = sorted((rank, pid) for index, pid, rank in rows if index == code)
        order = [pid for _rank, pid in ranked]
        if province.pk in order:
            places.append((name, order.index(province.pk) + 1, len(order)))
    if not places:
        return ""
    count = max(total for _name, _place, total in places)
    said = " và ".join(f"thứ {place} về {name}" for name, place, _total in places)
    return (
        f"Trong vùng {province.get_region_display()} ({count} tỉnh, thành phố có kết quả), "
        f"{province.full_name} đứng {said}."
    )


def tree(framework: Framework) -> list[Criterion]:
    """Criteria in reading order, each marked `is_leaf`."""
    criteria = list(framework.criteria.order_by("order"))
    parents = {c.parent_id for c in criteria}
    for criterion in criteria:
        criterion.is_leaf = criterion.pk not in parents
    return criteria


def own_assessments(user) -> list[Assessment]:
    """An official's agency's assessments, newest year first."""
    if not user.agency_id:
        return []
    return list(
        Assessment.objects.filter(agency_id=user.agency_id)
        .select_related("framework")
        .order_by("-framework__year", "framework__index")
    )


def assessment_counts(province, *, visible: QuerySet[Assessment]) -> dict[int, dict]:
    """framework id → counts by status, within the province and what the user may see."""
    counts: dict[int, dict] = {}
    for row in (
        visible.filter(agency__province=province).values("framework_id", "status").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(row["framework_id"], {"total": 0})[row["status"]] = row["n"]
        counts[row["framework_id"]]["total"] += row["n"]
    return counts


def status_counts(framework: Framework, province) -> dict:
    rows = (
        Assessment.objects.filter(framework=framework, agency__province=province)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {row["status"]: row["n"] for row in rows}
    return {
        "total": sum(found.values()),
        **{status: found.get(status, 0) for status in Assessment.Status.values},
        "rows": [(label, found.get(value, 0)) for value, label in Assessment.Status.choices],
    }


@dataclass
class ScoreRow:
    criterion: Criterion
    is_leaf: bool
    self_score: Score | None = None
    appraised: Score | None = None
    self_total: Decimal | None = None  # a field's or criterion's sum of its leaves
    appraised_total: Decimal | None = None
    value: str = ""  # what the form shows
    note: str = ""
    error: str = ""
    first: Score | None = None  # round 1, frozen when the explanation opened
    first_total: Decimal | None = None
    explanation: Explanation | None = None
    final: bool = False  # the final round has been scored (until then the appraisal in force is round 1's copy)

    @property
    def lost(self) -> Decimal | None:
        score = self.appraised.value if self.appraised else self.appraised_total
        return self.criterion.maximum - score if score is not None else None

    @property
    def cut(self) -> bool:
        """Round 1 gave less than the agency's own score: it may explain."""
        first = self.first or self.appraised
        return bool(self.is_leaf and first and self.self_score and first.value < self.self_score.value)

    @property
    def movement(self) -> str:
        """How the score moved through the rounds: "tự đánh giá 4,00 → thẩm
        định lần 1 3,00 → đã giải trình → lần 2 3,50" (empty before round 2
        opens, when the columns say it all)."""
        if self.first is None:
            return ""
        steps = []
        if self.self_score is not None:
            steps.append(f"tự đánh giá {vn_number(self.self_score.value, 2)}")
        steps.append(f"thẩm định lần 1 {vn_number(self.first.value, 2)}")
        if self.explanation is not None:
            steps.append("đã giải trình")
        if self.final and self.appraised is not None:
            steps.append(f"lần 2 {vn_number(self.appraised.value, 2)}")
        return " → ".join(steps)


def score_rows(assessment: Assessment) -> list[ScoreRow]:
    """The framework's tree with both rounds' scores; parents carry the sums of their leaves."""
    criteria = tree(assessment.framework)
    scores = scores_of(assessment)
    explanations = {e.criterion_id: e for e in Explanation.objects.filter(assessment=assessment)}
    rows = {
        c.pk: ScoreRow(
            c,
            c.is_leaf,
            scores.get(c.pk, {}).get(Score.Round.SELF),
            scores.get(c.pk, {}).get(Score.Round.APPRAISED),
            first=scores.get(c.pk, {}).get(Score.Round.FIRST),
            explanation=explanations.get(c.pk),
            final=assessment.final_at is not None,
        )
        for c in criteria
    }
    by_id = {c.pk: c for c in criteria}
    for criterion in criteria:
        if not criterion.is_leaf:
            continue
        row = rows[criterion.pk]
        parent_id = criterion.parent_id
        while parent_id:
            parent = rows[parent_id]
            for score, attr in (
                (row.self_score, "self_total"),
                (row.appraised, "appraised_total"),
                (row.first, "first_total"),
            ):
                if score is not None:
                    setattr(parent, attr, (getattr(parent, attr) or Decimal("0")) + score.value)
            parent_id = by_id[parent_id].parent_id
    return [rows[c.pk] for c in criteria]


def fill_rows(rows: list[ScoreRow], *, round: str, posted: dict, errors: dict) -> None:
    """What each input shows: what was typed (after an error), else the
    round's score, else (appraising) the agency's own score as a start."""
    for row in rows:
        if not row.is_leaf:
            continue
        pk = row.criterion.pk
        if pk in posted:
            row.value, row.note = posted[pk]
        else:
            own = row.self_score if round == Score.Round.SELF else (row.appraised or row.self_score)
            current = row.self_score if round == Score.Round.SELF else row.appraised
            row.value = vn_number(own.value, 2) if own else ""
            row.note = current.note if current else ""
        row.error = errors.get(pk, "")


def agency_frameworks(year: int) -> QuerySet[Framework]:
    """The year's frameworks that rank a province's departments and communes."""
    return Framework.objects.filter(year=year).exclude(subject=Framework.Subject.PROVINCE).order_by("subject")


def province_frameworks(year: int) -> QuerySet[Framework]:
    return Framework.objects.filter(year=year, subject=Framework.Subject.PROVINCE).order_by("index")


def losses_by_responsible(province, year: int) -> list[tuple[Agency | None, list[tuple[Framework, Loss]]]]:
    """The province's own PAR INDEX / SIPAS of a year, criterion by criterion:
    each lost point under the agency that answers for it, the largest total first."""
    groups: dict[int | None, tuple[Agency | None, list]] = {}
    for framework in province_frameworks(year):
        assessment = Assessment.objects.filter(
            framework=framework, agency__province=province, total__isnull=False
        ).first()
        if assessment is None:
            continue
        who = responsible_for(province, framework.code)
        for loss in losses([assessment.pk]).get(assessment.pk, []):
            agency = who(loss.code)
            groups.setdefault(agency.pk if agency else None, (agency, []))[1].append((framework, loss))
    return sorted(groups.values(), key=lambda group: -sum(loss.lost for _f, loss in group[1]))


def index_guidance(agency: Agency, year: int) -> str:
    """Lines for a presentation's guidance: the agency's criteria below the
    maximum in its latest appraised result up to the year, largest loss first."""
    assessment = (
        Assessment.objects.filter(agency=agency, total__isnull=False, framework__year__lte=year)
        .select_related("framework")
        .order_by("-framework__year")
        .first()
    )
    if assessment is None:
        return ""
    found = losses([assessment.pk]).get(assessment.pk, [])
    if not found:
        return (
            f"Năm {assessment.framework.year}, đơn vị đạt điểm tối đa ở mọi tiêu chí "
            f"({vn_number(assessment.total, 2)} điểm): nêu cách làm để nhân rộng."
        )
    lines = [
        f"Tập trung phân tích nguyên nhân và giải pháp cho các tiêu chí chưa đạt điểm tối đa năm "
        f"{assessment.framework.year} ({vn_number(assessment.total, 2)}/{vn_number(assessment.framework.maximum, 2)} "
        f"điểm):"
    ]
    lines += [
        f"- {loss.code}. {loss.name}: đạt {vn_number(loss.value, 2)}/{vn_number(loss.maximum, 2)}, "
        f"mất {vn_number(loss.lost, 2)} điểm;"
        for loss in found
    ]
    lines[-1] = lines[-1].rstrip(";") + "."
    return "\n".join(lines)


# --- What each role's home shows (the same rows as the indices pages) --------------------


def self_assessments_open(user) -> list[Assessment]:
    """An official's agency's assessments waiting for its self-assessment."""
    return [a for a in own_assessments(user) if a.status == Assessment.Status.SELF]


def explanations_due(user) -> list[Assessment]:
    """An official's agency's assessments in explanation, the deadline not passed."""
    today = timezone.localdate()
    return [
        a
        for a in own_assessments(user)
        if a.status == Assessment.Status.EXPLAINING and a.explain_deadline and a.explain_deadline >= today
    ]


def appraisals_waiting(user) -> QuerySet[Assessment]:
    """Self-assessments sent in the user's province and not yet appraised."""
    return (
        visible_assessments(user)
        .filter(status=Assessment.Status.SUBMITTED)
        .select_related("agency", "framework")
        .order_by("framework__year", "agency__name")
    )


def publications_recent(user) -> QuerySet[Publication]:
    """The province's published results, newest year first."""
    qs = Publication.objects.all() if user.is_administrator else Publication.objects.filter(province=user.province)
    return qs.prefetch_related("frameworks").order_by("-year")


# --- The explanation and the bonus and penalty rounds ------------------------------------------


def explanation_get(*, assessment: Assessment, pk) -> Explanation:
    explanation = get_object_or_404(Explanation, pk=pk, assessment=assessment)
    if not explanation.evidence:
        raise Http404
    return explanation


def adjustments_of(assessment: Assessment) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(assessment=assessment).order_by("created_at", "pk")


def adjustment_get(*, assessment: Assessment, pk, with_file: bool = False) -> Adjustment:
    adjustment = get_object_or_404(Adjustment, pk=pk, assessment=assessment)
    if with_file and not adjustment.evidence:
        raise Http404
    return adjustment


def explanation_deadline(framework: Framework, province) -> dt.date | None:
    """The deadline of the explanation the province opened under the
    framework (the last one set), or None when none was opened."""
    return Assessment.objects.filter(
        framework=framework, agency__province=province, explain_deadline__isnull=False
    ).aggregate(day=Max("explain_deadline"))["day"]
