"""Inequality of one set of values: CV, Gini, Theil, max/min — optionally population-weighted.

These are the single-cross-section versions of the columns of
:func:`sandyq.analytics.regional.dispersion` (same definitions).  Values must be
finite; negative values (and, for max/min, zeros) are refused with a
:class:`~sandyq.errors.SandyqError` that says why, rather than answered with a NaN.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ...errors import ComputationError, DataError

__all__ = ["coefficient_of_variation", "gini", "max_min_ratio", "theil"]


def _check(values: npt.ArrayLike, weights: npt.ArrayLike | None, what: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise ComputationError(f"{what}: no values")
    if not np.all(np.isfinite(x)):
        raise DataError(f"{what}: values must be finite (drop missing values first; an absent region is not 0)")
    if np.any(x < 0):
        raise ComputationError(f"{what}: undefined for negative values ({', '.join(f'{v:g}' for v in x[x < 0][:5])})")
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape != x.shape or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise DataError(f"{what}: weights must be positive and one per value")
    if np.sum(w * x) == 0:
        raise ComputationError(f"{what}: undefined when all values are 0")
    return x, w / w.sum()


def gini(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Gini coefficient ``1 − Σ p_i (L_{i−1} + L_i)`` (0 = equal; (n−1)/n = one unit has everything).

    >>> gini([5, 5, 5]), gini([0, 0, 0, 1]), round(gini([1, 2, 3, 4, 5]), 4)
    (0.0, 0.75, 0.2667)
    >>> round(gini([1, 2], weights=[3, 1]), 4)  # same as gini([1, 1, 1, 2])
    0.15
    """
    x, p = _check(values, weights, "Gini")
    order = np.argsort(x, kind="stable")
    x, p = x[order], p[order]
    share = p * x / np.sum(p * x)
    cum = np.cumsum(share)
    return float(max(0.0, 1.0 - np.sum(p * (2 * cum - share))))


def theil(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Theil's T ``Σ p (x/μ) ln(x/μ)`` (0 = equal; ln n = one unit has everything).

    >>> theil([5, 5, 5]), round(theil([0, 0, 0, 1]), 4)
    (0.0, 1.3863)
    """
    from scipy.special import xlogy

    x, p = _check(values, weights, "Theil")
    r = x / np.sum(p * x)
    return float(max(0.0, np.sum(p * xlogy(r, r))))


def coefficient_of_variation(values: npt.ArrayLike, weights: npt.ArrayLike | None = None, ddof: int = 0) -> float:
    """``sd / mean``.  Unweighted sd uses ``ddof`` (default 0, the units are the population);
    weighted: ``√(Σ p (x − μ)²) / μ`` (Williamson), where ``ddof`` does not apply.

    >>> coefficient_of_variation([5, 5, 5]), round(coefficient_of_variation([1, 2, 3]), 4)
    (0.0, 0.4082)
    >>> round(coefficient_of_variation([1, 2, 3], ddof=1), 4)
    0.5
    """
    x, p = _check(values, weights, "CV")
    if weights is None:
        if x.size - ddof <= 0:
            raise ComputationError(f"CV: {x.size} value(s) are too few for ddof={ddof}")
        return float(np.std(x, ddof=ddof) / np.mean(x))
    mu = np.sum(p * x)
    return float(np.sqrt(np.sum(p * (x - mu) ** 2)) / mu)


def max_min_ratio(values: npt.ArrayLike) -> float:
    """Largest value over smallest (the regional gap in times); undefined when the minimum is 0.

    >>> max_min_ratio([2.0, 8.0, 4.0])
    4.0
    """
    x, _ = _check(values, None, "max/min")
    if x.min() == 0:
        raise ComputationError("max/min: undefined because the smallest value is 0")
    return float(x.max() / x.min())
