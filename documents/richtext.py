"""The text organisers may write in a document: a small Markdown subset.

**bold**, *italic*, dash lists and pipe tables, nothing else: no links, no
images, no raw HTML, no headings. Every line is its own paragraph, as in an
administrative document, and "1." or "2.1." at the start of a line is the
document's own numbering, not a list. The HTML is sanitised again after
rendering, so even a bug in the parser cannot let markup through."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "strong", "em", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "br"}
_NUMBERING = re.compile(r"^(\s*)(\d+(?:\.\d+)*)([.)])(\s)", re.MULTILINE)
_LIST = re.compile(r"^\s*[-+*]\s")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable(
        [
            "heading",
            "lheading",
            "code",
            "fence",
            "blockquote",
            "hr",
            "html_block",
            "reference",
            "html_inline",
            "backticks",
            "image",
            "link",
            "autolink",
            "entity",
        ]
    )
    return md


def _prepare(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _NUMBERING.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}{m[4]}", text)
    out: list[str] = []
    previous = "blank"
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            kind = "blank"
        elif stripped.startswith("|"):
            kind = "table"
        elif _LIST.match(line):
            kind = "list"
        else:
            kind = "text"
        # A new paragraph on every text line, and around tables and lists.
        if kind != "blank" and previous != "blank" and (kind == "text" or kind != previous):
            out.append("")
        out.append(line.strip() if kind == "text" else line)
        previous = kind
    return "\n".join(out)


# "QUYẾT ĐỊNH:", "QUYẾT NGHỊ:" alone and in bold: the enacting words of a
# decision or resolution, printed centred (Nghị định 30, Phụ lục III).
_ENACTING = re.compile(r"^[A-ZÀ-Ỹ]+(?: [A-ZÀ-Ỹ]+){0,2}:$")


def enacting(block: Block) -> bool:
    return (
        block.kind == "p"
        and bool(block.runs)
        and all(r.bold for r in block.runs if r.text.strip())
        and bool(_ENACTING.match(block.plain.strip()))
    )


# A section's own heading: "I. MỤC ĐÍCH, YÊU CẦU", "2. Thành phần", "a) Đại
# biểu cấp tỉnh:" — numbered, short, not a sentence; or a line all in bold.
_HEADING = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s\S")


def heading(block: Block) -> bool:
    """A line that must stay with what follows it (never alone at a page foot)."""
    if block.kind != "p" or not block.runs:
        return False
    text = block.plain.strip()
    if not text or len(text) > 160 or text.endswith((".", ";", "./.")):
        return False
    return all(r.bold for r in block.runs if r.text.strip()) or bool(_HEADING.match(text))


# A document's number and symbol ("211/KH-UBND", "61/2018/NĐ-CP") never breaks across lines.
_SYMBOL = re.compile(r"(?<![\w/,.])(\d+(?:/[\wĐđ]+(?:-[\wĐđ]+)*)+)(?![^<]*>)")


def _tokens(text: str):
    return _parser().parse(_prepare(text))


# A pure function of the text, and the bulk of building a document's HTML:
# the same sections are printed again and again (the request's hash, the
# worker's render, previews, personal copies).
@lru_cache(maxsize=2048)
def to_html(text: str) -> str:
    tokens = _tokens(text)
    # "+" marks the level under "-" ("+ UBND xã A: tham luận về …"): the
    # printed list keeps the writer's mark, which Markdown would drop.
    for token in tokens:
        if token.type == "bullet_list_open" and token.markup == "+":
            token.attrSet("class", "plus")
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
            block = Block("p", _runs(tokens[i + 1]))
            if enacting(block):
                token.attrSet("class", "enacting")
            elif heading(block):
                token.attrSet("class", "heading")
    html = _parser().renderer.render(tokens, _parser().options, {})
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"th": {"style"}, "td": {"style"}},
        allowed_classes={"ul": {"plus"}, "p": {"enacting", "heading"}},
        filter_style_properties={"text-align"},
        link_rel=None,
    )
    return _SYMBOL.sub(r'<span class="nowrap">\1</span>', html)


def inline_html(text: str) -> str:
    """One line with bold and italic only: recipients, addressees."""
    return nh3.clean(_parser().renderInline(text or ""), tags={"strong", "em"}, attributes={})


def inline_runs(text: str) -> list[Run]:
    blocks = to_blocks(text.replace("\n", " "))
    return blocks[0].runs if blocks else []


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # "p", "li" or "table"
    runs: list[Run] = field(default_factory=list)
    rows: list[tuple[bool, list[list[Run]]]] = field(default_factory=list)
    mark: str = "-"  # a list item's printed mark: "-" or "+"

    @property
    def plain(self) -> str:
        if self.kind == "table":
            return "\n".join(" | ".join("".join(r.text for r in cell) for cell in cells) for _, cells in self.rows)
        return "".join(r.text for r in self.runs)


def _runs(inline) -> list[Run]:
    runs, bold, italic = [], 0, 0
    for child in inline.children or []:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold > 0, italic > 0))
        elif child.content:
            runs.append(Run(child.content, bold > 0, italic > 0))
    return runs


def to_blocks(text: str) -> list[Block]:
    """The same text as blocks of styled runs, for Word and for the checks."""
    blocks: list[Block] = []
    table: Block | None = None
    row: list[list[Run]] | None = None
    header = False
    in_item = False
    mark = "-"
    for token in _tokens(text):
        if token.type == "table_open":
            table = Block("table")
        elif token.type == "table_close":
            blocks.append(table)
            table = None
        elif token.type == "thead_open":
            header = True
        elif token.type == "thead_close":
            header = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and table is not None:
            table.rows.append((header, row))
        elif token.type == "bullet_list_open":
            mark = "+" if token.markup == "+" else "-"
        elif token.type == "list_item_open":
            in_item = True
        elif token.type == "list_item_close":
            in_item = False
        elif token.type == "inline":
            runs = _runs(token)
            if table is not None and row is not None:
                row.append(runs)
            else:
                blocks.append(Block("li", runs, mark=mark) if in_item else Block("p", runs))
    return blocks


def plain_text(text: str) -> str:
    return "\n".join(block.plain for block in to_blocks(text))


def bold_spans(text: str) -> list[str]:
    """Bold phrases: where a document states its deadlines."""
    spans = []
    for block in to_blocks(text):
        # A table's cells are read one by one: bold runs of neighbouring cells
        # are separate phrases, never one joined string.
        pieces = [cell for _, cells in block.rows for cell in cells] if block.kind == "table" else [block.runs]
        for runs in pieces:
            current = []
            for run in [*runs, Run("")]:
                if run.bold:
                    current.append(run.text)
                elif current:
                    spans.append("".join(current))
                    current = []
    return spans
