"""The report as PDF: the HTML of :mod:`._html` laid out by WeasyPrint (A4, fonts from the system, no network).

:func:`render_pdf` also returns nothing it cannot print: every box of the
layout is checked to fit inside its page (:func:`overflows`), and tests fail on
any that does not.
"""

from __future__ import annotations

from typing import Any

from ._html import render_html
from ._model import Document

__all__ = ["layout", "overflows", "render_pdf"]


def _fetch(url: str) -> dict[str, Any]:
    """WeasyPrint's URL fetcher: the report is self-contained, so only the system's font files may be read."""
    from weasyprint import default_url_fetcher

    from ...errors import OutputError

    if url.startswith("file://") and "/fonts/" in url:  # what @font-face local() resolves to, through fontconfig
        return dict(default_url_fetcher(url))
    raise OutputError(f"the report must not fetch {url!r}")


def layout(doc: Document) -> Any:
    """The WeasyPrint document (pages and boxes) of ``doc``."""
    from weasyprint import HTML

    return HTML(string=render_html(doc), url_fetcher=_fetch).render()


def overflows(rendered: Any, tolerance: float = 0.5) -> list[str]:
    """Boxes that reach beyond the right edge of their page (page n, box type, its right edge vs the page's)."""
    out: list[str] = []
    for n, page in enumerate(rendered.pages, 1):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            right = box.position_x + box.margin_width() if hasattr(box, "margin_width") else 0
            if right > page.width + tolerance:
                out.append(f"page {n}: {type(box).__name__} ends at {right:.0f}px of {page.width:.0f}px")
            stack.extend(getattr(box, "children", ()) or ())
    return out


def render_pdf(doc: Document) -> bytes:
    """The PDF bytes of ``doc``."""
    return bytes(layout(doc).write_pdf())
