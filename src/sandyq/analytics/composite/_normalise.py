"""Normalisation: bringing indicators onto a common scale (COINr ``n_*`` functions).

Every function works on the columns of a matrix (one column per indicator) and
ignores missing values when it computes a minimum, maximum, mean or rank.  The
indicator is multiplied by its direction (+1 or -1) *before* normalising, so
that a higher normalised score is always better; targets and goalposts are
given in the indicator's own units and are flipped with it.

Goalposts (``goalposts``) keep the bounds fixed instead of taking them from the
data, as DESI and the ITU IDI do, so that scores are comparable across years.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray, rank_ascending

__all__ = [
    "borda",
    "dist2max",
    "dist2ref",
    "dist2targ",
    "fracmax",
    "goalposts",
    "minmax",
    "normalise",
    "prank",
    "rank",
    "scaled",
    "zscore",
]


def _cols(x: npt.ArrayLike) -> FloatArray:
    a = np.asarray(x, dtype=float)
    return a[:, None] if a.ndim == 1 else a


def _out(a: FloatArray, like: npt.ArrayLike) -> FloatArray:
    return a[:, 0] if np.ndim(like) == 1 else a


def _nanmin(a: FloatArray) -> FloatArray:
    return np.asarray(np.min(np.where(np.isnan(a), np.inf, a), axis=0), dtype=float)


def _nanmax(a: FloatArray) -> FloatArray:
    return np.asarray(np.max(np.where(np.isnan(a), -np.inf, a), axis=0), dtype=float)


def minmax(x: npt.ArrayLike, lo: float = 0.0, hi: float = 100.0) -> FloatArray:
    """Min-max: ``(x - min)/(max - min)·(hi - lo) + lo`` (COINr ``n_minmax``).

    >>> minmax([2.0, 4.0, 6.0]).tolist()
    [0.0, 50.0, 100.0]
    >>> minmax([2.0, 4.0, float("nan"), 6.0], 1, 100).tolist()
    [1.0, 50.5, nan, 100.0]
    """
    a = _cols(x)
    mn, mx = _nanmin(a), _nanmax(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _out((a - mn) / (mx - mn) * (hi - lo) + lo, x)


def zscore(x: npt.ArrayLike, mean: float = 0.0, sd: float = 1.0) -> FloatArray:
    """Z-score rescaled to mean ``mean`` and standard deviation ``sd`` (sample sd; COINr ``n_zscore``).

    >>> zscore([1.0, 2.0, 3.0], 10, 2).tolist()
    [8.0, 10.0, 12.0]
    """
    a = _cols(x)
    n = (~np.isnan(a)).sum(axis=0)
    m = np.nansum(a, axis=0) / np.maximum(n, 1)
    d = np.where(np.isnan(a), 0.0, a - m)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sqrt((d * d).sum(axis=0) / (n - 1))
        return _out((a - m) / s * sd + mean, x)


def scaled(x: npt.ArrayLike, lo: float = 0.0, hi: float = 100.0) -> FloatArray:
    """Linear rescaling ``(x - lo)/(hi - lo)·100`` with fixed ``lo``, ``hi`` (COINr ``n_scaled``).

    >>> scaled([1.0, 5.5, 10.0], 1, 10).tolist()
    [0.0, 50.0, 100.0]
    """
    a = _cols(x)
    return _out((a - lo) / (hi - lo) * 100.0, x)


def goalposts(
    x: npt.ArrayLike, lo: npt.ArrayLike, hi: npt.ArrayLike, scale: float = 100.0, truncate: bool = True
) -> FloatArray:
    """Fixed goalposts: ``(x - lo)/(hi - lo)``, truncated to [0, 1], times ``scale`` (COINr ``n_goalposts``).

    ``lo`` and ``hi`` may differ per column.  The bounds do not depend on the
    data, so a score of a later year is on the same scale as an earlier one.

    >>> goalposts([0.0, 25.0, 50.0, 120.0], lo=0, hi=100).tolist()
    [0.0, 25.0, 50.0, 100.0]
    >>> goalposts([120.0], lo=0, hi=100, truncate=False).tolist()
    [120.0]
    """
    a = _cols(x)
    y = (a - np.asarray(lo, dtype=float)) / (np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float))
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return _out(y * scale, x)


def dist2targ(x: npt.ArrayLike, target: npt.ArrayLike, cap: bool = False) -> FloatArray:
    """Distance to target: ``1 - (target - x)/(target - min)``; 1 means the target is reached.

    >>> dist2targ([0.0, 40.0, 80.0, 100.0], target=80).tolist()
    [0.0, 0.5, 1.0, 1.25]
    >>> dist2targ([0.0, 40.0, 80.0, 100.0], target=80, cap=True).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    a = _cols(x)
    t = np.asarray(target, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = 1.0 - (t - a) / (t - _nanmin(a))
    if cap:
        y = np.where(y > 1.0, 1.0, y)
    return _out(y, x)


def dist2max(x: npt.ArrayLike) -> FloatArray:
    """Distance to the best unit: ``1 - (max - x)/(max - min)`` (COINr ``n_dist2max``).

    >>> dist2max([0.0, 5.0, 10.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    a = _cols(x)
    mn, mx = _nanmin(a), _nanmax(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _out(1.0 - (mx - a) / (mx - mn), x)


def dist2ref(x: npt.ArrayLike, ref: int, cap: bool = False) -> FloatArray:
    """Distance to a reference unit (row ``ref``): ``1 - (x_ref - x)/(x_ref - min)`` (COINr ``n_dist2ref``).

    >>> dist2ref([0.0, 5.0, 10.0], ref=1).tolist()
    [0.0, 1.0, 2.0]
    >>> dist2ref([0.0, 5.0, 10.0], ref=1, cap=True).tolist()
    [0.0, 1.0, 1.0]
    """
    return dist2targ(x, _cols(x)[ref], cap)  # the reference unit's values are the targets


def fracmax(x: npt.ArrayLike) -> FloatArray:
    """Fraction of the maximum: ``x / max`` (COINr ``n_fracmax``).

    >>> fracmax([1.0, 2.0, 4.0]).tolist()
    [0.25, 0.5, 1.0]
    """
    a = _cols(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _out(a / _nanmax(a), x)


def rank(x: npt.ArrayLike) -> FloatArray:
    """Rank, 1 for the lowest value, ties "min" (COINr ``n_rank``): higher is better.

    >>> rank([10.0, 30.0, 20.0, 30.0]).tolist()
    [1.0, 3.0, 2.0, 3.0]
    """
    return _out(rank_ascending(_cols(x), axis=0), x)


def prank(x: npt.ArrayLike) -> FloatArray:
    """Percentile rank ``(rank - 1)/(n - 1)`` with ties "min" (COINr ``n_prank``).

    >>> prank([10.0, 30.0, 20.0, 30.0, float("nan")]).round(4).tolist()
    [0.0, 0.6667, 0.3333, 0.6667, nan]
    """
    a = _cols(x)
    n = (~np.isnan(a)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _out((rank_ascending(a, axis=0) - 1.0) / (n - 1), x)


def borda(x: npt.ArrayLike) -> FloatArray:
    """Borda score ``rank - 1`` (COINr ``n_borda``).

    >>> borda([10.0, 30.0, 20.0]).tolist()
    [0.0, 2.0, 1.0]
    """
    return _out(rank_ascending(_cols(x), axis=0) - 1.0, x)


def normalise(
    x: npt.ArrayLike,
    directions: npt.ArrayLike,
    method: str = "minmax",
    *,
    range_: tuple[float, float] = (0.0, 100.0),
    mean_sd: tuple[float, float] = (0.0, 1.0),
    targets: npt.ArrayLike | None = None,
    posts: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    scale: float = 100.0,
    truncate: bool = True,
    cap: bool = False,
    ref: int | None = None,
) -> FloatArray:
    """Normalise the columns of ``x`` after multiplying each by its direction.

    ``targets`` (for ``dist2targ``) and ``posts`` = (lower, upper) (for
    ``goalposts``) are per column, in the indicator's own units; for a column
    with direction -1 they are flipped with the data, so that reaching the
    lower goalpost of a "lower is better" indicator scores ``scale``.

    >>> normalise([[1.0, 10.0], [3.0, 30.0]], [1, -1]).tolist()
    [[0.0, 100.0], [100.0, 0.0]]
    >>> normalise([[2.0], [6.0]], [-1], "goalposts", posts=([0.0], [8.0])).tolist()
    [[75.0], [25.0]]
    """
    d = np.asarray(directions, dtype=float)
    a = _cols(x) * d
    if method == "minmax":
        return minmax(a, *range_)
    if method == "zscore":
        return zscore(a, *mean_sd)
    if method == "scaled":
        return scaled(a, *range_)
    if method == "goalposts":
        if posts is None:
            raise ValueError("goalposts need lower and upper bounds")
        lo, hi = np.asarray(posts[0], dtype=float), np.asarray(posts[1], dtype=float)
        lo_d, hi_d = np.where(d > 0, lo, -hi), np.where(d > 0, hi, -lo)
        return goalposts(a, lo_d, hi_d, scale, truncate)
    if method == "dist2targ":
        if targets is None:
            raise ValueError("dist2targ needs a target per indicator")
        return dist2targ(a, np.asarray(targets, dtype=float) * d, cap)
    if method == "dist2max":
        return dist2max(a)
    if method == "dist2ref":
        if ref is None:
            raise ValueError("dist2ref needs a reference unit")
        return dist2ref(a, ref, cap)
    if method == "fracmax":
        return fracmax(a)
    if method == "rank":
        return rank(a)
    if method == "prank":
        return prank(a)
    if method == "borda":
        return borda(a)
    raise ValueError(f"unknown normalisation method {method!r}")
