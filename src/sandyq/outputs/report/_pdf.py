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


def _fetcher() -> Any:
    """WeasyPrint's URL fetcher: the report is self-contained, so only the system's font files may be read.

    ``@font-face { src: local(...) }`` resolves through fontconfig to a ``file://`` URL under a fonts folder;
    any other request is refused.
    """
    from weasyprint.urls import URLFetcher

    from ...errors import OutputError

    class _Fonts(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not (url.startswith("file://") and "/fonts/" in url):
                raise OutputError(f"the report must not fetch {url!r}")
            return super().fetch(url, headers)

    return _Fonts(allowed_protocols=("file",))


def layout(doc: Document) -> Any:
    """The WeasyPrint document (pages and boxes) of ``doc``."""
    from weasyprint import HTML

    return HTML(string=render_html(doc), url_fetcher=_fetcher()).render()


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
