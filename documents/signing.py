"""Digital signatures on documents, as Nghị định 30/2020/NĐ-CP (Phụ lục I) asks.

Pure functions over PDF bytes and certificates (no database, no models), so a
service or a Celery task can call them. Every signature is PAdES (CAdES
detached, SHA-256) made with pyHanko as an incremental update, so an earlier
signature stays intact and the last one covers the whole file.

- The signer's signature (`sign_person`): the image of their handwritten
  signature (blue, transparent PNG) centred between the title line (chức vụ)
  and the name; the signature itself is PAdES over the whole document.
- The issuing body's signature (`seal_body`): the image of the body's seal
  (red, transparent PNG, at the seal's real size, e.g. 36 mm for a department
  seal: `seal_box(..., diameter_mm=36)`) overlapping about a third of the
  signer's signature image on its left. Its information: the body's name and
  the signing time (date, hour, minute, second, Vietnam time zone, ISO 8601).
- An attachment in a separate file (`seal_attachment`): the body's signature
  at the top right of its first page, no image, its information printed in
  Times New Roman 10, upright, black: the parent document's number and symbol
  and the signing time.
- Number, symbol and date are filled in at the body's signing, not before: the
  caller renders the final PDF with them and then calls `seal_body`.

Where the information goes. Appearances of the two signatures on a document
are images only; the information lives in the signature dictionary: `/Name`
is the body's name, `/M` the signing time as a PDF date in +07'00', and the
ISO 8601 string (`2026-03-05T14:30:07+07:00`) is in `/ContactInfo`. `/M` cannot
hold ISO 8601 (PDF dates have their own syntax), `/Reason` keeps its meaning
(why it was signed) and readers show it as such, while `/ContactInfo` is free
text that Acrobat and Foxit show in the signature's properties.

Coordinates. Boxes are `(x1, y1, x2, y2)` in PDF points (1/72 inch) on the
page's own space: origin at the bottom-left corner, y upwards. Pages are
0-based; -1 is the last page.

Signing time. pyHanko stamps `/M` and the CMS signingTime with "now" in the
process's local zone and offers no parameter for it; `_TimedPdfSigner` sets
the session's time to the given instant converted to +07:00, so no process
environment (TZ) is touched and threads do not disturb one another.

pyHanko's synchronous entry points run their coroutine with `asyncio.run`,
which cannot nest inside a running event loop; `_blocking` moves the call to
a worker thread in that case (an async view), and calls it directly otherwise
(a Celery task, a request thread).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any, TypeVar

from asn1crypto import crl as asn1_crl
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import Encoding, load_der_private_key
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle, TextStamp, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from core import printing

VIETNAM_TZ = timezone(timedelta(hours=7))
POINTS_PER_MM = 72 / 25.4

Box = tuple[float, float, float, float]
Certificate = asn1_x509.Certificate | crypto_x509.Certificate | bytes
T = TypeVar("T")

# Decree 30 signatures commit the signer to the content, so the certificate
# must allow nonRepudiation (contentCommitment), as PAdES recommends; this is
# also pyHanko's default, written out so the rule is visible here.
SIGNING_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation"})


# --------------------------------------------------------------------------
# Certificates and trust
# --------------------------------------------------------------------------


def _asn1_certificate(cert: Certificate) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, crypto_x509.Certificate):
        return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    data = bytes(cert)
    if asn1_pem.detect(data):
        _type, _headers, data = asn1_pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def _crl_der(crl: asn1_crl.CertificateList | crypto_x509.CertificateRevocationList | bytes) -> bytes:
    if isinstance(crl, asn1_crl.CertificateList):
        return crl.dump()
    if isinstance(crl, crypto_x509.CertificateRevocationList):
        return crl.public_bytes(Encoding.DER)
    data = bytes(crl)
    if asn1_pem.detect(data):
        _type, _headers, data = asn1_pem.unarmor(data)
    return data


@dataclass(frozen=True)
class Trust:
    """What a signature is checked against: the trusted roots (the national
    root CA and the licensed CAs the portal accepts), intermediates the files
    may lack, and CRLs known offline. Certificates and CRLs may be asn1crypto
    or cryptography objects, or DER/PEM bytes.

    A fresh ValidationContext is built for every use because pyHanko closes
    its network sessions at the end of each operation."""

    trust_roots: tuple = ()
    intermediates: tuple = ()
    crls: tuple = ()
    allow_fetching: bool = False
    # soft-fail: a certificate whose CRL cannot be had is not refused; a CRL
    # that lists it is. hard-fail refuses every signature when offline.
    revocation_mode: str = "soft-fail"

    def context(self) -> ValidationContext:
        return ValidationContext(
            trust_roots=[_asn1_certificate(c) for c in self.trust_roots],
            other_certs=[_asn1_certificate(c) for c in self.intermediates],
            crls=[_crl_der(c) for c in self.crls],
            allow_fetching=self.allow_fetching,
            revocation_mode=self.revocation_mode,
        )


def _name_part(name: asn1_x509.Name, key: str) -> str | None:
    value = name.native.get(key)
    if isinstance(value, list):
        value = ", ".join(value)
    return value


def certificate_info(cert: Certificate) -> dict[str, Any]:
    """What the admin shows about a certificate and what maps it to a person
    or a body: subject CN and O, issuer, serial, validity, SHA-256 fingerprint
    and key usages."""
    c = _asn1_certificate(cert)
    key_usage = c.key_usage_value
    ext_key_usage = c.extended_key_usage_value
    return {
        "subject_cn": _name_part(c.subject, "common_name"),
        "subject_o": _name_part(c.subject, "organization_name"),
        "issuer_cn": _name_part(c.issuer, "common_name"),
        "serial": format(c.serial_number, "X"),
        "not_before": c.not_valid_before,
        "not_after": c.not_valid_after,
        "sha256": hashlib.sha256(c.dump()).hexdigest().upper(),
        "key_usage": sorted(key_usage.native) if key_usage is not None else [],
        "extended_key_usage": list(ext_key_usage.native) if ext_key_usage is not None else [],
    }


def certificate_problem(cert: Certificate, trust: Trust, *, at: datetime | None = None) -> str | None:
    """Why `cert` cannot sign documents now (a Vietnamese phrase), or None:
    its chain must end at a trust anchor, it must be within its validity,
    not revoked (as far as the known CRLs say) and allow nonRepudiation."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        ExpiredError,
        InvalidCertificateError,
        NotYetValidError,
        PathBuildingError,
        RevokedError,
        ValidationError,
    )

    c = _asn1_certificate(cert)
    context = trust.context()
    if at is not None:
        context = ValidationContext(
            trust_roots=[_asn1_certificate(r) for r in trust.trust_roots],
            other_certs=[_asn1_certificate(i) for i in trust.intermediates],
            crls=[_crl_der(x) for x in trust.crls],
            allow_fetching=trust.allow_fetching,
            revocation_mode=trust.revocation_mode,
            moment=at,
        )
    validator = CertificateValidator(c, validation_context=context)
    try:
        with _quiet_pyhanko():
            _blocking(asyncio.run, validator.async_validate_usage({"non_repudiation"}))
    except RevokedError:
        return _("chứng thư số đã bị thu hồi")
    except ExpiredError:
        return _("chứng thư số đã hết hạn")
    except NotYetValidError:
        return _("chứng thư số chưa có hiệu lực")
    except PathBuildingError:
        return _("chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp")
    except InvalidCertificateError:
        if _lacks_signing_usage(c):
            return _("chứng thư số không dùng để ký")
        return _("chứng thư số không hợp lệ")
    except ValidationError:
        return _("chứng thư số không hợp lệ")
    return None


# --------------------------------------------------------------------------
# Signers
# --------------------------------------------------------------------------


class _ParsedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its private key again for every
    signature, and parsing an RSA key checks it (about 50 ms for 2048 bits):
    a batch of 200 sealed invitations would spend most of its signing time
    there. This one parses the key once and signs with it; other mechanisms
    go to pyHanko as they are."""

    _parsed = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        if self._parsed is None:
            self._parsed = load_der_private_key(self.signing_key.dump(), password=None)
        return self._parsed.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def signer_from_pkcs12(data: bytes, passphrase: bytes | None) -> signers.Signer:
    """A signer from a PKCS#12 (.p12/.pfx) file's bytes; the chain inside it
    is embedded in every signature."""
    try:
        loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    except ValueError as exc:
        raise ValueError(_("Không mở được tệp chứng thư số PKCS#12: sai mật khẩu hoặc tệp hỏng.")) from exc
    return _ParsedKeySigner(
        signing_key=loaded.signing_key,
        signing_cert=loaded.signing_cert,
        cert_registry=loaded.cert_registry,
        signature_mechanism=loaded.signature_mechanism,
    )


@contextmanager
def signer_from_pkcs11(
    module_path: str,
    token_label: str,
    pin: str,
    key_label: str,
    *,
    ca_chain: Iterable[Certificate] = (),
) -> Iterator[signers.Signer]:
    """A signer on a PKCS#11 token (USB token, HSM); the key and its
    certificate share `key_label`. `ca_chain` is embedded so readers without
    the intermediates can still build the chain. The session is closed when
    the block ends, even on error, so the token is not left logged in."""
    session = open_pkcs11_session(module_path, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    try:
        yield PKCS11Signer(
            session,
            key_label=key_label,
            cert_label=key_label,
            ca_chain=[_asn1_certificate(c) for c in ca_chain],
        )
    finally:
        session.close()


def timestamper_from_url(url: str, *, timeout: int = 10) -> TimeStamper:
    """An RFC 3161 time-stamping client for the configured TSA."""
    return HTTPTimeStamper(url, timeout=timeout)


# --------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------


def _blocking(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def vietnam_time(moment: datetime) -> datetime:
    """`moment` in +07:00, to the second (PDF dates have no fractions)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("signing time must be timezone-aware")
    return moment.astimezone(VIETNAM_TZ).replace(microsecond=0)


def mm_to_pt(mm: float) -> float:
    return mm * POINTS_PER_MM


def seal_box(signature_box: Box, *, diameter_mm: float = 36.0, overlap: float = 1 / 3) -> Box:
    """The square box of a seal `diameter_mm` across (its real size) that
    covers `overlap` of the signature box's width on its left, centred on the
    signature box vertically, as Phụ lục I shows the seal over the signature."""
    x1, y1, x2, y2 = signature_box
    size = mm_to_pt(diameter_mm)
    right = x1 + (x2 - x1) * overlap
    middle = (y1 + y2) / 2
    return (right - size, middle - size / 2, right, middle + size / 2)


SIGNATURE_BYTES = 16384
TIMESTAMP_BYTES = 16384


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose /M, CMS signingTime and appearance time are a given
    instant, rather than now() in the process's local zone."""

    def __init__(self, *args: Any, signing_time: datetime, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


def _transparent_png(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image = image.convert("RGBA") if image.mode != "RGBA" else image
    if image.getchannel("A").getextrema()[0] == 255:
        # An opaque image would hide the text under the signature and the
        # signature under the seal.
        raise ValueError(_("Ảnh chữ ký hoặc con dấu phải là tệp PNG có nền trong suốt."))
    return image


def mostly_red(png: bytes) -> bool:
    """Whether the visible pixels of an image are red on the whole, as a
    seal's image must be (a blue one is a signature's, a black one a scan)."""
    image = _transparent_png(png).resize((64, 64))
    visible = [(r, g, b) for r, g, b, a in image.get_flattened_data() if a > 64]
    if not visible:
        return False
    red = sum(1 for r, g, b in visible if r > 120 and r > 1.6 * g and r > 1.6 * b)
    return red >= 0.6 * len(visible)


def _image_only_style(png: bytes) -> StaticStampStyle:
    # A new PdfImage per signature: it binds to the writer it is drawn into.
    return StaticStampStyle(
        background=PdfImage(_transparent_png(png)),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            # keeps the image's proportions; a stretched seal would not be round
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


def _sign(
    pdf: bytes,
    *,
    signer: signers.Signer,
    field_name: str,
    style: Any,
    signed_at: datetime,
    page: int = 0,
    box: Box | None = None,
    name: str | None = None,
    reason: str | None = None,
    contact_info: str | None = None,
    validation: Trust | None = None,
    timestamper: TimeStamper | None = None,
    text_params: dict[str, str] | None = None,
) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=name,
        reason=reason or None,
        contact_info=contact_info,
        # B-LT: the chain's CRLs go into the file's /DSS, so it still
        # validates when the CA's servers are gone.
        embed_validation_info=validation is not None,
        validation_context=validation.context() if validation is not None else None,
    )
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box) if box is not None else None
    pdf_signer = _TimedPdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=spec,
        timestamper=timestamper,
        signing_time=vietnam_time(signed_at),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # Room for the CMS stated up front: otherwise pyHanko signs twice, once
    # to measure (half of a personal copy's sealing time in a batch). A chain
    # of four 4096-bit certificates and the signed attributes fit in 16 KB;
    # an RFC 3161 token brings its own certificates.
    reserved = SIGNATURE_BYTES + (TIMESTAMP_BYTES if timestamper is not None else 0)
    out = _blocking(pdf_signer.sign_pdf, writer, bytes_reserved=reserved, appearance_text_params=text_params)
    return out.getvalue()


def sign_person(
    pdf: bytes,
    *,
    signer: signers.Signer,
    image_png: bytes,
    box: Box,
    page: int,
    field_name: str,
    name: str,
    reason: str = "",
    signed_at: datetime | None = None,
    validation: Trust | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The signer's signature: a visible field whose appearance is only the
    image of their handwritten signature, fitted and centred in `box`
    (between the title line and the name), PAdES over the whole document."""
    return _sign(
        pdf,
        signer=signer,
        field_name=field_name,
        style=_image_only_style(image_png),
        signed_at=signed_at or datetime.now(VIETNAM_TZ),
        page=page,
        box=box,
        name=name,
        reason=reason,
        validation=validation,
        timestamper=timestamper,
    )


def seal_body(
    pdf: bytes,
    *,
    signer: signers.Signer,
    seal_png: bytes,
    box: Box,
    page: int,
    field_name: str,
    body_name: str,
    signed_at: datetime,
    reason: str = "",
    validation: Trust | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The issuing body's signature: only the seal's image in `box` (see
    `seal_box` for its real size and place), `/Name` = the body's name, the
    signing time as `/M` (+07'00') and as ISO 8601 in `/ContactInfo`. With a
    `timestamper` the signature carries an RFC 3161 timestamp; with
    `validation` the revocation data is embedded (LTV)."""
    moment = vietnam_time(signed_at)
    return _sign(
        pdf,
        signer=signer,
        field_name=field_name,
        style=_image_only_style(seal_png),
        signed_at=moment,
        page=page,
        box=box,
        name=body_name,
        reason=reason,
        contact_info=moment.isoformat(),
        validation=validation,
        timestamper=timestamper,
    )


# -- the attachment's text appearance ---------------------------------------


@cache
def times_font(style: str = "Regular") -> bytes:
    """A TTF metric-compatible with Times New Roman (`style` Regular or
    Italic), scaled to 1000 units per em. pyHanko 0.38 copies the font's raw advance widths into the
    CIDFont's /W array, which PDF reads per 1000 units; a 2048-unit font (all
    three of these) would be drawn with its letters twice as far apart.
    Scaling takes seconds, hence the caches (this process's, and storage)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    found = printing.times_font_file(style)
    with open(found, "rb") as handle:
        source = handle.read()
    # Scaling takes seconds; its result is kept in storage, named by
    # the source font's digest, so each process after the first (every
    # worker, after every restart) reads it in milliseconds.
    name = f"cache/fonts/{hashlib.sha256(source).hexdigest()[:24]}-{style}-1000upem.ttf"
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        pass
    font = TTFont(io.BytesIO(source))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(out.getvalue()))
    return out.getvalue()


class _MemoryFont(FontEngineFactory):
    """GlyphAccumulatorFactory reads a path; this one serves cached bytes."""

    def __init__(self, data: bytes, font_size: int):
        self.data = data
        self.font_size = font_size

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer, font_handle=io.BytesIO(self.data), font_size=self.font_size, obj_stream=obj_stream
        )


@cache
def _times_advances(style: str = "Regular") -> tuple[dict[int, int], int]:
    """Advance widths (per 1000 em) of `times_font(style)` by code point, and
    the width of the missing glyph."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(times_font(style)))
    hmtx = font["hmtx"]
    return {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}, hmtx[".notdef"][0]


def text_width(text: str, size: float, style: str = "Regular") -> float:
    """Width in points of `text` set in Times at `size` (NFC, no kerning)."""
    advances, missing = _times_advances(style)
    return sum(advances.get(ord(ch), missing) for ch in unicodedata.normalize("NFC", text)) * size / 1000


def _visible_box(pdf: bytes, page: int) -> Box:
    # The crop box is what viewers show (it defaults to the media box).
    box = PdfReader(io.BytesIO(pdf)).pages[page].cropbox
    return (float(box.left), float(box.bottom), float(box.right), float(box.top))


ATTACHMENT_FONT_SIZE = 10
# pyHanko's layout does exact arithmetic with Fraction, which takes ints only.
ATTACHMENT_LEADING = 12


def seal_attachment(
    pdf: bytes,
    *,
    signer: signers.Signer,
    parent_number: str,
    signed_at: datetime,
    body_name: str,
    field_name: str = "Sig_CoQuan",
    right_mm: float = 15.0,
    top_mm: float = 6.0,
    validation: Trust | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The body's signature on an attachment sent as a separate file: a
    visible field at the top right of page 1, no image, whose appearance is
    "<parent number and symbol>\\n<signing time ISO 8601>" in Times New Roman
    10, upright, black. The box sits in the top margin (Decree 30's is
    20–25 mm), its right edge on the text's right margin (15 mm)."""
    moment = vietnam_time(signed_at)
    number = unicodedata.normalize("NFC", parent_number.strip())
    iso = moment.isoformat()
    size = ATTACHMENT_FONT_SIZE
    width = max(text_width(number, size), text_width(iso, size)) + 4
    height = 2 * ATTACHMENT_LEADING + 4
    x_min, _y_min, x_max, y_max = _visible_box(pdf, 0)
    right = x_max - mm_to_pt(right_mm)
    top = y_max - mm_to_pt(top_mm)
    style = TextStampStyle(
        stamp_text="%(number)s\n%(iso)s",
        text_box_style=TextBoxStyle(
            font=_MemoryFont(times_font(), size),
            font_size=size,
            leading=ATTACHMENT_LEADING,
            text_color=(0, 0, 0),
            # the text box's own default margin is 10 pt; the box is sized tight
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins.uniform(0),
            ),
        ),
        border_width=0,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins.uniform(2),
            # never shrink the text below 10 pt: the box is sized for it
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )
    return _sign(
        pdf,
        signer=signer,
        field_name=field_name,
        style=style,
        signed_at=moment,
        page=0,
        box=(max(x_min, right - width), top - height, right, top),
        name=body_name,
        contact_info=iso,
        validation=validation,
        timestamper=timestamper,
        text_params={"number": number, "iso": iso},
    )


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a file as the reader should see it. `problem` is a
    Vietnamese sentence, None when the signature is good."""

    field_name: str
    signer_cn: str | None
    signer_o: str | None
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    covers_whole_file: bool
    revision: int  # 0-based revision the signature covers
    total_revisions: int
    problem: str | None
    certificate: asn1_x509.Certificate | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.problem is None


_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_saved: dict[str, int] = {}
NOISY_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    # pyHanko logs every refused signature as an ERROR with its traceback,
    # although the status it returns says the same; an expired certificate
    # in an upload is not a fault of the portal. Levels are process-wide, so
    # nested and concurrent validations share one save/restore.
    global _quiet_depth
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in NOISY_LOGGERS:
                logger = logging.getLogger(name)
                _quiet_saved[name] = logger.level
                logger.setLevel(logging.CRITICAL)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for name, level in _quiet_saved.items():
                    logging.getLogger(name).setLevel(level)


def _lacks_signing_usage(cert: asn1_x509.Certificate) -> bool:
    usage = cert.key_usage_value
    return usage is not None and "non_repudiation" not in usage.native


def _problem(status: Any, cert: asn1_x509.Certificate | None) -> str | None:
    changed = _("Văn bản đã bị sửa sau khi ký")
    if not status.intact:
        return changed
    indic = status.trust_problem_indic
    if status.revoked or indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE):
        return _("Chứng thư số đã bị thu hồi")
    if not status.valid:
        return _("Chữ ký số không hợp lệ")
    if not status.trusted:
        if indic in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.EXPIRED):
            return _("Chứng thư số đã hết hạn")
        if indic == AdESIndeterminate.NOT_YET_VALID:
            return _("Chứng thư số chưa có hiệu lực")
        if indic == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE and cert is not None and _lacks_signing_usage(cert):
            return _("Chứng thư số không dùng để ký")
        return _("Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp")
    if not status.docmdp_ok or status.modification_level == ModificationLevel.OTHER:
        # The signed revision is intact but a later one changed more than
        # signatures and form fields.
        return changed
    if not status.bottom_line:
        return _("Chữ ký số không hợp lệ")
    return None


def _check(embedded: Any, trust: Trust, total_revisions: int) -> SignatureCheck:
    cert = None
    try:
        cert = embedded.signer_cert
        status = _blocking(validate_pdf_signature, embedded, trust.context(), key_usage_settings=SIGNING_KEY_USAGE)
    except Exception as exc:
        # An uploaded file is untrusted input: a signature that cannot even
        # be read is a refusal, not a crash.
        logging.getLogger(__name__).info("unreadable signature %s: %s", embedded.field_name, exc)
        return SignatureCheck(
            field_name=embedded.field_name,
            signer_cn=_name_part(cert.subject, "common_name") if cert else None,
            signer_o=_name_part(cert.subject, "organization_name") if cert else None,
            signed_at=None,
            intact=False,
            valid=False,
            trusted=False,
            revoked=False,
            covers_whole_file=False,
            revision=embedded.signed_revision,
            total_revisions=total_revisions,
            problem=_("Chữ ký số không đọc được"),
            certificate=cert,
        )
    moment = status.signer_reported_dt
    if status.timestamp_validity is not None and status.timestamp_validity.intact:
        moment = status.timestamp_validity.timestamp
    return SignatureCheck(
        field_name=embedded.field_name,
        signer_cn=_name_part(status.signing_cert.subject, "common_name"),
        signer_o=_name_part(status.signing_cert.subject, "organization_name"),
        signed_at=moment.astimezone(VIETNAM_TZ) if moment else None,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        revoked=bool(status.revoked),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        revision=embedded.signed_revision,
        total_revisions=total_revisions,
        problem=_problem(status, status.signing_cert),
        certificate=status.signing_cert,
    )


def _validate(pdf: bytes, trust: Trust) -> list[SignatureCheck]:
    with _quiet_pyhanko():
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        total = reader.xrefs.total_revisions
        return [_check(embedded, trust, total) for embedded in reader.embedded_signatures]


def validate(
    pdf: bytes,
    *,
    trust_roots: Iterable[Certificate],
    intermediates: Iterable[Certificate] = (),
    crls: Iterable[Any] = (),
    allow_fetching: bool = False,
) -> list[SignatureCheck]:
    """Every signature of `pdf`, in file order, checked against the given
    roots (offline unless `allow_fetching`: then CRLs named in the
    certificates are fetched over http(s))."""
    trust = Trust(tuple(trust_roots), tuple(intermediates), tuple(crls), allow_fetching)
    return _validate(pdf, trust)


# --------------------------------------------------------------------------
# Signing outside the portal (the signer's own token and software)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TextSlot:
    """A place left empty on the signed document and filled at the body's
    signing: the number ("Số: 05/…") and the date ("ngày 05 tháng 3 năm
    2026"). It is a read-only text form field, because filling a form field
    is the one change a signature allows after it (pyHanko's diff analysis
    calls it FORM_FILLING; the signer's signature stays valid), whereas
    writing into the page's content would break it."""

    name: str
    page: int
    box: Box
    size: int  # points, as the document prints that line
    italic: bool = False
    align: str = "left"  # or "right": the number ends where "/KH-UBND" starts

    def as_json(self) -> dict:
        return {**self.__dict__, "box": list(self.box)}

    @classmethod
    def from_json(cls, data: dict) -> TextSlot:
        return cls(**{**data, "box": tuple(data["box"])})


_READ_ONLY = 1  # /Ff bit 1: nobody types into it in a PDF reader


def _add_text_field(writer: IncrementalPdfFileWriter, slot: TextSlot) -> None:
    page_ref = writer.find_page_for_modification(slot.page)[0]
    page = page_ref.get_object()
    widget = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): generic.pdf_string(slot.name),
            pdf_name("/F"): generic.NumberObject(4),  # printed
            pdf_name("/Ff"): generic.NumberObject(_READ_ONLY),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in slot.box),
            pdf_name("/P"): page_ref,
            # Required of a text field; the appearance drawn at filling is
            # what readers show, in the document's own Times.
            pdf_name("/DA"): generic.pdf_string(f"/Helv {slot.size} Tf 0 g"),
        }
    )
    ref = writer.add_object(widget)
    annots = page.get("/Annots")
    if annots is None:
        page[pdf_name("/Annots")] = generic.ArrayObject([ref])
    else:
        annots.get_object().append(ref)
        if isinstance(annots, generic.IndirectObject):
            writer.update_container(annots)
    writer.update_container(page)
    form = writer.root["/AcroForm"]
    form["/Fields"].append(ref)
    writer.update_container(form)


def prepare_for_external_signing(
    pdf: bytes, *, box: Box, page: int, field_name: str, text_slots: Iterable[TextSlot] = ()
) -> bytes:
    """`pdf` plus an empty signature field where the signature must go (the
    signer's software fills that field and saves incrementally), and the
    empty text fields the body's signing fills."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box))
    for slot in text_slots:
        _add_text_field(writer, slot)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _slot_appearance(writer: IncrementalPdfFileWriter, slot: TextSlot, text: str) -> generic.IndirectObject:
    x1, y1, x2, y2 = slot.box
    align = layout.AxisAlignment.ALIGN_MAX if slot.align == "right" else layout.AxisAlignment.ALIGN_MIN
    style = TextStampStyle(
        stamp_text="%(text)s",
        border_width=0,
        text_box_style=TextBoxStyle(
            font=_MemoryFont(times_font("Italic" if slot.italic else "Regular"), slot.size),
            font_size=slot.size,
            text_color=(0, 0, 0),
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=align, y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins.uniform(0)
            ),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=align,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            # the slot is sized for the usual values at the printed size; a
            # longer one (number 1000 and above) is drawn smaller, never cut
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )
    stamp = TextStamp(writer, style, text_params={"text": text}, box=layout.BoxConstraints(x2 - x1, y2 - y1))
    return writer.add_object(stamp.as_form_xobject())


def fill_text_fields(pdf: bytes, values: dict[str, str], slots: Iterable[TextSlot]) -> bytes:
    """`pdf` with the named text fields given their values and an appearance
    in Times at the slot's size, as one incremental update."""
    by_name = {slot.name: slot for slot in slots}
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    filled = set()
    for ref in writer.root["/AcroForm"]["/Fields"]:
        widget = ref.get_object()
        name = str(widget.get("/T", ""))
        if name not in values or name not in by_name:
            continue
        text = unicodedata.normalize("NFC", values[name])
        widget[pdf_name("/V")] = generic.pdf_string(text)
        widget[pdf_name("/AP")] = generic.DictionaryObject(
            {pdf_name("/N"): _slot_appearance(writer, by_name[name], text)}
        )
        writer.update_container(widget)
        filled.add(name)
    missing = set(values) - filled
    if missing:
        raise ValueError(f"no text field named {', '.join(sorted(missing))}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class UploadCheck:
    """The verdict on a file signed outside the portal. When refused,
    `reasons` say why in Vietnamese (a service raises Refused(*reasons));
    when accepted, `certificate` is the signer's, to match to a person."""

    accepted: bool
    reasons: list[str]
    certificate: asn1_x509.Certificate | None = field(default=None, repr=False)
    signature: SignatureCheck | None = None


def check_external_upload(prepared: bytes, uploaded: bytes, *, validation: Trust) -> UploadCheck:
    """Accept `uploaded` only if it is `prepared` byte for byte, followed by
    exactly one incremental update that signs one of the prepared empty
    fields, with nothing after the signature, and that signature is intact,
    valid and trusted. A signer's tool that rewrites the whole file (instead
    of saving incrementally) is refused too: what was signed could not be
    shown to be what the portal prepared."""
    if uploaded == prepared:
        return UploadCheck(
            False, [_("Tệp tải lên là tệp cần ký nhưng chưa có chữ ký số. Hãy ký số tệp này rồi tải lên tệp đã ký.")]
        )
    if uploaded[: len(prepared)] != prepared:
        return UploadCheck(False, [_("Tệp đã ký không phải là tệp đã chuẩn bị để ký: nội dung đã khác.")])
    prepared_reader = PdfFileReader(io.BytesIO(prepared), strict=False)
    prepared_revisions = prepared_reader.xrefs.total_revisions
    empty_fields = {name for name, _value, _ref in fields.enumerate_sig_fields(prepared_reader, filled_status=False)}
    try:
        reader = PdfFileReader(io.BytesIO(uploaded), strict=False)
        new = [s for s in reader.embedded_signatures if s.field_name in empty_fields]
    except Exception:  # any parse failure of an untrusted upload is a refusal
        return UploadCheck(False, [_("Không đọc được tệp đã ký.")])
    if len(new) != 1:
        return UploadCheck(False, [_("Tệp không có đúng một chữ ký số ở ô ký đã chuẩn bị.")])
    embedded = new[0]
    _start, signed_end, tail_start, tail_len = (int(v) for v in embedded.byte_range)
    if embedded.signed_revision != prepared_revisions or signed_end < len(prepared):
        return UploadCheck(False, [_("Chữ ký số không ký đúng tệp đã chuẩn bị.")])
    if len(uploaded) != tail_start + tail_len:
        return UploadCheck(False, [_("Tệp có nội dung được thêm vào sau khi ký.")])
    with _quiet_pyhanko():
        check = _check(embedded, validation, reader.xrefs.total_revisions)
    if not check.ok:
        return UploadCheck(False, [check.problem], check.certificate, check)
    return UploadCheck(True, [], check.certificate, check)
