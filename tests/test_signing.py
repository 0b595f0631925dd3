"""documents.signing with real cryptography: a CA built by code (tests/pki.py),
the body's key on a SoftHSM2 token (tests/softhsm.py), the person's in a
PKCS#12 file, a PDF rendered by WeasyPrint, and the results read back with
pyHanko, pypdf and poppler's pdfsig."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
import weasyprint
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pypdf import PdfReader
from pypdf.generic import ContentStream

from demo.signing import seal_image, signature_image
from documents import signing

from .pki import PKCS12_PASSPHRASE, Party, authority
from .softhsm import call_with_token, softhsm_token, unavailable_reason

BODY = "Sở Nội vụ tỉnh Lạng Sơn"
SIGNATURE_BOX = (330.0, 420.0, 530.0, 500.0)  # page 2, between "GIÁM ĐỐC" and the name
SEAL_MM = 36.0
SIGNED_AT = datetime(2026, 3, 5, 7, 30, 7, 250_000, tzinfo=signing.VIETNAM_TZ)
CHANGED = "Văn bản đã bị sửa sau khi ký"

PAGES = """
<html lang="vi"><head><style>
  @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
  body { font-family: "Liberation Serif", "Tinos", serif; font-size: 13pt; }
  .sign { position: absolute; left: 110mm; width: 75mm; text-align: center; }
</style></head><body>
  <h1>QUYẾT ĐỊNH</h1><p>Về việc công nhận kết quả chấm điểm Chỉ số cải cách hành chính.</p>
  <p style="page-break-before: always">Điều 2. Quyết định này có hiệu lực kể từ ngày ký.</p>
  <div class="sign" style="top: 90mm"><b>GIÁM ĐỐC</b></div>
  <div class="sign" style="top: 125mm"><b>Nguyễn Văn An</b></div>
</body></html>
"""


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _scribble() -> bytes:
    return signature_image("Nguyễn Văn An")


def _seal() -> bytes:
    return seal_image()


def _p12_signer(party: Party):
    return signing.signer_from_pkcs12(authority().pkcs12(party), PKCS12_PASSPHRASE)


@pytest.fixture(scope="module")
def pki():
    return authority()


@pytest.fixture(scope="module")
def trust(pki):
    return signing.Trust(trust_roots=(pki.root.cert,), intermediates=(pki.intermediate.cert,), crls=pki.crls_der)


def _validate(pdf: bytes):
    pki = authority()
    return signing.validate(pdf, trust_roots=[pki.root.cert], intermediates=[pki.intermediate.cert], crls=pki.crls_der)


@pytest.fixture(scope="module")
def source_pdf():
    return weasyprint.HTML(string=PAGES).write_pdf()


@pytest.fixture(scope="module")
def token(pki, tmp_path_factory):
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with softhsm_token(
        tmp_path_factory.mktemp("softhsm"), key_pem=pki.body.key_pkcs8_pem, cert_der=pki.body.cert_der
    ) as token:
        yield token


@pytest.fixture(scope="module")
def signed(pki, source_pdf, token):
    """The document signed by the person (PKCS#12), then sealed by the body (token)."""
    person = signing.sign_person(
        source_pdf,
        signer=_p12_signer(pki.signer),
        image_png=_scribble(),
        box=SIGNATURE_BOX,
        page=1,
        field_name="Sig_NguoiKy",
        name="Nguyễn Văn An",
        reason="Ký ban hành",
        signed_at=SIGNED_AT,
    )
    sealed, _seconds = call_with_token(
        token,
        "documents.signing:seal_body",
        ca_chain=(pki.intermediate.cert_der, pki.root.cert_der),
        pdf=person,
        seal_png=_seal(),
        box=signing.seal_box(SIGNATURE_BOX, diameter_mm=SEAL_MM),
        page=1,
        field_name="Sig_CoQuan",
        body_name=BODY,
        signed_at=SIGNED_AT,
    )
    return sealed


# -- reading back what was drawn -------------------------------------------


def _widgets(pdf: bytes) -> dict[str, tuple[int, list[float], object]]:
    found = {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Widget" and annot.get("/FT") == "/Sig":
                found[str(annot["/T"])] = (number, [float(v) for v in annot["/Rect"]], annot["/AP"]["/N"].get_object())
    return found


def _xobjects(form) -> list:
    """Every XObject nested in a form XObject's resources, depth first."""
    resources = form.get("/Resources")
    found = []
    for ref in ((resources.get_object() if resources else {}).get("/XObject") or {}).values():
        obj = ref.get_object()
        found.append(obj)
        if obj.get("/Subtype") == "/Form":
            found.extend(_xobjects(obj))
    return found


def _fonts(form) -> list:
    found = []
    for obj in [form, *_xobjects(form)]:
        resources = obj.get("/Resources")
        fonts = (resources.get_object() if resources else {}).get("/Font") or {}
        found.extend(ref.get_object() for ref in fonts.values())
    return found


def _has_text(form) -> bool:
    forms = [form] + [o for o in _xobjects(form) if o.get("/Subtype") == "/Form"]
    return bool(_fonts(form)) or any(op == b"BT" for f in forms for _operands, op in ContentStream(f, None).operations)


def _signature_dicts(pdf: bytes) -> dict:
    return {s.field_name: s.sig_object for s in PdfFileReader(io.BytesIO(pdf)).embedded_signatures}


# -- the document: person and body ------------------------------------------


def test_signing_person_and_seal_validate(signed):
    person, body = _validate(signed)

    assert (person.field_name, person.signer_cn, person.problem) == ("Sig_NguoiKy", "Nguyễn Văn An", None)
    assert (body.field_name, body.signer_cn, body.signer_o, body.problem) == ("Sig_CoQuan", BODY, BODY, None)
    assert all(c.intact and c.valid and c.trusted and not c.revoked for c in (person, body))
    # the seal came later: it covers the whole file, the person's signature its own revision
    assert (person.covers_whole_file, body.covers_whole_file) == (False, True)
    assert (person.revision, body.revision, body.total_revisions) == (1, 2, 3)
    assert body.signed_at == SIGNED_AT.replace(microsecond=0)


def test_signing_seal_overlaps_a_third_at_real_size(signed):
    widgets = _widgets(signed)
    person_page, person_rect, _ = widgets["Sig_NguoiKy"]
    seal_page, seal_rect, _ = widgets["Sig_CoQuan"]

    assert person_page == seal_page == 1
    assert person_rect == pytest.approx(list(SIGNATURE_BOX))
    width = person_rect[2] - person_rect[0]
    overlap = (min(seal_rect[2], person_rect[2]) - max(seal_rect[0], person_rect[0])) / width
    assert seal_rect[0] < person_rect[0]  # on its left
    assert 0.30 <= overlap <= 0.37
    to_mm = 25.4 / 72
    assert (seal_rect[2] - seal_rect[0]) * to_mm == pytest.approx(SEAL_MM, abs=0.01)
    assert (seal_rect[3] - seal_rect[1]) * to_mm == pytest.approx(SEAL_MM, abs=0.01)


def test_signing_appearances_are_transparent_images_only(signed):
    for name, (_page, _rect, appearance) in _widgets(signed).items():
        images = [o for o in _xobjects(appearance) if o.get("/Subtype") == "/Image"]
        assert len(images) == 1, name
        assert "/SMask" in images[0], name
        assert not _has_text(appearance), name


def test_signing_seal_information_in_dictionary(signed):
    seal = _signature_dicts(signed)["Sig_CoQuan"]

    assert str(seal["/Name"]) == BODY
    assert str(seal["/M"]) == "D:20260305073007+07'00'"
    assert str(seal["/ContactInfo"]) == "2026-03-05T07:30:07+07:00"
    assert str(_signature_dicts(signed)["Sig_NguoiKy"]["/M"]).endswith("+07'00'")


@pytest.mark.skipif(
    shutil.which("certutil") is None or shutil.which("pdfsig") is None, reason="certutil/pdfsig missing"
)
def test_signing_pdfsig_says_valid(signed, pki, tmp_path):
    nss = f"sql:{tmp_path / 'nssdb'}"
    (tmp_path / "nssdb").mkdir()
    (tmp_path / "root.pem").write_bytes(pki.root.cert_pem)
    (tmp_path / "signed.pdf").write_bytes(signed)
    subprocess.run(["certutil", "-N", "-d", nss, "--empty-password"], check=True, capture_output=True)
    trust_root = ["certutil", "-A", "-d", nss, "-n", "CCHC Test Root", "-t", "CT,C,C", "-i", str(tmp_path / "root.pem")]
    subprocess.run(trust_root, check=True, capture_output=True)

    # pdfsig exits 0 whatever it finds: read its report.
    report = subprocess.run(
        ["pdfsig", "-nssdir", nss, str(tmp_path / "signed.pdf")], capture_output=True, text=True, check=True
    ).stdout

    assert report.count("Signature is Valid.") == 2, report
    assert report.count("Certificate is Trusted.") == 2, report
    assert "Total document signed" in report


def test_signing_flipped_byte_is_changed(signed, source_pdf):
    # a byte inside the first page's compressed content, part of revision 0
    at = source_pdf.index(b"stream\n") + 20
    tampered = signed[:at] + bytes([signed[at] ^ 0xFF]) + signed[at + 1 :]

    assert [(c.intact, c.problem) for c in _validate(tampered)] == [(False, CHANGED), (False, CHANGED)]


@pytest.mark.parametrize(
    ("who", "problem"),
    [
        ("expired", "Chứng thư số đã hết hạn"),
        ("revoked", "Chứng thư số đã bị thu hồi"),
        ("wrong_usage", "Chứng thư số không dùng để ký"),
        ("untrusted", "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp"),
    ],
)
def test_signing_bad_certificate_problem(source_pdf, pki, who, problem):
    pdf = signing.sign_person(
        source_pdf,
        signer=_p12_signer(getattr(pki, who)),
        image_png=_scribble(),
        box=SIGNATURE_BOX,
        page=1,
        field_name="Sig_NguoiKy",
        name="x",
    )

    [check] = _validate(pdf)

    assert (check.intact, check.valid, check.trusted, check.problem) == (True, True, False, problem)


def test_signing_seal_with_timestamp_and_ltv(source_pdf, pki, trust):
    tsa = DummyTimeStamper(tsa_cert=pki.tsa.asn1, tsa_key=pki.tsa.key_asn1, certs_to_embed=[pki.intermediate.asn1])

    pdf = signing.seal_body(
        source_pdf,
        signer=_p12_signer(pki.body),
        seal_png=_seal(),
        box=signing.seal_box(SIGNATURE_BOX),
        page=1,
        field_name="Sig_CoQuan",
        body_name=BODY,
        signed_at=SIGNED_AT,
        validation=trust,
        timestamper=tsa,
    )

    dss = PdfFileReader(io.BytesIO(pdf)).root["/DSS"].get_object()
    assert len(dss["/CRLs"]) >= 1 and len(dss["/Certs"]) >= 2
    [check] = _validate(pdf)
    assert check.problem is None and check.signed_at is not None


# -- the attachment ----------------------------------------------------------


def test_signing_attachment_text_top_right(source_pdf, pki):
    pdf = signing.seal_attachment(
        source_pdf, signer=_p12_signer(pki.body), parent_number="15/QĐ-SNV", signed_at=SIGNED_AT, body_name=BODY
    )

    [(page, rect, appearance)] = _widgets(pdf).values()
    width, height = (float(v) for v in PdfReader(io.BytesIO(pdf)).pages[0].mediabox[2:])
    assert page == 0
    assert rect[2] == pytest.approx(width - signing.mm_to_pt(15))  # right margin
    assert rect[3] == pytest.approx(height - signing.mm_to_pt(6))  # in the top margin
    assert rect[0] > width * 0.6
    assert not [o for o in _xobjects(appearance) if o.get("/Subtype") == "/Image"]
    [font] = _fonts(appearance)
    base = str(font["/BaseFont"])
    assert any(name in base for name in ("LiberationSerif", "Tinos", "TimesNewRoman")), base
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "Italic" not in base and float(descriptor["/ItalicAngle"]) == 0
    operations = ContentStream(appearance, None).operations
    lines = [operands[1]["/ActualText"] for operands, op in operations if op == b"BDC"]
    assert lines == ["15/QĐ-SNV", "2026-03-05T07:30:07+07:00"]
    assert ([10, 10] == [float(operands[1]) for operands, op in operations if op == b"Tf"][:2]) and (
        [0, 0, 0] in [[float(v) for v in operands] for operands, op in operations if op == b"rg"]
    )
    [check] = _validate(pdf)
    assert (check.signer_o, check.problem, check.covers_whole_file) == (BODY, None, True)


# -- signing outside the portal ----------------------------------------------


def _external_sign(prepared: bytes, party: Party) -> bytes:
    """What the signer's own software does: fill the prepared field, incrementally."""
    meta = signers.PdfSignatureMetadata(field_name="Sig_External", subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer=_p12_signer(party))
    writer = IncrementalPdfFileWriter(io.BytesIO(prepared))
    # pyHanko's sync call runs asyncio.run(), refused where a loop already runs
    # (a browser test of the same process leaves one): off the loop, as the module does.
    return signing._blocking(pdf_signer.sign_pdf, writer, existing_fields_only=True).getvalue()


@pytest.fixture(scope="module")
def prepared(source_pdf):
    return signing.prepare_for_external_signing(source_pdf, box=SIGNATURE_BOX, page=1, field_name="Sig_External")


def test_external_upload_accepted(prepared, pki, trust):
    check = signing.check_external_upload(prepared, _external_sign(prepared, pki.signer), validation=trust)

    assert (check.accepted, check.reasons) == (True, [])
    assert signing.certificate_info(check.certificate)["sha256"] == signing.certificate_info(pki.signer.cert)["sha256"]


def test_external_upload_of_another_file_refused(source_pdf, prepared, pki, trust):
    other = signing.prepare_for_external_signing(
        source_pdf.replace(b"/Title", b"/Tit1e", 1), box=SIGNATURE_BOX, page=1, field_name="Sig_External"
    )

    check = signing.check_external_upload(prepared, _external_sign(other, pki.signer), validation=trust)

    assert (check.accepted, check.reasons) == (
        False,
        ["Tệp đã ký không phải là tệp đã chuẩn bị để ký: nội dung đã khác."],
    )


def test_external_upload_with_revision_after_signature_refused(prepared, pki, trust):
    writer = IncrementalPdfFileWriter(io.BytesIO(_external_sign(prepared, pki.signer)))
    writer.root["/Lang"] = writer.root.get("/Lang") or "vi"
    writer.update_root()
    appended = io.BytesIO()
    writer.write(appended)

    check = signing.check_external_upload(prepared, appended.getvalue(), validation=trust)

    assert (check.accepted, check.reasons) == (False, ["Tệp có nội dung được thêm vào sau khi ký."])


def test_external_upload_by_untrusted_certificate_refused(prepared, pki, trust):
    check = signing.check_external_upload(prepared, _external_sign(prepared, pki.untrusted), validation=trust)

    assert check.accepted is False
    assert check.reasons == ["Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp"]
    assert check.certificate is not None


# -- small rules ---------------------------------------------------------------


def test_certificate_info_of_signer(pki):
    info = signing.certificate_info(pki.signer.cert_pem)

    assert (info["subject_cn"], info["issuer_cn"]) == ("Nguyễn Văn An", "CCHC Test Issuing CA")
    assert info["key_usage"] == ["digital_signature", "non_repudiation"]
    assert info["serial"] == format(pki.signer.cert.serial_number, "X")
    assert info["not_before"] < info["not_after"] and len(info["sha256"]) == 64


def test_signing_refuses_naive_time_and_opaque_image(source_pdf, pki):
    signer = _p12_signer(pki.body)
    common = dict(signer=signer, box=SIGNATURE_BOX, page=1, field_name="Sig_CoQuan", body_name=BODY)

    with pytest.raises(ValueError, match="timezone-aware"):
        signing.seal_body(source_pdf, seal_png=_seal(), signed_at=datetime(2026, 3, 5, 7, 30), **common)
    with pytest.raises(ValueError, match="nền trong suốt"):
        opaque = _png(Image.new("RGB", (10, 10), (255, 0, 0)))
        signing.seal_body(source_pdf, seal_png=opaque, signed_at=SIGNED_AT, **common)


def test_validate_inside_running_event_loop(signed):
    # An async view has a running loop, where pyHanko's asyncio.run() would fail.
    async def in_view():
        return _validate(signed)

    # Its own loop in its own thread: the suite's browser tests may leave one running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checks = pool.submit(asyncio.run, in_view()).result()
    assert [c.problem for c in checks] == [None, None]
