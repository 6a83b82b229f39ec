"""The report as one self-contained HTML file: inline CSS and SVG, fonts by name (no request leaves the file).

The same HTML, with its print rules, is what WeasyPrint lays out as the PDF
(:mod:`._pdf`): A4 pages, each chapter on a new page, running page numbers.
Fonts that cover Kazakh Cyrillic (DejaVu, from Debian's ``fonts-dejavu-core``)
are named through ``@font-face { src: local(...) }``, never downloaded.

>>> from ._model import Document, Heading, Paragraph
>>> html = render_html(Document("Есеп", "kk").add(Heading(1, "Қысқаша шолу"), Paragraph("Ә <b>")))
>>> '<html lang="kk">' in html and "<h1" in html and "Ә &lt;b&gt;" in html
True
"""

from __future__ import annotations

from html import escape

from ._model import Chart, Document, Heading, Paragraph, Table

__all__ = ["CSS", "render_html"]

CSS = """
@font-face { font-family: "Report Sans"; src: local("DejaVu Sans"), local("DejaVuSans"); }
@font-face { font-family: "Report Sans"; font-weight: bold; src: local("DejaVu Sans Bold"), local("DejaVuSans-Bold"); }
@page { size: A4; margin: 18mm 16mm 18mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font: 8pt "Report Sans", sans-serif; }
        @bottom-left { content: string(title); font: 8pt "Report Sans", sans-serif; color: #555; } }
html { font-family: "Report Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.35; }
body { max-width: 178mm; margin: 0 auto; color: #1a1a1a; }
h1.title { font-size: 20pt; string-set: title content(); margin-top: 0; }
h1 { font-size: 15pt; color: #123e6b; border-bottom: 1.5pt solid #123e6b; padding-bottom: 2pt; }
h1.chapter { break-before: page; }
h2 { font-size: 12.5pt; color: #123e6b; margin-top: 14pt; }
h3 { font-size: 11pt; margin-top: 10pt; }
h4 { font-size: 10.5pt; margin: 10pt 0 3pt; break-after: avoid; }
p { margin: 3pt 0; overflow-wrap: anywhere; }
p.lead { font-weight: bold; }
p.note { font-size: 8.5pt; color: #333; margin: 1pt 0; }
p.bullet { margin-left: 10pt; text-indent: -8pt; font-size: 9pt; }
p.bullet::before { content: "• "; }
figure { margin: 4pt 0 6pt; break-inside: avoid; }
figure svg { width: 100%; height: auto; max-width: 170mm; }
figcaption { font-size: 8pt; color: #444; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; table-layout: fixed; }
th, td { border: 0.5pt solid #999; padding: 2pt 3pt; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #e8eef5; }
td.num { text-align: right; white-space: nowrap; }
caption { caption-side: bottom; font-size: 8pt; color: #444; text-align: left; padding-top: 2pt; }
nav ol { columns: 2; font-size: 9pt; }
"""


def _block(b: object, chapter: list[int]) -> str:
    if isinstance(b, Heading):
        chapter[0] += b.level == 1
        cls = ' class="chapter"' if b.level == 1 and chapter[0] > 1 else ""
        ident = f' id="{escape(b.anchor)}"' if b.anchor else ""
        return f"<h{b.level}{cls}{ident}>{escape(b.text)}</h{b.level}>"
    if isinstance(b, Paragraph):
        return f'<p class="{b.style}">{escape(b.text)}</p>'
    if isinstance(b, Table):
        num = b.numeric or (False,) * len(b.header)
        head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
        rows = "".join(
            "<tr>"
            + "".join(f"<td{' class=num' if n else ''}>{escape(c)}</td>" for c, n in zip(r, num, strict=False))
            + "</tr>"
            for r in b.rows
        )
        cap = f"<caption>{escape(b.caption)}</caption>" if b.caption else ""
        return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(b, Chart):
        svg = b.svg.replace("<svg ", f'<svg role="img" aria-label="{escape(b.alt)}" ', 1)
        return f"<figure>{svg}<figcaption>{escape(b.caption)}</figcaption></figure>"
    raise TypeError(f"not a block of a report: {b!r}")


def _contents(doc: Document) -> str:
    items = "".join(
        f'<li><a href="#{escape(b.anchor)}">{escape(b.text)}</a></li>'
        for b in doc.blocks
        if isinstance(b, Heading) and b.level == 1 and b.anchor
    )
    return f"<nav><ol>{items}</ol></nav>"


def render_html(doc: Document) -> str:
    """The whole report as one HTML document (UTF-8, no external resource)."""
    chapter = [0]
    body = "\n".join(_block(b, chapter) for b in doc.blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(doc.language)}">\n<head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title>\n<style>{CSS}</style></head>\n"
        f'<body>\n<h1 class="title">{escape(doc.title)}</h1>\n{_contents(doc)}\n{body}\n</body>\n</html>\n'
    )
