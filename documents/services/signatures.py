"""A document issued with digital signatures, in the order offices follow
(Nghị định 30/2020, Điều 16 and Phụ lục I):

1. `signing_prepare`: the drafting officer freezes the draft as a PDF in
   which the number and the date are empty form fields and an empty
   signature field waits between the title line and the name.
2. `signing_upload`: the signer signs that PDF in their own software or with
   their token (PAdES over the whole file) and it comes back; it is accepted
   only if it is the prepared file plus that one signature, valid, trusted,
   and made with the certificate mapped to the document's signer.
3. `signing_seal`: the văn thư numbers and dates it (filling the two
   fields, which the signer's signature allows) and applies the body's
   signature with the body's key: this issues the document.

Until it is sealed or cancelled (`signing_cancel`) the draft cannot change,
and the plain issue (a PDF printed and signed on paper) is refused.

Administrators keep what the checks rely on: the trust anchors (with their
offline CRLs), the certificates mapped to people and bodies, and the body
keys (`trust_anchor_add`, `certificate_add`, `body_key_add`)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Person
from core import audit
from core.exceptions import Refused
from core.permissions import require

from .. import checks, metadata, rendering, secrets, signing, sources, verification
from ..models import BodyKey, Document, DocumentSigning, RenderedFile, SignerCertificate, TrustAnchor
from ..workflows import DOCUMENT
from .drafts import DENIED, allocate_number
from .files import enqueue_file
from .register import signed_pdf

ADMIN_ONLY = _("Chỉ quản trị hệ thống mới quản lý chứng thư số và khóa ký của cơ quan.")
OPEN = [DocumentSigning.Status.PREPARED, DocumentSigning.Status.SIGNED]


# --------------------------------------------------------------------------
# What the checks rely on
# --------------------------------------------------------------------------


def trust() -> signing.Trust:
    """The anchors administrators loaded, as signing.validate takes them."""
    anchors = list(TrustAnchor.objects.filter(active=True))
    return signing.Trust(
        trust_roots=tuple(bytes(a.certificate) for a in anchors if a.kind == TrustAnchor.Kind.ROOT),
        intermediates=tuple(bytes(a.certificate) for a in anchors if a.kind == TrustAnchor.Kind.INTERMEDIATE),
        crls=tuple(bytes(a.crl) for a in anchors if a.crl),
        allow_fetching=settings.SIGNING_FETCH_REVOCATION,
    )


def _certificate(data: bytes):
    """A certificate file (DER or PEM) read, or a refusal saying so."""
    try:
        cert = signing._asn1_certificate(data)
        info = signing.certificate_info(cert)
    except Exception as exc:  # noqa: BLE001 — asn1crypto raises many kinds on a file that is not a certificate
        raise Refused(_("Tệp không phải chứng thư số (.cer, .crt, .pem) hoặc đã hỏng.")) from exc
    return cert, info


def _subject(cert) -> str:
    # "CN=…,O=…,C=VN" as RFC 4514 writes it; asn1crypto's human_friendly
    # would put English words ("Common Name") on a Vietnamese page.
    from cryptography import x509

    return x509.load_der_x509_certificate(cert.dump()).subject.rfc4514_string()


def trust_anchor_add(*, actor, data: bytes, name: str = "", kind: str = TrustAnchor.Kind.ROOT) -> TrustAnchor:
    require(actor, "agencies.administer", None, ADMIN_ONLY)
    cert, info = _certificate(data)
    if TrustAnchor.objects.filter(fingerprint=info["sha256"]).exists():
        raise Refused(_("Chứng thư “%(name)s” đã có trong danh sách tin cậy.") % {"name": info["subject_cn"]})
    constraints = cert.basic_constraints_value
    if constraints is None or not constraints.native.get("ca"):
        raise Refused(
            _("“%(name)s” không phải chứng thư của tổ chức chứng thực (CA): chỉ nạp chứng thư gốc hoặc trung gian.")
            % {"name": info["subject_cn"]}
        )
    with transaction.atomic():
        anchor = TrustAnchor.objects.create(
            name=(name or info["subject_cn"] or info["sha256"][:16])[:200],
            kind=kind,
            certificate=cert.dump(),
            fingerprint=info["sha256"],
            subject=_subject(cert)[:400],
            not_after=info["not_after"],
        )
        audit.record(actor=actor, action="signing.anchor_add", target=anchor, after={"fingerprint": info["sha256"]})
    return anchor


def trust_anchor_crl(*, actor, anchor: TrustAnchor, data: bytes) -> TrustAnchor:
    """Load the CA's current revocation list, checked to be signed by it."""
    require(actor, "agencies.administer", None, ADMIN_ONLY)
    from asn1crypto import crl as asn1_crl
    from cryptography import x509

    try:
        der = signing._crl_der(data)
        parsed = x509.load_der_x509_crl(der)
        issuer = x509.load_der_x509_certificate(bytes(anchor.certificate))
        genuine = parsed.is_signature_valid(issuer.public_key())
        asn1_crl.CertificateList.load(der).native  # noqa: B018 — parses fully or raises
    except Exception as exc:  # noqa: BLE001 — any parse failure of an uploaded CRL is a refusal
        raise Refused(_("Tệp không phải danh sách thu hồi chứng thư (CRL) hoặc đã hỏng.")) from exc
    if not genuine:
        raise Refused(_("Danh sách thu hồi này không do “%(name)s” ký.") % {"name": anchor.name})
    with transaction.atomic():
        anchor.crl = der
        anchor.crl_loaded_at = timezone.now()
        anchor.save(update_fields=["crl", "crl_loaded_at"])
        audit.record(
            actor=actor,
            action="signing.crl_load",
            target=anchor,
            after={"revoked": len(parsed), "next_update": parsed.next_update_utc},
        )
    return anchor


def certificate_add(*, actor, data: bytes, person: Person | None = None, agency: Agency | None = None):
    """Map a signing certificate to the person or body it belongs to. The
    certificate must chain to a trust anchor and be valid for signing now."""
    require(actor, "agencies.administer", None, ADMIN_ONLY)
    if (person is None) == (agency is None):
        raise Refused(_("Hãy chọn người ký hoặc cơ quan sở hữu chứng thư số (một trong hai)."))
    cert, info = _certificate(data)
    if SignerCertificate.objects.filter(fingerprint=info["sha256"]).exists():
        raise Refused(_("Chứng thư “%(name)s” đã được gắn trước đây.") % {"name": info["subject_cn"]})
    problem = signing.certificate_problem(cert, trust())
    if problem:
        raise Refused(
            _(
                "Không gắn được chứng thư “%(name)s” (do %(issuer)s cấp): %(problem)s. Nếu tổ chức cấp chưa có trong "
                "danh sách chứng thư tin cậy, hãy nạp chứng thư gốc và trung gian của tổ chức đó trước."
            )
            % {"name": info["subject_cn"], "issuer": info["issuer_cn"], "problem": problem}
        )
    with transaction.atomic():
        row = SignerCertificate.objects.create(
            certificate=cert.dump(),
            fingerprint=info["sha256"],
            subject_cn=(info["subject_cn"] or "")[:300],
            issuer_cn=(info["issuer_cn"] or "")[:300],
            serial=info["serial"][:80],
            not_before=info["not_before"],
            not_after=info["not_after"],
            person=person,
            agency=agency,
        )
        audit.record(
            actor=actor,
            action="signing.certificate_add",
            target=row,
            province_id=(person.agency if person else agency).province_id,
            after={"owner": str(person or agency), "fingerprint": info["sha256"]},
        )
    return row


def certificate_set_active(*, actor, certificate: SignerCertificate, active: bool) -> None:
    """Stop accepting a certificate (lost token, person moved), or accept it
    again; documents it signed stay signed either way."""
    require(actor, "agencies.administer", None, ADMIN_ONLY)
    with transaction.atomic():
        before = audit.snapshot(certificate, ["active"])
        certificate.active = active
        certificate.save(update_fields=["active"])
        audit.record(
            actor=actor,
            action="signing.certificate_activate" if active else "signing.certificate_deactivate",
            target=certificate,
            before=before,
            after=audit.snapshot(certificate, ["active"]),
        )


def body_key_add(
    *,
    actor,
    agency: Agency,
    seal_png: bytes,
    seal_diameter_mm=36,
    pkcs12: bytes | None = None,
    passphrase: str = "",
    module_path: str = "",
    token_label: str = "",
    key_label: str = "",
    pin: str = "",
    certificate: bytes | None = None,
) -> BodyKey:
    """The body's key: a PKCS#12 file (opened here to prove the passphrase,
    then kept encrypted) or a PKCS#11 device (its certificate given, its PIN
    kept encrypted). Its certificate is mapped to the body on the way."""
    require(actor, "agencies.administer", None, ADMIN_ONLY)
    try:
        signing._image_only_style(seal_png)
        if not signing.mostly_red(seal_png):
            raise ValueError(_("Ảnh con dấu phải màu đỏ (Nghị định 30/2020, Phụ lục I): hãy dùng ảnh quét con dấu."))
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 — Pillow raises many kinds on a file that is not an image
        raise Refused(_("Ảnh con dấu phải là tệp PNG có nền trong suốt.")) from exc
    if pkcs12 is not None:
        try:
            signer = signing.signer_from_pkcs12(pkcs12, passphrase.encode() or None)
        except ValueError as exc:
            raise Refused(str(exc)) from exc
        cert_der = signer.signing_cert.dump()
        kind, secret, stored = BodyKey.Kind.PKCS12, passphrase, pkcs12
    else:
        if not (module_path and token_label and key_label and certificate):
            raise Refused(
                _(
                    "Hãy chọn tệp PKCS#12 (.p12, .pfx) của cơ quan kèm mật khẩu, hoặc với khóa trên thiết bị "
                    "PKCS#11 (HSM, token) nhập đủ thư viện, nhãn token, nhãn khóa và tệp chứng thư số."
                )
            )
        cert_der = _certificate(certificate)[0].dump()
        kind, secret, stored = BodyKey.Kind.PKCS11, pin, None
    with transaction.atomic():
        fingerprint = signing.certificate_info(cert_der)["sha256"]
        mapped = SignerCertificate.objects.filter(fingerprint=fingerprint).first()
        if mapped is None:
            mapped = certificate_add(actor=actor, data=cert_der, agency=agency)
        elif mapped.agency_id != agency.pk:
            raise Refused(_("Chứng thư số này đã được gắn với %(owner)s.") % {"owner": mapped.owner})
        key = BodyKey(
            agency=agency,
            kind=kind,
            certificate=mapped,
            pkcs12=secrets.seal(stored) if stored is not None else None,
            secret=secrets.seal(secret.encode()) if secret else None,
            module_path=module_path,
            token_label=token_label,
            key_label=key_label,
            seal_diameter_mm=seal_diameter_mm,
        )
        key.seal_image.save(f"{agency.pk}-{fingerprint[:12]}.png", ContentFile(seal_png), save=False)
        key.save()
        # The agency's earlier keys stop being used: one body, one key in force.
        BodyKey.objects.filter(agency=agency, active=True).exclude(pk=key.pk).update(active=False)
        audit.record(
            actor=actor,
            action="signing.body_key_add",
            target=key,
            after={"kind": kind, "certificate": str(mapped), "seal_diameter_mm": seal_diameter_mm},
        )
    return key


def body_key(agency: Agency) -> BodyKey | None:
    return (
        BodyKey.objects.filter(agency=agency, active=True, certificate__active=True)
        .select_related("certificate")
        .first()
    )


@lru_cache(maxsize=8)
def _pkcs12_signer(key_id: int, sealed: bytes, sealed_secret: bytes | None):
    # Kept for the worker's life, keyed by the stored (encrypted) bytes: a
    # batch of copies opens the file once, and a replaced key is a new entry.
    # The worker holds SIGNING_KEY_SECRET anyway; an HSM key never leaves it.
    secret = secrets.unseal(sealed_secret) if sealed_secret else b""
    return signing.signer_from_pkcs12(secrets.unseal(sealed), secret or None)


@contextmanager
def body_signer(key: BodyKey):
    """A pyHanko signer for the body's key, for the length of the block."""
    if key.kind == BodyKey.Kind.PKCS12:
        yield _pkcs12_signer(key.pk, bytes(key.pkcs12), bytes(key.secret) if key.secret else None)
        return
    secret = secrets.unseal(key.secret).decode() if key.secret else ""
    chain = [bytes(a.certificate) for a in TrustAnchor.objects.filter(active=True, kind=TrustAnchor.Kind.INTERMEDIATE)]
    with signing.signer_from_pkcs11(key.module_path, key.token_label, secret, key.key_label, ca_chain=chain) as signer:
        yield signer


# --------------------------------------------------------------------------
# A document's way
# --------------------------------------------------------------------------


def open_signing(document: Document) -> DocumentSigning | None:
    return document.signings.filter(status__in=OPEN).select_related("signer").first()


def _store(row: DocumentSigning, field: str, suffix: str, data: bytes) -> None:
    name = f"{row.document_id}-{row.pk}-{suffix}.pdf"
    getattr(row, field).save(name, ContentFile(data), save=False)


def readiness(document: Document) -> list[str]:
    """What is missing before a draft can go the signed way: the page shows
    it before the button, and `signing_prepare` refuses with it."""
    problems = []
    signer = document.signer
    if signer is None:
        problems.append(_("Hãy chọn người ký trong danh bạ (mục Người ký ở trang soạn) để ký số văn bản."))
    elif not signer.certificates.filter(active=True, not_after__gt=timezone.now()).exists():
        problems.append(
            _(
                "%(name)s chưa có chứng thư số còn hạn trên cổng. Hãy đề nghị quản trị hệ thống gắn chứng thư số "
                "của người ký (Quản trị › Chứng thư số của người ký)."
            )
            % {"name": signer.full_name}
        )
    if body_key(document.issuer) is None:
        problems.append(
            _(
                "%(body)s chưa có chữ ký số của cơ quan trên cổng, nên văn thư chưa cấp số và ký số được. Hãy đề "
                "nghị quản trị hệ thống nạp khóa ký của cơ quan (Quản trị › Chữ ký số của cơ quan)."
            )
            % {"body": document.issuer.name}
        )
    return problems


def signing_prepare(*, actor, document: Document) -> DocumentSigning:
    require(actor, "documents.organise", document, DENIED)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if not locked.is_draft:
            raise Refused(_("Văn bản này đã ban hành."))
        if open_signing(locked):
            raise Refused(_("Văn bản đã được chuẩn bị để ký số; tệp đang chờ người ký."))
        problems = checks.run_checks(locked) + readiness(locked)
        if problems:
            raise Refused(*problems)
        signer = locked.signer
        before = audit.snapshot(locked, ["verification_code"])
        if not locked.verification_code:
            # Printed on the prepared PDF (its QR code); the public page says
            # "not issued" until the body's signature is applied.
            locked.verification_code = verification.new_code()
            locked.save(update_fields=["verification_code", "updated_at"])
        pdf, layout = rendering.signing_pdf(locked)
        signature = layout["signature"]
        slots = [signing.TextSlot.from_json(s) for s in layout["slots"]]
        prepared = signing.prepare_for_external_signing(
            pdf,
            box=tuple(signature["box"]),
            page=signature["page"],
            field_name=rendering.SIGNATURE_FIELD,
            text_slots=slots,
        )
        row = DocumentSigning.objects.create(
            document=locked, signer=signer, layout=layout, prepared_sha256=rendering.sha256(prepared), prepared_by=actor
        )
        _store(row, "prepared_file", "chuan-bi", prepared)
        row.save(update_fields=["prepared_file"])
        audit.record(
            actor=actor,
            action="document.sign_prepare",
            target=locked,
            before=before,
            after={**audit.snapshot(locked, ["verification_code"]), "signer": signer.full_name},
        )
    return row


def _lock(row: DocumentSigning, *statuses) -> DocumentSigning:
    locked = DocumentSigning.objects.select_for_update().select_related("document", "signer").get(pk=row.pk)
    if locked.status not in statuses:
        raise Refused(
            _("Việc ký số văn bản này đã chuyển sang bước “%(status)s”; hãy tải lại trang.")
            % {"status": locked.get_status_display()}
        )
    return locked


def signing_cancel(*, actor, signing_row: DocumentSigning) -> None:
    """Back to an editable draft; the files are kept with the cancelled row."""
    require(actor, "documents.organise", signing_row.document, DENIED)
    with transaction.atomic():
        locked = _lock(signing_row, *OPEN)
        locked.status = DocumentSigning.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        audit.record(actor=actor, action="document.sign_cancel", target=locked.document)


def _owner_refusal(row: DocumentSigning, cert) -> str | None:
    info = signing.certificate_info(cert)
    mapped = SignerCertificate.objects.filter(fingerprint=info["sha256"], active=True).first()
    if mapped is None:
        return _(
            "Chứng thư số “%(cn)s” (số hiệu %(serial)s) chưa được gắn với người ký nào trên cổng. Hãy đề nghị "
            "quản trị hệ thống gắn chứng thư này với %(signer)s."
        ) % {"cn": info["subject_cn"], "serial": info["serial"], "signer": row.signer.full_name}
    if mapped.person_id != row.signer_id:
        return _("Văn bản phải do %(signer)s ký, nhưng chữ ký số trong tệp là của %(other)s.") % {
            "signer": row.signer.full_name,
            "other": mapped.owner,
        }
    return None


def signing_upload(*, actor, signing_row: DocumentSigning, upload) -> DocumentSigning:
    """Accept the signer's signed PDF, or refuse it with every reason."""
    require(actor, "documents.sign", signing_row.document, DENIED)
    data = signed_pdf(upload).data
    with signing_row.prepared_file.open("rb") as handle:
        prepared = handle.read()
    verdict = signing.check_external_upload(prepared, data, validation=trust())
    if not verdict.accepted:
        raise Refused(*verdict.reasons)
    refusal = _owner_refusal(signing_row, verdict.certificate)
    if refusal:
        raise Refused(refusal)
    with transaction.atomic():
        locked = _lock(signing_row, DocumentSigning.Status.PREPARED)
        mapped = SignerCertificate.objects.get(fingerprint=signing.certificate_info(verdict.certificate)["sha256"])
        _store(locked, "signed_file", "da-ky", data)
        locked.signed_sha256 = rendering.sha256(data)
        locked.signed_at = verdict.signature.signed_at
        locked.signer_certificate = mapped
        locked.uploaded_by = actor
        locked.status = DocumentSigning.Status.SIGNED
        locked.save()
        audit.record(
            actor=actor,
            action="document.sign_upload",
            target=locked.document,
            after={"signer": str(mapped), "signed_at": locked.signed_at, "sha256": locked.signed_sha256},
        )
    return locked


def signing_seal(*, actor, signing_row: DocumentSigning) -> Document:
    """Number, date and apply the body's signature: the document is issued."""
    require(actor, "documents.organise", signing_row.document, DENIED)
    numbered = ["year", "number", "issued_on", "issued_by", "issued_file", "issued_sha256", "identifier"]
    document = signing_row.document
    with transaction.atomic():
        with DOCUMENT.step(document, "issue", actor=actor, fields=numbered) as locked:
            row = _lock(signing_row, DocumentSigning.Status.SIGNED)
            key = body_key(locked.issuer)
            if key is None:
                raise Refused(_("%(body)s chưa có chữ ký số của cơ quan trên cổng.") % {"body": locked.issuer.name})
            now = timezone.now()
            today = timezone.localdate(now)
            locked.year = today.year
            locked.number = allocate_number(locked.issuer, today.year)
            locked.identifier = metadata.identifier(locked)
            locked.issued_on = today
            locked.issued_by = actor
            locked.status = Document.Status.ISSUED
            with row.signed_file.open("rb") as handle:
                signed = handle.read()
            layout = row.layout
            slots = [signing.TextSlot.from_json(s) for s in layout["slots"]]
            filled = signing.fill_text_fields(signed, rendering.slot_values(locked, layout), slots)
            try:
                sealed = _seal_with(key, filled, layout["signature"], body_name=locked.issuer.name, at=now)
            except Refused:
                raise
            except Exception as exc:
                raise Refused(
                    _("Không ký số được bằng khóa của cơ quan (%(error)s). Hãy báo quản trị hệ thống kiểm tra khóa ký.")
                    % {"error": exc.__class__.__name__}
                ) from exc
            digest = rendering.sha256(sealed)
            file_row = RenderedFile(
                document=locked,
                kind=RenderedFile.Kind.PDF,
                content_hash=rendering.content_hash("pdf", rendering.print_html(locked)),
                status=RenderedFile.Status.DONE,
                size=len(sealed),
                sha256=digest,
                pages=rendering.pdf_page_count(sealed),
                started_at=now,
                finished_at=now,
            )
            file_row.file.save(f"{locked.pk}-{locked.number_text}-{digest[:8]}.pdf", ContentFile(sealed), save=False)
            file_row.save()
            locked.issued_file = file_row
            locked.issued_sha256 = digest
            row.status = DocumentSigning.Status.SEALED
            row.body_key = key
            row.sealed_at = now
            row.sealed_by = actor
            row.save(update_fields=["status", "body_key", "sealed_at", "sealed_by"])
            BodyKey.objects.filter(pk=key.pk).update(last_used_at=now)
            audit.record(
                actor=actor,
                action="signing.body_key_use",
                target=key,
                after={"document": locked.symbol_display, "sha256": digest},
            )
            sources.issued(locked)
            docx, _created = RenderedFile.objects.get_or_create(
                document=locked,
                kind=RenderedFile.Kind.DOCX,
                content_hash=rendering.content_hash("docx", rendering.print_html(locked)),
            )
            enqueue_file(docx)
        # Told once the issue is saved, in its transaction: with it, or not at all.
        metadata.announce(document, "document.issued")
    return document


def _seal_with(key: BodyKey, pdf: bytes, place: dict, *, body_name: str, at) -> bytes:
    """`pdf` with the body's signature: its seal at the key's real diameter
    over the left third of the signature's place ({"page", "box"}), the
    revocation data embedded, a timestamp when a TSA is configured."""
    with key.seal_image.open("rb") as handle:
        seal_png = handle.read()
    timestamper = signing.timestamper_from_url(settings.SIGNING_TSA_URL) if settings.SIGNING_TSA_URL else None
    with body_signer(key) as signer:
        return signing.seal_body(
            pdf,
            signer=signer,
            seal_png=seal_png,
            box=signing.seal_box(tuple(place["box"]), diameter_mm=float(key.seal_diameter_mm)),
            page=place["page"],
            field_name=rendering.BODY_FIELD,
            body_name=body_name,
            signed_at=at,
            validation=trust(),
            timestamper=timestamper,
        )


def sealed_signing(document: Document) -> DocumentSigning | None:
    return document.signings.filter(status=DocumentSigning.Status.SEALED).first()


def sealed_copy(document: Document, addressee: str) -> bytes:
    """A personal copy of a digitally signed document (an invitation to one
    agency), signed by the body like the original: "(Đã ký)" where the
    signer signed the original, the body's seal and signature beside it.
    Called by the copy's render job; each use of the key is audited."""
    key = body_key(document.issuer)
    if key is None:
        raise Refused(_("%(body)s chưa có chữ ký số của cơ quan trên cổng.") % {"body": document.issuer.name})
    pdf, place = rendering.copy_pdf(document, addressee)
    now = timezone.now()
    sealed = _seal_with(key, pdf, place, body_name=document.issuer.name, at=now)
    with transaction.atomic():
        BodyKey.objects.filter(pk=key.pk).update(last_used_at=now)
        audit.record(
            actor=None,
            action="signing.body_key_use",
            target=key,
            after={"document": document.symbol_display, "copy": addressee[:200], "sha256": rendering.sha256(sealed)},
        )
    return sealed


# --------------------------------------------------------------------------
# Checking a copy anyone holds (the public verification page)
# --------------------------------------------------------------------------

FIELD_NAMES = {
    rendering.SIGNATURE_FIELD: _("Chữ ký số của người ký"),
    rendering.BODY_FIELD: _("Chữ ký số của cơ quan ban hành"),
}


@dataclass(frozen=True)
class CopyCheck:
    """What the public page says of an uploaded PDF against an issued
    document: whether it is exactly the issued file, where it departs from
    it if not (the revision of the issued file that was changed, or what was
    added after it), and every signature it carries."""

    exact: bool | None  # None: the register holds no file to compare with
    changed_revision: int | None  # 1-based revision of the issued file first changed
    revisions: int
    appended: bool  # the issued file, whole, with more saved after it
    signatures: list = field(default_factory=list)
    earlier: bool = False  # a state of the file before issue (prepared, signed not sealed)
    copy_for: str = ""  # exactly the personal copy the portal made for this addressee

    @property
    def signatures_ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)


def _revision_ends(pdf: bytes) -> list[int]:
    """Where each revision of a PDF ends: after each %%EOF marker."""
    ends, start = [], 0
    while (found := pdf.find(b"%%EOF", start)) != -1:
        start = found + 5
        while start < len(pdf) and pdf[start] in b"\r\n":  # the marker's end of line belongs to it
            start += 1
        ends.append(start)
    return ends or [len(pdf)]


def _common_prefix(a: bytes, b: bytes) -> int:
    # Binary search over memoryview comparisons (memcmp, no copies): a
    # 20 MB upload is compared in a few dozen steps, not 20 million.
    left, right = memoryview(a), memoryview(b)
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if left[:middle] == right[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def copy_check(document: Document, data: bytes) -> CopyCheck:
    checks = signing._validate(data, trust())
    for check in checks:
        object.__setattr__(check, "field_name", str(FIELD_NAMES.get(check.field_name, check.field_name)))
    if not document.issued_file_id or not document.issued_sha256:
        return CopyCheck(None, None, 0, False, checks)
    with document.issued_file.file.open("rb") as handle:
        issued = handle.read()
    ends = _revision_ends(issued)
    digest = rendering.sha256(data)
    if digest == document.issued_sha256:
        return CopyCheck(True, None, len(ends), False, checks)
    # A personal invitation carries its document's code: the portal made it,
    # and it is known by its checksum.
    from ..selectors import personal_copy_named

    addressee = personal_copy_named(document, digest)
    if addressee:
        return CopyCheck(True, None, len(ends), False, checks, copy_for=addressee)
    common = _common_prefix(issued, data)
    if common >= len(issued):
        return CopyCheck(False, None, len(ends), True, checks)
    if common == len(data) and len(data) in ends:
        return CopyCheck(False, None, len(ends), False, checks, earlier=True)
    revision = next(i for i, end in enumerate(ends, start=1) if common < end)
    return CopyCheck(False, revision, len(ends), False, checks)
