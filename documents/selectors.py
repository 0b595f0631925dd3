"""Reads of documents, scoped to the user's province. Organisers, leaders
and administrators see drafts; officials see what has been issued."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from agencies.selectors import scope_to_province
from core.lookups import search_q

from .models import Document, RenderBatch, RenderedFile


def visible_documents(user) -> QuerySet[Document]:
    qs = scope_to_province(Document.objects.all(), user=user)
    if not user.has_perm("documents.view_drafts"):
        qs = qs.exclude(status=Document.Status.DRAFT)
    return qs


def document_list(*, user, search: str = "", doc_type: str = "", status: str = "") -> QuerySet[Document]:
    qs = visible_documents(user).select_related("issuer", "province")
    if search:
        qs = qs.filter(search_q(search, "title", "issuer__name"))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if status:
        qs = qs.filter(status=status)
    return qs


def register_issuers(*, user) -> QuerySet:
    """Issuers a document may be registered under: every unit of the user's
    province, those no longer active too (an archive's 2024 document names a
    district dissolved in 2025); the form checks the unit against the day."""
    from agencies.models import Agency

    return scope_to_province(Agency.objects.all(), user=user).select_related("province").order_by("kind", "name")


def document_get(*, user, pk) -> Document:
    return get_object_or_404(
        visible_documents(user).select_related("issuer", "province", "issued_file", "replaces"), pk=pk
    )


def documents_for_source(source) -> QuerySet[Document]:
    from django.contrib.contenttypes.models import ContentType

    return (
        Document.objects.filter(content_type=ContentType.objects.get_for_model(source), object_id=source.pk)
        .select_related("issuer")
        .order_by("-created_at")
    )


def current_files(document: Document) -> dict[str, RenderedFile]:
    """The file of each kind for the document as it is now: an older
    rendering of different content is never offered as the current one."""
    from . import rendering

    files = {}
    if document.issued_file_id:
        files[RenderedFile.Kind.PDF] = document.issued_file
    if document.is_registered:
        return files  # the signed copy it came with, if any; nothing is rendered from it
    html = rendering.print_html(document)
    hashes = {kind: rendering.content_hash(kind, html) for kind in RenderedFile.Kind.values if kind not in files}
    for row in document.files.filter(content_hash__in=hashes.values()):
        if hashes.get(row.kind) == row.content_hash:
            files[row.kind] = row
    return files


def file_get(*, document: Document, pk) -> RenderedFile:
    """A file of a document the caller has already read through document_get."""
    return get_object_or_404(document.files.all(), pk=pk)


def _with_progress(qs):
    """How many copies are done, and when the last one was taken by a worker
    (a batch that stopped moving says it waits for the server)."""
    return qs.annotate(
        done=Count("items", filter=Q(items__status=RenderedFile.Status.DONE)), last_started=Max("items__started_at")
    )


def batch_get(*, document: Document, pk) -> RenderBatch:
    return get_object_or_404(_with_progress(document.batches.all()), pk=pk)


def latest_batch(document: Document) -> RenderBatch | None:
    return _with_progress(document.batches.all()).order_by("-created_at").first()


def source_link(document: Document) -> tuple[str, str] | None:
    """(title, url) of the conference or plan the document was drafted from."""
    from . import sources

    return sources.ask(document, "describe", None)


def signers(issuer) -> list:
    """Who may sign for an issuer: its leaders (head, deputies, acting), and
    the leaders of its own offices, who sign "TL." or "TUQ." (the Văn phòng
    UBND's Chánh Văn phòng, a Sở's Chánh Văn phòng). Leaders first, the
    issuer's own before its offices'."""
    from agencies.models import COMMITTEE_KINDS, Person

    from .issuers import Rank, rank

    offices = Q(agency__parent=issuer) & ~Q(agency__kind__in=COMMITTEE_KINDS)
    people = Person.objects.filter(Q(agency=issuer) | offices).select_related("agency")
    order = {Rank.HEAD: 0, Rank.ACTING: 1, Rank.DEPUTY: 2}
    leaders = [p for p in people if rank(p.position) != Rank.STAFF]
    return sorted(
        leaders, key=lambda p: (p.agency_id != issuer.pk, p.agency.name, order[rank(p.position)], p.full_name)
    )


def current_copies(document: Document, addressees) -> dict[str, RenderedFile]:
    """The rendered personal copy of each addressee (by key, "agency:12") for
    the document as it is now; an addressee whose copy is not done is absent."""
    from . import rendering

    base = rendering.print_html(document)
    wanted = {rendering.copy_hash(base, person.label): person.key for person in addressees}
    rows = RenderedFile.objects.filter(
        document=document, kind=RenderedFile.Kind.PDF, status=RenderedFile.Status.DONE, content_hash__in=wanted
    )
    return {wanted[row.content_hash]: row for row in rows}


def batch_latest(document: Document) -> RenderBatch | None:
    return RenderBatch.objects.filter(document=document).order_by("-created_at", "-pk").first()


def verification_get(code: str) -> tuple[Document | None, Document | None]:
    """The issued document a verification code names, and the issued document
    that replaced it if any, for the public page. Deliberately across
    provinces and for anyone (the scope is lifted for this read only): the
    code printed on a copy is the only key, and the page shows what the
    copy itself prints."""
    from core.scoping import scopes_disabled

    from .verification import LENGTH, normalise

    code = normalise(code)
    if len(code) != LENGTH:
        return None, None
    with scopes_disabled():
        document = (
            Document.objects.filter(verification_code=code)
            .exclude(status=Document.Status.DRAFT)
            .select_related("issuer")
            .first()
        )
        if document is None:
            return None, None
        replacement = (
            Document.objects.filter(replaces=document).exclude(status=Document.Status.DRAFT).order_by("-pk").first()
        )
    return document, replacement


def verification_signing(document: Document):
    """The signatures of an issued document, for the public page: read
    across the scope like `verification_get` (the code is the key)."""
    from core.scoping import scopes_disabled

    from .models import DocumentSigning

    with scopes_disabled():
        return (
            DocumentSigning.objects.filter(document=document, status=DocumentSigning.Status.SEALED)
            .select_related("signer", "signer_certificate")
            .first()
        )


def signing_current(document: Document):
    """The document's signing under way, or the one that issued it."""
    from .models import DocumentSigning

    return (
        document.signings.exclude(status=DocumentSigning.Status.CANCELLED)
        .select_related("signer", "signer_certificate", "body_key__certificate", "prepared_by", "sealed_by")
        .first()
    )


def personal_copy_named(document: Document, sha256: str) -> str:
    """The addressee of the document's personal copy whose file has this
    checksum, for the public page ("" if none): read across the scope like
    `verification_get`."""
    from core.scoping import scopes_disabled

    with scopes_disabled():
        row = (
            RenderedFile.objects.filter(document=document, sha256=sha256, status=RenderedFile.Status.DONE)
            .exclude(addressee="")
            .first()
        )
    return row.addressee if row else ""
