"""What the pages and documents show, assembled from the selectors' database
figures: ranking rows with their changes and largest losses, the analysis of
a framework in a province, an agency's page, the national results, and the
charts of each. Nothing here writes; nothing here is typed by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Succession
from agencies.selectors import Lineage, Relative
from core.formatting import vn_date, vn_number

from . import charts, selectors
from .models import Assessment, Framework, IndexKind, NationalResult, Score

CHART_ROWS = 60  # a ranking chart beyond this many bars is unreadable
_UNREAD = object()

# How a predecessor's result is labelled beside the unit that carries it on:
# "UBND xã A (trước sáp nhập)".
BEFORE = {
    Succession.Kind.MERGED: gettext_lazy("trước sáp nhập"),
    Succession.Kind.SPLIT: gettext_lazy("trước chia tách"),
    Succession.Kind.RENAMED: gettext_lazy("trước đổi tên"),
    Succession.Kind.ABSORBED: gettext_lazy("trước chuyển giao chức năng"),
}


def before_words(kind: str) -> str:
    return str(BEFORE.get(kind, _("trước sắp xếp")))


def period_note(agency: Agency, year: int) -> str:
    """Why a result lies outside its unit's active period (entered before
    imports checked it): the ranking says so rather than show the unit as
    standing in a year it did not."""
    day = selectors.year_end(year)
    if agency.active_on(day):
        return ""
    if agency.active_from and agency.active_from > day:
        return _("thành lập từ %(day)s, chưa có trong năm %(year)s") % {
            "day": vn_date(agency.active_from),
            "year": year,
        }
    return _("thôi hoạt động từ %(day)s") % {"day": vn_date(agency.active_to + dt.timedelta(days=1))}


@dataclass
class Successor:
    """Where a dissolved unit's page leads: the unit that carries it on, and
    its latest result under the same framework when the user may see one."""

    relative: Relative
    result: Assessment | None

    @property
    def agency(self) -> Agency:
        return self.relative.agency


def successors(agencies, framework: Framework, *, lineage: Lineage, visible) -> dict[int, list[Successor]]:
    """agency id → who carries it on today, with their latest results: one
    query for the lot."""
    today = timezone.localdate()
    found = {agency.pk: lineage.successors_on(agency, today) for agency in agencies}
    ids = {r.agency.pk for relatives in found.values() for r in relatives}
    latest = selectors.latest_in_family(ids, framework, visible=visible) if ids else {}
    return {pk: [Successor(r, latest.get(r.agency.pk)) for r in relatives] for pk, relatives in found.items()}


def short(name: str) -> str:
    """'UBND xã Bình Lư' and 'Sở Tài chính' without the province's name, for chart labels."""
    for marker in (" tỉnh ", " Tỉnh "):
        if marker in name:
            return name.split(marker)[0]
    return name


# --- Ranking ------------------------------------------------------------------------------------


def compare(rows: list[Assessment], province, *, round: str, previous: Framework | None, lineage: Lineage) -> None:
    """Each row's result under `previous` (the year before): its own, or its
    own under its former name, and the change of score and rank since. A
    unit set up since has no such result: its predecessors' are put beside
    it (`stood`), never subtracted from its own."""
    before = selectors.standing(previous, province, round=round) if previous else {}
    for row in rows:
        prior = before.get(row.agency_id)
        row.stood, row.renamed_from = [], None
        if prior is None and previous:
            row.renamed_from, row.stood = selectors.stood_in(row.agency, previous, lineage=lineage, standing=before)
            prior = before[row.renamed_from.agency.pk] if row.renamed_from else None
        row.before_score, row.before_rank = prior if prior else (None, None)
        row.score_change = row.score - row.before_score if prior else None
        row.rank_change = row.before_rank - row.rank if prior else None


def ranking_rows(
    framework: Framework, province, rows: list[Assessment], *, round: str, visible, fields, previous
) -> list[Assessment]:
    """The ranking's rows as the page and its export show them: field totals,
    the change since `previous`, the three largest losses and who answers
    for each, and for a dissolved unit who carries it on. A fixed number of
    queries however many rows."""
    ids = [row.pk for row in rows]
    totals = selectors.field_totals(ids, round=round)
    losses = selectors.losses(ids, round=round, limit=3)
    who = selectors.responsible_for(province, framework.code)
    # The units as they were in the framework's year: a unit set up since
    # is compared with its predecessors' results of the year before (shown
    # beside it, not subtracted), a dissolved one leads to who carries it on.
    lineage = Lineage(province.pk)
    compare(rows, province, round=round, previous=previous, lineage=lineage)
    carried_on = successors([row.agency for row in rows], framework, lineage=lineage, visible=visible)
    for row in rows:
        row.fields = [totals.get(row.pk, {}).get(f.code) for f in fields]
        row.period_note = period_note(row.agency, framework.year)
        row.successors = carried_on.get(row.agency_id, [])
        row.losses = losses.get(row.pk, [])
        for loss in row.losses:
            loss.responsible = who(loss.code)
    return rows


def sorted_by_change(rows: list[Assessment], province, *, round: str, previous: Framework | None, descending: bool):
    """Every row by its change of score since `previous` (the largest rise
    first when `descending`); rows with nothing to compare with go last."""
    compare(rows, province, round=round, previous=previous, lineage=Lineage(province.pk))
    found = [row for row in rows if row.score_change is not None]
    found.sort(key=lambda row: row.score_change, reverse=descending)  # stable: equal changes stay in rank order
    return found + [row for row in rows if row.score_change is None]


def ranking_page(
    framework: Framework, province, rows: list[Assessment], *, round: str, visible, fields=None, previous=_UNREAD
) -> dict:
    """The ranking page of `rows` (one page of them); `fields` and `previous`
    (the framework a year before, or None) are read when not given."""
    fields = selectors.fields(framework) if fields is None else fields
    previous = selectors.previous(framework) if previous is _UNREAD else previous
    ranking_rows(framework, province, rows, round=round, visible=visible, fields=fields, previous=previous)
    spread = selectors.spread(framework, province, round=round, assessments=visible)
    chart = ""
    if rows and spread["count"] <= CHART_ROWS:
        chart = charts.ranking_bars(
            # By rank whatever order the table is sorted in: it is the ranking's chart.
            [charts.Bar(short(row.agency.name), row.score) for row in sorted(rows, key=lambda row: row.rank)],
            maximum=framework.maximum,
            mean=spread["mean"],
            unit="%" if framework.unit == Framework.Unit.PERCENT else "",
            title=_("Xếp hạng %(name)s năm %(year)s") % {"name": framework.name, "year": framework.year},
        )
    return {
        "rows": rows,
        "fields": fields,
        "spread": spread,
        "chart": chart,
        "previous": previous,
        "chart_limit": CHART_ROWS,
    }


def framework_analysis(framework: Framework, province, *, round: str = Score.Round.APPRAISED) -> dict:
    """Where the province's agencies lost points, who answers for each loss,
    and how the fields compare."""
    fields = selectors.fields(framework)
    means = selectors.field_averages(framework, province, round=round)
    losses = selectors.criterion_losses(framework, province, round=round)
    spread = selectors.spread(framework, province, round=round)
    field_rows = []
    for f in fields:
        mean = means.get(f.code)
        field_rows.append(
            {
                "field": f,
                "mean": mean,
                "lost": f.maximum - mean if mean is not None else None,
                "share": _share(mean, f.maximum),
            }
        )
    by_agency: dict[int | None, dict] = {}
    for loss in losses:
        key = loss.responsible.pk if loss.responsible else None
        entry = by_agency.setdefault(key, {"agency": loss.responsible, "lost": Decimal("0"), "codes": []})
        entry["lost"] += loss.lost
        entry["codes"].append(loss.code)
    count = spread["count"] or 0
    responsible = sorted(by_agency.values(), key=lambda e: -e["lost"])
    for entry in responsible:
        entry["per_agency"] = selectors.published(entry["lost"] / count) if count else None
    chart = charts.profile(
        [charts.FieldShare(f.code, f.name, row["share"], None) for f, row in zip(fields, field_rows, strict=True)],
        title=_("Điểm bình quân từng lĩnh vực (%% điểm tối đa)"),
        own_label=_("Bình quân của tỉnh"),
        mean_label="",
    )
    return {
        "fields": field_rows,
        "losses": losses,
        "spread": spread,
        "responsible": responsible,
        "field_chart": chart,
        "agencies": count,
    }


def _share(value: Decimal | None, maximum: Decimal) -> Decimal | None:
    if value is None or not maximum:
        return None
    return selectors.published(value * 100 / maximum)


# --- One agency ---------------------------------------------------------------------------------


def agency_page(assessment: Assessment, *, visible) -> dict:
    """One unit's result, compared with its own of the year before or, for a
    unit set up since, with its predecessors' (`visible`: the results the
    user may read, for the predecessors' and successors')."""
    framework = assessment.framework
    agency = assessment.agency
    province = agency.province
    lineage = Lineage(province.pk)
    fields = selectors.fields(framework)
    own = selectors.field_totals([assessment.pk]).get(assessment.pk, {})
    means = selectors.field_averages(framework, province)
    rank, out_of = selectors.rank_of(assessment)
    before_framework = selectors.previous(framework)
    before, stood_before = None, []
    if before_framework:
        before = (
            Assessment.objects.filter(framework=before_framework, agency=agency, total__isnull=False)
            .select_related("agency")
            .first()
        )
        if before is None:
            standing = selectors.standing(before_framework, province)
            renamed_from, stood_before = selectors.stood_in(
                agency, before_framework, lineage=lineage, standing=standing
            )
            if renamed_from:
                before = (
                    Assessment.objects.filter(framework=before_framework, agency=renamed_from.agency)
                    .select_related("agency")
                    .first()
                )
    before_rank = selectors.rank_of(before)[0] if before else None
    # "1/1 ↑11" while one agency of forty has been appraised would read as a
    # climb: the change is shown once this year's ranking is complete.
    appraised, assessed = selectors.ranked_share(assessment)
    provisional = appraised < assessed
    who = selectors.responsible_for(province, framework.code)
    losses = selectors.losses([assessment.pk]).get(assessment.pk, [])
    for loss in losses:
        loss.responsible = who(loss.code)
    field_rows = [
        {
            "field": f,
            "own": own.get(f.code),
            "mean": means.get(f.code),
            "gap": (own[f.code] - means[f.code]) if f.code in own and f.code in means else None,
        }
        for f in fields
    ]
    profile = ""
    if assessment.total is not None:
        profile = charts.profile(
            [
                charts.FieldShare(
                    f.code, f.name, _share(own.get(f.code), f.maximum), _share(means.get(f.code), f.maximum)
                )
                for f in fields
            ],
            title=_("Điểm từng lĩnh vực so với bình quân của tỉnh"),
            own_label=short(agency.name),
            mean_label=_("Bình quân của tỉnh"),
        )
    points = selectors.trend(agency, framework, lineage=lineage, visible=visible)
    trend = ""
    if len(points) > 1:
        series = [
            charts.Series(short(agency.name), [p.total for p in points]),
            charts.Series(_("Bình quân của tỉnh"), [p.mean for p in points], charts.MEAN),
        ]
        earlier = _earlier_series(points)
        if earlier:
            series.append(earlier)
        trend = charts.trend([p.year for p in points], series, title=_("Tổng điểm qua các năm"))
    return {
        "rows": selectors.score_rows(assessment),
        "fields": field_rows,
        "rank": rank,
        "out_of": out_of,
        "before": before,
        "before_rank": before_rank,
        "score_change": assessment.total - before.total if before and assessment.total is not None else None,
        "rank_change": before_rank - rank if before_rank and rank and not provisional else None,
        "rank_provisional": provisional,
        "appraised": appraised,
        "assessed": assessed,
        "losses": losses,
        "lost_total": sum((loss.lost for loss in losses), Decimal("0")),
        "profile_chart": profile,
        "trend_chart": trend,
        "trend": points,
        "trend_has_earlier": any(p.stood for p in points),
        "stood_before": stood_before,
        "successors": successors([agency], framework, lineage=lineage, visible=visible)[agency.pk],
    }


def _earlier_series(points: list[selectors.TrendYear]) -> charts.Series | None:
    """The chart's line for the years before the unit existed. An analyst
    at the Sở reads a merged commune's history as its predecessors' own
    results, each under its own name, and that is what the table beside the
    chart lists; no figure is made up for the unit itself (no one earned a
    sum or a mean of several communes, and the ranking never compares with
    one). One line per predecessor would crowd a chart a phone shows, so the
    chart draws one point a year: the predecessor's result when there was
    one, else their plain mean, labelled as a mean of the units before the
    reorganisation."""
    values, relatives = [], {}
    for point in points:
        if point.total is not None or not point.stood:
            values.append(None)
            continue
        values.append(selectors.published(sum(s.total for s in point.stood) / len(point.stood)))
        relatives.update({s.agency.pk: s.relative for s in point.stood})
    if not relatives:
        return None
    kinds = {r.kind for r in relatives.values()}
    words = before_words(kinds.pop()) if len(kinds) == 1 else _("trước sắp xếp")
    if len(relatives) == 1:
        only = next(iter(relatives.values()))
        label = f"{short(only.agency.name)} ({words})"
    else:
        label = _("Bình quân các đơn vị %(words)s") % {"words": words}
    return charts.Series(label, values, charts.EARLIER)


# --- National results --------------------------------------------------------------------------


@dataclass
class NationalYear:
    year: int
    par: NationalResult | None = None
    sipas: NationalResult | None = None

    @property
    def results(self) -> list[NationalResult | None]:
        """PAR INDEX then SIPAS: the table's columns."""
        return [self.par, self.sipas]


def national_table(province) -> list[NationalYear]:
    years: dict[int, NationalYear] = {}
    for result in selectors.national_results(province):
        row = years.setdefault(result.year, NationalYear(result.year))
        setattr(row, result.index, result)  # par, sipas (the page shows those two; others are on the league pages)
    return [years[y] for y in sorted(years, reverse=True)]


def latest_national_year(province) -> int | None:
    result = NationalResult.public.filter(province=province).order_by("-year").first()
    return result.year if result else None


def national_sentence(province, year: int | None = None) -> str:
    year = year or latest_national_year(province)
    return selectors.national_summary(province, year) if year else ""


def region_sentence(province, year: int | None = None) -> str:
    year = year or latest_national_year(province)
    return selectors.region_sentence(province, year) if year else ""


def national_chart(province) -> str:
    """The province's PAR INDEX (points) and SIPAS (%) over the years."""
    results = list(NationalResult.public.filter(province=province, index__in=["par", "sipas"]).order_by("year"))
    years = sorted({r.year for r in results})
    if len(years) < 2:
        return ""
    by = {(r.index, r.year): r.score for r in results}
    return charts.trend(
        years,
        [
            charts.Series("PAR INDEX", [by.get((IndexKind.PAR, y)) for y in years]),
            charts.Series("SIPAS (%)", [by.get((IndexKind.SIPAS, y)) for y in years], charts.MARK),
        ],
        title=_("Chỉ số PAR INDEX và SIPAS của tỉnh qua các năm"),
    )


def rank_words(change: int | None) -> str:
    if change is None:
        return ""
    if change == 0:
        return _("giữ nguyên")
    return (_("tăng %(n)s bậc") if change > 0 else _("giảm %(n)s bậc")) % {"n": abs(change)}


def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "−" if value < 0 else "±") + vn_number(abs(value), 2)
