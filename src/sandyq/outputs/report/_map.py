"""The report's regional map: a choropleth of the latest regional figures, as one SVG for HTML, PDF and DOCX.

The regions are the boundaries valid in the map's year (Kazakhstan's regions split
in 2018 and 2022: :meth:`~sandyq.framework.Geography.boundary_set` picks the file),
projected by the dashboard's own code (:mod:`sandyq.outputs._geo`), so the map in
the report is the map of the regions page.  Five classes with the dashboard's
breaks (quantiles of the year's values) and colours; the legend gives the class
breaks and the unit, each region its name and figure, in the reader's language.

>>> breaks([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
[10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
>>> breaks([5.0, 5.0])
[5.0, 5.0, 5.0, 5.0, 5.0, 6.0]
>>> klass([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], 25.0), klass([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], 60.0)
(1, 4)
>>> breaks([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])  # ranks 1.6, 3.2, 4.8, 6.4 round half up, as JS
[1.0, 3.0, 4.0, 6.0, 7.0, 9.0]
"""

from __future__ import annotations

import functools
import math
from html import escape
from typing import TYPE_CHECKING, Any

from ..._messages import CATALOG, number
from ._model import Chart
from ._words import say

if TYPE_CHECKING:
    from ...framework import Geography

__all__ = ["BLUES", "breaks", "klass", "map_chart", "region_map"]

#: The dashboard's five classes, lightest first (static/sandyq.js, BLUES).
BLUES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
_NO_DATA = "#e5e8eb"
_FONT = "DejaVu Sans, Arial, sans-serif"
WIDTH = 640
_LEGEND = 64
#: Regions smaller than this (square CSS pixels) are cities, labelled beside a dot.
_SMALL = 150

_WORDS: tuple[tuple[str, str, str], ...] = (
    # (en, ru, kk)
    ("{name}: latest figures by region, {year}.", "{name}: последние значения по регионам, {year}.",
     "{name}: өңірлер бойынша соңғы мәндер, {year}."),
    ("Boundaries of {year}; classes by quintile of the regions' values.",
     "Границы {year} года; классы по квинтилям значений регионов.",
     "{year} жылғы шекаралар; сыныптар өңірлер мәндерінің квинтильдері бойынша."),
    ("no data", "нет данных", "дерек жоқ"),
)  # fmt: skip

for _en, _ru, _kk in _WORDS:
    CATALOG.setdefault(_en, {"ru": _ru, "kk": _kk})


def breaks(values: list[float], classes: int = len(BLUES)) -> list[float]:
    """Class edges (``classes + 1``), as the dashboard's ``quantileBins``: values at equal ranks, lowest to highest."""
    v = sorted(values)
    edges = [v[min(len(v) - 1, math.floor(i * (len(v) - 1) / classes + 0.5))] for i in range(classes + 1)]
    if edges[0] == edges[-1]:
        edges[-1] = edges[0] + 1
    return edges


def klass(edges: list[float], value: float) -> int:
    """The class (0 lightest) of ``value``: the first whose upper edge it does not pass (the dashboard's ``colour``)."""
    for i in range(1, len(edges)):
        if value <= edges[i]:
            return i - 1
    return len(edges) - 2


@functools.cache
def _shapes(geography: Geography, year: int) -> dict[str, Any]:
    from .._geo import boundary_shapes

    return boundary_shapes(geography, geography.boundary_set(year), year)


def _lines(name: str) -> list[str]:
    """A region's name on one line, or two when long (split at the space nearest the middle)."""
    if len(name) <= 14 or " " not in name:
        return [name]
    spaces = [i for i, c in enumerate(name) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return [name[:cut], name[cut + 1 :]]


def region_map(
    geography: Geography,
    values: dict[str, float],
    year: int,
    *,
    language: str,
    unit: str = "",
    decimals: int | None = None,
    note: str = "",
) -> tuple[str, int]:
    """The choropleth of ``values`` (region code → figure in ``year``) as SVG, and its height in CSS pixels."""
    shapes = _shapes(geography, year)
    _, _, w, h = (float(x) for x in shapes["viewBox"].split())
    scale = WIDTH / w
    map_h = round(h * scale)
    height = map_h + _LEGEND
    edges = breaks(list(values.values())) if values else []
    spec = f".{decimals}f" if decimals is not None else ""

    def fmt(v: float) -> str:
        return number(language, v, spec)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{_FONT}" font-size="8">',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<g transform="scale({scale:.6f})" stroke="#ffffff" stroke-width="1.5" stroke-linejoin="round">',
    ]
    labels = []
    for f in shapes["features"]:
        code = f["code"]
        value = values.get(code) if code else None
        fill = _NO_DATA if value is None or not edges else BLUES[klass(edges, value)]
        name = str(geography.name(code, language)) if code else f["name"]
        said = say(language, "no data") if value is None else fmt(value)
        parts.append(f'<path d="{f["d"]}" fill="{fill}" data-code="{escape(code or "")}">'
                     f"<title>{escape(name)}: {escape(said)}</title></path>")  # fmt: skip
        if f["area"] * scale * scale < _SMALL:  # a city: a dot, and its name beside it on a white ground
            labels.append(_city(f["label"], scale, f"{name} {said}"))
        else:
            dark = value is not None and edges and klass(edges, value) >= 3
            labels.append(_label(f["label"], scale, name, said, bool(dark)))
    parts.append("</g>")
    parts.extend(labels)
    parts.extend(_legend(edges, fmt, unit, map_h, language, any(values.get(f["code"] or "") is None
                                                                 for f in shapes["features"])))  # fmt: skip
    if note:
        parts.append(f'<text x="4" y="{height - 6}" font-size="9" fill="#444">{escape(note)}</text>')
    return "".join(parts) + "</svg>", height


def _label(point: tuple[float, float], scale: float, name: str, value: str, dark: bool) -> str:
    """A region's name and figure at its centre; on the darker classes, on a pale ground that keeps it legible."""
    lines = [*_lines(name), value]
    half = 2.5 * max(len(t) for t in lines) + 2  # DejaVu Sans at 8 px: about 5 px a letter
    x, y = min(max(point[0] * scale, half), WIDTH - half), point[1] * scale
    top = y - (len(lines) - 1) * 4.5
    value_style = ' font-size="9" fill="#08306b"'  # the figure a little larger and darker (one font, no bold)
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + i * 9:.1f}"{value_style if i == len(lines) - 1 else ""}>{escape(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    ground = ""
    if dark:
        h = 9 * len(lines) + 2
        ground = (f'<rect x="{x - half:.1f}" y="{top - 8:.1f}" width="{2 * half:.1f}" height="{h}" rx="2" '
                  'fill="#ffffff" fill-opacity="0.75"/>')  # fmt: skip
    return f'{ground}<text text-anchor="middle" fill="#1a1a1a">{spans}</text>'


def _city(point: tuple[float, float], scale: float, text: str) -> str:
    x, y = point[0] * scale, point[1] * scale
    width = 4.9 * len(text) + 4
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#1a1a1a"/>'
        f'<rect x="{x + 4:.1f}" y="{y - 6:.1f}" width="{width:.0f}" height="10" fill="#ffffff" fill-opacity="0.85"/>'
        f'<text x="{x + 6:.1f}" y="{y + 2:.1f}" fill="#1a1a1a">{escape(text)}</text>'
    )


def _legend(edges: list[float], fmt: Any, unit: str, top: int, language: str, missing: bool) -> list[str]:
    """Swatches with the class edges under them, the unit before them, and 'no data' when a region has none."""
    if not edges:
        return []
    out = []
    x0, sw, y = 150, 70, top + 10
    if unit:
        out.append(f'<text x="{x0 - 8}" y="{y + 10}" text-anchor="end" font-size="10">{escape(unit)}</text>')
    for i, colour in enumerate(BLUES):
        out.append(f'<rect x="{x0 + i * sw}" y="{y}" width="{sw - 2}" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x0 + i * sw}" y="{y + 24}" font-size="9" text-anchor="middle">{fmt(edges[i])}</text>')
    end = x0 + len(BLUES) * sw - 2
    out.append(f'<text x="{end}" y="{y + 24}" font-size="9" text-anchor="middle">{fmt(edges[-1])}</text>')
    if missing:
        out.append(f'<rect x="{end + 24}" y="{y}" width="20" height="12" fill="{_NO_DATA}"/>')
        out.append(f'<text x="{end + 48}" y="{y + 10}" font-size="9">{escape(say(language, "no data"))}</text>')
    return out


def map_chart(framework: Any, indicator: str, latest: Any, year: int, language: str, note: str) -> Chart:
    """The map of ``latest`` (an indicator's regional rows of ``year``: ``geo``, ``value``) as a report chart."""
    from ...framework import UNITS

    ind = framework.indicators[indicator]
    name = ind.name.get(language)
    values = {str(g): float(v) for g, v in zip(latest["geo"], latest["value"], strict=True)}
    unit = UNITS[ind.unit].name(language) if ind.unit in UNITS else ""
    svg, height = region_map(framework.geography, values, year, language=language, unit=unit,
                             decimals=getattr(ind, "decimals", None), note=note)  # fmt: skip
    caption = say(language, "{name}: latest figures by region, {year}.", name=name, year=year)
    how = say(language, "Boundaries of {year}; classes by quintile of the regions' values.", year=year)
    return Chart(svg, WIDTH, height, f"{caption} {how} {note}", alt=caption)
