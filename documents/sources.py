"""What a document knows about where it came from.

Apps that draft documents (conferences, plans, later index results) register
their model here with hooks; this app calls them without importing those
apps. A document with no source is checked on its own text alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Facts:
    """What the text must agree with."""

    event_date: dt.date | None = None
    # Years the text may cite ("năm 2025", "29/5/2026"), and why, for the message.
    years: set[int] = field(default_factory=set)
    years_note: str = ""
    # Bold deadlines after the event that are meant to be (follow-up duties).
    after_event_ok: set[dt.date] = field(default_factory=set)


@dataclass
class Addressee:
    key: str  # stable: "agency:12", "person:5"
    label: str  # as printed after "Kính gửi:"
    email: str = ""


@dataclass
class SourceHooks:
    facts: Callable[[object], Facts]
    checks: Callable[[object], list[str]] = lambda source: []
    addressees: Callable[[object], list[Addressee]] = lambda source: []
    describe: Callable[[object], tuple[str, str]] = lambda source: (str(source), "")
    # Outlines: the pieces of data a node may print (name → outlines.Piece),
    # the words a title may name ("{năm}" → "2024"), and the shipped outline
    # of a purpose for an issuer's level (purpose, level → nodes as dicts).
    pieces: dict = field(default_factory=dict)
    placeholders: Callable[[object], dict[str, str]] = lambda source: {}
    default_outline: Callable[[str, str], list[dict]] = lambda purpose, level: []
    # Personal copies of a document of this source are all rendered: the
    # source may now send them (the conference's invitations). Runs in the
    # worker after the batch is committed; must be safe to run twice.
    copies_ready: Callable[[object, object], None] = lambda source, document: None
    # The source's own page that sends its copies to people (the
    # conference's "Gửi giấy mời"), when it has one: the document page
    # leads there instead of e-mailing the copies itself.
    send_page: Callable[[object], str] = lambda source: ""
    # A document of this source was issued: the source tells whom it concerns.
    issued: Callable[[object, object], None] = lambda source, document: None


_REGISTRY: dict[str, SourceHooks] = {}


def register(model, hooks: SourceHooks) -> None:
    _REGISTRY[model._meta.label_lower] = hooks


def hooks_for(document) -> SourceHooks | None:
    if not document.content_type_id:
        return None
    return _REGISTRY.get(f"{document.content_type.app_label}.{document.content_type.model}")


def source_of(document):
    return document.source if document.content_type_id else None


def ask(document, hook: str, default):
    """Call one hook on the document's source; `default` when it has none."""
    hooks, source = hooks_for(document), source_of(document)
    if hooks is None or source is None:
        return default
    return getattr(hooks, hook)(source)


def issued(document) -> None:
    hooks, source = hooks_for(document), source_of(document)
    if hooks is not None and source is not None:
        hooks.issued(source, document)


def copies_ready(document) -> None:
    hooks, source = hooks_for(document), source_of(document)
    if hooks is not None and source is not None:
        hooks.copies_ready(source, document)


def hooks_for_source(source) -> SourceHooks | None:
    return _REGISTRY.get(source._meta.label_lower) if source is not None else None
