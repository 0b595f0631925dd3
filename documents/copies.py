"""Personal copies laid out once. The copies of an invitation differ in one
line, "Kính gửi: …", so WeasyPrint lays the document out once with that line
kept as an empty box of the height one line takes (its text hidden), and
once more all the addressees' lines together, each in a box as wide as the
one on the page and with the document's own style. A copy is then the
document with its addressee's line drawn into the box: the same glyphs at
the same places as WeasyPrint puts them in a full render of that copy, in a
font embedded with its text, so the copy reads and searches as one.

An addressee whose line does not take the box's height (a name that wraps)
gets no sheet entry: its copy is rendered whole (documents.services.files).

The copy's PDF is the document's PDF with an incremental update (ISO 32000
§7.5.6) adding the line's fonts and drawing: pypdf writes that update once,
with a placeholder stream as long as the longest line's drawing, and each
copy is the same bytes with its own drawing in the placeholder's place,
padded with spaces (white space in a content stream), so every offset of the
cross-reference table stays true. pypdf's own incremental writer clones the
whole document first (some 60 ms a copy, more than laying it out again)."""

from __future__ import annotations

import html as html_escape
import io
import secrets
from dataclasses import dataclass

from .models import Document

SLOT = "slot-kinh-gui"
TEXT_STATE = {b"Tf", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Tr"}
COLOUR = {b"g", b"rg", b"k", b"cs", b"sc", b"scn"}
# Painting other than text (an underline, a border, an image): a line that
# draws any is not one this module can move, and every copy is rendered whole.
PAINTING = {b"re", b"m", b"l", b"c", b"f", b"f*", b"S", b"B", b"b", b"Do", b"sh"}


class NotText(Exception):
    """The addressee's line paints more than text."""


FONT_PREFIX = "/KG"
# A box's height and its line's, in CSS pixels: equal, or the line wraps.
SAME_HEIGHT = 0.01


@dataclass(frozen=True)
class CopySheet:
    """Everything a copy needs: the document's PDF before and after the
    placeholder, the placeholder's length, and each addressee's drawing."""

    head: bytes
    tail: bytes
    room: int
    drawings: dict[str, bytes]
    pages: int
    page_index: int  # the page the line is on

    def pdf(self, addressee: str) -> bytes | None:
        """The addressee's copy, or None if its line needs a full render."""
        drawing = self.drawings.get(addressee)
        if drawing is None:
            return None
        return self.head + drawing.ljust(self.room, b" ") + self.tail

    def drawing_of(self, data: bytes) -> bytes | None:
        """The drawing that made `data`, if it is a copy from this sheet."""
        middle = len(data) - len(self.head) - len(self.tail)
        if middle != self.room or not (data.startswith(self.head) and data.endswith(self.tail)):
            return None
        return data[len(self.head) : len(self.head) + self.room]


def merge(parts: list[bytes], sheet: CopySheet | None = None) -> bytes:
    """One PDF of the copies `parts` in order. Those made from `sheet` are its pages
    again, sharing their fonts and images, each with its own line; any
    other is appended whole. (Appending every copy whole repeats the fonts
    200 times: eight times the size and ten times the time.)"""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    writer = PdfWriter()
    pages = None
    for data in parts:
        drawing = sheet.drawing_of(data) if sheet is not None else None
        if drawing is None:
            writer.append(io.BytesIO(data))
            continue
        if pages is None:
            pages = PdfReader(io.BytesIO(data)).pages
        for number, page in enumerate(pages):
            added = writer.add_page(page)
            if number == sheet.page_index:
                line = DecodedStreamObject()
                line.set_data(drawing)
                contents = list(added["/Contents"])
                added[NameObject("/Contents")] = ArrayObject([*contents[:-1], writer._add_object(line)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp_html(width: float, labels: list[str]) -> str:
    # Each line as the document prints it (paper.html's .doc-to), as wide as
    # the page's box; the page has no margin and no running header.
    lines = "".join(
        f'<div class="doc-to"><p id="kg-{i}"><span class="doc-to-label">Kính gửi:</span> '
        f"{html_escape.escape(label)}</p></div>"
        for i, label in enumerate(labels)
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>'
        f"@page {{ size: {width:.4f}px 3000px; margin: 0; @top-center {{ content: none; }} }}"
        ".doc-to { margin: 0; } .doc-to p { break-inside: avoid; }"
        f'</style></head><body><article class="doc">{lines}</article></body></html>'
    )


def _runs(page, reader) -> list[tuple[float, list]]:
    """The page's text as runs, each one positioning (Tm) and what it draws,
    with the text state and colour in force prefixed so a run stands alone;
    keyed by its baseline (CSS pixels from the top, as WeasyPrint writes)."""
    from pypdf.generic import ContentStream

    runs: list[tuple[float, list]] = []
    state: dict[bytes, list] = {}
    colour: list = []
    current = None
    in_text = False
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"BT":
            in_text = True
        elif operator == b"ET":
            in_text, current = False, None
        elif not in_text:
            if operator in COLOUR:
                colour = [(operands, operator)]
            elif operator in PAINTING:
                raise NotText(operator)
        elif operator == b"Tm":
            current = [*colour, *((v, k) for k, v in state.items()), (operands, operator)]
            runs.append((float(operands[5]), current))
        elif operator in TEXT_STATE:
            state[operator] = operands
            if current is not None:
                current.append((operands, operator))
        elif current is not None:
            current.append((operands, operator))
    return runs


def _drawing(runs: list, shift: tuple[float, float], page_height: float) -> bytes:
    """A content stream drawing `runs` moved by `shift` (CSS pixels) on a page
    `page_height` CSS pixels high, fonts renamed to the copy's."""
    from pypdf.generic import ContentStream, FloatObject, NameObject

    def numbers(*values):
        return [FloatObject(v) for v in values]

    stream = ContentStream(None, None)
    operations = [
        ([], b"q"),
        # WeasyPrint's own frame: CSS pixels from the top left.
        (numbers(1, 0, 0, -1, 0, page_height * 0.75), b"cm"),
        (numbers(0.75, 0, 0, 0.75, 0, 0), b"cm"),
        (numbers(1, 0, 0, 1, *shift), b"cm"),
    ]
    for run in runs:
        colour = [(o, k) for o, k in run if k in COLOUR]
        operations += colour + [([], b"BT")]
        for operands, operator in run:
            if operator == b"Tf":
                operands = [NameObject(FONT_PREFIX + operands[0][1:]), operands[1]]
            if operator not in COLOUR:
                operations.append((operands, operator))
        operations.append(([], b"ET"))
    operations.append(([], b"Q"))
    stream.operations = operations
    return stream.get_data()


def copy_sheet(document: Document, labels: list[str]) -> CopySheet | None:
    """The sheet for `labels`' copies of `document`, or None when the
    document has no addressee line to share (every copy is then rendered
    whole)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    from . import rendering

    base = rendering.layout(rendering.print_html(document, addressee=" ", copy_slot=True))
    found = [(i, page) for i, page in enumerate(base.pages) if SLOT in page.anchors]
    if not found:
        return None
    page_index, base_page = found[0]
    x1, y1, x2, y2 = base_page.anchors[SLOT]

    labels = list(dict.fromkeys(labels))
    stamp = rendering.layout(_stamp_html(x2 - x1, labels))
    stamp_reader = PdfReader(io.BytesIO(stamp.write_pdf()))
    drawings: dict[str, bytes] = {}
    font_pages = set()
    for number, page in enumerate(stamp.pages):
        runs = None
        for i, label in enumerate(labels):
            box = page.anchors.get(f"kg-{i}")
            if box is None or abs((box[3] - box[1]) - (y2 - y1)) > SAME_HEIGHT:
                continue  # on another page, or it wraps: a full render
            if runs is None:
                try:
                    runs = _runs(stamp_reader.pages[number], stamp_reader)
                except NotText:
                    return None
            mine = [run for baseline, run in runs if box[1] <= baseline < box[3]]
            drawings[label] = _drawing(mine, (x1 - box[0], y1 - box[1]), base_page.height)
            font_pages.add(number)
    if not drawings:
        return None

    # The update: the lines' fonts beside the page's own, and the page's
    # drawing wrapped (q … Q) so the line starts from a clean graphics state.
    writer = PdfWriter(io.BytesIO(base.write_pdf()), incremental=True)
    page = writer.pages[page_index]
    resources = page["/Resources"].get_object()
    font_dict = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    for number in sorted(font_pages):
        for name, font in stamp_reader.pages[number]["/Resources"]["/Font"].get_object().items():
            key = NameObject(FONT_PREFIX + name[1:])
            if key not in font_dict:
                font_dict[key] = font.get_object().clone(writer).indirect_reference

    def stream(data: bytes):
        part = DecodedStreamObject()
        part.set_data(data)
        return writer._add_object(part)

    room = max(len(d) for d in drawings.values())
    marker = b"%" + secrets.token_hex(16).encode()
    contents = page.raw_get("/Contents")  # the reference(s): a stream is never inline
    old = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [stream(b"q\n"), *old, stream(b"\nQ\n"), stream(marker.ljust(room, b" "))]
    )
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    at = data.find(marker)
    if at < 0 or data.find(marker, at + 1) >= 0:
        return None  # the writer changed the placeholder: no shortcut
    return CopySheet(
        head=data[:at],
        tail=data[at + room :],
        room=room,
        drawings=drawings,
        pages=len(base.pages),
        page_index=page_index,
    )
