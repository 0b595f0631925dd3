"""Charts as SVG, drawn from data on the server: the same markup shows on the
page and prints in the PDFs (WeasyPrint renders inline SVG), with no script
and no external asset. Colours are attributes, not CSS, so a chart looks the
same wherever it is put. Labels are escaped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from core.formatting import vn_number

OWN = "#1f5fa8"
MEAN = "#a9c1dc"
MARK = "#c0392b"
EARLIER = "#8a6d3b"  # predecessors' results, before a unit existed
GRID = "#d9d9d9"
TEXT = "#222222"
# Text sizes in the drawing's own units. The profile and trend are drawn 520
# wide so that on a phone (about 340 px for the chart) their text still
# reads at 10 px; in a PDF (520 px is 13.8 cm) it prints at 11 pt.
FONT = 15
SMALL = 12


@dataclass
class Bar:
    label: str
    value: Decimal
    highlight: bool = False


def _svg(width: int, height: int, title: str, body: list[str], font: int = 0) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" font-size="{font or FONT}" '
        f'fill="{TEXT}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _floor(bars: list[Bar], maximum: float) -> float:
    """Where the axis starts: at a round ten below the lowest bar when every bar is
    long (results between 80 and 90 of 100 would otherwise look alike). The axis
    is labelled, so the cut is visible."""
    lowest = min((float(b.value) for b in bars), default=0.0)
    if lowest < maximum * 0.4:
        return 0.0
    return max(0.0, (lowest // 10) * 10 - 10)


def ranking_bars(
    bars: list[Bar], *, maximum: Decimal, title: str, unit: str = "", mean: Decimal | None = None, width: int = 640
) -> str:
    """Horizontal bars, one per agency in rank order; the mean as a dashed line."""
    label_w, value_w, row_h, top = 230, 52, 17, 8
    plot = width - label_w - value_w
    height = top + row_h * len(bars) + 24
    top_value = float(maximum) or 1.0
    start = _floor(bars, top_value)

    def x_of(value) -> float:
        return label_w + plot * (min(max(float(value), start), top_value) - start) / (top_value - start)

    body = []
    for tick in range(0, 5):
        value = start + (top_value - start) * tick / 4
        x = x_of(value)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 18}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle" font-size="9">'
            f"{vn_number(value, 0 if value == int(value) else 1)}</text>"
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = x_of(bar.value) - label_w
        colour = MARK if bar.highlight else OWN
        body.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(_short(bar.label, 38))}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 5}" fill="{colour}"/>')
        body.append(f'<text x="{label_w + length + 4:.1f}" y="{y + 12}">{vn_number(bar.value, 2)}{unit}</text>')
    if mean is not None:
        x = x_of(mean)
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 18}" stroke="{MARK}" stroke-dasharray="4 3"/>'
        )
    return _svg(width, height, title, body, font=11)


@dataclass
class FieldShare:
    code: str
    name: str
    own: Decimal | None  # percent of the field's maximum
    mean: Decimal | None


def profile(rows: list[FieldShare], *, title: str, own_label: str, mean_label: str, width: int = 520) -> str:
    """Each field as a percentage of its maximum: the agency beside the
    province's mean. A field's name stands on its own line above its bars,
    so names are not cut and the bars keep the whole width."""
    plot, row_h, top = width - 56, 46, 24
    height = top + row_h * len(rows) + 18
    body = [
        f'<rect x="0" y="4" width="12" height="11" fill="{OWN}"/>',
        f'<text x="17" y="14">{escape(_short(own_label, 30))}</text>',
    ]
    if mean_label:
        body += [
            f'<rect x="{width / 2:.0f}" y="4" width="12" height="11" fill="{MEAN}"/>',
            f'<text x="{width / 2 + 17:.0f}" y="14">{escape(_short(mean_label, 30))}</text>',
        ]
    for tick in (0, 25, 50, 75, 100):
        x = plot * tick / 100
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 16}" stroke="{GRID}"/>')
        anchor = "start" if tick == 0 else "middle"
        body.append(f'<text x="{x:.1f}" y="{height - 3}" text-anchor="{anchor}" font-size="{SMALL}">{tick}%</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h
        body.append(
            f'<text x="0" y="{y + 14}" font-weight="600">{escape(_short(f"{row.code}. {row.name}", 54))}</text>'
        )
        for offset, value, colour in ((19, row.own, OWN), (32, row.mean, MEAN)):
            if value is None:
                continue
            length = plot * min(max(float(value), 0), 100) / 100
            body.append(f'<rect x="0" y="{y + offset}" width="{length:.1f}" height="11" fill="{colour}"/>')
            body.append(
                f'<text x="{length + 4:.1f}" y="{y + offset + 10}" font-size="{SMALL}">{vn_number(value, 1)}%</text>'
            )
    return _svg(width, height, title, body)


@dataclass
class Series:
    label: str
    values: list[Decimal | None]
    colour: str = OWN


def trend(
    years: list[int], series: list[Series], *, title: str, unit: str = "", width: int = 520, height: int = 240
) -> str:
    """Lines over the years; each point labelled with its value: above the
    point on the upper line, below it on the lower one, so two lines close
    together do not write over each other."""
    left, right, top, bottom, inset = 44, 14, 32, 30, 36
    # The legend flows, a new line when the next label would run off the
    # right edge (a third series, a long predecessor's name).
    legend, x, line = [], left, 0
    for s in series:
        size = 17 + int(len(s.label) * FONT * 0.55) + 16
        if x > left and x + size > width:
            x, line = left, line + 1
        legend.append((x, 6 + line * 20, s))
        x += size
    top += line * 20
    height += line * 20
    plot_w, plot_h = width - left - right - 2 * inset, height - top - bottom
    known = [float(v) for s in series for v in s.values if v is not None]
    low = min(known, default=0.0)
    high = max(known, default=1.0)
    span = high - low
    low, high = (low - max(span * 0.25, 1), high + max(span * 0.25, 1))
    body = []
    for x, y, s in legend:
        body.append(
            f'<rect x="{x}" y="{y}" width="12" height="11" fill="{s.colour}"/>'
            f'<text x="{x + 17}" y="{y + 10}">{escape(s.label)}</text>'
        )
    for tick in range(0, 5):
        value = low + (high - low) * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="{SMALL}">{vn_number(value, 1)}</text>'
        )

    def x_of(i: int) -> float:
        return left + inset + (plot_w * i / (len(years) - 1) if len(years) > 1 else plot_w / 2)

    def y_of(value) -> float:
        return top + plot_h - plot_h * (float(value) - low) / (high - low)

    for i, year in enumerate(years):
        body.append(f'<text x="{x_of(i):.1f}" y="{height - 8}" text-anchor="middle">{year}</text>')
    for s in series:
        points = [(i, x_of(i), y_of(v), v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for _i, x, y, _v in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5"/>')
        for i, x, y, v in points:
            others = [float(o.values[i]) for o in series if o is not s and o.values[i] is not None]
            below = any(other > float(v) for other in others)
            label_y = y + 18 if below else y - 9
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{s.colour}"/>'
                f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="middle" font-weight="600">'
                f"{vn_number(v, 2)}{unit}</text>"
            )
    return _svg(width, height, title, body)


# Colours for one line per province, told apart also by the dash of the
# line, so the chart reads in grey print and for colour-blind readers
# (Okabe-Ito's palette, darkened to keep 3:1 against white).
LINE_COLOURS = ("#1f5fa8", "#c0392b", "#1e7a4f", "#8e44ad", "#b35900", "#0f7c8c", "#555555", "#a0306e")
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3")


@dataclass
class RankLine:
    label: str
    values: list[int | None]  # a rank per year, None where there is none
    colour: str = OWN
    dash: str = ""


def _svg_described(width: int, height: int, title: str, description: str, body: list[str], font: int = 0) -> str:
    """An SVG whose <desc> says in words what it draws, for those who do not see it."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" font-size="{font or FONT}" '
        f'fill="{TEXT}"><title>{escape(title)}</title><desc>{escape(description)}</desc>{"".join(body)}</svg>'
    )


def _legend(labels: list[tuple[str, str, str]], *, left: int, width: int) -> tuple[list[str], int]:
    """A flowing legend of (label, colour, dash): a short line in the
    series' colour and dash, then its name. Returns the markup and the
    number of lines it took."""
    body, x, line = [], left, 0
    for label, colour, dash in labels:
        size = 30 + int(len(label) * FONT * 0.55) + 16
        if x > left and x + size > width:
            x, line = left, line + 1
        y = 6 + line * 20
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{x}" y1="{y + 6}" x2="{x + 24}" y2="{y + 6}" stroke="{colour}" stroke-width="3"{dashing}/>'
            f'<text x="{x + 30}" y="{y + 11}">{escape(label)}</text>'
        )
        x += size
    return body, line + 1 if labels else 0


def _rank_ticks(bottom: int) -> list[int]:
    """1, every ten, and the last place; a ten too close to the last is left out."""
    return [1, *(tick for tick in range(10, bottom, 10) if bottom - tick >= 5), bottom]


def rank_lines(
    years: list[int],
    lines: list[RankLine],
    *,
    title: str,
    description: str,
    bottom: int,
    width: int = 520,
    height: int = 260,
    breaks: tuple[int, ...] = (),
    break_label: str = "",
) -> str:
    """Ranks over the years, rank 1 at the top and `bottom` (the table's
    length) at the foot, so a line that rises is a province that rose; each
    point labelled with its rank. `breaks`: indices of the years where a
    table of another size begins (34 provinces after 63): the lines stop
    there and a dashed rule with `break_label` marks it, since a place among
    63 and a place among 34 are not on one scale."""
    left, right, inset = 40, 14, 30
    legend, rows = _legend([(s.label, s.colour, s.dash) for s in lines], left=left, width=width)
    top, foot = 20 + rows * 20, 30
    height += rows * 20
    plot_w, plot_h = width - left - right - 2 * inset, height - top - foot
    bottom = max(bottom, 2)

    def x_of(i: int) -> float:
        return left + inset + (plot_w * i / (len(years) - 1) if len(years) > 1 else plot_w / 2)

    def y_of(rank) -> float:
        return top + plot_h * (float(rank) - 1) / (bottom - 1)

    body = list(legend)
    for tick in _rank_ticks(bottom):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="{SMALL}">{tick}</text>')
    for i, year in enumerate(years):
        body.append(f'<text x="{x_of(i):.1f}" y="{height - 8}" text-anchor="middle">{year}</text>')
    for i in breaks:
        x = (x_of(i - 1) + x_of(i)) / 2
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + plot_h:.1f}" stroke="{TEXT}" '
            f'stroke-dasharray="3 3"/>'
        )
        if break_label:
            body.append(
                f'<text x="{x + 3:.1f}" y="{top + plot_h - 4:.1f}" font-size="{SMALL}">{escape(break_label)}</text>'
            )
    for s in lines:
        points = [(i, x_of(i), y_of(v), v) for i, v in enumerate(s.values) if v is not None]
        dashing = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        segments: list[list] = [[]]
        for point in points:
            if segments[-1] and any(segments[-1][-1][0] < i <= point[0] for i in breaks):
                segments.append([])
            segments[-1].append(point)
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for _i, x, y, _v in segment)
                body.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5"{dashing}/>')
        for i, x, y, v in points:
            # The label goes below a point when another line is higher there (a better rank).
            others = [o.values[i] for o in lines if o is not s and o.values[i] is not None]
            below = any(other < v for other in others) or y - 20 < top
            label_y = y + 18 if below else y - 9
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{s.colour}"/>'
                f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="middle" font-weight="600">{v}</text>'
            )
    return _svg_described(width, height, title, description, body)


@dataclass
class Dot:
    label: str
    score: Decimal
    rank: int
    colour: str = ""  # a chosen province; the others are drawn small and grey


def score_rank_scatter(
    dots: list[Dot],
    *,
    title: str,
    description: str,
    bottom: int,
    unit: str = "",
    width: int = 520,
    height: int = 300,
) -> str:
    """One year's table as points, score across and rank down (1 at the
    top): how far apart in score provinces a few places apart stand. The
    chosen provinces are coloured and named; the others are grey."""
    left, right, top, foot = 40, 20, 16, 34
    plot_w, plot_h = width - left - right, height - top - foot
    scores = [float(d.score) for d in dots] or [0.0, 1.0]
    low, high = min(scores), max(scores)
    pad = max((high - low) * 0.05, 0.5)
    low, high = low - pad, high + pad
    bottom = max(bottom, 2)

    def x_of(score) -> float:
        return left + plot_w * (float(score) - low) / (high - low)

    def y_of(rank) -> float:
        return top + plot_h * (float(rank) - 1) / (bottom - 1)

    body = []
    for tick in _rank_ticks(bottom):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="{SMALL}">{tick}</text>')
    for step in range(5):
        value = low + (high - low) * step / 4
        body.append(
            f'<text x="{x_of(value):.1f}" y="{height - 16}" text-anchor="middle" font-size="{SMALL}">'
            f"{vn_number(value, 1)}{unit}</text>"
        )
    for dot in sorted(dots, key=lambda d: bool(d.colour)):  # the chosen ones drawn last, on top
        x, y = x_of(dot.score), y_of(dot.rank)
        if not dot.colour:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{MEAN}"/>')
            continue
        anchor, dx = ("end", -8) if x > left + plot_w * 0.7 else ("start", 8)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{dot.colour}" stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{x + dx:.1f}" y="{y + 5:.1f}" text-anchor="{anchor}" font-weight="600"'
            f">{escape(_short(dot.label, 24))}</text>"
        )
    return _svg_described(width, height, title, description, body)
