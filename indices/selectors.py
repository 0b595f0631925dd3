"""Analysis, computed in the database: totals, ranks with ties, changes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank

from agencies.templatetags.vn import vn_number

from .models import Assessment, Framework, IndexKind, NationalResult, Score

TWO = Decimal("0.01")


def published(value: Decimal) -> Decimal:
    """Two decimals, half up, as results are published."""
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def ranking(framework: Framework, *, round: str = Score.Round.APPRAISED) -> QuerySet[Assessment]:
    """Every agency's total under the framework (its leaf criteria, the given
    round) and its rank, ties sharing a rank (1, 2, 2, 4)."""
    leaf = Q(scores__round=round, scores__criterion__children__isnull=True)
    total = Coalesce(Sum("scores__value", filter=leaf), Value(Decimal("0")), output_field=DecimalField())
    return (Assessment.objects.filter(framework=framework).select_related("agency")
            .annotate(total=total)
            .annotate(rank=Window(expression=Rank(), order_by=F("total").desc()))
            .order_by("rank", "agency__name"))


def _change(now: Decimal, before: Decimal | None, unit: str) -> str:
    difference = now - before
    word = "tăng" if difference >= 0 else "giảm"
    return f"{word} {vn_number(abs(difference), 2)}{unit}"


def _rank_change(now: int, before: int, *, padded: bool) -> str:
    steps = before - now
    if steps == 0:
        return "giữ nguyên thứ hạng"
    number = f"{abs(steps):02d}" if padded else str(abs(steps))
    return f"{'tăng' if steps > 0 else 'giảm'} {number} hạng"


def national_summary(province, year: int) -> str:
    """The sentence reports open with, from the published national results:
    "Chỉ số PAR INDEX tỉnh Lai Châu đạt 85,97 điểm, tăng 0,19 điểm so với năm
    2023, xếp vị trí thứ 56/63 tỉnh, thành phố, giảm 7 hạng …". The SIPAS
    clause keeps the wording (and the zero-padded rank change) of the
    provinces' own reports."""
    results = {(r.index, r.year): r for r in NationalResult.objects.filter(province=province, year__in=[year, year - 1])}
    parts = []
    par, par_before = results.get((IndexKind.PAR, year)), results.get((IndexKind.PAR, year - 1))
    if par:
        text = f"Chỉ số PAR INDEX tỉnh {province.name} đạt {vn_number(par.score, 2)} điểm"
        if par_before:
            text += (f", {_change(par.score, par_before.score, ' điểm')} so với năm {year - 1}, xếp vị trí thứ "
                     f"{par.rank}/{par.out_of} tỉnh, thành phố, {_rank_change(par.rank, par_before.rank, padded=False)} "
                     f"so với năm {year - 1}")
        else:
            text += f", xếp vị trí thứ {par.rank}/{par.out_of} tỉnh, thành phố"
        parts.append(text)
    sipas, sipas_before = results.get((IndexKind.SIPAS, year)), results.get((IndexKind.SIPAS, year - 1))
    if sipas:
        text = f"Chỉ số SIPAS đạt {vn_number(sipas.score, 2)}%"
        if sipas_before:
            text += (f", {_change(sipas.score, sipas_before.score, '%')} so với năm {year - 1}; xếp hạng "
                     f"{sipas.rank}/{sipas.out_of} tỉnh, thành phố, "
                     f"{_rank_change(sipas.rank, sipas_before.rank, padded=True)} so với năm {year - 1}")
        else:
            text += f"; xếp hạng {sipas.rank}/{sipas.out_of} tỉnh, thành phố"
        parts.append(text)
    return "; ".join(parts)
