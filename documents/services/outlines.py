"""Drafting from an outline, re-drafting when the data changed, editing the
outline and keeping it as the office's template. A section edited by hand
(its text no longer what was drafted) is never overwritten."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from core import audit
from core.exceptions import Refused
from core.permissions import require

from .. import outlines, sources
from ..models import Document, OutlineTemplate, Section
from .drafts import DENIED, _require_draft, document_create


def outline_for(*, issuer: Agency, purpose: str, source) -> list[dict]:
    """The outline a new draft starts from: the office's own template for
    this kind of document (the latest saved), else the portal's default for
    the issuer's level."""
    template = OutlineTemplate.objects.filter(issuer=issuer, purpose=purpose).order_by("-updated_at").first()
    if template is not None:
        return template.nodes
    hooks = sources.hooks_for_source(source)
    return hooks.default_outline(purpose, issuer.level) if hooks else []


def drafted_sections(source, nodes: list[dict]) -> list[dict]:
    hooks = sources.hooks_for_source(source)
    if hooks is None:
        return []
    return outlines.sections(outlines.nodes_of(nodes), hooks.pieces, source, hooks.placeholders(source))


def draft_from_outline(*, actor, issuer: Agency, doc_type: str, source, purpose: str, **fields) -> Document:
    nodes = outlines.dump(outlines.nodes_of(outline_for(issuer=issuer, purpose=purpose, source=source)))
    return document_create(
        actor=actor,
        issuer=issuer,
        doc_type=doc_type,
        source=source,
        purpose=purpose,
        outline=nodes,
        sections=drafted_sections(source, nodes),
        **fields,
    )


def _redraft(document: Document) -> list[str]:
    """Sections again from the outline and today's data. Hand-edited
    sections and sections added by hand stay where they were. Returns the
    labels of the hand-edited sections kept."""
    rows = drafted_sections(document.source, document.outline)
    current = list(document.sections.all())
    by_node = {s.node: s for s in current if s.node}
    kept: list[str] = []
    ordered: list[Section] = []
    for row in rows:
        section = by_node.pop(row["node"], None)
        if section is not None and section.edited_by_hand:
            kept.append(section.label or section.heading)
        elif section is not None:
            for name, value in row.items():
                setattr(section, name, value)
        else:
            section = Section(document=document, **row)
        ordered.append(section)
    for section in by_node.values():
        if section.edited_by_hand:
            kept.append(section.label or section.heading)
            ordered.append(section)  # its node prints nothing now; the hand's text stays, last
        else:
            section.delete()
    # Sections added by hand follow the section they followed before.
    for index, section in enumerate(current):
        if section.node:
            continue
        before = next((s for s in reversed(current[:index]) if s.node and s in ordered), None)
        ordered.insert(ordered.index(before) + 1 if before is not None else 0, section)
    for order, section in enumerate(ordered, start=1):
        section.order = order
        section.save()
    return kept


def _sections_text(document) -> dict:
    return {"sections": [f"{s.label or s.heading}: {len(s.text)}" for s in document.sections.all()]}


def document_redraft(*, actor, document: Document) -> list[str]:
    """Draft the sections again from the data (after the invitees, duties or
    dates changed), keeping the outline and every part written by hand."""
    require(actor, "documents.organise", document, DENIED)
    if document.source is None or not document.outline:
        raise Refused(_("Văn bản này không soạn từ dữ liệu nên không soạn lại được."))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_draft(locked)
        before = _sections_text(locked)
        kept = _redraft(locked)
        audit.record(
            actor=actor,
            action="document.redraft",
            target=locked,
            before=before,
            after=_sections_text(locked) | {"kept": kept},
        )
    return kept


def _validated(nodes: list[dict], source) -> list[dict]:
    hooks = sources.hooks_for_source(source)
    known = hooks.pieces if hooks else {}
    clean = outlines.nodes_of(nodes)
    previous = -1
    for node in clean:
        if node.piece and node.piece not in known:
            raise Refused(_("Mục “%(title)s” gắn với dữ liệu không có.") % {"title": node.title or node.piece})
        if node.depth > previous + 1:
            raise Refused(
                _("Mục “%(title)s” lùi vào hai cấp một lúc: hãy đặt nó ngay dưới một mục cấp trên.")
                % {"title": node.title or node.piece}
            )
        previous = node.depth
    return outlines.dump(clean)


def outline_save(*, actor, document: Document, nodes: list[dict]) -> list[str]:
    """A new outline (sections reordered, merged, renamed, renumbered or
    dropped), then the sections drafted again from it."""
    require(actor, "documents.organise", document, DENIED)
    nodes = _validated(nodes, document.source)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_draft(locked)
        before = {"outline": [n.get("title") or n.get("piece") for n in locked.outline]}
        locked.outline = nodes
        locked.save(update_fields=["outline", "updated_at"])
        kept = _redraft(locked)
        audit.record(
            actor=actor,
            action="document.outline",
            target=locked,
            before=before,
            after={"outline": [n["title"] or n["piece"] for n in nodes]},
        )
    document.outline = nodes
    return kept


def outline_template_save(*, actor, document: Document, name: str) -> OutlineTemplate:
    """The document's outline kept as its issuer's template for this kind of
    document: the next draft of the same kind starts from it. Saving under
    an existing name replaces that template."""
    require(actor, "documents.organise", document, DENIED)
    name = name.strip()
    if not name:
        raise Refused(_("Hãy đặt tên cho mẫu dàn ý."))
    # The outline as stored now: the caller's copy may predate the save that
    # came with this request.
    document = Document.objects.get(pk=document.pk)
    if not document.outline:
        raise Refused(_("Văn bản này chưa có dàn ý để lưu làm mẫu."))
    with transaction.atomic():
        template, created = OutlineTemplate.objects.select_for_update().get_or_create(
            issuer=document.issuer,
            purpose=document.purpose,
            name=name,
            defaults={"province_id": document.province_id, "nodes": document.outline, "created_by": actor},
        )
        before = {} if created else {"nodes": len(template.nodes)}
        template.nodes = document.outline
        template.save()
        audit.record(
            actor=actor,
            action="outline.template",
            target=template,
            before=before,
            after={"name": name, "nodes": len(template.nodes), "issuer": str(document.issuer)},
        )
    return template


def outline_template_delete(*, actor, document: Document, template: OutlineTemplate) -> None:
    """Remove one of the issuer's templates (chosen from one of its documents):
    new drafts then start from the next latest, or the portal's default."""
    require(actor, "documents.organise", document, DENIED)
    if template.issuer_id != document.issuer_id or template.purpose != document.purpose:
        raise Refused(_("Mẫu dàn ý này dành cho cơ quan hoặc loại văn bản khác."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="outline.template_delete",
            target=template,
            before={"name": template.name, "nodes": len(template.nodes), "issuer": str(template.issuer)},
            after={},
        )
        template.delete()


def outline_template_apply(*, actor, document: Document, template: OutlineTemplate) -> list[str]:
    if template.issuer_id != document.issuer_id or template.purpose != document.purpose:
        raise Refused(_("Mẫu dàn ý này dành cho cơ quan hoặc loại văn bản khác."))
    return outline_save(actor=actor, document=document, nodes=template.nodes)
