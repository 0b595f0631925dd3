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

from .. import checks, rendering
from ..models import Document, NumberCounter, RenderedFile, Section
from ..workflows import DOCUMENT
from .files import enqueue_file

HEADER_FIELDS = [
    "doc_type", "parent_issuer_name", "issuer_name", "issuer_abbr", "drafting_unit_abbr", "place", "dated", "title",
    "type_name", "addressees", "authority_lines", "signer_title", "signer_name", "recipients",
]  # fmt: skip
DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được soạn và ban hành văn bản này.")


def _require_draft(document: Document):
    if not document.is_draft:
        raise Refused(_("Văn bản đã ban hành thì không sửa được; hãy tạo văn bản thay thế."))


def issuer_defaults(issuer: Agency) -> dict:
    """How an agency prints as issuer: its name in capitals, its parent above
    it when it has one (a Sở under the provincial People's Committee)."""
    province = issuer.province
    name = issuer.name
    if issuer.kind == "ubnd_tinh":
        lines = "ỦY BAN NHÂN DÂN\nTỈNH " + province.name.upper()
    else:
        lines = name.upper()
    parent = ""
    if issuer.parent_id and issuer.kind != "ubnd_tinh":
        parent = (
            "UBND TỈNH " + province.name.upper() if issuer.parent.kind == "ubnd_tinh" else issuer.parent.name.upper()
        )
        if issuer.name.endswith(province.name):
            # "Sở Nội vụ tỉnh Lạng Sơn" under "UBND TỈNH LẠNG SƠN" prints as "SỞ NỘI VỤ".
            lines = name[: -len(province.name)].rstrip().removesuffix("tỉnh").rstrip().upper()
    return {
        "issuer_name": lines,
        "parent_issuer_name": parent,
        "issuer_abbr": issuer.short_name or issuer.code,
        "place": province.name,
    }


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
    numbered = ["year", "number", "issued_on", "issued_by", "issued_file"]
    with DOCUMENT.step(document, "issue", actor=actor, fields=numbered) as locked:
        problems = checks.run_checks(locked)
        if problems:
            raise Refused(*problems)
        today = timezone.localdate()
        locked.year = today.year
        locked.number = allocate_number(locked.issuer, today.year)
        locked.issued_on = today
        locked.issued_by = actor
        locked.status = Document.Status.ISSUED  # the PDF prints the issued state
        html = rendering.print_html(locked)
        row = RenderedFile.objects.create(
            document=locked, kind=RenderedFile.Kind.PDF, content_hash=rendering.content_hash("pdf", html)
        )
        locked.issued_file = row
        enqueue_file(row)
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
    with DOCUMENT.step(document, "revoke", actor=actor, fields=["revoked_by", "revoke_reason"]) as locked:
        locked.revoked_by = actor
        locked.revoke_reason = reason.strip()
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
