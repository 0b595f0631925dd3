"""A private SoftHSM2 token for the signature tests, and a way to sign on it.

libsofthsm2 reads SOFTHSM2_CONF once, when a process first initialises it,
and python-pkcs11 keeps the loaded library for the life of the process. So
everything that touches the token (writing the certificate object, signing)
runs in a child Python started with SOFTHSM2_CONF pointing at this test's
token directory, rather than setting the variable in the pytest process:
there it would depend on import order, leak into every later test, and a
second token directory could never be used. A child costs about a second.

    with softhsm_token(tmp_path, key_pem=..., cert_der=...) as token:
        signed = call_with_token(token, "documents.signing:seal_body", pdf=..., ...)

`call_with_token` runs `<module>:<function>(signer=<PKCS11 signer>, **kwargs)`
in the child and returns its result; arguments and result travel pickled.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODULE_PATH = "/usr/lib/softhsm/libsofthsm2.so"
REPO = Path(__file__).resolve().parents[1]


def unavailable_reason() -> str | None:
    """Why the token tests cannot run here, or None (scripts/system-packages.sh installs softhsm2)."""
    if not Path(MODULE_PATH).exists() or shutil.which("softhsm2-util") is None:
        return "softhsm2 is not installed (apt-get install softhsm2; see scripts/system-packages.sh)"
    return None


@dataclass(frozen=True)
class Token:
    module_path: str
    token_label: str
    pin: str
    key_label: str
    conf: Path

    def env(self) -> dict[str, str]:
        return {**os.environ, "SOFTHSM2_CONF": str(self.conf)}


def _run(args: list[str], token: Token, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(args, input=stdin, capture_output=True, env=token.env(), cwd=REPO, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return done.stdout


def _child(request: dict, token: Token) -> Any:
    out = _run([sys.executable, "-m", "tests.softhsm"], token, pickle.dumps(request))
    return pickle.loads(out)


@contextmanager
def softhsm_token(
    base: Path,
    *,
    key_pem: bytes,
    cert_der: bytes,
    token_label: str = "cchc-test",
    pin: str = "1234",
    key_label: str = "body",
) -> Iterator[Token]:
    """A fresh token under `base` holding one key (unencrypted PKCS#8 PEM)
    and its certificate, both labelled `key_label` with CKA_ID 01."""
    tokens = base / "tokens"
    tokens.mkdir(parents=True)
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    token = Token(MODULE_PATH, token_label, pin, key_label, conf)
    util = "softhsm2-util"
    _run([util, "--init-token", "--free", "--label", token_label, "--pin", pin, "--so-pin", "5678"], token)
    key_file = base / "key.p8.pem"
    key_file.write_bytes(key_pem)
    try:
        args = ["--import", str(key_file), "--token", token_label, "--label", key_label, "--id", "01", "--pin", pin]
        _run([util, *args], token)
    finally:
        key_file.unlink()
    # softhsm2-util imports keys only; the certificate object is written
    # through PKCS#11 itself.
    _child({"op": "import-cert", "token": token, "cert_der": cert_der}, token)
    try:
        yield token
    finally:
        shutil.rmtree(tokens, ignore_errors=True)


def call_with_token(token: Token, function: str, /, *, ca_chain: tuple = (), **kwargs: Any) -> tuple[Any, float]:
    """`function(signer=<the token's signer>, **kwargs)` run in a child with
    the token's configuration; returns (result, seconds the call took)."""
    return _child({"op": "call", "token": token, "function": function, "ca_chain": ca_chain, "kwargs": kwargs}, token)


def _import_cert(token: Token, cert_der: bytes) -> None:
    import pkcs11
    from asn1crypto import x509
    from pkcs11 import Attribute, CertificateType, ObjectClass

    cert = x509.Certificate.load(cert_der)
    slot_token = pkcs11.lib(token.module_path).get_token(token_label=token.token_label)
    with slot_token.open(rw=True, user_pin=token.pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: token.key_label,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.dump(),
                Attribute.ISSUER: cert.issuer.dump(),
                Attribute.SERIAL_NUMBER: cert["tbs_certificate"]["serial_number"].dump(),
                Attribute.VALUE: cert.dump(),
            }
        )


def _call(token: Token, function: str, ca_chain: tuple, kwargs: dict) -> tuple[Any, float]:
    import importlib

    from documents.signing import signer_from_pkcs11

    module_name, name = function.split(":")
    target = getattr(importlib.import_module(module_name), name)
    started = time.perf_counter()
    with signer_from_pkcs11(token.module_path, token.token_label, token.pin, token.key_label, ca_chain=ca_chain) as s:
        result = target(signer=s, **kwargs)
    return result, time.perf_counter() - started


def _main() -> None:
    request = pickle.loads(sys.stdin.buffer.read())
    if request["op"] == "import-cert":
        result: Any = _import_cert(request["token"], request["cert_der"])
    else:
        result = _call(request["token"], request["function"], request["ca_chain"], request["kwargs"])
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _main()
