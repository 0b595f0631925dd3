"""Every change to presentations (presentations.py) and the booklet
(booklets.py). Callers use this package's names."""

from .booklets import booklet_build, booklet_request
from .presentations import (
    assignment_agencies,
    assignment_delete,
    assignment_save,
    assignment_sync,
    presentation_review,
    upload_deadline_refusal,
    version_upload,
)

__all__ = [
    "assignment_agencies",
    "assignment_delete",
    "assignment_save",
    "assignment_sync",
    "booklet_build",
    "booklet_request",
    "presentation_review",
    "upload_deadline_refusal",
    "version_upload",
]
