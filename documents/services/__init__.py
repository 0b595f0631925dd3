"""Every change to a document (drafts.py), every file made of one
(files.py), and documents signed elsewhere entered in the register
(register.py). Callers use this package's names."""

from .drafts import (
    HEADER_FIELDS,
    SIGNED_BY,
    SIGNING_OPEN,
    allocate_number,
    document_create,
    document_save,
    issue,
    issuer_defaults,
    lock_counter,
    replacement_create,
    revoke,
    signature_refresh,
)
from .files import addressees_for, batch_email, batch_finish, batch_start, file_render, request_batch, request_file
from .outlines import (
    document_redraft,
    draft_from_outline,
    drafted_sections,
    outline_for,
    outline_save,
    outline_template_apply,
    outline_template_delete,
    outline_template_save,
)
from .register import document_register, issuer_refusal, signed_pdf

__all__ = [
    "SIGNING_OPEN",
    "HEADER_FIELDS",
    "SIGNED_BY",
    "addressees_for",
    "allocate_number",
    "batch_email",
    "batch_finish",
    "batch_start",
    "document_create",
    "document_redraft",
    "document_register",
    "document_save",
    "draft_from_outline",
    "drafted_sections",
    "file_render",
    "issue",
    "issuer_defaults",
    "issuer_refusal",
    "lock_counter",
    "outline_for",
    "outline_save",
    "outline_template_apply",
    "outline_template_delete",
    "outline_template_save",
    "replacement_create",
    "request_batch",
    "request_file",
    "revoke",
    "signature_refresh",
    "signed_pdf",
]
