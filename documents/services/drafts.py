"""Drafting, editing, issuing and revoking documents. Issued documents never
change: a correction is a new document that replaces the old one. Every
change is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core import audit
from core.exceptions import Refused
from core.permissions import require

from .. import checks, issuers, metadata, rendering, selectors, sources, verification
from ..models import Document, NumberCounter, RenderedFile, Section
from ..workflows import DOCUMENT
from .files import enqueue_file

HEADER_FIELDS = [
    "doc_type", "parent_issuer_name", "issuer_name", "issuer_abbr", "drafting_unit_abbr", "place", "dated", "title",
    "type_name", "addressees", "signer", "signing", "collective", "authority_lines", "signer_title", "signer_name",
    "recipients",
]  # fmt: skip
# What the signature lines are derived from, and the lines themselves.
SIGNED_BY = ("signer_id", "signing", "collective", "authority_lines", "signer_title", "signer_name")
DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được soạn và ban hành văn bản này.")


SIGNING_OPEN = _(
    "Văn bản đã được chuẩn bị để ký số nên không sửa được nữa. Muốn sửa, hãy “Hủy chuẩn bị ký” ở trang văn bản "
    "rồi chuẩn bị lại sau khi sửa."
)


def _signing_open(document: Document) -> bool:
    return document.signings.filter(status__in=["prepared", "signed"]).exists()


def _require_draft(document: Document):
    if not document.is_draft:
        raise Refused(_("Văn bản đã ban hành thì không sửa được; hãy tạo văn bản thay thế."))
    if document.pk and _signing_open(document):
        raise Refused(SIGNING_OPEN)


def issuer_defaults(issuer: Agency) -> dict:
    """How an issuer prints (Nghị định 30, Phụ lục I): the managing body's
    line where one applies, its own name lines, its abbreviation and its
    place, all derived from the directory (see issuers.py)."""
    above, lines = issuers.header(issuer)
    return {
        "issuer_name": lines,
        "parent_issuer_name": above,
        "issuer_abbr": issuer.short_name or issuer.code,
        "place": issuers.place(issuer),
    }


def default_signer(issuer: Agency):
    """Who usually signs a draft: one of the issuer's deputies (the head
    keeps the most important papers), else its head, else nobody yet."""
    people = [p for p in selectors.signers(issuer) if p.agency_id == issuer.pk]
    deputies = [p for p in people if issuers.rank(p.position) == issuers.Rank.DEPUTY]
    return (deputies or people or [None])[0]


SIGNATURE_FIELDS = ("authority_lines", "signer_title", "signer_name")


def signature_refresh(document: Document, before: dict | None) -> None:
    """Fill the signature lines from the signer when the signer, how they
    sign or "TM." changed and the lines were not typed in the same edit
    (typed lines win: every rule is a proposal). `before` holds the stored
    values; None for a new document."""
    before = before or {}
    chosen = ("signer_id", "signing", "collective")
    changed = [name for name in chosen if before.get(name) != getattr(document, name)]
    typed = any(before.get(name, "") != getattr(document, name) for name in SIGNATURE_FIELDS)
    if not changed or (before and typed):
        return
    if document.signer_id and "signing" not in changed:
        document.signing = issuers.signing_for(document.issuer, document.signer)
    signing = document.signing or issuers.signing_for(document.issuer, document.signer)
    if "collective" not in changed:
        document.collective = issuers.collective_default(document.issuer, document.doc_type, signing)
    result = issuers.signature(document.issuer, document.signer, signing, document.collective)
    document.authority_lines = result.authority_lines
    document.signer_title = result.signer_title
    if document.signer_id:
        document.signer_name = result.signer_name


def _sections_snapshot(sections) -> dict:
    return {"sections": [f"{s.label or s.heading or s.part}: {len(s.text)}" for s in sections]}


def document_create(
    *,
    actor,
    issuer: Agency,
    doc_type: str,
    source=None,
    purpose: str = "",
    sections: list[dict] | None = None,
    **fields,
) -> Document:
    require(actor, "documents.organise", issuer, DENIED)
    values = issuer_defaults(issuer) | fields
    document = Document(
        province_id=issuer.province_id,
        issuer=issuer,
        doc_type=doc_type,
        purpose=purpose,
        created_by=actor,
        **values,
    )
    if not any(name in fields for name in ("signer", *SIGNATURE_FIELDS)):
        document.signer = default_signer(issuer)
    if not any(name in fields for name in SIGNATURE_FIELDS):
        # As if the signer had just been chosen: the lines follow from them.
        unchosen = {name: getattr(document, name) for name in SIGNED_BY}
        signature_refresh(document, unchosen | {"signer_id": -1})
    if source is not None:
        document.source = source
    document.full_clean()
    with transaction.atomic():
        document.save()
        for order, row in enumerate(sections or [], start=1):
            Section.objects.create(document=document, order=order, **row)
        audit.record(
            actor=actor, action="document.create", target=document, after=audit.snapshot(document, HEADER_FIELDS)
        )
    return document


def document_save(
    *, actor, document: Document, sections: list[Section] | None = None, deleted: list[Section] = ()
) -> Document:
    """Save the header and, when given, the sections as edited."""
    require(actor, "documents.organise", document, DENIED)
    document.full_clean()
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_draft(locked)
        before = audit.snapshot(locked, HEADER_FIELDS) | _sections_snapshot(locked.sections.all())
        signature_refresh(document, {name: getattr(locked, name) for name in SIGNED_BY})
        document.save()
        for section in deleted:
            if section.pk and section.document_id == document.pk:
                section.delete()
        for order, section in enumerate(sections or [], start=1):
            section.document = document
            section.order = order
            section.save()
        after = audit.snapshot(document, HEADER_FIELDS) | _sections_snapshot(document.sections.all())
        audit.record(actor=actor, action="document.update", target=document, before=before, after=after)
    return document


# The register of an issuer for a year, as an archivist keeps it: numbers run
# in order of issue, and `NumberCounter.last` is where the series stands.
# A document signed elsewhere and registered (vào sổ) with a number above it
# moves it up to that number, so the next issue follows it (registering 15
# when the portal is at 12 makes the next issue 16; 13 and 14 stay free for
# the other documents signed outside meanwhile). One registered below it fills
# an earlier gap and leaves it. Whatever way a number was taken, issuing
# never hands it out again: the next issue passes over taken numbers. Both
# happen under the counter's row lock, so an issue and a registration of the
# same issuer and year queue behind each other.


def lock_counter(issuer: Agency, year: int) -> NumberCounter:
    """The issuer's counter for the year, created if missing, locked until
    the caller's transaction ends."""
    NumberCounter.objects.bulk_create([NumberCounter(issuer=issuer, year=year)], ignore_conflicts=True)
    return NumberCounter.objects.select_for_update().get(issuer=issuer, year=year)


def numbers_taken(issuer: Agency, year: int):
    """Every number of the issuer's series for the year already on a document
    (issued, registered or revoked), whatever the caller's scope."""
    return Document._base_manager.filter(issuer=issuer, year=year, number__isnull=False)


def allocate_number(issuer: Agency, year: int) -> int:
    """The next number of the issuer's register for the year (see the rule
    above). Call inside a transaction: the counter row stays locked until it
    commits, so concurrent issues queue here and each gets the next number."""
    counter = lock_counter(issuer, year)
    taken = set(numbers_taken(issuer, year).filter(number__gt=counter.last).values_list("number", flat=True))
    number = counter.last + 1
    while number in taken:
        number += 1
    counter.last = number
    counter.save(update_fields=["last"])
    return number


def issue(*, actor, document: Document) -> Document:
    """Check, number, date and freeze the document, then render its PDF once."""
    require(actor, "documents.organise", document, DENIED)
    numbered = ["year", "number", "issued_on", "issued_by", "issued_file", "verification_code", "identifier"]
    with DOCUMENT.step(document, "issue", actor=actor, fields=numbered) as locked:
        if _signing_open(locked):
            raise Refused(
                _(
                    "Văn bản đang được ký số: văn thư ban hành bằng “Cấp số và ký số cơ quan” sau khi người ký "
                    "ký, hoặc hủy chuẩn bị ký để ban hành bản giấy."
                )
            )
        problems = checks.run_checks(locked)
        if problems:
            raise Refused(*problems)
        today = timezone.localdate()
        locked.year = today.year
        locked.number = allocate_number(locked.issuer, today.year)
        locked.identifier = metadata.identifier(locked)
        locked.issued_on = today
        locked.issued_by = actor
        locked.verification_code = verification.new_code()
        locked.status = Document.Status.ISSUED  # the PDF prints the issued state
        html = rendering.print_html(locked)
        row = RenderedFile.objects.create(
            document=locked, kind=RenderedFile.Kind.PDF, content_hash=rendering.content_hash("pdf", html)
        )
        locked.issued_file = row
        enqueue_file(row)
        sources.issued(locked)  # its notices commit with the issue, or not at all
        # The Word file of the issued text too, so nobody downloads a draft's.
        docx, _created = RenderedFile.objects.get_or_create(
            document=locked, kind=RenderedFile.Kind.DOCX, content_hash=rendering.content_hash("docx", html)
        )
        enqueue_file(docx)
    return document


def revoke(*, actor, document: Document, reason: str) -> Document:
    require(actor, "documents.organise", document, DENIED)
    if not reason.strip():
        raise Refused(_("Hãy nêu lý do thu hồi."))
    with transaction.atomic():
        with DOCUMENT.step(document, "revoke", actor=actor, fields=["revoked_by", "revoke_reason"]) as locked:
            locked.revoked_by = actor
            locked.revoke_reason = reason.strip()
        metadata.announce(document, "document.revoked")  # with the revocation, or not at all
    return document


def replacement_create(*, actor, document: Document) -> Document:
    """A new draft with the same content, which replaces the issued one once issued."""
    require(actor, "documents.organise", document, DENIED)
    if document.is_draft:
        raise Refused(_("Dự thảo thì sửa trực tiếp, không cần văn bản thay thế."))
    existing = document.replaced_by.filter(status=Document.Status.DRAFT).first()
    if existing:
        return existing  # pressing twice opens the same draft
    with transaction.atomic():
        copy = Document(
            province_id=document.province_id,
            issuer=document.issuer,
            content_type=document.content_type,
            object_id=document.object_id,
            purpose=document.purpose,
            replaces=document,
            created_by=actor,
            **{name: getattr(document, name) for name in HEADER_FIELDS},
        )
        copy.dated = None
        copy.save()
        Section.objects.bulk_create(
            [
                Section(
                    document=copy,
                    order=s.order,
                    part=s.part,
                    label=s.label,
                    heading=s.heading,
                    landscape=s.landscape,
                    text=s.text,
                    figure=s.figure,
                )
                for s in document.sections.all()
            ]
        )
        audit.record(actor=actor, action="document.replace", target=copy, after={"replaces": str(document)})
    return copy
