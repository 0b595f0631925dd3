"""The Word file keeps the PDF's layout: each demo document's DOCX is
converted by LibreOffice without a screen and its pages compared with the
PDF's, line breaks and page breaks alike, up to the signature."""

from __future__ import annotations

import collections
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command

from documents import docx_export, rendering
from documents.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice missing")]

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def pages(data: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_text() or "").splitlines() for page in pdf.pages]


def libreoffice_pdf(docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "van-ban.docx"
        source.write_bytes(docx)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf"]
            + ["--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(folder) / "van-ban.pdf").read_bytes()


def overlap(a: list[str], b: list[str]) -> float:
    words_a, words_b = collections.Counter(" ".join(a).split()), collections.Counter(" ".join(b).split())
    return sum((words_a & words_b).values()) / max(sum(words_a.values()), sum(words_b.values()), 1)


def signature_page(document: Document, layout: list[list[str]]) -> int:
    return next(i for i, lines in enumerate(layout) if any(document.signer_name in line for line in lines))


def test_the_word_file_breaks_lines_and_pages_as_the_pdf_does():
    call_command("seed_demo", stdout=io.StringIO())
    documents = list(Document.objects.exclude(signer_name=""))
    assert len(documents) >= 4
    for document in documents:
        pdf = pages(rendering.write_pdf(rendering.print_html(document)))
        word = pages(libreoffice_pdf(docx_export.build(document)))
        assert any(MOTTO in line for line in word[0]), (document.purpose, word[0][:4])  # on one line
        last = signature_page(document, pdf)
        assert signature_page(document, word) == last, document.purpose
        for number in range(last + 1):
            share = overlap(pdf[number], word[number])
            assert share >= 0.95, (document.purpose, number + 1, f"{share:.0%}", pdf[number][-1], word[number][-1])
        # The signature and Nơi nhận stay together on the last page of the text.
        assert any("Nơi nhận" in line for line in word[last]), document.purpose
