"""The report as one document model that every format renders: headings, paragraphs, tables and charts.

Content assembly (:mod:`._content`) writes a :class:`Document` once, in one
language; the HTML, PDF and DOCX renderers only lay it out, so the three formats
say the same things in the same order.

>>> doc = Document("Report", "en", meta={"as_of": "2026-01-01"})
>>> doc.add(Heading(1, "Summary")).add(Paragraph("Six targets achieved."))
Document(title='Report', language='en', blocks=[...], meta={'as_of': '2026-01-01'})
>>> [type(b).__name__ for b in doc.blocks]
['Heading', 'Paragraph']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Block", "Chart", "Document", "Heading", "Paragraph", "Table"]


@dataclass(frozen=True)
class Heading:
    """A section title; ``level`` 1 is a chapter (a new page in print), 2 a direction, 3 a task or target."""

    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``style`` is ``body``, ``lead`` (the verdict), ``note`` (source lines) or ``bullet``."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``numeric`` marks the columns aligned right."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart as SVG (``width`` × ``height`` CSS pixels) with its caption (what it shows, source and vintage)."""

    svg: str
    width: int
    height: int
    caption: str = ""
    alt: str = ""


Block = Heading | Paragraph | Table | Chart


@dataclass
class Document:
    """A whole report: title, language, blocks in order, and facts about it (programme, as-of, vintages)."""

    title: str
    language: str
    blocks: list[Block] = field(default_factory=list, repr=False)
    meta: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Document(title={self.title!r}, language={self.language!r}, blocks=[...], meta={self.meta!r})"

    def add(self, *blocks: Block) -> Document:
        """Append ``blocks``; returns the document, so calls chain."""
        self.blocks.extend(blocks)
        return self

    def text(self) -> str:
        """Every word of the document, a block a line (for tests and search)."""
        out: list[str] = [self.title]
        for b in self.blocks:
            if isinstance(b, Heading | Paragraph):
                out.append(b.text)
            elif isinstance(b, Table):
                out += [" | ".join(b.header), *(" | ".join(r) for r in b.rows), b.caption]
            else:
                out.append(b.caption)
        return "\n".join(out)
