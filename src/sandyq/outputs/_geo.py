"""Boundary files as SVG paths: GeoJSON projected once, coloured by the dashboard's browser or by the report.

Kazakhstan's regions are drawn in an Albers equal-area conic projection
(standard parallels 42° and 52° N, centre 67° E), the world in the Equal Earth
projection, so areas compare fairly on a choropleth.  Coordinates are rounded
to half a pixel of a 1000-pixel-wide view and repeated points dropped,
which keeps a map file small enough to send with every page.

>>> x, y = albers(np.array([67.0]), np.array([48.0]))
>>> round(float(x[0]), 6)
0.0
>>> ring_path(np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]))
'M0 0L10 0L10 10Z'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from ..framework import Geography

__all__ = ["albers", "boundary_shapes", "equal_earth", "project_boundaries", "ring_path"]

WIDTH = 1000.0


def albers(
    lon: np.ndarray, lat: np.ndarray, *, lon0: float = 67.0, lat0: float = 48.0, lat1: float = 42.0, lat2: float = 52.0
) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic projection on the unit sphere (x east, y north)."""
    p1, p2, p0 = np.radians([lat1, lat2, lat0])
    n = (np.sin(p1) + np.sin(p2)) / 2
    c = np.cos(p1) ** 2 + 2 * n * np.sin(p1)
    rho0 = np.sqrt(c - 2 * n * np.sin(p0)) / n
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    theta = n * np.radians(lon - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Equal Earth projection (Šavrič, Patterson and Jenny, 2018)."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(np.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * np.sqrt(3) * np.radians(lon) * np.cos(theta) / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    y = theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
    return x, y


def ring_path(points: np.ndarray) -> str:
    """One closed SVG sub-path from an (n, 2) array of pixel coordinates (rounded to half a pixel)."""
    pts = np.round(points * 2) / 2
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
    pts = pts[keep]
    if len(pts) < 3:
        return ""
    text = [f"{x:g} {y:g}" for x, y in pts]
    return "M" + "L".join(text) + "Z"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for poly in coords for ring in poly]
    return []


def project_boundaries(geography: Geography, name: str, year: int | None = None) -> dict[str, Any]:
    """A bundled boundary set as ``{name, viewBox, features: [{code, name, d}]}`` in SVG pixel space.

    ``year`` (a year the set covers) decides which unit a Kazakh feature is
    (South Kazakhstan before 2018, Turkistan after).  Features whose code is
    unknown keep the file's own name and a ``null`` code (they are drawn grey).
    """
    out = boundary_shapes(geography, name, year)
    for f in out["features"]:
        del f["label"], f["area"]
    return out


def boundary_shapes(geography: Geography, name: str, year: int | None = None) -> dict[str, Any]:
    """:func:`project_boundaries` with, per feature, a ``label`` point ``(x, y)`` (the centroid of its largest
    ring) and that ring's ``area`` in square pixels.

    The report writes a region's name there (:mod:`sandyq.outputs.report._map`).
    """
    bset = {b.name: b for b in geography.boundary_sets()}[name]
    data = json.loads(geography.boundary_file(name).read_text(encoding="utf-8"))
    kz = bset.country is not None
    if year is None and kz:
        year = bset.last_year if bset.last_year is not None else bset.first_year
    project = albers if kz else equal_earth
    feats: list[tuple[str | None, str, list[np.ndarray]]] = []
    for f in data.get("features", []):
        props = f.get("properties") or {}
        code = geography.feature_code(props, year)
        rings = _projected_rings(f.get("geometry") or {}, project)
        if rings:
            feats.append((code, _label(props, code), rings))
    allpts = np.concatenate([r for _, _, rings in feats for r in rings])
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    scale = WIDTH / (hi[0] - lo[0])
    height = float(np.ceil((hi[1] - lo[1]) * scale))
    out = []
    for code, label, rings in feats:
        d = "".join(ring_path((r - lo) * scale) for r in rings)
        if d:
            big = max(rings, key=lambda r: abs(_area(r)))
            cx, cy = _centroid(big)
            point = (round(float((cx - lo[0]) * scale), 1), round(float((cy - lo[1]) * scale), 1))
            area = round(abs(_area(big)) * scale * scale)
            out.append({"code": code, "name": label, "d": d, "label": point, "area": area})
    return {"name": name, "viewBox": f"0 0 {WIDTH:g} {height:g}", "features": out}


def _area(ring: np.ndarray) -> float:
    """The signed area of a ring (shoelace formula).

    >>> _area(np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]))
    4.0
    """
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2


def _centroid(ring: np.ndarray) -> tuple[float, float]:
    """The centroid of a polygon's area (its vertices' mean when the area is nil).

    >>> _centroid(np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]))
    (1.0, 1.0)
    """
    a = _area(ring)
    if abs(a) < 1e-12:
        return float(ring[:, 0].mean()), float(ring[:, 1].mean())
    x, y = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    return float(((x + x1) * cross).sum() / (6 * a)), float(((y + y1) * cross).sum() / (6 * a))


def _label(props: dict[str, Any], code: str | None) -> str:
    """A feature's name: its English name in the file, else its code, else empty."""
    return str(props.get("ADM1_EN") or props.get("NAME_EN") or props.get("NAME") or code or "")


def _projected_rings(
    geometry: dict[str, Any], project: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
) -> list[np.ndarray]:
    """The rings of a geometry with at least three points, projected, y pointing down as in SVG."""
    rings = []
    for ring in _rings(geometry):
        arr = np.asarray(ring, dtype=float)
        if arr.ndim == 2 and len(arr) >= 3:
            x, y = project(arr[:, 0], arr[:, 1])
            rings.append(np.column_stack([x, -y]))
    return rings
