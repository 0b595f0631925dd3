"""The document as a Word file (python-docx) for offices that finish it in
Word: the same context as the PDF, the same page, fonts and structure."""

from __future__ import annotations

import io

import cairosvg
from docx import Document as Docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from . import richtext
from .models import Document, Section
from .rendering import context, lines

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def _font(run, size=None, bold=None, italic=None):
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


# The stylesheet's line height (document.css: line-height 1.25), as an exact
# height: Word's "multiple" spacing depends on the font's own metrics and
# would run the text longer than the PDF.
LINE = 1.25


def _para(container, text="", *, size=14, bold=False, italic=False, align=CENTER, after=0, line=LINE):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(size * line)
    if text:
        _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _rule(container, indent_cm: float):
    """A short centred line: an empty paragraph with a bottom border, narrowed by indents."""
    paragraph = _para(container, size=4)
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.space_after = Pt(4)
    return paragraph


def _no_borders(table):
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)
    # No cell padding, as the stylesheet's (padding: 0): the default margins
    # would wrap the national motto.
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def _fixed_columns(table, *widths):
    """Columns of these widths in every reader: Word reads the cells' widths,
    LibreOffice the table's grid, so both are set (the motto then stays on
    one line beside the issuer)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _unbreakable(table):
    """Rows kept whole on one page: the signature with its Nơi nhận."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))


def _page_number(section):
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = _font(paragraph.add_run(), 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _runs(paragraph, runs, size=14):
    for run in runs:
        _font(paragraph.add_run(run.text), size, run.bold or None, run.italic or None)


CHAR_CM = 0.22  # an average character of 13 pt Times, with the cell's margins in the count


def _column_widths(block, total_cm: float) -> list:
    """Widths as the PDF's automatic table layout gives them: every column at
    least as wide as its longest word (a figure such as "100,00" never
    breaks), what is left shared after each column's longest text."""
    columns = max(len(cells) for _, cells in block.rows)
    least, wanted = [3] * columns, [3] * columns
    for _, cells in block.rows:
        for i, runs in enumerate(cells):
            text = "".join(r.text for r in runs)
            least[i] = max(least[i], max((len(word) for word in text.split()), default=0) + 3)
            wanted[i] = max(wanted[i], least[i], min(40, len(text) + 2))
    if sum(wanted) * CHAR_CM <= total_cm or sum(least) * CHAR_CM >= total_cm:
        chosen = wanted if sum(wanted) * CHAR_CM <= total_cm else least
        return [Cm(total_cm * n / sum(chosen)) for n in chosen]
    spare = total_cm - sum(least) * CHAR_CM
    extra = [w - n for w, n in zip(wanted, least, strict=True)]
    return [Cm(n * CHAR_CM + spare * e / sum(extra)) for n, e in zip(least, extra, strict=True)]


def _blocks(container_doc, text: str, *, size=14, justify=True, width_cm=16.5):
    for block in richtext.to_blocks(text):
        if block.kind == "table":
            widths = _column_widths(block, width_cm)
            table = container_doc.add_table(rows=0, cols=len(widths))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for header, cells in block.rows:
                row = table.add_row().cells
                for cell, runs in zip(row, cells, strict=False):
                    paragraph = cell.paragraphs[0]
                    paragraph.alignment = CENTER if header else WD_ALIGN_PARAGRAPH.LEFT
                    paragraph.paragraph_format.line_spacing = Pt(13 * LINE)
                    _runs(paragraph, [richtext.Run(r.text, r.bold or header, r.italic) for r in runs], 13)
            _fixed_columns(table, *widths)
            continue
        if richtext.enacting(block):
            paragraph = _para(container_doc, after=6)
            paragraph.paragraph_format.keep_with_next = True
            _runs(paragraph, block.runs, size)
            continue
        paragraph = _para(
            container_doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY if justify else WD_ALIGN_PARAGRAPH.LEFT, after=6
        )
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.line_spacing = Pt(size * LINE)
        paragraph.paragraph_format.keep_with_next = richtext.heading(block)
        if block.kind == "li":
            _font(paragraph.add_run(f"{block.mark} "), size)
        _runs(paragraph, block.runs, size)


def _figure(out, section: Section, width_cm: float) -> None:
    """A drafter's chart after its section's text, as the PDF prints it: the
    SVG drawn to a PNG at print resolution (Word and LibreOffice both read it)."""
    if not section.figure:
        return
    png = cairosvg.svg2png(bytestring=section.figure.encode("utf-8"), dpi=200, scale=2)
    paragraph = _para(out, after=6)
    paragraph.paragraph_format.keep_together = True
    paragraph.paragraph_format.line_spacing = 1.0  # as tall as the picture, not one line of text
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))


def build(document: Document, *, addressee: str = "") -> bytes:
    ctx = context(document, addressee=addressee)
    sections = list(document.sections.all())
    out = Docx()
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.line_spacing = Pt(14 * LINE)
    normal.paragraph_format.space_after = Pt(0)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    page = out.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    page.header_distance = Mm(10)
    _page_number(page)

    head = out.add_table(rows=1, cols=2)
    _no_borders(head)
    _fixed_columns(head, Cm(6.6), Cm(9.9))
    left, right = head.rows[0].cells
    left.paragraphs[0].alignment = CENTER
    if ctx["parent_issuer"]:
        _font(left.paragraphs[0].add_run(ctx["parent_issuer"].upper()), 13)
        issuer_paragraph = _para(left, size=13)
    else:
        issuer_paragraph = left.paragraphs[0]
    for index, line in enumerate(ctx["issuer_lines"]):
        if index:
            issuer_paragraph.add_run().add_break()
        _font(issuer_paragraph.add_run(line.upper()), 13, True)
    _rule(left, 2.0)
    _para(left, ctx["number_line"], size=13)
    if ctx["is_letter"] and ctx["title_lines"]:
        _para(left, "V/v " + " ".join(ctx["title_lines"]), size=12)
    right.paragraphs[0].alignment = CENTER
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 13, True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    _rule(right, 2.2)
    place_date = _para(right, ctx["place_date"].replace("\u00a0", " "), size=14, italic=True)
    place_date.paragraph_format.space_before = Pt(10)  # .doc-place-date

    if not ctx["is_letter"]:
        _para(out, "", size=16)  # .doc-type's 20pt above
        _para(out, ctx["type_label"], size=14, bold=True)
        for line in ctx["title_lines"]:
            _para(out, line, size=14, bold=True)
        if ctx["title_lines"]:
            _rule(out, 6.0)
        if ctx["decider"]:
            _para(out, ctx["decider"], size=14, bold=True)
    if ctx["addressees"]:
        if len(ctx["addressees"]) == 1:
            paragraph = _para(out, after=6)
            _font(paragraph.add_run("Kính gửi: "), 14)
            _font(paragraph.add_run(ctx["addressees"][0]), 14)
        else:
            _para(out, "Kính gửi:", size=14, after=0)
            for line in ctx["addressees"]:
                paragraph = _para(out, "- " + line, size=14, align=WD_ALIGN_PARAGRAPH.LEFT)
                paragraph.paragraph_format.left_indent = Cm(6)
    for section in sections:
        if section.part == Section.Part.BODY:
            _blocks(out, section.text)
            _figure(out, section, 16.0)

    if out.paragraphs:
        # The text's last lines go over with the signature (document.css:
        # .doc-body > :last-child), never a signature alone on a page.
        out.paragraphs[-1].paragraph_format.keep_with_next = True
        out.paragraphs[-1].paragraph_format.keep_together = True
    foot = out.add_table(rows=1, cols=2)
    _no_borders(foot)
    _fixed_columns(foot, Cm(8.25), Cm(8.25))
    _unbreakable(foot)
    recipients, signature = foot.rows[0].cells
    recipients.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    if ctx["recipients"]:
        _font(recipients.paragraphs[0].add_run("Nơi nhận:"), 12, True, True)
        for line in lines(document.recipients):
            paragraph = _para(recipients, "- ", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, line=1.15)
            _runs(paragraph, richtext.inline_runs(line.lstrip("-").strip()), 11)
    signature.paragraphs[0].alignment = CENTER
    signature_lines = ctx["authority_lines"] + ([ctx["signer_title"]] if ctx["signer_title"] else [])
    for index, line in enumerate(signature_lines):
        paragraph = signature.paragraphs[0] if index == 0 else _para(signature)
        _font(paragraph.add_run(line), 14, True)
    space = _para(signature)
    space.paragraph_format.line_spacing = Mm(28)  # .doc-sign-space
    _para(signature, ctx["signer_name"], size=14, bold=True)

    for appendix, section in zip(
        ctx["appendices"], [s for s in sections if s.part == Section.Part.APPENDIX], strict=True
    ):
        new = out.add_section(WD_SECTION.NEW_PAGE)
        if appendix["landscape"]:
            new.orientation = WD_ORIENT.LANDSCAPE
            new.page_width, new.page_height = Mm(297), Mm(210)
        _para(out, appendix["label"], size=14, bold=True)
        if appendix["heading"]:
            _para(out, appendix["heading"], size=14, bold=True)
        _para(out, ctx["appendix_reference"].replace("\u00a0", " "), size=14, italic=True)
        _rule(out, 6.0)
        width = 25.7 if appendix["landscape"] else 16.5
        _blocks(out, section.text, size=13, width_cm=width)
        _figure(out, section, min(width, 16.0))

    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
