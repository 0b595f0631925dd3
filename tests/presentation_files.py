"""Files for upload tests, made in the test: real PDFs, Word and OpenDocument
files, and the bad ones an upload must refuse."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def pdf_bytes(marker: str = "", pages: int = 1) -> bytes:
    """A PDF whose every page carries `marker` as text (WeasyPrint), or blank pages."""
    if marker:
        from weasyprint import HTML

        body = (
            "".join(f'<p style="break-after: page">{marker} trang {n}</p>' for n in range(1, pages))
            + f"<p>{marker} trang {pages}</p>"
        )
        return HTML(string=f'<html><body style="font-family: Liberation Serif">{body}</body></html>').write_pdf()
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = "Tham luận") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _ooxml(main_type: str, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'content-types"><Override PartName="/main.xml" ContentType="{main_type}"/></Types>'
            ),
        )
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def pptx_bytes() -> bytes:
    return _ooxml(PPTX_MAIN, {"ppt/presentation.xml": b"<p:presentation/>"})


def docm_bytes() -> bytes:
    return _ooxml(DOCM_MAIN, {"word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\x00" * 64})


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bomb_docx(unpacked_mb: int = 150) -> bytes:
    """A .docx whose one part expands to `unpacked_mb` MB of zeros (about 150 kB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{DOCX_MAIN}"/></Types>')
        with archive.open("word/document.xml", "w") as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
