"""Reads for the national league table, a province's standing and the
comparison of provinces. National results are published, so every query
here goes through `NationalResult.public` (no province scope).

Each page reads a fixed number of queries whatever the number of provinces:
a year's rows with their provinces, the year before keyed by province, the
predecessors of the provinces shown; the lineage and changes are arranged in
Python over at most 63 rows."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from agencies.models import Province, Region
from core.formatting import vn_date, vn_number
from core.lookups import search_q
from core.text import vn_sort_key

from . import charts
from .models import NationalIndex, NationalResult

DEFAULT_INDEX = "par"
NEIGHBOURS = 3  # places above and below a province among its peers
BANDS = 10  # a rank band is a tenth of the table


def national_indices() -> list[NationalIndex]:
    return list(NationalIndex.objects.order_by("order", "code"))


def index_from(indices: list[NationalIndex], code: str) -> NationalIndex | None:
    """The index `code` names, else PAR INDEX (else the first)."""
    by_code = {index.code: index for index in indices}
    return by_code.get(code) or by_code.get(DEFAULT_INDEX) or (indices[0] if indices else None)


def years_of(index: NationalIndex) -> list[int]:
    """The years with results for `index`, latest first."""
    return list(
        NationalResult.public.filter(index=index.code).order_by("-year").values_list("year", flat=True).distinct()
    )


def unit_words(index: NationalIndex) -> str:
    """What a change of score is counted in: a percentage moves by points of percent."""
    return _("điểm phần trăm") if index.is_percent else _("điểm")


def merger_day(province: Province) -> dt.date | None:
    return province.active_to + dt.timedelta(days=1) if province.active_to else None


@dataclass
class LeagueRow:
    """A province's line in a year's table, with the year before: for a
    province that absorbed others since, the year before is its own row (its
    line continues); the merged ones are named beside it, never added in."""

    result: NationalResult
    previous: NationalResult | None = None
    includes: list[Province] = field(default_factory=list)  # merged into it by the table's year

    @property
    def province(self) -> Province:
        return self.result.province

    @property
    def score(self) -> Decimal:
        return self.result.score

    @property
    def rank(self) -> int | None:
        return self.result.rank

    @property
    def region_label(self) -> str:
        return self.province.get_region_display() if self.province.region else ""

    @property
    def score_change(self) -> Decimal | None:
        return self.score - self.previous.score if self.previous else None

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost since the year before; none across
        tables of different sizes (63 in 2024, 34 in 2025): a place among 63
        and a place among 34 do not compare."""
        if self.rank_incomparable or not self.previous or self.previous.rank is None or self.rank is None:
            return None
        return self.previous.rank - self.rank

    @property
    def rank_incomparable(self) -> bool:
        return bool(self.previous and self.previous.rank and self.previous.out_of != self.result.out_of)

    @property
    def merged_into(self) -> Province | None:
        """The successor of a province merged after the table's year."""
        province = self.province
        if province.successor_id and province.active_to and self.result.year <= province.active_to.year:
            return province.successor
        return None

    @property
    def includes_note(self) -> str:
        if not self.includes:
            return ""
        day = merger_day(self.includes[0])
        return _("gồm cả %(names)s từ %(day)s") % {
            "names": ", ".join(p.name for p in self.includes),
            "day": vn_date(day) if day else "",
        }

    @property
    def merged_note(self) -> str:
        successor = self.merged_into
        if successor is None:
            return ""
        return _("đã hợp nhất vào %(name)s từ %(day)s") % {
            "name": successor.name,
            "day": vn_date(merger_day(self.province)),
        }

    @property
    def note(self) -> str:
        return self.includes_note or self.merged_note


def _predecessors(province_ids, year: int) -> dict[int, list[Province]]:
    """Provinces merged into each of `province_ids` by the end of `year`."""
    found: dict[int, list[Province]] = defaultdict(list)
    rows = Province.objects.filter(
        successor_id__in=list(province_ids), active_to__isnull=False, active_to__lte=dt.date(year, 12, 31)
    ).order_by("name")
    for province in rows:
        found[province.successor_id].append(province)
    return found


def league(index: NationalIndex, year: int, *, region: str = "", search: str = "") -> list[LeagueRow]:
    """Every province's result for `index` in `year` (in its published
    order: rank, then score), with the year before; only the `region` and
    names matching `search` (diacritics ignored) when given. Three queries."""
    results = NationalResult.public.filter(index=index.code, year=year).select_related(
        "province", "province__successor"
    )
    if region:
        results = results.filter(province__region=region)
    if search:
        results = results.filter(search_q(search, "province__name"))
    results = list(results)
    ids = [r.province_id for r in results]
    before = {
        r.province_id: r
        for r in NationalResult.public.filter(index=index.code, year=year - 1, province_id__in=ids).only(
            "province_id", "score", "rank", "out_of", "year"
        )
    }
    merged = _predecessors(ids, year) if ids else {}
    rows = [LeagueRow(r, before.get(r.province_id), merged.get(r.province_id, [])) for r in results]
    return sorted(rows, key=lambda row: published_order(row, index))


def published_order(row: LeagueRow, index: NationalIndex):
    """By rank; a line published without a rank after the ranked ones, by its score."""
    score = row.score if index.higher_is_better else -row.score
    return (row.rank is None, row.rank or 0, -score, row.province.name)


# --- A province's standing ---------------------------------------------------------------------


def province_get(code: str) -> Province:
    return get_object_or_404(Province.objects.select_related("successor"), code=code)


@dataclass
class YearResult:
    """A province's result in one year with its movement since the year before."""

    result: NationalResult
    previous: NationalResult | None = None

    @property
    def year(self) -> int:
        return self.result.year

    @property
    def score_change(self) -> Decimal | None:
        return self.result.score - self.previous.score if self.previous else None

    @property
    def rank_change(self) -> int | None:
        if self.rank_incomparable or not self.previous or self.previous.rank is None or self.result.rank is None:
            return None
        return self.previous.rank - self.result.rank

    @property
    def rank_incomparable(self) -> bool:
        """63 provinces the year before, 34 this year: the places do not compare."""
        return bool(self.previous and self.previous.rank and self.previous.out_of != self.result.out_of)


def histories(provinces: list[Province]) -> dict[tuple[int, str], list[YearResult]]:
    """(province id, index code) -> the province's results over the years,
    oldest first, each with its change since the year before. One query."""
    found: dict[tuple[int, str], list[YearResult]] = defaultdict(list)
    rows = NationalResult.public.filter(province__in=provinces).order_by("province_id", "index", "year")
    for result in rows:
        line = found[(result.province_id, result.index)]
        previous = line[-1].result if line and line[-1].year == result.year - 1 else None
        line.append(YearResult(result, previous))
    return found


@dataclass
class Standing:
    province: Province
    predecessors: list[Province]
    indices: list[NationalIndex]  # the indices the province (or a predecessor) has results for
    index: NationalIndex | None
    lines: list[YearResult]  # the chosen index, oldest first
    earlier: list[tuple[Province, list[YearResult]]]  # each predecessor's own past in the chosen index
    overview: list[dict]  # per year: {"year": y, "cells": [(index, NationalResult | None), ...]}


def standing(province: Province, all_indices: list[NationalIndex], code: str) -> Standing:
    predecessors = list(province.predecessors.order_by("name"))
    history = histories([province, *predecessors])
    present = {index_code for (_pk, index_code) in history}
    indices = [index for index in all_indices if index.code in present]
    index = index_from(indices, code) if indices else index_from(all_indices, code)
    own = {index_code: lines for (pk, index_code), lines in history.items() if pk == province.pk}
    years = sorted({line.year for lines in own.values() for line in lines}, reverse=True)
    by_year = {(line.year, index_code): line.result for index_code, lines in own.items() for line in lines}
    overview = [{"year": y, "cells": [(i, by_year.get((y, i.code))) for i in indices]} for y in years]
    earlier = [(p, history.get((p.pk, index.code), [])) for p in predecessors] if index else []
    return Standing(
        province=province,
        predecessors=predecessors,
        indices=indices,
        index=index,
        lines=own.get(index.code, []) if index else [],
        earlier=[(p, lines) for p, lines in earlier if lines],
        overview=overview,
    )


@dataclass
class Peers:
    year: int
    row: LeagueRow | None
    region: list[LeagueRow]
    neighbours: list[LeagueRow]
    band: list[LeagueRow]
    band_number: int | None  # 1 = the top tenth


def rank_band(rank: int, out_of: int) -> int:
    """Which tenth of a table of `out_of` a rank falls in (1 to 10)."""
    return min(BANDS, max(1, math.ceil(rank * BANDS / out_of)))


def peers(province: Province, index: NationalIndex, year: int) -> Peers:
    """Whom a province stands with in a year's table: its region, the
    provinces three places either side, and its tenth of the table."""
    rows = league(index, year)
    row = next((r for r in rows if r.province.pk == province.pk), None)
    if row is None or row.rank is None:
        return Peers(year, row, [], [], [], None)
    ranked = [r for r in rows if r.rank is not None]
    band = rank_band(row.rank, row.result.out_of)
    return Peers(
        year=year,
        row=row,
        region=[r for r in ranked if province.region and r.province.region == province.region],
        neighbours=[r for r in ranked if abs(r.rank - row.rank) <= NEIGHBOURS],
        band=[r for r in ranked if rank_band(r.rank, r.result.out_of) == band],
        band_number=band,
    )


# --- Comparison ---------------------------------------------------------------------------------


def provinces_by_region() -> list[tuple[str, list[Province]]]:
    """Every province grouped by region (the comparison's picker), one query."""
    groups: dict[str, list[Province]] = {value: [] for value in Region.values}
    others = []
    provinces = sorted(Province.objects.select_related("successor"), key=lambda p: vn_sort_key(p.name))
    for province in provinces:
        (groups[province.region] if province.region in groups else others).append(province)
    labelled = [(str(label), groups[value]) for value, label in Region.choices if groups[value]]
    return labelled + ([(_("Khác"), others)] if others else [])


def provinces_named(codes: list[str]) -> list[Province]:
    """The provinces of `codes`, in the order given, each once; an unknown code is a 404."""
    wanted = list(dict.fromkeys(code for code in codes if code))
    found = {p.code: p for p in Province.objects.filter(code__in=wanted).select_related("successor")}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise Http404(_("Không có tỉnh, thành phố mã %(code)s.") % {"code": missing[0]})
    return [found[code] for code in wanted]


@dataclass
class Comparison:
    provinces: list[Province]
    years: list[int]  # oldest first
    cells: dict[tuple[int, int], NationalResult]  # (province id, year) -> result


def comparison(provinces: list[Province], index: NationalIndex) -> Comparison:
    cells = {
        (r.province_id, r.year): r
        for r in NationalResult.public.filter(province__in=provinces, index=index.code).order_by("year")
    }
    return Comparison(provinces, sorted({year for _pk, year in cells}), cells)


# --- Charts -------------------------------------------------------------------------------------


def _rank_words(label: str, years: list[int], values: list[int | None]) -> str:
    said = [f"{year}: {_('hạng')} {value}" for year, value in zip(years, values, strict=True) if value is not None]
    return f"{label}: {'; '.join(said)}" if said else ""


def rank_chart(years: list[int], lines: list[charts.RankLine], *, title: str, bottom: int) -> str:
    """The rank-over-years chart with its description in words."""
    if not years or not any(v is not None for line in lines for v in line.values):
        return ""
    description = ". ".join(filter(None, (_rank_words(line.label, years, line.values) for line in lines)))
    # Where the table changes size (63 provinces until 2024, 34 from 2025) the lines stop.
    sizes = [NationalResult.provinces_in(year) for year in years]
    breaks = tuple(i for i in range(1, len(years)) if sizes[i] != sizes[i - 1])
    return charts.rank_lines(
        years,
        lines,
        title=title,
        description=description,
        bottom=bottom,
        breaks=breaks,
        break_label=_("%(before)s → %(after)s tỉnh") % {"before": sizes[breaks[0] - 1], "after": sizes[breaks[0]]}
        if breaks
        else "",
    )


def standing_chart(item: Standing) -> str:
    """The province's rank over the years and, for one that absorbed others,
    each predecessor's own line in the colour of earlier units."""
    if item.index is None or not item.lines:
        return ""
    years = sorted({line.year for line in item.lines} | {line.year for _p, lines in item.earlier for line in lines})
    own = {line.year: line.result.rank for line in item.lines}
    lines = [charts.RankLine(item.province.name, [own.get(y) for y in years], charts.OWN)]
    for i, (predecessor, history) in enumerate(item.earlier):
        ranks = {line.year: line.result.rank for line in history}
        lines.append(
            charts.RankLine(
                _("%(name)s (trước hợp nhất)") % {"name": predecessor.name},
                [ranks.get(y) for y in years],
                charts.EARLIER,
                charts.LINE_DASHES[(i + 1) % len(charts.LINE_DASHES)] or "6 3",
            )
        )
    bottom = max(
        [line.result.out_of for line in item.lines] + [line.result.out_of for _p, h in item.earlier for line in h]
    )
    title = _("Thứ hạng %(index)s của %(name)s qua các năm") % {
        "index": item.index.name,
        "name": item.province.full_name,
    }
    return rank_chart(years, lines, title=title, bottom=bottom)


def comparison_chart(found: Comparison, index: NationalIndex) -> str:
    lines = [
        charts.RankLine(
            province.name,
            [found.cells[(province.pk, y)].rank if (province.pk, y) in found.cells else None for y in found.years],
            charts.LINE_COLOURS[i % len(charts.LINE_COLOURS)],
            charts.LINE_DASHES[i % len(charts.LINE_DASHES)],
        )
        for i, province in enumerate(found.provinces)
    ]
    bottom = max((r.out_of for r in found.cells.values()), default=63)
    title = _("Thứ hạng %(index)s qua các năm: %(names)s") % {
        "index": index.name,
        "names": ", ".join(p.name for p in found.provinces),
    }
    return rank_chart(found.years, lines, title=title, bottom=bottom)


def scatter_chart(found: Comparison, index: NationalIndex, year: int) -> str:
    """Score against rank for every province of `year`, the compared ones in their colours."""
    colours = {p.pk: charts.LINE_COLOURS[i % len(charts.LINE_COLOURS)] for i, p in enumerate(found.provinces)}
    rows = [row for row in league(index, year) if row.rank is not None]
    if not rows:
        return ""
    dots = [charts.Dot(row.province.name, row.score, row.rank, colours.get(row.province.pk, "")) for row in rows]
    chosen = [row for row in rows if row.province.pk in colours]
    unit = "%" if index.is_percent else ""
    description = "; ".join(
        _("%(name)s: %(score)s, hạng %(rank)s")
        % {"name": r.province.name, "score": vn_number(r.score, index.decimals) + unit, "rank": r.rank}
        for r in chosen
    )
    title = _("Điểm và thứ hạng %(index)s năm %(year)s của %(count)s tỉnh, thành phố") % {
        "index": index.name,
        "year": year,
        "count": len(rows),
    }
    return charts.score_rank_scatter(
        dots, title=title, description=description, bottom=max(r.result.out_of for r in rows), unit=unit
    )


def legend(provinces: list[Province]) -> list[tuple[Province, str]]:
    """Each compared province with its line's colour, for the table's key."""
    return [(p, charts.LINE_COLOURS[i % len(charts.LINE_COLOURS)]) for i, p in enumerate(provinces)]
