"""The body keys' secrets at rest (a PKCS#12 file, its passphrase, a token's
PIN): encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`)
under a key derived from SIGNING_KEY_SECRET, which lives in the environment,
not in the database, so a copy of the database or of a backup alone does not
give the key. Without that setting the key derives from SECRET_KEY (a
development convenience; `check --deploy` warns)."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    secret = (getattr(settings, "SIGNING_KEY_SECRET", "") or settings.SECRET_KEY).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cchc-body-keys", info=b"fernet").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(token: bytes | memoryview) -> bytes:
    """The secret back; ValueError if it was encrypted under another key (the
    setting changed) or altered."""
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise ValueError("body key secret cannot be decrypted: SIGNING_KEY_SECRET changed?") from exc
