"""What every PDF the portal prints with WeasyPrint shares: its stylesheets
parsed and its fonts configured once per process (fontconfig, Pango's font
map and its shaping caches are a fixed cost no document should pay again),
and the cyclic garbage collector held off while a large page is laid out."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import lru_cache


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


def render(html: str, css_text: str):
    """WeasyPrint's laid-out document for `html` with `css_text`."""
    from weasyprint import HTML

    with collector_paused():
        return HTML(string=html, base_url=None).render(stylesheets=[stylesheet(css_text)], font_config=fonts())
