"""Outlines: a document's structure as data.

An outline is a flat list of nodes, each with a depth, its numbering style
("I", "1", "1.1", "a", "1)", "-", "+" or none), a title as the office words
it, and either a piece of the source's data (the basis, the purposes, the
invitees, the duties…) or free text. Offices number their documents in
their own ways; the outline says how, and this module prints it:

- numbers are counted on what prints: an empty node prints nothing (no lone
  heading), and the next one takes its number;
- text is printed as entered: no punctuation rewritten, no capital changed;
- a piece's items are listed under the node in the node's item styles ("+"
  is the second list level and prints "+").

Which pieces exist is the source app's business (it registers them with its
hooks); this module only knows their names, labels and what they return:
text (printed line by line) or a list of Items."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields

from django.utils.translation import gettext_lazy as _

STYLES = [
    ("I", _("I, II, III")),
    ("1", _("1, 2, 3")),
    ("1.1", _("1.1, 1.2 (theo mục trên)")),
    ("a", _("a), b), c)")),
    ("1)", _("1), 2), 3)")),
    ("-", _("- (gạch đầu dòng)")),
    ("+", _("+ (cấp thứ hai)")),
    ("", _("Không đánh số")),
]
STYLE_VALUES = {value for value, _label in STYLES}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
LETTERS = "abcdđeghiklmnopqrstuvxy"  # points as laws and offices letter them: a) … d) đ) e) g), no f
BODY, APPENDIX = "body", "appendix"
NUMBERED = ("I", "1", "1.1", "a", "1)")
MAX_DEPTH = 3


@dataclass
class Item:
    """One entry of a piece's list. `children` print one level below; an
    item with `inline_one` and a single child prints it on its own line
    ("2.3. Sở Tài chính: Chủ trì …"); `head_mark` ends the item's line when
    children follow ("3.1. Đại biểu cấp tỉnh:")."""

    text: str
    children: list[Item] = field(default_factory=list)
    inline_one: bool = False
    head_mark: str = ""


@dataclass
class Node:
    key: str = ""
    # What the organiser calls the part while editing; never printed.
    name: str = ""
    title: str = ""
    style: str = "1"
    depth: int = 0
    piece: str = ""
    text: str = ""
    # The content on the title's line when it is one line: "1. Thời gian: …".
    inline: bool = False
    items: str = "-"
    subitems: str = "+"
    bold: bool = False
    part: str = BODY

    @classmethod
    def from_dict(cls, data: dict) -> Node:
        known = {f.name for f in fields(cls)}
        node = cls(**{k: v for k, v in data.items() if k in known})
        node.key = node.key or uuid.uuid4().hex[:10]
        node.depth = max(0, min(MAX_DEPTH, int(node.depth or 0)))
        if node.style not in STYLE_VALUES:
            node.style = "1"
        return node

    def as_dict(self) -> dict:
        return asdict(self)


def nodes_of(data: list[dict]) -> list[Node]:
    return [Node.from_dict(row) for row in data or []]


def dump(nodes: list[Node]) -> list[dict]:
    return [node.as_dict() for node in nodes]


# What a piece returns: text (lines printed as they are) or items.
Content = str | list[Item] | None
PieceFn = Callable[[object], Content]


@dataclass(frozen=True)
class Piece:
    label: str
    fn: PieceFn
    # Whether an organiser would put it in an appendix (a table).
    table: bool = False
    # Whether its first level is groups (sections of invitees, units of
    # duties), listed in the node's first style above their items.
    grouped: bool = False


def _label(style: str, count: int, prefix: str) -> str:
    if style == "I":
        return f"{ROMAN[count - 1] if count <= len(ROMAN) else count}."
    if style == "1":
        return f"{count}."
    if style == "1.1":
        return f"{prefix}.{count}." if prefix else f"{count}."
    if style == "a":
        return f"{LETTERS[(count - 1) % len(LETTERS)]})"
    if style == "1)":
        return f"{count})"
    return style  # "-", "+" or ""


def _number(style: str, count: int, prefix: str) -> str:
    """The number a child's "1.1" style builds on: "3" under "3.", "3.1" under "3.1."."""
    if style == "1":
        return str(count)
    if style == "1.1":
        return f"{prefix}.{count}" if prefix else str(count)
    return prefix


def _line(label: str, text: str, bold: bool = False) -> str:
    line = f"{label} {text}".strip() if text else label
    return f"**{line}**" if bold and line else line


def _content_lines(content: Content) -> list[str]:
    if content is None:
        return []
    if isinstance(content, str):
        return [line.rstrip() for line in content.splitlines() if line.strip()]
    return content  # items: rendered by _items


def _items(items: list[Item], styles: list[str], prefix: str) -> list[str]:
    out: list[str] = []
    style, rest = (styles[0] if styles else "-"), styles[1:]
    for count, item in enumerate(items, start=1):
        label = _label(style, count, prefix)
        number = _number(style if style in ("1", "1.1") else "", count, prefix)
        if item.inline_one and len(item.children) == 1 and not item.children[0].children:
            out.append(_line(label, f"{item.text}: {item.children[0].text}"))
            continue
        out.append(_line(label, item.text + (item.head_mark if item.children else "")))
        if item.children:
            out += _items(item.children, rest or ["+"], number)
    return out


@dataclass
class Printed:
    node: Node
    lines: list[str]


def _words(text: str, words: dict[str, str]) -> str:
    """A title's placeholders ("{năm}") filled from the source's data."""
    for key, value in words.items():
        text = text.replace("{" + key + "}", value)
    return text


def render(nodes: list[Node], pieces: dict[str, Piece], owner, words: dict[str, str] | None = None) -> list[Printed]:
    """Each top-level node with what it prints (its own lines and its
    descendants'); nodes that print nothing are left out."""
    words = words or {}
    nodes = [Node(**{**node.as_dict(), "title": _words(node.title, words)}) for node in nodes]
    contents: list[Content] = []
    grouped: list[bool] = []
    for node in nodes:
        piece = pieces.get(node.piece) if node.piece else None
        grouped.append(bool(piece and piece.grouped))
        if node.piece:
            contents.append(piece.fn(owner) if piece else None)
        else:
            contents.append(node.text if node.text.strip() else None)
    own = [bool(c) if not isinstance(c, str) else bool(c.strip()) for c in contents]
    # A node prints when it or one of its descendants has something to say.
    prints = own[:]
    for i in range(len(nodes) - 1, -1, -1):
        j = i + 1
        while j < len(nodes) and nodes[j].depth > nodes[i].depth:
            if prints[j] and nodes[j].part == nodes[i].part:
                prints[i] = True
            j += 1
    # Counted per depth and style: "a)" items after "1." items at one depth start at "a)".
    counts: dict[tuple[int, str], int] = {}
    numbers = [""] * (MAX_DEPTH + 2)
    out: list[Printed] = []
    for node, content, printing, in_groups in zip(nodes, contents, prints, grouped, strict=True):
        if not printing:
            continue
        d = node.depth
        if node.style in NUMBERED:
            # Only numbered nodes count: an opening paragraph or a "-" line
            # between sections does not take a number.
            counts[(d, node.style)] = counts.get((d, node.style), 0) + 1
        for key in [key for key in counts if key[0] > d]:
            del counts[key]
        count = counts.get((d, node.style), 0)
        prefix = numbers[d - 1] if d else ""
        label = _label(node.style, count, prefix)
        numbers[d] = _number(node.style, count, prefix) or prefix
        lines = _node_lines(node, label, content, numbers[d], in_groups)
        if d == 0 or not out or node.part == APPENDIX and out[-1].node.part != APPENDIX:
            out.append(Printed(node, lines))
        else:
            out[-1].lines += lines
    return out


# A title that leads into its content ("Địa điểm tổ chức: Tại") loses its
# preposition when the content is only a note ("(địa điểm cụ thể có thông báo sau)").
_LEADING = ("tại", "vào", "lúc", "từ")


def _inline(title: str, text: str) -> str:
    words = title.split()
    if text.startswith("(") and words and words[-1].lower() in _LEADING:
        title = " ".join(words[:-1])
    return f"{title} {text}".strip()


def _node_lines(node: Node, label: str, content: Content, number: str, in_groups: bool = False) -> list[str]:
    bold = node.bold or node.style == "I"
    if node.part == APPENDIX and node.depth == 0:
        # The appendix's title prints as its heading, above the content.
        label, title = "", ""
    else:
        title = node.title.strip()
    if isinstance(content, list):
        styles = [node.items, node.subitems, "+"]
        if in_groups and not any(item.children for item in content):
            # A piece listed in groups ("3.1. Đại biểu cấp tỉnh:") that has
            # none this time lists its items with the groups' bullets.
            styles = [node.subitems, "+"]
        if node.inline and len(content) == 1 and not content[0].children:
            return [_line(label, _inline(title, content[0].text), bold)]
        head = [_line(label, title, bold)] if (label or title) else []
        return head + _items(content, styles, number)
    text = _content_lines(content)
    if node.inline and text and (label or title):
        return [_line(label, _inline(title, text[0])), *text[1:]]
    head = [_line(label, title, bold)] if (label or title) else []
    return head + text


def sections(nodes: list[Node], pieces: dict[str, Piece], owner, words: dict[str, str] | None = None) -> list[dict]:
    """Rows for the document's sections, one per printed top-level node."""
    rows = []
    for printed in render(nodes, pieces, owner, words):
        node = printed.node
        text = "\n".join(printed.lines)
        piece = pieces.get(node.piece)
        rows.append(
            {
                "node": node.key,
                "part": node.part,
                "label": (node.name or node.title.rstrip(": ") or (str(piece.label).split(" (")[0] if piece else ""))[
                    :120
                ],
                "heading": node.title if node.part == APPENDIX else "",
                "text": text,
                "generated": text,
            }
        )
    return rows
