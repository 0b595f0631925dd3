"""Long lists printed as a ruled table on A4 (the attendance sheet: 600
delegates and more), with ReportLab's table engine.

Why not WeasyPrint, which prints every other document: a CSS table costs
WeasyPrint about 4 ms a row of five cells on our reference machine even with
the cells empty (boxes, computed styles, line boxes; fixed layout and
separate borders already taken), so 600 delegates cannot come out in the 2 s
the registration desk is promised, whatever the sheet's HTML. ReportLab lays
a row out in a fraction of that. Official documents in the national format
stay on WeasyPrint; a list like this carries no number, signature or seal.

The font is the one WeasyPrint would use (fontconfig's Times-compatible
TrueType, embedded as a subset); every cell's text is escaped, so a name can
never be read as ReportLab's paragraph markup (which would otherwise open
files named in an <img> tag, say).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from core import printing

FAMILY = "PortalSerif"
STYLES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "Bold Italic"}

# The page: A4 with Nghị định 30's margins (top 20, bottom 20, left 30, right 15 mm).
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_PT, CELL_PT, DETAIL_PT, TITLE_PT, FOOT_PT, PAGE_NUMBER_PT = 13, 12, 11, 14, 11, 13
RULE_PT = 0.5
PADDING_PT = {"top": 4, "bottom": 4, "left": 5, "right": 5}


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float | None = None  # None: the width the other columns leave
    centred: bool = False


@dataclass(frozen=True)
class Detail:
    """A cell's text with a detail printed smaller under it (a delegate's
    position, and under it their agency)."""

    text: str
    detail: str


Cell = str | Detail


@cache
def _fonts() -> str:
    """Registers the Times-compatible family with ReportLab once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for suffix, style in STYLES.items():
        pdfmetrics.registerFont(TTFont(FAMILY + suffix, printing.times_font_file(style)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=FAMILY, bold=f"{FAMILY}-Bold", italic=f"{FAMILY}-Italic", boldItalic=f"{FAMILY}-BoldItalic"
    )
    return FAMILY


@cache
def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    family = _fonts()

    def style(name, size, font=family, **kw):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * 1.17, 1), **kw)

    return {
        "title": style("title", TITLE_PT, f"{family}-Bold", alignment=TA_CENTER, spaceAfter=4),
        "bold": style("bold", BODY_PT, f"{family}-Bold", alignment=TA_CENTER, spaceAfter=4),
        "italic": style("italic", BODY_PT, f"{family}-Italic", alignment=TA_CENTER, spaceAfter=12),
        "head": style("head", CELL_PT, f"{family}-Bold", alignment=TA_CENTER),
        "cell": style("cell", CELL_PT),
        "centred": style("centred", CELL_PT, alignment=TA_CENTER),
        "detail": style("detail", DETAIL_PT),
        "foot": style("foot", FOOT_PT, f"{family}-Italic", spaceBefore=8),
    }


def _text(value: str) -> str:
    # NFC: text typed with combining accents ("Unicode tổ hợp") is drawn with
    # the font's precomposed letters, as WeasyPrint's shaping would.
    return escape(unicodedata.normalize("NFC", value or ""))


def _paragraph(value: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(_text(value), style)


def _cell(value: Cell, room: float, centred: bool, styles: dict):
    """What ReportLab's table draws for `value` in `room` points of width.
    Text that fits on one line stays a plain string, which the table draws
    itself: a paragraph costs ten times as much, and most cells are one line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if isinstance(value, Detail):
        parts = [_paragraph(value.text, styles["cell"])] if value.text else []
        if value.detail:
            parts.append(_paragraph(value.detail, styles["detail"]))
        return parts
    text = unicodedata.normalize("NFC", value or "")
    if stringWidth(text, FAMILY, CELL_PT) <= room and "\n" not in text:
        return text
    return _paragraph(text, styles["centred" if centred else "cell"])


def list_pdf(
    *,
    title: str,
    heading: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    footer: str,
    empty: str,
) -> bytes:
    """The list as a PDF: `heading` lines (text, "title" | "bold" | "italic")
    centred above a table of `columns` whose header row repeats on every
    page, a row per item of `rows` (never split across pages), `empty` in a
    row of its own when there is none, and `footer` after the table; pages
    after the first carry their number at the top, as Nghị định 30 asks."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, LongTable, PageTemplate, TableStyle

    family = _fonts()
    styles = _styles()
    page_width, page_height = A4
    content_width = page_width - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm
    fixed = sum(c.width_mm for c in columns if c.width_mm) * mm
    flexible = [c for c in columns if not c.width_mm]
    widths = [c.width_mm * mm if c.width_mm else (content_width - fixed) / len(flexible) for c in columns]

    rooms = [w - PADDING_PT["left"] - PADDING_PT["right"] for w in widths]
    data = [[_paragraph(c.title, styles["head"]) for c in columns]]
    data.extend(
        [_cell(value, room, c.centred, styles) for value, room, c in zip(row, rooms, columns, strict=True)]
        for row in rows
    )
    commands = [
        ("GRID", (0, 0), (-1, -1), RULE_PT, "black"),
        # The font of cells without a paragraph (the empty ones): ReportLab's
        # default would put a Helvetica, not embedded, in the file.
        ("FONT", (0, 0), (-1, -1), family, CELL_PT, styles["cell"].leading),
        *(("ALIGN", (n, 0), (n, -1), "CENTER") for n, c in enumerate(columns) if c.centred),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING_PT["top"]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_PT["bottom"]),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_PT["left"]),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_PT["right"]),
    ]
    if len(data) == 1:
        data.append([_paragraph(empty, styles["cell"])] + [""] * (len(columns) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))

    def page_number(canvas, doc):
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFont(family, PAGE_NUMBER_PT)
        centre = MARGINS_MM["left"] * mm + content_width / 2
        canvas.drawCentredString(centre, page_height - (MARGINS_MM["top"] / 2) * mm - PAGE_NUMBER_PT / 3, str(doc.page))
        canvas.restoreState()

    # The frame fills the page's margins exactly (ReportLab pads frames by
    # 6 pt unless told), so the table is as wide as the text of a document.
    frame = Frame(
        MARGINS_MM["left"] * mm,
        MARGINS_MM["bottom"] * mm,
        content_width,
        page_height - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    out = io.BytesIO()
    document = BaseDocTemplate(
        out,
        pagesize=A4,
        pageTemplates=[PageTemplate(frames=[frame], onPage=page_number)],
        title=title,
        creator="CCHC Portal",
        lang="vi",
        initialFontName=family,
        initialFontSize=BODY_PT,
    )
    story = [_paragraph(text.upper() if kind == "title" else text, styles[kind]) for text, kind in heading]
    story += [table, _paragraph(footer, styles["foot"])]
    document.build(story)
    return out.getvalue()
