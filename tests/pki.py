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

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from demo.pki import SIGNING_USAGE, Party, issue_certificate, pkcs12_file, revocation_list

VIETNAM_TZ = timezone(timedelta(hours=7))
PKCS12_PASSPHRASE = b"secret"


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
        return pkcs12_file(party, chain, passphrase, b"test")


def _person(cn: str, issuer: Party, now: datetime, **kwargs) -> Party:
    names = [(NameOID.COUNTRY_NAME, "VN"), (NameOID.STATE_OR_PROVINCE_NAME, "Lạng Sơn"), (NameOID.COMMON_NAME, cn)]
    return issue_certificate(names, issuer=issuer, now=now, usage=kwargs.pop("usage", SIGNING_USAGE), **kwargs)


@cache
def authority() -> Authority:
    now = datetime.now(VIETNAM_TZ).replace(microsecond=0)
    test_o = (NameOID.ORGANIZATION_NAME, "CCHC Test")
    root = issue_certificate(
        [(NameOID.COUNTRY_NAME, "VN"), test_o, (NameOID.COMMON_NAME, "CCHC Test Root CA")],
        issuer=None,
        now=now,
        ca=True,
    )
    inter = issue_certificate(
        [(NameOID.COUNTRY_NAME, "VN"), test_o, (NameOID.COMMON_NAME, "CCHC Test Issuing CA")],
        issuer=root,
        now=now,
        ca=True,
        crl_url=None,
    )
    body_name = "Sở Nội vụ tỉnh Lạng Sơn"
    body = issue_certificate(
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
    rogue_root = issue_certificate([(NameOID.COMMON_NAME, "Rogue Root CA")], issuer=None, now=now, ca=True)
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
        tsa=issue_certificate(
            [(NameOID.COMMON_NAME, "CCHC Test TSA")],
            issuer=inter,
            now=now,
            usage={"digital_signature": True},
            ext_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
        ),
        rogue_root=rogue_root,
        untrusted=_person("Hoàng Văn Em", rogue_root, now, crl_url=None),
        crl=revocation_list(inter, [revoked], now),
        root_crl=revocation_list(root, [], now),
    )
