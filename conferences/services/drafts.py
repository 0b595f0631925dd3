"""Drafting an official document from a conference's or plan's data."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import require
from documents.models import Document
from documents.selectors import documents_for_source

from .. import drafting
from ..models import Conference

DENIED = _("Chỉ cán bộ Sở Nội vụ của tỉnh được thay đổi hội nghị, kế hoạch này.")


def owner_draft(*, actor, owner, kind: str) -> tuple[Document, bool]:
    """The open draft of that kind (a second press opens it rather than
    making another), or a new one drafted from the data. Returns (document,
    made now). The owner's row is locked, so a double click drafts once."""
    require(actor, "conferences.organise", owner, DENIED)
    drafters = drafting.DRAFTERS if isinstance(owner, Conference) else drafting.PLAN_DRAFTERS
    purpose, drafter = drafters[kind]
    with transaction.atomic():
        type(owner)._base_manager.select_for_update().get(pk=owner.pk)
        existing = documents_for_source(owner).filter(purpose=purpose, status=Document.Status.DRAFT).first()
        if existing:
            return existing, False
        return drafter(actor, owner), True
