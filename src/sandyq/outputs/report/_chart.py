"""The report's charts as SVG: one drawing for HTML, PDF and (as SVG with a PNG twin) DOCX.

A chart is years on x and values on y, with any of: lines (observed values, the
projection, the required trajectory — dashed), points (milestones), and vertical
interval bars (the 80 % and 95 % prediction intervals at the projection year).
Text is in the SVG (axis unit, legend, source and vintage line), so a chart
copied out of the report stands alone.  Fonts are named, never embedded.
Numbers on the axis and beside the bars are written in the reader's language
as the rest of the report and the dashboard write them
(:func:`sandyq._messages.number`: a decimal comma and grouped thousands in
Kazakh and Russian); years stay as they are.

>>> svg = chart([Line("observed", ((2015, 70.0), (2020, 88.2)))], unit="%", note="Source: BNS")
>>> svg.startswith("<svg") and "88" in svg and "Source: BNS" in svg
True
>>> ">2,5<" in chart([Line("observed", ((2015, 2.1), (2020, 3.4)))], language="ru")
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from ..._messages import number

__all__ = ["HEIGHT", "WIDTH", "Bar", "Line", "Mark", "chart", "nice_ticks", "ranking"]

WIDTH, HEIGHT = 640, 250
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 16, 30, 46
_FONT = "DejaVu Sans, Arial, sans-serif"
_COLOURS = {"observed": "#1f5fa8", "projection": "#c25a00", "required": "#555555", "other": "#6a8f2e"}


@dataclass(frozen=True)
class Line:
    """A line through ``points`` (year, value); ``kind`` picks its colour, ``dashed`` its stroke."""

    label: str
    points: tuple[tuple[float, float], ...]
    kind: str = "observed"
    dashed: bool = False


@dataclass(frozen=True)
class Mark:
    """A point: a milestone (a diamond, filled when met, open otherwise)."""

    label: str
    x: float
    y: float
    filled: bool = False


@dataclass(frozen=True)
class Bar:
    """A vertical interval at ``x`` from ``low`` to ``high``; wider bars for wider (more probable) intervals."""

    label: str
    x: float
    low: float
    high: float
    weight: float = 1.0


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering ``lo``–``hi``.

    >>> nice_ticks(50.6, 94.7)
    [50, 60, 70, 80, 90, 100]
    >>> nice_ticks(3, 3)
    [2.0, 2.5, 3.0, 3.5, 4.0]
    """
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    out = []
    v = start
    while v < hi + step * 0.999:
        out.append(round(v, 10))
        v += step
    return out


def _fmt(v: float, language: str) -> str:
    """A tick or a value in ``language``, as the report's text writes numbers.

    >>> _fmt(2.5, "en"), _fmt(2.5, "kk"), _fmt(12000.0, "ru"), _fmt(1500000.0, "en")
    ('2.5', '2,5', '12\xa0000', '1,500,000')
    """
    return number(language, v)


def chart(
    lines: list[Line],
    marks: list[Mark] | tuple[Mark, ...] = (),
    bars: list[Bar] | tuple[Bar, ...] = (),
    *,
    unit: str = "",
    note: str = "",
    title: str = "",
    language: str = "en",
) -> str:
    """The SVG of a chart (``WIDTH`` × ``HEIGHT``), or a chart saying nothing when there is nothing to draw.

    ``language`` writes the axis' numbers (kk, ru or en).
    """
    xs = [p[0] for ln in lines for p in ln.points] + [m.x for m in marks] + [b.x for b in bars]
    ys = [p[1] for ln in lines for p in ln.points] + [m.y for m in marks]
    ys += [v for b in bars for v in (b.low, b.high)]
    ys = [y for y in ys if y is not None and math.isfinite(y)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{_FONT}" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if title:
        parts.append(f'<text x="{_LEFT}" y="14" font-weight="bold">{escape(title)}</text>')
    if not xs or not ys:
        return "".join(parts) + "</svg>"
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    x1 = x1 if x1 > x0 else x0 + 1
    yt = nice_ticks(min(ys), max(ys))
    y0, y1 = yt[0], yt[-1]
    pw, ph = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def px(x: float) -> float:
        return round(_LEFT + (x - x0) / (x1 - x0) * pw, 1)

    def py(y: float) -> float:
        return round(_TOP + (1 - (y - y0) / (y1 - y0)) * ph, 1)

    for t in yt:
        parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{py(t)}" y2="{py(t)}" stroke="#e2e2e2"/>')
        parts.append(f'<text x="{_LEFT - 4}" y="{py(t) + 4}" text-anchor="end">{_fmt(t, language)}</text>')
    step = max(1, math.ceil((x1 - x0) / 10))
    for year in range(x0, x1 + 1, step):
        parts.append(f'<text x="{px(year)}" y="{_TOP + ph + 14}" text-anchor="middle">{year}</text>')
    parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{_TOP + ph}" y2="{_TOP + ph}" stroke="#888"/>')
    if unit:
        parts.append(f'<text x="4" y="{_TOP - 10}">{escape(unit)}</text>')
    for b in bars:
        w, h = 3 + 3 * b.weight, max(py(b.low) - py(b.high), 1)
        parts.append(
            f'<rect x="{px(b.x) - w / 2:.1f}" y="{py(b.high)}" width="{w:.1f}" height="{h:.1f}"'
            f' fill="{_COLOURS["projection"]}" fill-opacity="{0.18 + 0.12 * (2 - b.weight)}"><title>{escape(b.label)}'
            "</title></rect>"
        )
    for ln in lines:
        pts = " ".join(f"{px(x)},{py(y)}" for x, y in ln.points if y is not None and math.isfinite(y))
        colour = _COLOURS.get(ln.kind, _COLOURS["other"])
        dash = ' stroke-dasharray="5 4"' if ln.dashed else ""
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        if ln.kind == "observed" and len(ln.points) < 40:
            parts += [f'<circle cx="{px(x)}" cy="{py(y)}" r="2.5" fill="{colour}"/>' for x, y in ln.points]
    for m in marks:
        cx, cy = px(m.x), py(m.y)
        fill = "#2e7d32" if m.filled else "#ffffff"
        parts.append(
            f'<path d="M{cx} {cy - 6}L{cx + 6} {cy}L{cx} {cy + 6}L{cx - 6} {cy}Z" fill="{fill}" stroke="#2e7d32" '
            f'stroke-width="1.5"><title>{escape(m.label)}</title></path>'
        )
    parts.append(_legend(lines, marks, bars))
    if note:
        parts.append(f'<text x="4" y="{HEIGHT - 4}" font-size="9" fill="#444">{escape(note)}</text>')
    return "".join(parts) + "</svg>"


def _legend(lines: list[Line], marks: list[Mark] | tuple[Mark, ...], bars: list[Bar] | tuple[Bar, ...]) -> str:
    """One row of legend keys under the x axis: each line kind, the milestones, the interval."""
    keys: list[tuple[str, str]] = []
    seen: set[str] = set()
    for ln in lines:
        if ln.label not in seen:
            seen.add(ln.label)
            colour = _COLOURS.get(ln.kind, _COLOURS["other"])
            dash = ' stroke-dasharray="5 4"' if ln.dashed else ""
            keys.append((ln.label, f'<line x1="0" x2="18" y1="-4" y2="-4" stroke="{colour}" stroke-width="2"{dash}/>'))
    if marks:
        keys.append((marks[0].label.split(":")[0], '<path d="M9 -10L15 -4L9 2L3 -4Z" fill="#2e7d32"/>'))
    if bars:
        label = ", ".join(b.label for b in bars)
        keys.append(
            (label, f'<rect x="4" y="-10" width="8" height="12" fill="{_COLOURS["projection"]}" opacity="0.4"/>')
        )
    out, x = [], float(_LEFT)
    for label, icon in keys:
        out.append(
            f'<g transform="translate({x:.0f},{HEIGHT - 16})">{icon}<text x="22" y="0">{escape(label)}</text></g>'
        )
        x += 34 + 6.8 * len(label)
    return "".join(out)


def ranking(
    items: list[tuple[str, float]], *, unit: str = "", note: str = "", highlight: str = "", language: str = "en"
) -> tuple[str, int]:
    """Horizontal bars, one per item (label, value), largest first; the SVG and its height (values in ``language``).

    >>> svg, height = ranking([("Astana", 93.1), ("Abai", 80.2)], unit="%", language="kk")
    >>> height, svg.index("Astana") < svg.index("Abai"), ">93,1<" in svg
    (92, True, True)
    """
    rows = sorted(items, key=lambda kv: -kv[1])
    bar, label_w, top = 16, 190, 24
    height = top + bar * len(rows) + 36
    hi = max((v for _, v in rows), default=1.0) or 1.0
    lo = min(0.0, min((v for _, v in rows), default=0.0))
    span = (hi - lo) or 1.0
    plot = WIDTH - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{_FONT}" font-size="11">',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    if unit:
        parts.append(f'<text x="{label_w}" y="14">{escape(unit)}</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * bar
        w = (value - lo) / span * plot
        colour = _COLOURS["projection"] if label == highlight else _COLOURS["observed"]
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{bar - 4}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 12}">{_fmt(value, language)}</text>')
    if note:
        parts.append(f'<text x="4" y="{height - 6}" font-size="9" fill="#444">{escape(note)}</text>')
    return "".join(parts) + "</svg>", height
