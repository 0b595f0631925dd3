"""Every change to a document (drafts.py), every file made of one
(files.py), and documents signed elsewhere entered in the register
(register.py). Callers use this package's names."""

from .drafts import (
    HEADER_FIELDS,
    allocate_number,
    document_create,
    document_save,
    issue,
    issuer_defaults,
    lock_counter,
    replacement_create,
    revoke,
)
from .files import addressees_for, batch_email, batch_finish, batch_start, file_render, request_batch, request_file
from .register import document_register, issuer_refusal, signed_pdf

__all__ = [
    "HEADER_FIELDS",
    "addressees_for",
    "allocate_number",
    "batch_email",
    "batch_finish",
    "batch_start",
    "document_create",
    "document_register",
    "document_save",
    "file_render",
    "issue",
    "issuer_defaults",
    "issuer_refusal",
    "lock_counter",
    "replacement_create",
    "request_batch",
    "request_file",
    "revoke",
    "signed_pdf",
]
