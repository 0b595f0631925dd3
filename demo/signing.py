"""Digital signing in the demo: a test certification authority as the trust
anchors, the body key of every issuer of a demo draft, and a certificate for
every person who signs one. Each signer's key is written as a .p12 file
(passphrase: the demo password) with an image of their signature and a
pyHanko configuration, so the signed way can be tried end to end:

    pyhanko --config <dir>/pyhanko.yml sign addsig --field ChuKyNguoiKy \\
        --style-name <slug> pkcs12 tep-can-ky.pdf tep-da-ky.pdf <dir>/<slug>.p12

Running it again changes nothing."""

from __future__ import annotations

import io
import math
import zlib
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageDraw

from agencies.models import Person, Role, User
from core.storage import store_file
from core.text import fold
from documents.models import Document, TrustAnchor
from documents.services import signatures
from documents.signing import VIETNAM_TZ

from .directory import DEMO_PASSWORD
from .pki import SIGNING_USAGE, issue_certificate, pkcs12_file, revocation_list

ROOT_NAME = "CA thử nghiệm CCHC (chỉ dùng cho bản demo)"
FOLDER = "demo-ky-so"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seal_image() -> bytes:
    """A red seal: two rings and a star, on a transparent background."""
    image = Image.new("RGBA", (420, 420), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 16, 24, 235)
    draw.ellipse((8, 8, 412, 412), outline=red, width=14)
    draw.ellipse((70, 70, 350, 350), outline=red, width=6)
    draw.regular_polygon((210, 210, 90), 5, fill=red, rotation=0)
    return _png(image)


def signature_image(name: str) -> bytes:
    """A blue handwritten-like stroke, different for each name."""
    seed = zlib.crc32(name.encode())
    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    a, b = 7 + seed % 5, 19 + seed % 11
    points = [(40 + i * 2.6, 120 + 70 * math.sin(i / a) * math.cos(i / b)) for i in range(200)]
    ImageDraw.Draw(image).line(points, fill=(16, 40, 180, 255), width=8)
    return _png(image)


def _names(cn: str, organisation: str = "") -> list[tuple]:
    names = [(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        names.append((NameOID.ORGANIZATION_NAME, organisation))
    return [*names, (NameOID.COMMON_NAME, cn)]


def _signers(drafts: list[Document]) -> set[Person]:
    """Who may sign the demo drafts: each draft's chosen signer, and the
    leaders the directory offers for its issuer (the drafting page's
    choices). Nobody is added to the directory: the demo's drafts keep
    drafting as they did."""
    from documents import selectors

    people = {d.signer for d in drafts if d.signer_id}
    for issuer in {d.issuer for d in drafts}:
        people.update(selectors.signers(issuer)[:4])
    return people


def seed_signing(stdout=None) -> None:
    if TrustAnchor.objects.filter(name=ROOT_NAME).exists():
        return
    admin = User.objects.filter(role=Role.ADMINISTRATOR).order_by("pk").first()
    now = datetime.now(VIETNAM_TZ).replace(microsecond=0)
    root = issue_certificate(_names("CCHC Demo Root CA", "CCHC Demo"), issuer=None, now=now, ca=True)
    issuing = issue_certificate(
        _names("CCHC Demo Issuing CA", "CCHC Demo"), issuer=root, now=now, ca=True, crl_url=None
    )
    anchor = signatures.trust_anchor_add(actor=admin, data=root.cert_der, name=ROOT_NAME)
    middle = signatures.trust_anchor_add(
        actor=admin, data=issuing.cert_der, name="CA cấp chứng thư thử nghiệm CCHC", kind=TrustAnchor.Kind.INTERMEDIATE
    )
    later = now + timedelta(days=365)
    signatures.trust_anchor_crl(
        actor=admin, anchor=middle, data=revocation_list(issuing, [], now).public_bytes(serialization.Encoding.DER)
    )
    signatures.trust_anchor_crl(
        actor=admin, anchor=anchor, data=revocation_list(root, [], now).public_bytes(serialization.Encoding.DER)
    )
    chain = [issuing.cert, root.cert]
    passphrase = DEMO_PASSWORD.encode()
    drafts = list(Document.objects.filter(status=Document.Status.DRAFT).select_related("issuer", "signer"))
    styles = []
    for issuer in {d.issuer for d in drafts}:
        body = issue_certificate(
            _names(issuer.name, issuer.name),
            issuer=issuing,
            now=now,
            usage=SIGNING_USAGE,
            crl_url=None,
            not_after=later,
        )
        signatures.body_key_add(
            actor=admin,
            agency=issuer,
            seal_png=seal_image(),
            seal_diameter_mm=40 if "ủy ban nhân dân tỉnh" in issuer.name.lower() else 36,
            pkcs12=pkcs12_file(body, chain, passphrase),
            passphrase=DEMO_PASSWORD,
        )
    for person in sorted(_signers(drafts), key=lambda p: p.pk):
        party = issue_certificate(
            _names(person.full_name), issuer=issuing, now=now, usage=SIGNING_USAGE, crl_url=None, not_after=later
        )
        signatures.certificate_add(actor=admin, data=party.cert_der, person=person)
        slug = slugify(fold(person.full_name)) or f"nguoi-ky-{person.pk}"
        if any(slug == taken for taken, _path in styles):  # namesakes keep their own files
            slug = f"{slug}-{person.pk}"
        # At exactly these names: a key left from an earlier demo database
        # (another CA) must not stand where the README sends people.
        store_file(f"{FOLDER}/{slug}.p12", pkcs12_file(party, chain, passphrase))
        image = store_file(f"{FOLDER}/{slug}-chu-ky.png", signature_image(person.full_name))
        styles.append((slug, default_storage.path(image)))
    config = ["stamp-styles:"]
    for slug, path in styles:
        config += [
            f"  {slug}:",
            "    type: text",
            "    stamp-text: ''",
            "    border-width: 0",
            f"    background: '{path}'",
            "    background-opacity: 1",
        ]
    store_file(f"{FOLDER}/pyhanko.yml", ("\n".join(config) + "\n").encode())
    if stdout is not None:
        stdout.write(
            f"Ký số thử: {len(styles)} người ký, khóa và ảnh chữ ký ở {default_storage.path(FOLDER)} "
            f"(mật khẩu tệp .p12: {DEMO_PASSWORD})."
        )
