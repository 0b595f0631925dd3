"""Demo index data: the shipped frameworks (and their copies for the other
years), Lai Châu's national results for 2023 and 2024 as seed 002 states and
implies them, Lai Châu's own PAR INDEX and SIPAS 2024 by criterion adding up
to the published 85,97 and 81,51, who answers for each field, and generated
but plausible results of every demo department and commune that stood in
each year (the directory's units of that year: see indices.selectors.year_end):

- 2024 published,
- 2025 appraised and waiting to be published (the organiser publishes it and
  drafts the decision),
- 2026 self-assessment open until 15/12/2026, some agencies done.

Every run adds only what is missing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Province
from agencies.selectors import Lineage
from indices.loading import shipped
from indices.models import Assessment, Framework, IndexKind, NationalResult, Publication, Responsibility, Score
from indices.reminders import schedule
from indices.selectors import covered_agencies, year_end
from indices.services import framework_copy, framework_load, totals_refresh

# Seed 002: 2024 PAR INDEX 85,97 (+0,19, 56/63, down 7) and SIPAS 81,51% (+1,69, 55/63, down 5).
LAI_CHAU = [
    (IndexKind.PAR, 2024, "85.97", 56, 63, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"),
    (IndexKind.PAR, 2023, "85.78", 49, 63, ""),
    (IndexKind.SIPAS, 2024, "81.51", 55, 63, "Quyết định số 267/QĐ-BNV ngày 28/3/2025"),
    (IndexKind.SIPAS, 2023, "79.82", 50, 63, ""),
]

# Who answers for each field, as seed 002 assigns them: Sở Nội vụ the direction, the
# apparatus and the civil service; Sở Tư pháp the institutions; Văn phòng UBND the
# procedures; Sở Tài chính public finance; Sở Khoa học và Công nghệ the e-government.
RESPONSIBLE = {
    "PAR-TINH": {"1": "SNV", "2": "STP", "3": "VPUBND", "4": "SNV", "5": "SNV", "6": "STC", "7": "SKHCN", "8": "SNV"},
    "PAR-SO": {"1": "SNV", "2": "STP", "3": "VPUBND", "4": "SNV", "5": "SNV", "6": "STC", "7": "SKHCN", "8": "SNV"},
    "PAR-XA": {"1": "SNV", "2": "STP", "3": "VPUBND", "4": "SNV", "5": "STC", "6": "SKHCN", "7": "SNV"},
    "SIPAS": {"1": "STP", "2": "VPUBND"},
}
YEARS = (2024, 2025, 2026)


def self_deadline() -> dt.date:
    """The year's self-assessment runs: its deadline is a month from the day the demo is loaded."""
    return timezone.localdate() + dt.timedelta(days=30)


STEP = Decimal("0.25")


def _frameworks() -> dict[tuple[str, int], Framework]:
    for data in shipped():
        if not Framework.objects.filter(code=data["code"], year=data["year"]).exists():
            framework_load(data)
    for code in ("PAR-SO", "PAR-XA"):
        source = Framework.objects.filter(code=code).order_by("-year").first()
        for year in YEARS:
            if not Framework.objects.filter(code=code, year=year).exists():
                framework_copy(framework=source, year=year)
    return {(f.code, f.year): f for f in Framework.objects.all()}


def _quantize(value: Decimal, step: Decimal = STEP) -> Decimal:
    return (value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step


def _scores(leaves, quality: float, rng: random.Random) -> dict[int, Decimal]:
    """Most criteria at the maximum, the rest a little below, per the agency's quality."""
    values = {}
    for leaf in leaves:
        if rng.random() < 0.35 + quality * 0.3:
            values[leaf.pk] = leaf.maximum
        else:
            share = max(0.3, min(1.0, quality - 0.18 + rng.uniform(-0.15, 0.12)))
            values[leaf.pk] = min(leaf.maximum, _quantize(leaf.maximum * Decimal(str(round(share, 3)))))
    return values


def _add_scores(assessment: Assessment, values: dict[int, Decimal], round: str) -> list[Score]:
    return [Score(assessment=assessment, criterion_id=pk, round=round, value=value) for pk, value in values.items()]


def _exact(leaves, total: Decimal, rng: random.Random) -> dict[int, Decimal]:
    """Leaf scores that add up to a published total exactly (Lai Châu 2024)."""
    loss = sum((leaf.maximum for leaf in leaves), Decimal("0")) - total
    weights = {leaf.pk: rng.random() * float(leaf.maximum) * (2.2 if leaf.method == "survey" else 1) for leaf in leaves}
    chosen = sorted(weights, key=weights.get, reverse=True)[: max(6, len(leaves) * 2 // 3)]
    share = sum(weights[pk] for pk in chosen)
    values = {leaf.pk: leaf.maximum for leaf in leaves}
    by_pk = {leaf.pk: leaf for leaf in leaves}
    left = loss
    for pk in chosen:
        cut = min(by_pk[pk].maximum, (loss * Decimal(str(weights[pk] / share))).quantize(Decimal("0.01")))
        values[pk] -= cut
        left -= cut
    for pk in chosen:  # rounding leftovers go where there is room
        room = values[pk]
        cut = min(room, left)
        values[pk] -= cut
        left -= cut
        if not left:
            break
    return values


@transaction.atomic
def seed_indices(*, stdout=None) -> None:
    frameworks = _frameworks()
    rng = random.Random(2026)
    scores: list[Score] = []
    made = 0
    now = timezone.now()
    for province in Province.objects.filter(code__in=["lang-son", "lai-chau", "lao-cai"]).order_by("code"):
        by_code = {a.code: a for a in Agency.objects.filter(province=province)}
        for framework_code, fields in RESPONSIBLE.items():
            for code, agency_code in fields.items():
                if agency_code in by_code:
                    Responsibility.objects.get_or_create(
                        province=province,
                        framework_code=framework_code,
                        code=code,
                        defaults={"agency": by_code[agency_code]},
                    )
        lineage = Lineage(province.pk)
        for framework_code in ("PAR-SO", "PAR-XA"):
            quality: dict[int, float] = {}
            for year in YEARS:
                framework = frameworks[(framework_code, year)]
                year_leaves = list(framework.criteria.filter(children__isnull=True))
                # Each year ranks the units of its own directory: communes
                # set up on 1/7/2025 from 2025, the units they replaced
                # until 2024. A new unit starts from its predecessors' level.
                for agency in covered_agencies(framework, province).order_by("code"):
                    if agency.pk not in quality:
                        earlier = [
                            quality[r.agency.pk]
                            for r in lineage.predecessors_on(agency, year_end(year - 1))
                            if r.agency.pk in quality
                        ]
                        quality[agency.pk] = sum(earlier) / len(earlier) if earlier else rng.uniform(0.72, 0.97)
                    if Assessment.objects.filter(framework=framework, agency=agency).exists():
                        continue
                    quality[agency.pk] = min(0.99, quality[agency.pk] + rng.uniform(-0.03, 0.05))
                    appraised = _scores(year_leaves, quality[agency.pk], rng)
                    claimed = {
                        pk: min(leaf.maximum, appraised[pk] + (STEP if rng.random() < 0.3 else 0))
                        for leaf in year_leaves
                        for pk in [leaf.pk]
                    }
                    if year == 2026:
                        status = Assessment.Status.SUBMITTED if rng.random() < 0.35 else Assessment.Status.SELF
                        if agency.code == "STC":  # the demo official has work to do
                            status = Assessment.Status.SELF
                        assessment = Assessment.objects.create(
                            framework=framework,
                            agency=agency,
                            status=status,
                            self_deadline=self_deadline(),
                            submitted_at=now if status == Assessment.Status.SUBMITTED else None,
                        )
                        if status == Assessment.Status.SUBMITTED:
                            scores += _add_scores(assessment, claimed, Score.Round.SELF)
                        elif rng.random() < 0.5 or agency.code == "STC":
                            half = dict(list(claimed.items())[: len(claimed) // 2])
                            scores += _add_scores(assessment, half, Score.Round.SELF)
                    else:
                        published = year == 2024
                        assessment = Assessment.objects.create(
                            framework=framework,
                            agency=agency,
                            status=Assessment.Status.PUBLISHED if published else Assessment.Status.APPRAISED,
                            submitted_at=now,
                            appraised_at=now,
                            published_at=now if published else None,
                        )
                        scores += _add_scores(assessment, claimed, Score.Round.SELF)
                        scores += _add_scores(assessment, appraised, Score.Round.APPRAISED)
                    made += 1
            publication, _created = Publication.objects.get_or_create(province=province, year=2024)
            publication.frameworks.add(frameworks[(framework_code, 2024)])
    _lai_chau(frameworks, rng, scores)
    _national_tables(random.Random(63))
    Score.objects.bulk_create(scores, ignore_conflicts=True)
    totals_refresh(
        Assessment.objects.filter(total__isnull=True, self_total__isnull=True)
        | Assessment.objects.filter(framework__year__in=YEARS)
    )
    for framework in {frameworks[(code, 2026)] for code in ("PAR-SO", "PAR-XA")}:
        for province in Province.objects.filter(code__in=["lang-son", "lai-chau", "lao-cai"]):
            schedule(framework, province)
    if stdout is not None:
        stdout.write(
            f"Chỉ số: {Framework.objects.count()} bộ, {Assessment.objects.count()} kết quả"
            + (f" (mới: {made})" if made else "")
            + "."
        )


# The league table of every province, so the national pages show a whole
# table: invented figures (said so in their source), around Lai Châu's real
# ones, which keep their ranks.
ILLUSTRATIVE = "Số liệu minh họa của bản demo, không phải số liệu công bố"
NATIONAL_SPANS = {  # index: (best score, worst score) of an invented year
    IndexKind.PAR: (Decimal("91.50"), Decimal("80.20")),
    IndexKind.SIPAS: (Decimal("86.90"), Decimal("76.10")),
}


def _national_tables(rng: random.Random) -> None:
    real = {(index, year): (Decimal(score), rank) for index, year, score, rank, _o, _s in LAI_CHAU}
    lai_chau = Province.objects.filter(code="lai-chau").first()
    written = set(NationalResult.public.values_list("province_id", "index", "year"))
    rows = []
    for year in (2023, 2024):  # 2025: left to an import, so Lai Châu heads with its real 2024
        ranked = list(Province.objects.order_by("code"))  # the 63 of before the merger
        for index, (best, worst) in NATIONAL_SPANS.items():
            order = ranked[:]
            rng.shuffle(order)
            fixed = real.get((index, year))
            if fixed and lai_chau in order:
                order.remove(lai_chau)
                order.insert(fixed[1] - 1, lai_chau)
            count = len(order)
            for place, province in enumerate(order, start=1):
                if (province.pk, index, year) in written:
                    continue
                if fixed and province == lai_chau:
                    continue  # written with its real figures below
                step = (best - worst) / (count - 1)
                score = (best - step * (place - 1)).quantize(Decimal("0.01"))
                if fixed:  # keep the order around the real score
                    anchor, at = fixed
                    score = max(score, anchor + Decimal("0.01") * (at - place)) if place < at else score
                    score = min(score, anchor - Decimal("0.01") * (place - at)) if place > at else score
                rows.append(
                    NationalResult(
                        province=province,
                        index=index,
                        year=year,
                        score=score,
                        rank=place,
                        out_of=count,
                        source=ILLUSTRATIVE,
                    )
                )
    NationalResult.public.bulk_create(rows)


def _lai_chau(frameworks, rng: random.Random, scores: list[Score]) -> None:
    province = Province.objects.filter(code="lai-chau").first()
    if province is None:
        return
    for index, year, score, rank, out_of, source in LAI_CHAU:
        NationalResult.objects.get_or_create(
            province=province,
            index=index,
            year=year,
            defaults={"score": Decimal(score), "rank": rank, "out_of": out_of, "source": source},
        )
    committee = Agency.objects.filter(province=province, kind=AgencyKind.PROVINCIAL_COMMITTEE).first()
    for code, total in (("PAR-TINH", "85.97"), ("SIPAS", "81.51")):
        framework = frameworks.get((code, 2024))
        if (
            committee is None
            or framework is None
            or Assessment.objects.filter(framework=framework, agency=committee).exists()
        ):
            continue
        assessment = Assessment.objects.create(
            framework=framework, agency=committee, status=Assessment.Status.PUBLISHED, published_at=timezone.now()
        )
        leaves = list(framework.criteria.filter(children__isnull=True))
        scores += _add_scores(assessment, _exact(leaves, Decimal(total), rng), Score.Round.APPRAISED)
