"""What every PDF the portal prints with WeasyPrint shares: its stylesheets
parsed and its fonts configured once per process (fontconfig, Pango's font
map and its shaping caches are a fixed cost no document should pay again),
and the cyclic garbage collector held off while a large page is laid out."""

from __future__ import annotations

import gc
import subprocess
from contextlib import contextmanager
from functools import cache, lru_cache

# Times New Roman, which Nghị định 30 names, or a font metric-compatible with
# it that covers Vietnamese (fonts-liberation2, fonts-croscore).
TIMES_FAMILIES = ("Times New Roman", "Liberation Serif", "Tinos")


@lru_cache(maxsize=1)
def fonts():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=8)
def stylesheet(text: str):
    """The stylesheet `text`, parsed once, with its fonts in `fonts()`."""
    from weasyprint import CSS

    return CSS(string=text, font_config=fonts())


@lru_cache(maxsize=8)
def static_text(*names: str) -> str:
    """The static files `names` (css/…), one after the other."""
    from django.contrib.staticfiles import finders

    parts = []
    for name in names:
        with open(finders.find(name), encoding="utf-8") as handle:
            parts.append(handle.read())
    return "\n".join(parts)


@contextmanager
def collector_paused():
    """WeasyPrint allocates hundreds of thousands of boxes and style objects
    for a long table, and the cyclic collector's passes over them cost a
    fifth to a quarter of the render; nothing it allocates needs collecting
    before it ends, so the collector waits until then."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def warm() -> None:
    """Loads what the first document a process prints would otherwise wait
    for: WeasyPrint's modules, the fonts configuration, Pango's faces of the
    Times-compatible family in the three styles documents use, and the
    subsetting that embeds them (about 0.8 s a process on our reference
    machine). Each worker process calls it when it starts (config.celery)."""
    from weasyprint import HTML

    sample = "<p style=\"font-family: 'Times New Roman', 'Liberation Serif', serif\">Ủy <b>ban</b> <i>xã</i></p>"
    with collector_paused():
        HTML(string=sample).render(font_config=fonts()).write_pdf()


def render(html: str, css_text: str):
    """WeasyPrint's laid-out document for `html` with `css_text`."""
    from weasyprint import HTML

    with collector_paused():
        return HTML(string=html, base_url=None).render(stylesheets=[stylesheet(css_text)], font_config=fonts())


def _family_name(path: str) -> str:
    from fontTools.ttLib import TTFont

    return TTFont(path, lazy=True)["name"].getDebugName(1) or ""


@cache
def times_font_file(style: str = "Regular") -> str:
    """The path of this machine's TrueType file for the first family
    installed (TIMES_FAMILIES), in `style` (Regular, Bold, Italic, Bold Italic), for what draws
    text itself rather than through WeasyPrint (signature appearances, the
    long lists): the same fontconfig WeasyPrint asks, so the same font."""
    for family in TIMES_FAMILIES:
        found = subprocess.run(
            ["fc-match", "--format=%{file}", f"{family}:style={style}"], capture_output=True, text=True, check=False
        ).stdout.strip()
        # fc-match always answers with something; take it only if it is one
        # of the Times-compatible families (fontconfig maps Times New Roman to
        # Liberation Serif or Tinos when it is absent).
        if found and found.endswith((".ttf", ".TTF")) and _family_name(found) in TIMES_FAMILIES:
            return found
    raise RuntimeError("no Times-compatible TrueType font (install fonts-liberation2 or fonts-croscore)")
