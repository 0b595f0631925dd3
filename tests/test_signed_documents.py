"""A document issued with digital signatures, through the services, with real
cryptography: the test CA of tests/pki.py loaded as the administrators load
a province's, the signer's key in a PKCS#12 file as their own software holds
it, the body's key kept encrypted by the portal; every placement rule of
Phụ lục I checked in the PDF that comes out, and the signatures validated by
pyHanko and by poppler's pdfsig."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from conferences import drafting
from core.exceptions import Refused
from core.models import AuditEntry
from demo.signing import seal_image, signature_image
from documents import rendering, secrets, signing
from documents.models import BodyKey, Document, DocumentSigning, TrustAnchor
from documents.services import signatures

from .factories import AgencyFactory, ConferenceFactory, PersonFactory, future
from .pki import PKCS12_PASSPHRASE, authority
from .test_documents import ready

SEAL_MM = 36.0


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scribble() -> bytes:
    """A blue handwritten signature on a transparent background."""
    return signature_image("Nguyễn Văn An")


def upload(data: bytes, name="da-ky.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def pki():
    return authority()


@pytest.fixture
def anchors(pki, administrator):
    root = signatures.trust_anchor_add(actor=administrator, data=pki.root.cert_pem, name="CCHC Test Root CA")
    inter = signatures.trust_anchor_add(
        actor=administrator, data=pki.intermediate.cert_der, kind=TrustAnchor.Kind.INTERMEDIATE
    )
    signatures.trust_anchor_crl(actor=administrator, anchor=inter, data=pki.crls_der[0])
    signatures.trust_anchor_crl(actor=administrator, anchor=root, data=pki.crls_der[1])
    return root, inter


@pytest.fixture
def committee(lang_son):
    from agencies.models import AgencyKind

    return AgencyFactory(
        province=lang_son, code="UBND-TINH", short_name="UBND", kind=AgencyKind.PROVINCIAL_COMMITTEE,
        name="Ủy ban nhân dân tỉnh Lạng Sơn",
    )  # fmt: skip


@pytest.fixture
def signer_person(committee, pki, anchors, administrator):
    person = PersonFactory(agency=committee, full_name="Nguyễn Văn An", position="Phó Chủ tịch")
    signatures.certificate_add(actor=administrator, data=pki.signer.cert_der, person=person)
    return person


@pytest.fixture
def body_key(committee, pki, anchors, administrator):
    return signatures.body_key_add(
        actor=administrator,
        agency=committee,
        seal_png=seal_image(),
        seal_diameter_mm=SEAL_MM,
        pkcs12=pki.pkcs12(pki.body),
        passphrase=PKCS12_PASSPHRASE.decode(),
    )


@pytest.fixture
def draft(lang_son, organiser, committee, signer_person, body_key):
    day = future(40)
    conference = ConferenceFactory(
        province=lang_son,
        issuing_authority=committee,
        focal_agency=organiser.agency,
        date=day,
        index_years=[day.year - 1],
    )
    document = ready(
        drafting.draft_invitation(actor=organiser, conference=conference),
        signer_name="Nguyễn Văn An",
        signer_title="PHÓ CHỦ TỊCH",
        authority_lines="KT. CHỦ TỊCH",
    )
    Document.objects.filter(pk=document.pk).update(signer=signer_person)
    document.refresh_from_db()
    return document


def sign_as(row: DocumentSigning, party, *, data: bytes | None = None) -> bytes:
    """What the signer's own software returns: the prepared file with the
    empty field signed (their image in it), saved incrementally."""
    pki = authority()
    if data is None:
        with row.prepared_file.open("rb") as handle:
            data = handle.read()
    box = tuple(row.layout["signature"]["box"])
    return signing.sign_person(
        data,
        signer=signing.signer_from_pkcs12(pki.pkcs12(party), PKCS12_PASSPHRASE),
        image_png=scribble(),
        box=box,
        page=row.layout["signature"]["page"],
        field_name=rendering.SIGNATURE_FIELD,
        name=party.asn1.subject.native["common_name"],
        signed_at=datetime.now(signing.VIETNAM_TZ),
    )


def fields_of(pdf: bytes) -> dict:
    return {name: field for name, field in (PdfReader(io.BytesIO(pdf)).get_fields() or {}).items()}


def test_prepared_pdf_leaves_number_date_and_signature_empty_and_freezes_the_draft(draft, organiser):
    row = signatures.signing_prepare(actor=organiser, document=draft)
    data = row.prepared_file.read()
    assert rendering.sha256(data) == row.prepared_sha256
    found = fields_of(data)
    assert found[rendering.NUMBER_FIELD].get("/V") in (None, "")
    assert found[rendering.DATE_FIELD].get("/V") in (None, "")
    assert found[rendering.SIGNATURE_FIELD].get("/V") is None  # an empty signature field
    assert found[rendering.NUMBER_FIELD]["/Ff"] & 1  # read-only: nobody types a number into it
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Số: /GM-UBND" in text and "ngày" not in text.split("Độc lập")[1][:40]
    draft.refresh_from_db()
    assert draft.verification_code and draft.is_draft
    # Frozen: no edit, no plain issue, no second preparation.
    draft.title = "Sửa sau khi chuẩn bị ký"
    from documents import services

    with pytest.raises(Refused, match="Hủy chuẩn bị ký"):
        services.document_save(actor=organiser, document=draft)
    with pytest.raises(Refused, match="đang được ký số"):
        services.issue(actor=organiser, document=draft)
    with pytest.raises(Refused, match="chờ người ký"):
        signatures.signing_prepare(actor=organiser, document=draft)
    # Cancelled: editable again, and a new preparation is a new row.
    signatures.signing_cancel(actor=organiser, signing_row=row)
    draft.refresh_from_db()
    services.document_save(actor=organiser, document=draft)
    again = signatures.signing_prepare(actor=organiser, document=draft)
    assert again.pk != row.pk and DocumentSigning.objects.get(pk=row.pk).is_cancelled


def test_signed_then_sealed_document_is_issued_with_both_signatures_in_place(draft, organiser, body_key):
    row = signatures.signing_prepare(actor=organiser, document=draft)
    signed = sign_as(row, authority().signer)
    row = signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(signed))
    assert row.is_signed and row.signer_certificate.person == draft.signer and row.signed_at
    document = signatures.signing_seal(actor=organiser, signing_row=row)
    document.refresh_from_db()
    assert document.is_issued and document.number == 1 and document.issued_on == timezone.localdate()
    pdf = document.issued_file.file.read()
    assert document.issued_sha256 == rendering.sha256(pdf) == document.issued_file.sha256
    # Signed bytes are a prefix: the body's revision only adds to the signer's file.
    assert pdf.startswith(signed)

    checks = signing.validate(
        pdf,
        trust_roots=[authority().root.cert],
        intermediates=[authority().intermediate.cert],
        crls=authority().crls_der,
    )
    assert [(c.field_name, c.problem) for c in checks] == [
        (rendering.SIGNATURE_FIELD, None),
        (rendering.BODY_FIELD, None),
    ]
    # The body's signature covers everything but the revocation data (DSS)
    # appended after it for long-term validation (PAdES B-LT).
    assert checks[1].signer_o == "Sở Nội vụ tỉnh Lạng Sơn"
    assert checks[1].revision == checks[1].total_revisions - 2 and b"/DSS" in pdf[len(signed) :]

    # Number and date filled at the body's signing, as form fields whose
    # appearance is drawn in the document's font.
    found = fields_of(pdf)
    day, month, year = rendering._day_month_year(document.issued_on)
    assert found[rendering.NUMBER_FIELD]["/V"] == "01"
    assert found[rendering.DATE_FIELD]["/V"] == f"ngày {day} tháng {month} năm {year}"

    # Placement (Phụ lục I): the signer's image between the title line and
    # the name; the seal at its real size over a third of it, on its left.
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[row.layout["signature"]["page"]]
    widgets = {str(a.get_object()["/T"]): [float(v) for v in a.get_object()["/Rect"]] for a in page["/Annots"]}
    sig = widgets[rendering.SIGNATURE_FIELD]
    seal = widgets[rendering.BODY_FIELD]
    seal_size = signing.mm_to_pt(SEAL_MM)
    assert seal[2] - seal[0] == pytest.approx(seal_size, abs=0.5)
    assert seal[2] == pytest.approx(sig[0] + (sig[2] - sig[0]) / 3, abs=0.5)
    assert (seal[1] + seal[3]) / 2 == pytest.approx((sig[1] + sig[3]) / 2, abs=0.5)
    lines = {}

    def visit(text, cm, tm, font, size):
        if text.strip():  # the line's baseline in page space (WeasyPrint flips y with its cm)
            lines[text.strip()] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    page.extract_text(visitor_text=visit)
    title_y = next(y for t, y in lines.items() if "PHÓ CHỦ TỊCH" in t)
    name_y = next(y for t, y in lines.items() if "Nguyễn Văn An" in t)
    assert name_y < sig[1] and sig[3] < title_y
    with open("/tmp/signed-test.pdf", "wb") as handle:
        handle.write(pdf)

    # pdfsig (poppler) reads both as valid.
    if shutil.which("pdfsig"):
        out = subprocess.run(["pdfsig", "-"], input=pdf, capture_output=True, check=False)
        if out.returncode != 0:  # older pdfsig reads a path only
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
                handle.write(pdf)
                handle.flush()
                out = subprocess.run(["pdfsig", handle.name], capture_output=True, check=False)
        report = out.stdout.decode()
        assert report.count("Signature is Valid.") == 2, report

    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    for action in ("document.sign_prepare", "document.sign_upload", "document.issue", "signing.body_key_use"):
        assert action in actions
    body_key.refresh_from_db()
    assert body_key.last_used_at is not None
    # The public page names the document from its code.
    response = (
        __import__("django.test", fromlist=["Client"])
        .Client()
        .get(reverse("documents:verify", args=[document.verification_code]))
    )
    assert response.status_code == 200 and document.symbol_display in response.content.decode()


@pytest.mark.parametrize(
    "case, message",
    [
        ("changed_byte", "không phải là tệp đã chuẩn bị"),
        ("other_revision", "không phải là tệp đã chuẩn bị"),
        ("expired", "hết hạn"),
        ("revoked", "thu hồi"),
        ("unmapped", "chưa được gắn với người ký nào"),
        ("wrong_person", "phải do Nguyễn Văn An ký, nhưng chữ ký số trong tệp là của Ủy ban nhân dân tỉnh Lạng Sơn"),
        ("untrusted", "không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp"),
        ("wrong_usage", "không dùng để ký"),
        ("not_pdf", "không phải tệp PDF"),
    ],
)
def test_upload_is_refused_with_its_reason_and_changes_nothing(case, message, draft, organiser, administrator, pki):
    row = signatures.signing_prepare(actor=organiser, document=draft)
    prepared = row.prepared_file.read()
    if case == "changed_byte":
        signed = bytearray(sign_as(row, pki.signer))
        at = prepared.index(b"/Producer") + 2
        signed[at] ^= 0x01
        data = bytes(signed)
    elif case == "other_revision":
        data = sign_as(row, pki.signer, data=rendering.signing_pdf(draft)[0])
    elif case == "expired":
        data = sign_as(row, pki.expired)
    elif case == "revoked":
        data = sign_as(row, pki.revoked)
    elif case == "unmapped":
        # The signer's own certificate, no longer mapped to them.
        draft.signer.certificates.update(active=False)
        data = sign_as(row, pki.signer)
    elif case == "wrong_person":
        data = sign_as(row, pki.body)  # valid and trusted, but the body's
    elif case == "untrusted":
        data = sign_as(row, pki.untrusted)
    elif case == "wrong_usage":
        data = sign_as(row, pki.wrong_usage)
    else:
        data = b"not a pdf at all"
    with pytest.raises(Refused) as refused:
        signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(data))
    assert message in " ".join(refused.value.reasons)
    row.refresh_from_db()
    assert row.is_prepared and not row.signed_file and row.signer_certificate is None


# --------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_pages_walk_prepare_upload_seal_and_say_what_is_missing(draft, organiser, official, leader, committee):
    from .conftest import client_for

    client = client_for(organiser)
    page = client.get(reverse("documents:detail", args=[draft.pk]))
    assert "Chuẩn bị tệp để ký số" in page.content.decode()
    response = client.post(reverse("documents:sign-prepare", args=[draft.pk]), follow=True)
    assert "Đã chuẩn bị tệp để ký số" in _messages(response)
    row = draft.signings.get()
    download = client.get(reverse("documents:sign-file", args=[draft.pk, row.pk, "chuan-bi"]))
    prepared = b"".join(download.streaming_content)
    assert (
        download["Content-Disposition"].startswith("attachment") and rendering.sha256(prepared) == row.prepared_sha256
    )
    # Officials of other agencies never see the draft's files; the province's
    # leader (who may sign themselves) may.
    assert client_for(official).get(
        reverse("documents:sign-file", args=[draft.pk, row.pk, "chuan-bi"])
    ).status_code in (
        403,
        404,
    )
    assert (
        client_for(leader).get(reverse("documents:sign-file", args=[draft.pk, row.pk, "chuan-bi"])).status_code == 200
    )

    # A wrong file is refused on the page, with its reason; nothing changes.
    response = client.post(
        reverse("documents:sign-upload", args=[draft.pk, row.pk]), {"file": upload(prepared)}, follow=True
    )
    assert "là tệp cần ký nhưng chưa có chữ ký số" in _messages(response)
    row.refresh_from_db()
    assert row.is_prepared
    signed = sign_as(row, authority().signer)
    response = client_for(leader).post(
        reverse("documents:sign-upload", args=[draft.pk, row.pk]), {"file": upload(signed)}, follow=True
    )
    assert "chữ ký số hợp lệ, đúng người ký" in _messages(response)
    assert "Nguyễn Văn An đã ký số lúc" in response.content.decode()
    # The leader signs; numbering and the body's seal are the office's.
    assert "Cấp số và ký số cơ quan" not in response.content.decode()
    assert "Cấp số và ký số cơ quan" in client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    response = client.post(reverse("documents:sign-seal", args=[draft.pk, row.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.is_issued and f"văn bản số {draft.symbol_display} đã ban hành" in _messages(response)
    assert "Văn thư đã cấp số, ngày và ký số" in response.content.decode()
    # Word stays an editing copy, never presented as the signed document.
    assert "bản để chỉnh sửa, không phải văn bản đã ký" in response.content.decode()
    assert "PDF (văn bản có chữ ký số)" in response.content.decode()
    # A second press (the page was open twice) changes nothing.
    again = client.post(reverse("documents:sign-seal", args=[draft.pk, row.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.number == 1 and "đã được ban hành" in _messages(again)


def test_page_says_what_is_missing_before_the_button(draft, organiser, administrator):
    from .conftest import client_for

    BodyKey.objects.update(active=False)
    draft.signer.certificates.update(active=False)
    page = client_for(organiser).get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert "chưa có chứng thư số còn hạn" in page and "chưa có chữ ký số của cơ quan" in page
    assert "Chuẩn bị tệp để ký số</button>" not in page.replace("\n", "").replace("  ", "")
    with pytest.raises(Refused):
        signatures.signing_prepare(actor=organiser, document=draft)


@pytest.fixture
def issued(draft, organiser):
    row = signatures.signing_prepare(actor=organiser, document=draft)
    row = signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(sign_as(row, authority().signer)))
    document = signatures.signing_seal(actor=organiser, signing_row=row)
    document.refresh_from_db()
    return document


def _check_copy(client, document, data, name="ban-sao.pdf"):
    return client.post(reverse("documents:verify", args=[document.verification_code]), {"file": upload(data, name)})


def test_public_page_checks_an_uploaded_copy(issued, client):
    data = issued.issued_file.file.read()
    page = client.get(reverse("documents:verify", args=[issued.verification_code])).content.decode()
    assert "Người ký: Nguyễn Văn An" in page and "Cơ quan: Ủy ban nhân dân tỉnh Lạng Sơn" in page
    page = _check_copy(client, issued, data).content.decode()
    assert "đúng là bản đã ban hành" in page and page.count("hợp lệ") >= 2
    assert "Chữ ký số của người ký" in page and "Chữ ký số của cơ quan ban hành" in page

    # One byte changed inside the body's revision: different, and where.
    changed = bytearray(data)
    at = data.rindex(b"/ContactInfo") + 14
    changed[at] ^= 0x01
    page = _check_copy(client, issued, bytes(changed)).content.decode()
    assert "KHÁC bản đã ban hành" in page and "lần lưu thứ" in page

    # Saved again after issue (an annotation): the issued file, plus more.
    from pypdf import PdfWriter

    later = PdfWriter(io.BytesIO(data), incremental=True)
    later.add_metadata({"/Subject": "ghi chú thêm"})
    saved = io.BytesIO()
    later.write(saved)
    assert saved.getvalue().startswith(data)
    page = _check_copy(client, issued, saved.getvalue()).content.decode()
    assert "đã được lưu thêm nội dung sau khi ban hành" in page

    # The file prepared for signing: not the issued one, no valid signature.
    prepared = issued.signings.get().prepared_file.read()
    page = _check_copy(client, issued, prepared).content.decode()
    assert "là một bản trước khi ban hành" in page and "Tệp không có chữ ký số nào" in page

    page = _check_copy(client, issued, b"hello", "thu.pdf").content.decode()
    assert "không phải tệp PDF" in page


def test_public_check_is_throttled_per_address(issued, client, settings):
    settings.VERIFY_UPLOAD_RATE = "2/m"
    data = issued.issued_file.file.read()
    for _ in range(2):
        assert "đúng là bản đã ban hành" in _check_copy(client, issued, data).content.decode()
    assert "thử lại sau ít phút" in _check_copy(client, issued, data).content.decode()


def test_revoked_document_says_so_on_the_public_page(issued, organiser, client):
    from documents import services

    services.revoke(actor=organiser, document=issued, reason="Ban hành nhầm")
    page = client.get(reverse("documents:verify", args=[issued.verification_code])).content.decode()
    assert "đã bị thu hồi" in page


# --------------------------------------------------------------------------
# What administrators load
# --------------------------------------------------------------------------


def test_admin_refusals_are_clear_and_write_nothing(administrator, organiser, committee, pki, anchors):
    from documents.models import SignerCertificate

    with pytest.raises(Refused, match="không phải chứng thư của tổ chức chứng thực"):
        signatures.trust_anchor_add(actor=administrator, data=pki.signer.cert_der)
    with pytest.raises(Refused, match="đã có trong danh sách tin cậy"):
        signatures.trust_anchor_add(actor=administrator, data=pki.root.cert_der)
    with pytest.raises(Refused, match="không phải chứng thư số"):
        signatures.trust_anchor_add(actor=administrator, data=b"-----BEGIN NOTHING-----")
    with pytest.raises(Refused, match="không do"):
        signatures.trust_anchor_crl(actor=administrator, anchor=anchors[0], data=pki.crls_der[0])
    person = PersonFactory(agency=committee)
    for party, reason in [
        (pki.expired, "hết hạn"),
        (pki.revoked, "thu hồi"),
        (pki.untrusted, "tin cậy"),
        (pki.wrong_usage, "không dùng để ký"),
    ]:
        with pytest.raises(Refused, match=reason):
            signatures.certificate_add(actor=administrator, data=party.cert_der, person=person)
    assert not SignerCertificate.objects.filter(person=person).exists()
    with pytest.raises(Refused, match="sai mật khẩu"):
        signatures.body_key_add(
            actor=administrator, agency=committee, seal_png=seal_image(), pkcs12=pki.pkcs12(pki.body), passphrase="sai"
        )
    opaque = _png(Image.new("RGBA", (50, 50), (200, 0, 0, 255)))
    with pytest.raises(Refused, match="nền trong suốt"):
        signatures.body_key_add(
            actor=administrator,
            agency=committee,
            seal_png=opaque,
            pkcs12=pki.pkcs12(pki.body),
            passphrase=PKCS12_PASSPHRASE.decode(),
        )
    assert not BodyKey.objects.exists()
    with pytest.raises(PermissionDenied):
        signatures.trust_anchor_add(actor=organiser, data=pki.root.cert_der)


def test_body_key_is_kept_encrypted_and_its_use_audited(body_key, pki, settings):
    stored = bytes(body_key.pkcs12)
    assert stored != pki.pkcs12(pki.body) and b"secret" not in bytes(body_key.secret)
    assert secrets.unseal(stored)[:2] == b"0\x82"  # a DER PKCS#12 inside
    settings.SIGNING_KEY_SECRET = "another-secret-than-the-one-it-was-sealed-with"
    with pytest.raises(ValueError, match="SIGNING_KEY_SECRET"):
        secrets.unseal(stored)


def test_admin_pages_add_through_the_services(administrator, pki, committee):
    from .conftest import client_for

    client = client_for(administrator)
    response = client.post(
        reverse("admin:documents_trustanchor_add"),
        {"certificate": SimpleUploadedFile("leaf.cer", pki.signer.cert_der), "kind": "root", "name": ""},
    )
    assert response.status_code == 200 and "không phải chứng thư của tổ chức chứng thực" in response.content.decode()
    assert not TrustAnchor.objects.exists()
    response = client.post(
        reverse("admin:documents_trustanchor_add"),
        {"certificate": SimpleUploadedFile("root.cer", pki.root.cert_pem), "kind": "root", "name": "Root CA thử"},
    )
    assert response.status_code == 302 and TrustAnchor.objects.get().name == "Root CA thử"
    for name in ("trustanchor", "signercertificate", "bodykey", "documentsigning"):
        assert client.get(reverse(f"admin:documents_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:documents_bodykey_add")).status_code == 200
    assert AuditEntry.objects.filter(action="signing.anchor_add").count() == 1


# --------------------------------------------------------------------------
# Personal copies
# --------------------------------------------------------------------------


def test_personal_invitations_of_a_signed_document_each_carry_the_bodys_signature(
    draft, organiser, lang_son, django_capture_on_commit_callbacks
):
    from agencies.models import AgencyKind
    from conferences.services import conference_invite
    from documents import services

    from .factories import InviteeLineFactory

    communes = [
        AgencyFactory(
            province=lang_son, kind=AgencyKind.COMMUNE, name=f"UBND xã Ký Thử {i}", email=f"ky{i}@example.gov.vn"
        )
        for i in range(2)
    ]
    InviteeLineFactory(conference=draft.source, text="Chủ tịch UBND các xã", group_kinds=["xa"])
    conference_invite(actor=organiser, conference=draft.source)
    row = signatures.signing_prepare(actor=organiser, document=draft)
    row = signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(sign_as(row, authority().signer)))
    signatures.signing_seal(actor=organiser, signing_row=row)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.request_batch(actor=organiser, document=draft)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.total == len(communes)
    pki = authority()
    for item in batch.items.all():
        pdf = item.file.read()
        checks = signing.validate(
            pdf, trust_roots=[pki.root.cert], intermediates=[pki.intermediate.cert], crls=pki.crls_der
        )
        assert [(c.field_name, c.problem, c.signer_o) for c in checks] == [
            (rendering.BODY_FIELD, None, "Sở Nội vụ tỉnh Lạng Sơn")
        ]
        text = " ".join(PdfReader(io.BytesIO(pdf)).pages[-1].extract_text().split())
        assert f"Kính gửi: {item.addressee}" in " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages
        )
        assert "(Đã ký)" in text and f"Số: {draft.symbol_display}" in " ".join(
            PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split()
        )
    uses = AuditEntry.objects.filter(action="signing.body_key_use").count()
    assert uses == 1 + len(communes)  # the original, then each copy
    # An invited agency checks its own copy from the code it carries.
    from django.test import Client

    item = batch.items.first()
    page = _check_copy(Client(), draft, item.file.read()).content.decode()
    assert f"đúng là bản giấy mời riêng gửi {item.addressee}" in page and "KHÁC" not in page
    # The merged file is for printing: merging drops the signatures' value.
    from .conftest import client_for

    panel = client_for(organiser).get(reverse("documents:batch", args=[draft.pk, batch.pk])).content.decode()
    assert "PDF gộp để in" in panel and "chữ ký số không còn giá trị" in panel


def test_an_issuer_no_longer_in_existence_cannot_issue(draft, organiser):
    import datetime as dt

    from documents import services

    type(draft.issuer).objects.filter(pk=draft.issuer_id).update(active_to=dt.date(2025, 6, 30))
    draft.refresh_from_db()
    with pytest.raises(Refused, match="không còn hoạt động"):
        signatures.signing_prepare(actor=organiser, document=draft)
    with pytest.raises(Refused, match="không còn hoạt động"):
        services.issue(actor=organiser, document=draft)


def test_withdrawn_certificate_is_refused_then_accepted_again(draft, organiser, administrator):
    certificate = draft.signer.certificates.get()
    row = signatures.signing_prepare(actor=organiser, document=draft)
    signed = sign_as(row, authority().signer)
    signatures.certificate_set_active(actor=administrator, certificate=certificate, active=False)
    with pytest.raises(Refused, match="chưa được gắn"):
        signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(signed))
    signatures.certificate_set_active(actor=administrator, certificate=certificate, active=True)
    assert signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(signed)).is_signed
    assert list(
        AuditEntry.objects.filter(action__startswith="signing.certificate_", object_id=str(certificate.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["signing.certificate_add", "signing.certificate_deactivate", "signing.certificate_activate"]


def test_edit_page_of_a_draft_under_signing_sends_back_with_the_reason(draft, organiser):
    from .conftest import client_for

    signatures.signing_prepare(actor=organiser, document=draft)
    client = client_for(organiser)
    page = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert reverse("documents:edit", args=[draft.pk]) not in page
    response = client.get(reverse("documents:edit", args=[draft.pk]), follow=True)
    assert response.redirect_chain and "Hủy chuẩn bị ký" in _messages(response)


def test_exact_copy_of_a_revoked_document_is_not_shown_as_good(issued, organiser, client):
    from documents import services

    services.revoke(actor=organiser, document=issued, reason="Ban hành nhầm")
    page = _check_copy(client, issued, issued.issued_file.file.read()).content.decode()
    assert "nhưng văn bản này không còn hiệu lực" in page and "không sai khác một byte" not in page


# --------------------------------------------------------------------------
# The body's key on a PKCS#11 device
# --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_body_key_on_a_pkcs11_token_seals_the_document(draft, organiser, administrator, pki, tmp_path):
    """The văn thư's press runs in a process that sees the token (libsofthsm2
    reads its configuration once per process, see tests/softhsm.py): the
    seal is called there on the rows' ids, as a task would be."""
    import os
    import sys

    from django.db import connection

    from .softhsm import softhsm_token, unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    BodyKey.objects.update(active=False)
    with softhsm_token(tmp_path, key_pem=pki.body.key_pkcs8_pem, cert_der=pki.body.cert_der) as token:
        key = signatures.body_key_add(
            actor=administrator, agency=draft.issuer, seal_png=seal_image(), module_path=token.module_path,
            token_label=token.token_label, key_label=token.key_label, pin=token.pin, certificate=pki.body.cert_pem,
        )  # fmt: skip
        assert key.kind == BodyKey.Kind.PKCS11 and token.pin.encode() not in bytes(key.secret)
        row = signatures.signing_prepare(actor=organiser, document=draft)
        row = signatures.signing_upload(actor=organiser, signing_row=row, upload=upload(sign_as(row, pki.signer)))
        script = (
            "import django; django.setup()\n"
            "from core.scoping import scopes_disabled\n"
            "from agencies.models import User\n"
            "from documents.models import DocumentSigning\n"
            "from documents.services import signatures\n"
            "with scopes_disabled():\n"
            f"    signatures.signing_seal(actor=User.objects.get(pk={organiser.pk}),"
            f" signing_row=DocumentSigning.objects.get(pk={row.pk}))\n"
        )
        database = connection.settings_dict
        env = {
            **os.environ,
            "SOFTHSM2_CONF": str(token.conf),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        }
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
    draft.refresh_from_db()
    assert draft.is_issued
    pdf = draft.issued_file.file.read()
    checks = signing.validate(
        pdf, trust_roots=[pki.root.cert], intermediates=[pki.intermediate.cert], crls=pki.crls_der
    )
    assert [(c.field_name, c.problem) for c in checks] == [
        (rendering.SIGNATURE_FIELD, None),
        (rendering.BODY_FIELD, None),
    ]
    assert checks[1].signer_cn == "Sở Nội vụ tỉnh Lạng Sơn"


def test_a_seal_image_must_be_red(administrator, committee, pki, anchors):
    blue = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(blue).ellipse((5, 5, 95, 95), outline=(20, 40, 200, 255), width=8)
    with pytest.raises(Refused, match="màu đỏ"):
        signatures.body_key_add(
            actor=administrator, agency=committee, seal_png=_png(blue), pkcs12=pki.pkcs12(pki.body),
            passphrase=PKCS12_PASSPHRASE.decode(),
        )  # fmt: skip
    assert signing.mostly_red(seal_image())
