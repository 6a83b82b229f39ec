"""The monitoring report: a programme's report in Kazakh, Russian or English, as PDF, DOCX or one HTML file.

* :func:`build_report` — the content, assembled once into a :class:`Document`
  (summary, a section per direction and task with a chart per target, the risk
  register, regional differentiation, the composite index, annexes on data
  quality, methods, sources and citation), as of a date and compared with another;
* :func:`render` — that document as ``pdf`` (WeasyPrint), ``docx`` (python-docx)
  or ``html`` (one self-contained file); :func:`write_report` does both into a file;
* :func:`kept_gather` — the figures, kept on disk by the store's change counter
  (:mod:`._kept`), so a second report of the same figures (another format or
  language) skips gathering them.

Every sentence comes from the analysis' catalog (:mod:`sandyq._messages`), as on
the dashboard; every chart is one SVG drawing (:mod:`._chart`) in all three formats.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ._content import build_document, build_report
from ._facts import Facts, gather
from ._kept import facts_key, kept_gather
from ._model import Chart, Document, Heading, Paragraph, Table

if TYPE_CHECKING:
    from ... import Monitor

__all__ = [
    "REPORT_FORMATS", "Chart", "Document", "Facts", "Heading", "Paragraph", "Table", "build_document", "build_report",
    "facts_key", "gather", "kept_gather", "render", "write_report",
]  # fmt: skip

#: The formats of the report and their media types.
REPORT_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def render(doc: Document, fmt: str) -> bytes:
    """``doc`` as the bytes of a ``pdf``, ``docx`` or ``html`` file."""
    from ...errors import InvalidValueError

    if fmt == "pdf":
        from ._pdf import render_pdf

        return render_pdf(doc)
    if fmt == "docx":
        from ._docx import render_docx

        return render_docx(doc)
    if fmt == "html":
        from ._html import render_html

        return render_html(doc).encode("utf-8")
    raise InvalidValueError(f"unknown report format {fmt!r}; use one of {', '.join(REPORT_FORMATS)}")


def write_report(
    monitor: Monitor,
    output: str | Path,
    fmt: str,
    programme: str = "digital-kazakhstan",
    *,
    as_of: str | dt.date | None = None,
    compare_to: str | dt.date | None = None,
    language: str = "en",
    cache: str | Path | None = None,
) -> Document:
    """Build the report and write it to ``output`` in ``fmt``; returns the document written.

    With ``cache`` (a folder: the setting ``cache``) the gathered figures are kept there and read back by the
    next report of the same store, programme and dates (:func:`kept_gather`).
    """
    doc = build_document(kept_gather(monitor, programme, as_of, compare_to, folder=cache), language)
    Path(output).write_bytes(render(doc, fmt))
    return doc
