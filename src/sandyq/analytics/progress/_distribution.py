"""The predictive distribution learnt from backtest errors: empirical quantiles of scaled errors (conformal-style).

A t distribution widened by one factor (:mod:`._calibration`) covers 80 % and
95 % on average, but real forecast errors of short annual series are skewed
(centres lag behind accelerating series, shares saturate) and their spread
depends on how many values the projection starts from.  Split-conformal
prediction (Vovk et al. 2005; Lei et al. 2018) uses instead the empirical
quantiles of held-out scaled errors ``z = (g(actual) − ŷ) / σ̂`` — here the
rolling-origin backtest errors — per cell of *series length band* (3–4, 5–6,
7–10, 11+ values) × *horizon*.  A cell with errors from fewer than
``min_series`` series is not trusted: the calibration's factor-k t distribution
serves there.  Quantiles beyond the fitted horizons use the longest horizon's.

Intervals are ``ŷ + σ̂·q_z(p)``, the reported centre is the median
``ŷ + σ̂·q_z(0.5)`` (the learnt bias correction), and the probability of
reaching a target ``x_T`` is ``1 − F_z((g(x_T) − ŷ) / σ̂)``, with ``F_z``
interpolated between the fitted quantiles and kept within the grid's ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["BANDS", "GRID", "ZDistribution", "band_of", "fit_quantiles"]

#: Lower ends of the series-length bands (values in the projection): 3–4, 5–6, 7–10, 11+.
BANDS: tuple[int, ...] = (3, 5, 7, 11)

#: Probability levels at which the error quantiles are kept (the 80 % and 95 % interval ends among them).
GRID: tuple[float, ...] = (
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
    0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 0.995,
)  # fmt: skip


def band_of(n_points: ArrayLike) -> np.ndarray:
    """Index of the series-length band of projections from ``n`` values (fewer than 3 count as 3–4).

    >>> band_of([2, 4, 5, 8, 30]).tolist()
    [0, 0, 1, 2, 3]
    """
    return np.maximum(np.searchsorted(np.asarray(BANDS), np.asarray(n_points), side="right") - 1, 0)


@dataclass(frozen=True)
class ZDistribution:
    """Quantiles of scaled forecast errors at :data:`GRID`, per (band, horizon) cell.

    >>> d = ZDistribution({(1, 1): np.linspace(-2.0, 2.0, len(GRID))})
    >>> d.cell(6, 1) is not None, d.cell(6, 4) is not None, d.cell(12, 1), d.cell(2, 1)
    (True, True, None, None)
    >>> ZDistribution.from_dict(d.to_dict()) == d
    True
    """

    table: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)
    grid: tuple[float, ...] = GRID

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ZDistribution) or self.grid != other.grid or self.table.keys() != other.table.keys():
            return False
        return all(np.allclose(v, other.table[k], rtol=0.0, atol=1e-5) for k, v in self.table.items())

    __hash__ = None  # type: ignore[assignment]

    def cell(self, n_points: int, horizon: int) -> np.ndarray | None:
        """The quantiles for a projection from ``n_points`` values, ``horizon`` years ahead (None: no cell)."""
        if n_points < BANDS[0]:
            return None
        band = int(band_of(n_points))
        hs = [h for b, h in self.table if b == band]
        if not hs:
            return None
        fitted = [h for h in hs if h <= horizon]
        return self.table[(band, max(fitted) if fitted else min(hs))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "grid": list(self.grid),
            "bands": list(BANDS),
            "quantiles": {f"{b}:{h}": [round(float(x), 5) for x in v] for (b, h), v in sorted(self.table.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ZDistribution:
        grid = tuple(float(x) for x in data.get("grid", GRID))
        table = {}
        for key, values in dict(data.get("quantiles") or {}).items():
            b, h = (int(x) for x in str(key).split(":"))
            arr = np.asarray(values, dtype=float)
            if arr.shape != (len(grid),) or not np.all(np.diff(arr) >= 0):
                raise ValueError(f"quantiles {key!r} must be {len(grid)} non-decreasing numbers")
            table[(b, h)] = arr
        return cls(table, grid)


def fit_quantiles(
    z: ArrayLike, n_points: ArrayLike, horizon: ArrayLike, series: ArrayLike, min_series: int = 200
) -> ZDistribution:
    """Empirical quantiles of signed scaled errors ``z`` per (band, horizon), where ≥ ``min_series`` series.

    Standard-normal errors give the normal quantiles:

    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=40000)
    >>> d = fit_quantiles(z, np.full(z.size, 8), np.ones(z.size, int), np.arange(z.size) % 400)
    >>> q = d.cell(8, 1)
    >>> round(float(q[GRID.index(0.975)]), 1), abs(round(float(q[GRID.index(0.5)]), 1))
    (2.0, 0.0)
    """
    zz = np.asarray(z, dtype=float)
    ok = np.isfinite(zz)
    zz = zz[ok]
    band = band_of(np.asarray(n_points)[ok])
    h = np.asarray(horizon, dtype=int)[ok]
    s = np.asarray(series)[ok]
    table: dict[tuple[int, int], np.ndarray] = {}
    for b in np.unique(band):
        for x in np.unique(h[band == b]):
            sel = (band == b) & (h == x)
            if np.unique(s[sel]).size >= min_series:
                table[(int(b), int(x))] = np.quantile(zz[sel], GRID)
    return ZDistribution(table)


def probability_above(q: np.ndarray, x: float, grid: tuple[float, ...] = GRID) -> float:
    """P(Z ≥ x) for the distribution with quantiles ``q`` at ``grid`` (within the grid's ends).

    >>> q = np.linspace(-1.0, 1.0, 3)
    >>> probability_above(q, 0.0, (0.1, 0.5, 0.9)), probability_above(q, 5.0, (0.1, 0.5, 0.9))
    (0.5, 0.1)
    """
    qs, levels = _collapse(q, grid)
    if qs.size == 1:
        return float(0.5 if x == qs[0] else (grid[-1] if x < qs[0] else grid[0]))
    return round(float(1.0 - np.interp(x, qs, levels)), 12)


def _collapse(q: np.ndarray, grid: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Tied quantiles merged into one point at the middle of their levels."""
    qs, inverse = np.unique(q, return_inverse=True)
    levels = np.array([np.mean(np.asarray(grid)[inverse == i]) for i in range(qs.size)])
    return qs, levels
