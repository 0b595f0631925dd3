"""Documents to HTML, PDF and DOCX.

One context feeds the paper template (the browser preview and the PDF) and
the Word builder, so the three say the same thing. The content hash is taken
over the exact HTML and stylesheet WeasyPrint receives: the same hash means
the same PDF, and the cache can trust it."""

from __future__ import annotations

import hashlib
import io

from django.template.loader import render_to_string
from django.utils import timezone

from core import printing
from core.formatting import vn_date
from core.recent import Recent

from . import issuers, richtext
from .models import DocType, Document, Section

# Bump when the templates, the stylesheet's meaning or the builders change in
# a way the HTML does not show, so cached files are rendered again.
ENGINE_VERSION = "nd30-1"
BLANK_DAY = "\u00a0" * 6


def _day_month_year(day) -> list[str]:
    # vn_date pads as Nghị định 30 asks: days 1–9 and months 1–2.
    return vn_date(day).split("/")


def place_date(document: Document) -> str:
    """'Lạng Sơn, ngày 05 tháng 02 năm 2026'; a draft leaves the day blank."""
    if document.issued_on:
        day, month, year = _day_month_year(document.issued_on)
        return f"{document.place}, ngày {day} tháng {month} năm {year}"
    _day, month, year = _day_month_year(document.dated or timezone.localdate())
    return f"{document.place}, ngày{BLANK_DAY}tháng {month} năm {year}"


def number_line(document: Document) -> str:
    if document.number:
        return f"Số: {document.number_text}/{document.symbol}"
    return f"Số:{BLANK_DAY}/{document.symbol}"


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _recipient(line: str) -> str:
    """Safe HTML of one recipient line, with its dash."""
    line = line.strip().lstrip("-").strip()
    return "- " + richtext.inline_html(line)


def appendix_reference(document: Document) -> str:
    """'(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/3/2026 của UBND tỉnh Lào Cai)'."""
    if document.issued_on:
        when = f"ngày {vn_date(document.issued_on)}"
        number = f"{document.number_text}/{document.symbol}"
    else:
        _day, month, year = _day_month_year(document.dated or timezone.localdate())
        when = f"ngày{BLANK_DAY}tháng {month} năm {year}"
        number = f"{BLANK_DAY}/{document.symbol}"
    return f"(Kèm theo {document.type_label} số {number} {when} của {document.issuer.name})"


def _appendix_parts(document: Document) -> list[str]:
    """The appendix reference around its two slots, for a document prepared
    for signing: '(Kèm theo Kế hoạch số ', '/KH-UBND ngày ', ' của …)'."""
    return [
        f"(Kèm theo {document.type_label} số ",
        f"/{document.symbol} ngày ",
        f" của {document.issuer.name})",
    ]


def _figure(section: Section) -> str:
    """A drafter's chart: SVG the portal drew from data (never user input; the
    field is not in any form)."""
    return f'<div class="doc-figure">{section.figure}</div>' if section.figure else ""


def context(document: Document, *, sections: list[Section] | None = None, addressee: str = "") -> dict:
    sections = list(document.sections.all()) if sections is None else sections
    body = [s for s in sections if s.part == Section.Part.BODY]
    appendices = [s for s in sections if s.part == Section.Part.APPENDIX]
    addressees = [addressee] if addressee else lines(document.addressees)
    many = len(appendices) > 1
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    return {
        "document": document,
        "parent_issuer": document.parent_issuer_name.strip(),
        "issuer_lines": lines(document.issuer_name),
        "number_line": number_line(document),
        "is_letter": document.doc_type == DocType.CV,
        "place_date": place_date(document),
        "type_label": document.type_label.upper(),
        "title_lines": lines(document.title),
        "decider": issuers.decider(document.issuer, lines(document.issuer_name), document.collective)
        if document.doc_type == DocType.QD
        else "",
        "addressees": addressees,
        "body": [richtext.to_html(s.text) + _figure(s) for s in body],
        "authority_lines": [line.upper() for line in lines(document.authority_lines)],
        "signer_title": document.signer_title.upper(),
        "signer_name": document.signer_name,
        "recipients": [_recipient(line) for line in lines(document.recipients)],
        "appendices": [
            {
                "label": f"PHỤ LỤC {roman[i] if i < len(roman) else i + 1}" if many else "PHỤ LỤC",
                "heading": s.heading,
                "landscape": s.landscape,
                "html": richtext.to_html(s.text) + _figure(s),
            }
            for i, s in enumerate(appendices)
        ],
        "appendix_reference": appendix_reference(document) if appendices else "",
        "appendix_parts": _appendix_parts(document) if appendices else [],
        "draft": document.is_draft,
    }


def paper_html(document: Document, **kwargs) -> str:
    return render_to_string("documents/paper.html", context(document, **kwargs))


def stylesheet_text() -> str:
    return printing.static_text("css/document.css", "css/document-print.css")


def print_html(
    document: Document, *, slots: bool = False, signed_copy: bool = False, copy_slot: bool = False, **kwargs
) -> str:
    """The HTML WeasyPrint prints. With `slots` (a document prepared for
    digital signing) the number, the date and the signature are left as
    measured empty places: see `signing_pdf`. A `signed_copy` (a personal
    copy of a digitally signed document) prints "(Đã ký)" in the
    signature's place, where the body's seal goes: see `copy_pdf`. With
    `copy_slot` the addressee's line is an empty box of its height, for
    personal copies laid out once: see documents.copies."""
    paper = render_to_string(
        "documents/paper.html",
        {**context(document, **kwargs), "slots": slots, "signed_copy": signed_copy, "copy_slot": copy_slot},
    )
    return render_to_string(
        "documents/print.html", {"paper": paper, "document": document, "verify": verify_mark(document)}
    )


def verify_mark(document: Document) -> dict | None:
    """What an issued PDF prints after its last line (never over the text):
    the verification code, the public page's address and its QR code, so
    anyone holding a copy can check it (documents.views.VerifyView)."""
    if not document.verification_code:
        return None
    import segno
    from django.conf import settings
    from django.urls import reverse

    from .verification import shown

    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("documents:verify", args=[shown(document.verification_code)])
    qr = segno.make(url, error="m").svg_inline(scale=2, border=0, omitsize=False, svgclass="doc-verify-qr")
    return {"code": shown(document.verification_code), "url": url, "qr": qr}


# The HTML whose hash a file was asked for, kept by that hash for a
# while: when the render runs in the same process (eager tasks, `make run`
# without Redis) it prints that HTML instead of building it again; a
# worker elsewhere builds it and checks its hash.
_ASKED = Recent(16)


def remember(digest: str, html: str) -> None:
    _ASKED.put(digest, html)


def asked(digest: str) -> str | None:
    return _ASKED.get(digest)


def copy_hash(base_html: str, addressee: str) -> str:
    """Key of a personal copy: the document as a whole and who it is for. The
    copy differs from the whole only in its "Kính gửi" line, so the request
    needs no rendering per addressee."""
    return content_hash("pdf", base_html + "\0kinh-gui\0" + addressee)


def content_hash(kind: str, html: str) -> str:
    digest = hashlib.sha256()
    for part in (ENGINE_VERSION, kind, stylesheet_text(), html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def layout(html: str):
    """WeasyPrint's laid-out document, with the portal's stylesheet and fonts
    prepared once per process (core.printing)."""
    return printing.render(html, stylesheet_text())


def write_pdf(html: str) -> bytes:
    return render_pdf(html)[0]


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF and its page count, from WeasyPrint's own document (no second
    parse of the PDF to count its pages)."""
    with printing.collector_paused():
        document = layout(html)
        return document.write_pdf(), len(document.pages)


# The fields of a signed document (their names are what a PDF reader's
# signature panel and form list show).
SIGNATURE_FIELD = "ChuKyNguoiKy"
BODY_FIELD = "ChuKySoCoQuan"
NUMBER_FIELD = "SoVanBan"
DATE_FIELD = "NgayBanHanh"
CSS_PX = 0.75  # WeasyPrint measures in CSS pixels (1/96 in); PDF in points (1/72 in)


def _anchor_box(page, name: str) -> tuple[float, float, float, float]:
    # WeasyPrint gives an element's border box from the page's top left in
    # CSS pixels; a PDF box counts from the bottom left in points.
    x1, y1, x2, y2 = page.anchors[name]
    height = page.height * CSS_PX
    return (x1 * CSS_PX, height - y2 * CSS_PX, x2 * CSS_PX, height - y1 * CSS_PX)


def signing_pdf(document: Document) -> tuple[bytes, dict]:
    """The document printed for digital signing, and where its fields go:
    {"signature": {"page", "box"}, "slots": [TextSlot as JSON…]}. Number and
    date (on the first page, and in each appendix's reference line) are
    filled at the body's signing; sizes and styles as document.css prints
    those lines."""
    from .signing import TextSlot

    rendered = layout(print_html(document, slots=True))
    signature, slots = None, []
    for index, page in enumerate(rendered.pages):
        for name in page.anchors:
            if not name.startswith("slot-"):
                continue
            box = _anchor_box(page, name)
            if name == "slot-chu-ky":
                signature = {"page": index, "box": list(box)}
            elif name == "slot-so":
                slots.append(TextSlot(NUMBER_FIELD, index, box, size=13, align="right"))
            elif name == "slot-ngay":
                slots.append(TextSlot(DATE_FIELD, index, box, size=14, italic=True))
            elif name.startswith("slot-so-pl"):
                slots.append(TextSlot(f"{NUMBER_FIELD}_PL{name[10:]}", index, box, size=14, italic=True, align="right"))
            elif name.startswith("slot-ngay-pl"):
                slots.append(TextSlot(f"{DATE_FIELD}_PL{name[12:]}", index, box, size=14, italic=True))
    if signature is None:
        raise ValueError("the signature's place was not printed")
    return rendered.write_pdf(), {"signature": signature, "slots": [slot.as_json() for slot in slots]}


def copy_pdf(document: Document, addressee: str) -> tuple[bytes, dict]:
    """A personal copy of a digitally signed document, and where its
    signature's place is ({"page", "box"}) for the body's seal."""
    rendered = layout(print_html(document, addressee=addressee, signed_copy=True))
    for index, page in enumerate(rendered.pages):
        if "slot-chu-ky" in page.anchors:
            return rendered.write_pdf(), {"page": index, "box": list(_anchor_box(page, "slot-chu-ky"))}
    raise ValueError("the signature's place was not printed")


def slot_values(document: Document, layout: dict) -> dict[str, str]:
    """What each slot of `layout` says once `document` is numbered and dated."""
    day, month, year = _day_month_year(document.issued_on)
    values = {}
    for slot in layout["slots"]:
        name = slot["name"]
        if name.startswith(NUMBER_FIELD):
            values[name] = document.number_text
        elif name == DATE_FIELD:
            values[name] = f"ngày {day} tháng {month} năm {year}"
        elif name.startswith(DATE_FIELD):
            values[name] = vn_date(document.issued_on)
    return values


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
