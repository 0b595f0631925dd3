"""Which code is running: written into backup manifests and /metrics."""

from __future__ import annotations

import functools
import subprocess

from django.conf import settings


@functools.cache
def portal_version() -> str:
    """PORTAL_VERSION when the deployment sets it, else the checkout's commit."""
    if settings.PORTAL_VERSION:
        return settings.PORTAL_VERSION
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"
