"""The conference booklet ("Tài liệu Hội nghị"): a cover, a table of
contents with page numbers, then the accepted presentations in programme
order; and a zip of the originals named by agency."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename
from pypdf import PdfReader, PdfWriter

from core.uploads import pdf_strip_actions

from . import conversion
from .models import FileType, Presentation

ENGINE = "booklet-2"


def content_hash(conference, presentations: list[Presentation]) -> str:
    """What the booklet is made of: the accepted files, their order and the
    cover's words. Whether Office files could be converted is recorded on
    the row instead: the web and the worker machines may differ."""
    parts = [
        ENGINE,
        conference.title,
        str(conference.date),
        [(p.pk, p.current_version.sha256, p.assignment.topic, p.agency.name) for p in presentations],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass
class Entry:
    presentation: Presentation
    pdf: bytes | None = None
    pages: int = 0
    start: int | None = None
    note: str = ""


def entry_pdf(presentation: Presentation, data: bytes) -> tuple[bytes | None, str]:
    """The PDF to bind for one presentation, or None with the reason."""
    version = presentation.current_version
    if version.file_type == FileType.PDF:
        return data, ""
    if not conversion.available():
        return None, "no-converter"
    converted = conversion.to_pdf(data, version.file_type)
    return (converted, "") if converted else (None, "failed")


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _front_html(conference, entries: list[Entry], *, offset: int) -> str:
    return render_to_string(
        "submissions/booklet_front.html",
        {
            "conference": conference,
            "entries": entries,
            "offset": offset,
            "when": _month(conference.date or timezone.localdate()),
            "stylesheet": _stylesheet(),
        },
    )


def _month(day) -> str:
    # A cover reads "Lào Cai, tháng 3 năm 2026", as printed booklets do.
    return f"tháng {day.month} năm {day.year}"


def _stylesheet() -> str:
    with open(finders.find("css/booklet.css"), encoding="utf-8") as handle:
        return handle.read()


def _render(html: str) -> bytes:
    return _layout(html).write_pdf()


def _layout(html: str):
    """WeasyPrint's laid-out document: its pages are counted without
    writing (and parsing back) a PDF."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).render()


# The contents' length settles on the second pass (its entries are fixed; only
# the start pages change, and with them at most a line's width); the bound is
# there so a contents page that flips between two lengths cannot loop forever.
FRONT_PASSES = 4


def front_matter(conference, entries: list[Entry]) -> bytes:
    """Cover and contents. The contents' own length moves every start page,
    so it is laid out until the page count stops changing: once when the
    cover and contents fill the two pages first assumed, else twice, at most
    FRONT_PASSES times. Only the last pass is written as a PDF."""
    front_pages = 2
    for _attempt in range(FRONT_PASSES):
        page = front_pages + 1
        for entry in entries:
            entry.start = page if entry.pdf else None
            page += entry.pages
        document = _layout(_front_html(conference, entries, offset=front_pages))
        pages = len(document.pages)
        if pages == front_pages:
            break
        front_pages = pages
    return document.write_pdf()


def bind(conference, entries: list[Entry]) -> tuple[bytes, int]:
    front = front_matter(conference, entries)
    writer = PdfWriter()
    # Only our own bookmarks: one per presentation, not each file's headings.
    writer.append(io.BytesIO(front), import_outline=False)
    writer.add_outline_item(title="Bìa và mục lục", page_number=0)
    for index, entry in enumerate(entries, start=1):
        if not entry.pdf:
            continue
        start = len(writer.pages)
        writer.append(io.BytesIO(entry.pdf), import_outline=False)
        writer.add_outline_item(title=f"{index}. {entry.presentation.agency.name}", page_number=start)
    # Uploads are inspected, but a file stored before that may still act when opened.
    pdf_strip_actions(writer)
    number_pages(writer)
    writer.add_metadata({"/Title": f"Tài liệu {conference.title}", "/Producer": "CCHC Portal"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def number_pages(writer: PdfWriter) -> None:
    """Print the page number the contents cite at the foot of every page but
    the cover. The numbers are laid out by WeasyPrint on pages of each
    page's own size (a converted slide is not A4), then stamped on."""
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in writer.pages]
    kinds = {size: index for index, size in enumerate(dict.fromkeys(sizes))}
    css = "".join(
        f"@page s{k} {{ size: {w:.2f}pt {h:.2f}pt; margin: 0 }} .s{k} {{ page: s{k}; height: {h:.2f}pt }}"
        for (w, h), k in kinds.items()
    )
    body = "".join(
        f'<div class="s{kinds[size]}"><span>{number}</span></div>' for number, size in enumerate(sizes[1:], start=2)
    )
    html = (
        f"<html><head><style>{css} div {{ position: relative; break-after: page }} span {{ position: absolute; "
        f"bottom: 10mm; left: 0; right: 0; text-align: center; font: 11pt 'Liberation Serif', 'Tinos', serif }}"
        f"</style></head><body>{body}</body></html>"
    )
    overlay = PdfReader(io.BytesIO(_render(html)))
    for page, stamp in zip(writer.pages[1:], overlay.pages, strict=True):
        page.merge_page(stamp)


def originals_zip(entries: list[tuple[Presentation, bytes]]) -> bytes:
    """The accepted originals, named "01 - Sở Tư pháp - <their own name>"."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (presentation, data) in enumerate(entries, start=1):
            version = presentation.current_version
            agency = get_valid_filename(presentation.agency.name.replace(" ", "_")).replace("_", " ")
            archive.writestr(f"{index:02d} - {agency} - {version.original_name}", data)
    return out.getvalue()
