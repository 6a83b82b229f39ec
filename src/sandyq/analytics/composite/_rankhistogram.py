"""Exact streaming statistics of ranks: one histogram of ranks per unit.

A Monte Carlo of a ranking can run for more runs than fit in memory.  Ranks are
integers from 1 to the number of units, so a ``units × (units + 1)`` table of
counts holds *everything* the rank statistics need, whatever the number of
runs: the mean is the weighted sum over the table, and every quantile is read
off the cumulative counts.  The results are bit for bit those of
``numpy.nanmean`` / ``numpy.nanmedian`` / ``numpy.nanquantile`` (its default,
"linear" method) over the full ``runs × units`` array of ranks, which the
tests check.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ...errors import DataError
from ._arrays import FloatArray

__all__ = ["RankHistogram"]

IntArray = npt.NDArray[np.int64]


class RankHistogram:
    """Per unit, how many runs gave it each rank (missing ranks are not counted).

    >>> h = RankHistogram(3)
    >>> h.add(np.array([[1.0, 2.0, 3.0], [1.0, 3.0, 2.0], [2.0, 1.0, float("nan")]]))
    >>> h.count().tolist(), h.mean().tolist(), h.quantile(0.5).tolist()
    ([3, 3, 2], [1.3333333333333333, 2.0, 2.5], [1.0, 2.0, 2.5])
    """

    def __init__(self, n_units: int) -> None:
        self.n_units = n_units
        #: ``counts[i, r]``: runs in which unit ``i`` had rank ``r`` (column 0 is unused: ranks start at 1).
        self.counts: IntArray = np.zeros((n_units, n_units + 1), dtype=np.int64)

    def add(self, ranks: FloatArray, weights: npt.ArrayLike | None = None) -> None:
        """Count ``ranks`` (rows × units; integers or NaN), row ``k`` standing for ``weights[k]`` runs."""
        r = np.asarray(ranks, dtype=float)
        if r.ndim != 2 or r.shape[1] != self.n_units:
            raise DataError(f"ranks must be rows × {self.n_units} units, not of shape {r.shape}")
        w = np.ones(r.shape[0], dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
        ok = ~np.isnan(r)
        if not ok.any():
            return
        rk = r[ok]
        if (rk < 1).any() or (rk > self.n_units).any() or (rk != np.floor(rk)).any():
            raise DataError(f"ranks must be whole numbers from 1 to {self.n_units}")
        unit = np.broadcast_to(np.arange(self.n_units), r.shape)[ok]
        cell = unit * (self.n_units + 1) + rk.astype(np.int64)
        runs = np.broadcast_to(w[:, None], r.shape)[ok]
        # float64 weights are exact integers up to 2**53 runs per cell
        added = np.bincount(cell, weights=runs.astype(float), minlength=self.counts.size)
        self.counts += added.astype(np.int64).reshape(self.counts.shape)

    def count(self) -> IntArray:
        """Per unit, the number of runs that ranked it."""
        return np.asarray(self.counts.sum(axis=1), dtype=np.int64)

    def mean(self) -> FloatArray:
        """Per unit, the mean rank (NaN for a unit never ranked)."""
        n = self.count()
        total = self.counts @ np.arange(self.n_units + 1, dtype=np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, total.astype(float) / n, np.nan)

    def order_statistic(self, k: IntArray) -> FloatArray:
        """Per unit ``i``, the ``k[i]``-th smallest rank (0-based; ``k[i]`` < the unit's count)."""
        cum = np.cumsum(self.counts, axis=1)
        # one increasing sequence over all units: unit i's cumulative counts shifted by i·(runs + 1)
        shift = (int(cum[:, -1].max(initial=0)) + 1) * np.arange(self.n_units, dtype=np.int64)
        flat = (cum + shift[:, None]).ravel()
        pos = np.searchsorted(flat, np.asarray(k, dtype=np.int64) + shift, side="right")
        return (pos - np.arange(self.n_units) * (self.n_units + 1)).astype(float)

    def quantile(self, q: float) -> FloatArray:
        """Per unit, the ``q`` quantile of its ranks, as ``numpy.nanquantile(..., method="linear")``."""
        n = self.count()
        has = n > 0
        out = np.full(self.n_units, np.nan)
        if not has.any():
            return out
        virtual = (n - 1) * np.float64(q)  # numpy's virtual index of the "linear" method
        below = np.floor(virtual)
        gamma = virtual - below
        lo_k = np.where(has, below, 0).astype(np.int64)
        hi_k = np.where(has, np.minimum(below + 1, n - 1), 0).astype(np.int64)
        a, b = self.order_statistic(lo_k), self.order_statistic(hi_k)
        diff = b - a
        lerp = a + diff * gamma  # numpy's _lerp, including its switch to b − diff·(1 − γ) for γ ≥ 0.5
        lerp = np.where(gamma >= 0.5, b - diff * (1 - gamma), lerp)
        out[has] = lerp[has]
        return out
