"""A certification authority built by code: the one the demo installs (so
the signed way can be tried end to end without a real CA's token) and the
one the signature tests use (tests/pki.py builds its cast from these).

Never for production: keys are generated here and the passphrase is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

CRL_URL = "http://127.0.0.1:9/issuing.crl"  # discard port: fetching it always fails fast


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


def new_key() -> rsa.RSAPrivateKey:
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


def issue_certificate(
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
    key = key or new_key()
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


def revocation_list(issuer: Party, revoked: list[Party], now: datetime) -> x509.CertificateRevocationList:
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


def pkcs12_file(party: Party, chain: list[x509.Certificate], passphrase: bytes, name: bytes = b"cchc") -> bytes:
    """The party's key, certificate and chain as a .p12 file's bytes."""
    return pkcs12.serialize_key_and_certificates(
        name, party.key, party.cert, chain, serialization.BestAvailableEncryption(passphrase)
    )
