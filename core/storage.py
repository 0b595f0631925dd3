"""Files, always through Django's storage API: written at an exact name,
handed out as private attachments, and kept between an upload's preview and
its confirmation."""

from __future__ import annotations

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.crypto import get_random_string


def store_file(path: str, data: bytes) -> str:
    """Write `data` at exactly `path` (a rerun replaces it, never adds a
    renamed copy) and return the stored name."""
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


def private_attachment(field, name: str, content_type: str | None = None) -> FileResponse:
    """A stored private file (a presentation, an evidence file, a duty's
    attachment) as a download: always an attachment, never rendered inline,
    under its original Vietnamese name (RFC 5987 `filename*`, which Django
    writes), with nosniff and a sandboxing CSP in case a browser renders it
    anyway."""
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


STASH_MAX_AGE = 3600


def stash_upload(data: bytes, *, purpose: str, owner: int, scope: list, extra: list = ()) -> str:
    """Keep an uploaded file between its preview and the confirmation: in
    storage (which every web machine shares), named by a signed token that
    also names who previewed it and for what, so it can only be confirmed
    there, by them."""
    name = default_storage.save(f"imports/stash/{get_random_string(24)}.upload", ContentFile(data))
    return signing.dumps([name, owner, scope, *extra], salt=purpose)


def unstash_upload(token: str, *, purpose: str, owner: int, scope: list) -> tuple[bytes, str, list] | None:
    """(data, storage name, extra) of a stashed upload; None once it expired,
    was used (a second click on the confirmation) or belongs elsewhere."""
    try:
        name, stashed_owner, stashed_scope, *extra = signing.loads(token, salt=purpose, max_age=STASH_MAX_AGE)
        if stashed_owner != owner or stashed_scope != scope:
            return None
        with default_storage.open(name, "rb") as handle:
            return handle.read(), name, extra
    except (signing.BadSignature, FileNotFoundError, ValueError):
        return None


def discard(name: str) -> None:
    default_storage.delete(name)
