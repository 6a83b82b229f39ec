"""The report as a Word document (python-docx): real Heading styles and Word tables, so a ministry can edit it.

Charts are the same SVG as in HTML and PDF, embedded as SVG (shown by Word 2016+
and LibreOffice) with a PNG twin drawn from that SVG by librsvg
(:func:`._raster.svg_png`) for readers that cannot show SVG — the picture
element Word itself writes for an inserted SVG (``asvg:svgBlip``).
"""

from __future__ import annotations

import io
from typing import Any

from ._model import Chart, Document, Heading, Paragraph, Table
from ._raster import svg_png

__all__ = ["render_docx"]

_SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def _chart(word: Any, b: Chart) -> None:
    """The chart as a picture (PNG from the SVG) with the SVG attached to it, then its caption."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import Mm

    png = svg_png(b.svg, b.width, b.height)
    run = word.add_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(png), width=Mm(165))
    doc_part = word.part
    n = len([r for r in doc_part.rels.values() if r.reltype == RT.IMAGE]) + 1
    part = Part(PackURI(f"/word/media/chart{n}.svg"), "image/svg+xml", b.svg.encode("utf-8"), doc_part.package)
    rid = doc_part.relate_to(part, RT.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    ext = parse_xml(
        f'<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:ext uri="{_SVG_EXT}">'
        f'<asvg:svgBlip xmlns:asvg="{_SVG_NS}" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="{rid}"/>'
        "</a:ext></a:extLst>"
    )
    blip.append(ext)
    shape._inline.docPr.set("descr", b.alt)
    word.add_paragraph(b.caption, style="Caption")


def _table(word: Any, b: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = word.add_table(rows=1, cols=len(b.header))
    table.style = "Table Grid"
    num = b.numeric or (False,) * len(b.header)
    for cell, text in zip(table.rows[0].cells, b.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in b.rows:
        cells = table.add_row().cells
        for cell, text, right in zip(cells, row, num, strict=False):
            cell.text = text
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(8.5)
    if b.caption:
        word.add_paragraph(b.caption, style="Caption")


def render_docx(doc: Document) -> bytes:
    """The DOCX bytes of ``doc``: title, headings 1–4, paragraphs, tables and charts, in the document's language."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    word = docx.Document()
    normal = word.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.makeelement(qn("w:lang"), {qn("w:val"): {"kk": "kk-KZ", "ru": "ru-RU"}.get(doc.language, "en-GB")})
    rpr.append(lang)
    word.core_properties.title = doc.title
    word.core_properties.language = doc.language
    word.add_heading(doc.title, level=0)
    for b in doc.blocks:
        if isinstance(b, Heading):
            if b.level == 1 and len(word.paragraphs) > 3:
                word.add_page_break()
            word.add_heading(b.text, level=min(b.level, 4))
        elif isinstance(b, Paragraph):
            style = "List Bullet" if b.style == "bullet" else None
            p = word.add_paragraph(b.text, style=style)
            if b.style == "lead":
                for r in p.runs:
                    r.bold = True
            elif b.style == "note":
                for r in p.runs:
                    r.font.size = Pt(8.5)
        elif isinstance(b, Table):
            _table(word, b)
        elif isinstance(b, Chart):
            _chart(word, b)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
