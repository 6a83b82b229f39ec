"""Descriptive statistics used to detect outliers and audit indicators.

Skewness and kurtosis are the sample ("type 2", Excel/SPSS/e1071) estimators that
COINr uses to decide which indicators to treat; kurtosis is *excess* kurtosis
(0 for a normal distribution).  Missing values are ignored.  Cronbach's alpha is
computed from the pairwise-complete covariance matrix, as ``COINr::get_cronbach``
does, so that it can be compared with COINr's published values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._arrays import FloatArray

__all__ = ["column_kurtosis", "column_skewness", "cronbach_alpha", "describe", "kurtosis", "skewness"]


def _moments(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per column: n, and the sums of the 2nd, 3rd and 4th powers of deviations."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(x, axis=0) / np.where(n > 0, n, 1.0), np.nan)
    d = np.where(ok, x - mean, 0.0)
    d2 = d * d
    return n, d2.sum(axis=0), (d2 * d).sum(axis=0), (d2 * d2).sum(axis=0), mean


def column_skewness(x: npt.ArrayLike) -> FloatArray:
    """Type-2 sample skewness of each column (NaN where fewer than 3 values or no spread).

    >>> column_skewness([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0], [10.0, 5.0]]).round(4).tolist()
    [1.7636, nan]
    """
    a = np.asarray(x, dtype=float)
    a = a[:, None] if a.ndim == 1 else a
    n, s2, s3, _, _ = _moments(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = np.sqrt(n) * s3 / s2**1.5
        out = g1 * np.sqrt(n * (n - 1)) / (n - 2)
    out = np.where((n >= 3) & (s2 > 0), out, np.nan)
    return np.asarray(out, dtype=float)


def column_kurtosis(x: npt.ArrayLike) -> FloatArray:
    """Type-2 sample excess kurtosis of each column (NaN where fewer than 4 values or no spread).

    >>> column_kurtosis([[1.0], [2.0], [3.0], [10.0]]).round(4).tolist()
    [3.228]
    """
    a = np.asarray(x, dtype=float)
    a = a[:, None] if a.ndim == 1 else a
    n, s2, _, s4, _ = _moments(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * s4 / s2**2
        out = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    out = np.where((n >= 4) & (s2 > 0), out, np.nan)
    return np.asarray(out, dtype=float)


def skewness(x: npt.ArrayLike) -> float:
    """Type-2 sample skewness of a vector, ignoring NaN (COINr ``skew``, e1071 type 2).

    >>> round(skewness([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]), 4)
    3.2556
    >>> skewness([1.0, 2.0])
    nan
    """
    return float(column_skewness(np.asarray(x, dtype=float).ravel())[0])


def kurtosis(x: npt.ArrayLike) -> float:
    """Type-2 sample excess kurtosis of a vector, ignoring NaN (COINr ``kurt``, e1071 type 2).

    >>> round(kurtosis([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]), 4)
    10.7067
    """
    return float(column_kurtosis(np.asarray(x, dtype=float).ravel())[0])


def cronbach_alpha(x: npt.ArrayLike) -> float:
    """Cronbach's alpha of the columns of ``x`` (pairwise-complete covariances).

    ``alpha = k² · mean(off-diagonal covariance) / sum(all covariances)``, which is
    COINr's formula; with complete data it equals the textbook
    ``k/(k-1) · (1 - Σ var_i / var(Σ x_i))``.

    >>> round(cronbach_alpha([[1, 2, 3], [2, 3, 3], [3, 5, 4], [4, 4, 6], [5, 6, 5]]), 6)
    0.915698
    """
    a = np.asarray(x, dtype=float)
    k = a.shape[1]
    if k < 2:
        return float("nan")
    cov = pd.DataFrame(a).cov().to_numpy()
    total = np.nansum(cov)
    off_mean = (total - np.nansum(np.diag(cov))) / (k * (k - 1))
    return float(k * k * off_mean / total) if total != 0 else float("nan")


def describe(
    x: pd.DataFrame,
    t_skew: float = 2.0,
    t_kurt: float = 3.5,
    t_avail: float = 0.65,
    t_zero: float = 0.5,
    t_unique: float = 0.5,
) -> pd.DataFrame:
    """Statistics and flags of each column, as ``COINr::get_stats``.

    Flags: ``Flag.Avail`` is "LOW" when the share of available values is below
    ``t_avail``; ``Flag.NonZero`` when the share of non-zero values is below
    ``t_zero``; ``Flag.Unique`` when the share of distinct values is below
    ``t_unique``; ``Flag.SkewKurt`` is "OUT" when |skew| > ``t_skew`` and
    kurtosis > ``t_kurt`` (a likely outlier).

    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 100.0]})
    >>> row = describe(df).loc["a"]
    >>> round(row["Skew"], 4), round(row["Kurt"], 4), row["Flag.SkewKurt"]
    (np.float64(3.2556), np.float64(10.7067), 'OUT')
    """
    a = x.to_numpy(dtype=float)
    n_rows = a.shape[0]
    ok = ~np.isnan(a)
    n_avail = ok.sum(axis=0)
    nonzero = (ok & (a != 0)).sum(axis=0)
    unique = np.array([np.unique(col[~np.isnan(col)]).size for col in a.T], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        avail_frac = n_avail / n_rows if n_rows else np.full(a.shape[1], np.nan)
        nz_frac = nonzero / n_avail
        unq_frac = unique / n_avail
        mins = np.where(n_avail > 0, np.nanmin(np.where(ok, a, np.inf), axis=0), np.nan)
        maxs = np.where(n_avail > 0, np.nanmax(np.where(ok, a, -np.inf), axis=0), np.nan)
    sk = column_skewness(a)
    kt = column_kurtosis(a)
    out = pd.DataFrame(
        {
            "Min": mins,
            "Max": maxs,
            "Mean": _nan_reduce(a, np.nanmean),
            "Median": _nan_reduce(a, np.nanmedian),
            "Std": _nan_reduce(a, lambda v, axis: np.nanstd(v, axis=axis, ddof=1), min_n=2),
            "Skew": sk,
            "Kurt": kt,
            "N.Avail": n_avail,
            "N.NonZero": nonzero,
            "N.Unique": unique.astype(int),
            "Frc.Avail": avail_frac,
            "Frc.NonZero": nz_frac,
            "Frc.Unique": unq_frac,
            "Flag.Avail": np.where(avail_frac >= t_avail, "ok", "LOW"),
            "Flag.NonZero": np.where(nonzero / max(n_rows, 1) >= t_zero, "ok", "LOW"),
            "Flag.Unique": np.where(unique / max(n_rows, 1) >= t_unique, "ok", "LOW"),
            "Flag.SkewKurt": np.where((np.abs(sk) > t_skew) & (kt > t_kurt), "OUT", "ok"),
        },
        index=pd.Index(list(x.columns), name="iCode"),
    )
    return out


def _nan_reduce(a: FloatArray, func: Callable[..., Any], min_n: int = 1) -> FloatArray:
    """Apply a nan-aware column reduction, leaving NaN where a column has too few values."""
    out = np.full(a.shape[1], np.nan)
    has = (~np.isnan(a)).sum(axis=0) >= min_n
    if has.any():
        out[has] = func(a[:, has], axis=0)
    return out
