"""Word, PowerPoint and OpenDocument files to PDF, through LibreOffice
without a screen, where the machine has it. Without it the booklet lists
those presentations instead of including them."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def binary() -> str | None:
    configured = getattr(settings, "LIBREOFFICE_BINARY", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return binary() is not None


def to_pdf(data: bytes, suffix: str) -> bytes | None:
    """The PDF of an Office file, or None when it cannot be converted."""
    return convert(data, suffix, "pdf")


def convert(data: bytes, suffix: str, target: str, *, timeout: int = 180) -> bytes | None:
    program = binary()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="cchc-convert-") as tmp:
        work = Path(tmp)
        source = work / f"input.{suffix}"
        source.write_bytes(data)
        # A profile of its own: two conversions at once would otherwise fight
        # over the user's profile lock, and one of them would quietly do nothing.
        profile = (work / "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, check=True, timeout=timeout, capture_output=True)
        except (subprocess.SubprocessError, OSError):
            logger.exception("LibreOffice could not convert a .%s file", suffix)
            return None
        result = work / "out" / f"input.{target}"
        return result.read_bytes() if result.exists() else None
