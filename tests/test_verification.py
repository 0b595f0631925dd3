"""The public page an issued copy's verification code opens: what the
register holds (number, date, issuer, signer, the PDF's SHA-256) and
whether the document is in force, revoked or replaced; for anyone, with
the code as printed or as a person types it; a draft or a wrong code opens
nothing."""

from __future__ import annotations

import io
import subprocess

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from documents import services, verification
from documents.models import Document

from .test_documents import committed, committee, communes, conference, invitation, ready  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_codes_are_read_as_people_type_them():
    code = verification.new_code()
    assert len(code) == 10 and set(code) <= set(verification.ALPHABET)
    assert verification.normalise("7kq2m-9xd3f") == verification.normalise("7KQ2M 9XD3F") == "7KQ2M9XD3F"
    assert verification.normalise("O1L-I") == "0111"  # O read as zero, I and L as one
    assert verification.shown("7KQ2M9XD3F") == "7KQ2M-9XD3F"


def test_an_issued_document_is_verified_by_anyone_and_a_revoked_one_says_so(invitation, organiser):  # noqa: F811
    assert invitation.verification_code is None  # a draft has none
    document = services.issue(actor=organiser, document=invitation)
    document.refresh_from_db()
    code = document.verification_code
    assert len(code) == 10
    anyone = Client()
    page = anyone.get(f"/xac-minh/{verification.shown(code).lower()}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Văn bản đang có hiệu lực" in html and document.symbol_display in html
    assert document.issuer.name in html
    assert document.title not in html  # the page shows what identifies it, not its content
    typed = anyone.get("/xac-minh/", {"ma": verification.shown(code)})
    assert typed.status_code == 302 and typed["Location"] == f"/xac-minh/{code}/"
    services.revoke(actor=organiser, document=document, reason="Sai thành phần mời")
    html = anyone.get(f"/xac-minh/{code}/").content.decode()
    assert "Văn bản đã bị thu hồi" in html and "không còn hiệu lực" in html
    assert "Sai thành phần mời" not in html  # the reason stays inside the office


def test_a_replaced_document_names_its_replacement(invitation, organiser):  # noqa: F811
    document = services.issue(actor=organiser, document=invitation)
    replacement = ready(services.replacement_create(actor=organiser, document=document))
    services.issue(actor=organiser, document=replacement)
    replacement.refresh_from_db()
    document.refresh_from_db()
    html = Client().get(f"/xac-minh/{document.verification_code}/").content.decode()
    assert f"thay thế bằng văn bản số {replacement.symbol_display}" in html


def test_a_wrong_code_or_a_draft_opens_nothing(invitation):  # noqa: F811
    Document.objects.filter(pk=invitation.pk).update(verification_code="ABCDE12345")  # a draft with a code
    for code in ("ABCDE12345", "ZZZZZ-ZZZZZ", "short"):
        page = Client().get(f"/xac-minh/{code}/")
        assert page.status_code == 404
        assert "Không có văn bản nào mang mã xác minh" in page.content.decode()


def test_the_issued_pdf_prints_its_code_address_and_qr_after_its_last_line(invitation, organiser, committed, tmp_path):  # noqa: F811
    document = committed(services.issue, actor=organiser, document=invitation)
    document.refresh_from_db()
    row = document.issued_file
    row.refresh_from_db()
    reader = PdfReader(io.BytesIO(row.file.read()))
    last = " ".join(reader.pages[-1].extract_text().split())
    shown = verification.shown(document.verification_code)
    assert f"Mã xác minh: {shown}" in last
    assert f"/xac-minh/{shown}/" in last
    # After everything else on the page: the signature block and "Nơi nhận" come first.
    assert last.index("Nơi nhận") < last.index("Mã xác minh")
    from documents import rendering

    # The QR code, read back from the page as a phone's camera would see it.
    (tmp_path / "issued.pdf").write_bytes(row.file.open("rb").read())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", str(len(reader.pages)), "issued.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    codes = [found.text for found in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
    assert codes == [settings.PORTAL_BASE_URL.rstrip("/") + f"/xac-minh/{shown}/"]

    assert "doc-verify" not in rendering.paper_html(document)  # the on-screen preview and the Word copy have none
