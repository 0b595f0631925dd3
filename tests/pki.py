"""A test certification authority built by code, for the signature tests.

Root → intermediate "CCHC Test Issuing CA", which issues: the signer "Nguyễn
Văn An" (digitalSignature + nonRepudiation), the body "Sở Nội vụ tỉnh Lạng
Sơn", an expired signer, a revoked one (listed on the intermediate's CRL), one
whose key is only for encipherment, and a time-stamping authority. An
unrelated "rogue" root issues one more signer, to be untrusted.

Key generation is the slow part, so everything is built once per process
(`functools.cache`), not per test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VIETNAM_TZ = timezone(timedelta(hours=7))
CRL_URL = "http://127.0.0.1:9/issuing.crl"  # discard port: fetching it always fails fast
PKCS12_PASSPHRASE = b"secret"


@dataclass(frozen=True)
class Party:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert_der)

    @property
    def key_pkcs8_pem(self) -> bytes:
        """Unencrypted PKCS#8 PEM: what softhsm2-util --import reads."""
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def key_asn1(self) -> asn1_keys.PrivateKeyInfo:
        der = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class Authority:
    root: Party
    intermediate: Party
    signer: Party
    body: Party
    expired: Party
    revoked: Party
    wrong_usage: Party
    tsa: Party
    rogue_root: Party
    untrusted: Party
    crl: x509.CertificateRevocationList  # the intermediate's, lists `revoked`
    root_crl: x509.CertificateRevocationList  # the root's, empty

    @property
    def crls_der(self) -> tuple[bytes, bytes]:
        return (
            self.crl.public_bytes(serialization.Encoding.DER),
            self.root_crl.public_bytes(serialization.Encoding.DER),
        )

    def pkcs12(self, party: Party, passphrase: bytes = PKCS12_PASSPHRASE) -> bytes:
        """The party's key, certificate and chain as a .p12 file's bytes."""
        chain = [self.intermediate.cert, self.root.cert] if party is not self.untrusted else [self.rogue_root.cert]
        return pkcs12.serialize_key_and_certificates(
            b"test", party.key, party.cert, chain, serialization.BestAvailableEncryption(passphrase)
        )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


NO_USAGE = dict(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
SIGNING_USAGE = {"digital_signature": True, "content_commitment": True}  # content_commitment = nonRepudiation


def _issue(
    names: list[tuple],
    *,
    issuer: Party | None,
    now: datetime,
    ca: bool = False,
    usage: dict | None = None,
    ext_usage: list | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    crl_url: str | None = CRL_URL,
    key: rsa.RSAPrivateKey | None = None,
) -> Party:
    key = key or _key()
    subject = x509.Name([x509.NameAttribute(oid, value) for oid, value in names])
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=365 * (10 if ca else 1)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca and issuer else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(**{**NO_USAGE, **({"key_cert_sign": True, "crl_sign": True} if ca else usage or {})}),
            critical=True,
        )
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
        if crl_url:
            point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ext_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(ext_usage), critical=True)
    return Party(key, builder.sign(signing_key, hashes.SHA256()))


def _crl(issuer: Party, revoked: list[Party], now: datetime) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    for party in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(party.cert.serial_number)
            .revocation_date(now - timedelta(days=2))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(issuer.key, hashes.SHA256())


def _person(cn: str, issuer: Party, now: datetime, **kwargs) -> Party:
    names = [(NameOID.COUNTRY_NAME, "VN"), (NameOID.STATE_OR_PROVINCE_NAME, "Lạng Sơn"), (NameOID.COMMON_NAME, cn)]
    return _issue(names, issuer=issuer, now=now, usage=kwargs.pop("usage", SIGNING_USAGE), **kwargs)


@cache
def authority() -> Authority:
    now = datetime.now(VIETNAM_TZ).replace(microsecond=0)
    test_o = (NameOID.ORGANIZATION_NAME, "CCHC Test")
    root = _issue(
        [(NameOID.COUNTRY_NAME, "VN"), test_o, (NameOID.COMMON_NAME, "CCHC Test Root CA")],
        issuer=None,
        now=now,
        ca=True,
    )
    inter = _issue(
        [(NameOID.COUNTRY_NAME, "VN"), test_o, (NameOID.COMMON_NAME, "CCHC Test Issuing CA")],
        issuer=root,
        now=now,
        ca=True,
        crl_url=None,
    )
    body_name = "Sở Nội vụ tỉnh Lạng Sơn"
    body = _issue(
        [
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.STATE_OR_PROVINCE_NAME, "Lạng Sơn"),
            (NameOID.ORGANIZATION_NAME, body_name),
            (NameOID.COMMON_NAME, body_name),
        ],
        issuer=inter,
        now=now,
        usage=SIGNING_USAGE,
    )
    revoked = _person("Lê Văn Cường", inter, now)
    rogue_root = _issue([(NameOID.COMMON_NAME, "Rogue Root CA")], issuer=None, now=now, ca=True)
    return Authority(
        root=root,
        intermediate=inter,
        signer=_person("Nguyễn Văn An", inter, now),
        body=body,
        expired=_person(
            "Trần Thị Bình", inter, now, not_before=now - timedelta(days=400), not_after=now - timedelta(days=30)
        ),
        revoked=revoked,
        wrong_usage=_person("Phạm Văn Dũng", inter, now, usage={"key_encipherment": True}),
        tsa=_issue(
            [(NameOID.COMMON_NAME, "CCHC Test TSA")],
            issuer=inter,
            now=now,
            usage={"digital_signature": True},
            ext_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
        ),
        rogue_root=rogue_root,
        untrusted=_person("Hoàng Văn Em", rogue_root, now, crl_url=None),
        crl=_crl(inter, [revoked], now),
        root_crl=_crl(root, [], now),
    )
