"""Outlier treatment: COINr's two-stage rule.

An indicator *passes* when ``|skew| < skew_thresh`` **or** ``kurtosis < kurt_thresh``
(type-2 sample statistics, excess kurtosis), so it is treated only when both
limits are exceeded.  A failing indicator is winsorised: the most extreme point
(on the side of the skew) is set to the next value, one step at a time, until it
passes or ``winmax`` points have been changed.  If it still fails, a log
transform is applied to the *original* column instead (``combine=False``, COINr's
default) or to the winsorised one (``combine=True``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._arrays import FloatArray
from ._stats import kurtosis, skewness

__all__ = [
    "TreatRecord",
    "boxcox",
    "log_ct",
    "log_ct_orig",
    "log_ct_plus",
    "passes",
    "records_frame",
    "treat_column",
    "winsorise",
]

Transform = Literal["log", "log_plus", "log_orig", "boxcox", "none"]


def passes(x: npt.ArrayLike, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> bool:
    """COINr's ``check_SkewKurt``: True unless |skew| ≥ ``skew_thresh`` and kurtosis ≥ ``kurt_thresh``.

    A column whose statistics cannot be computed (constant, too short) passes.

    >>> passes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100])
    False
    >>> passes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10])
    True
    """
    sk, kt = skewness(x), kurtosis(x)
    if np.isnan(sk) or np.isnan(kt):
        return True  # COINr returns NA here and leaves the column untreated
    return bool(abs(sk) < skew_thresh or kt < kurt_thresh)


def winsorise(
    x: npt.ArrayLike,
    winmax: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    force: bool = False,
) -> tuple[FloatArray, int]:
    """Winsorise ``x`` until it passes, changing at most ``winmax`` points (COINr ``winsorise``).

    Each step replaces the maximum (if skew ≥ 0) or the minimum by the next
    value; tied extremes move together.  Returns the new vector and the number of
    points changed.  NaN are left alone.

    >>> xw, n = winsorise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100])
    >>> xw.tolist()[-1], n
    (10.0, 1)
    """
    out = np.asarray(x, dtype=float).copy()
    ok = ~np.isnan(out)
    v = out[ok]
    nwin = 0
    imax = np.empty(0, dtype=int)
    imin = np.empty(0, dtype=int)
    passing = passes(v, skew_thresh, kurt_thresh)
    while (not passing or force) and (winmax is None or nwin < winmax):
        sk = skewness(v)
        if np.isnan(sk):
            break
        if sk >= 0:
            imax = np.flatnonzero(v == v.max())
            rest = np.delete(v, imax)
            if rest.size == 0:
                break
            v[imax] = rest.max()
        else:
            imin = np.flatnonzero(v == v.min())
            rest = np.delete(v, imin)
            if rest.size == 0:
                break
            v[imin] = rest.min()
        nwin = imax.size + imin.size
        passing = passes(v, skew_thresh, kurt_thresh)
    out[ok] = v
    return out, int(nwin)


def log_ct(x: npt.ArrayLike) -> FloatArray:
    """COIN Tool log: ``log(x - min + 0.01·(max - min))`` (COINr ``log_CT``).

    >>> log_ct([0.0, 1.0, 100.0]).round(4).tolist()
    [0.0, 0.6931, 4.6151]
    """
    a = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(a), np.nanmax(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.log(a - lo + 0.01 * (hi - lo)), dtype=float)


def log_ct_plus(x: npt.ArrayLike) -> FloatArray:
    """Skew-aware COIN Tool log (COINr ``log_CT_plus``): ``-log(max + a - x)`` for negative skew.

    >>> log_ct_plus([0.0, 180.0, 200.0, 200.0]).round(4).tolist()
    [-5.3083, -3.091, -0.6931, -0.6931]
    """
    a = np.asarray(x, dtype=float)
    if skewness(a) > 0:
        return log_ct(a)
    lo, hi = np.nanmin(a), np.nanmax(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(-np.log(hi + 0.01 * (hi - lo) - a), dtype=float)


def log_ct_orig(x: npt.ArrayLike) -> FloatArray:
    """Original COIN Tool log: ``log(x - min + 1)`` (COINr ``log_CT_orig``).

    >>> log_ct_orig([5.0, 6.0]).round(4).tolist()
    [0.0, 0.6931]
    """
    a = np.asarray(x, dtype=float)
    return np.asarray(np.log(a - np.nanmin(a) + 1.0), dtype=float)


def boxcox(x: npt.ArrayLike, lam: float) -> FloatArray:
    """Box-Cox transform after shifting to a minimum of 1 (COINr ``boxcox``, ``makepos=TRUE``).

    >>> boxcox([0.0, 1.0, 3.0], lam=2).tolist()
    [0.0, 1.5, 7.5]
    """
    a = np.asarray(x, dtype=float)
    a = a - np.nanmin(a) + 1.0
    if lam == 0:
        return np.asarray(np.log(a), dtype=float)
    return np.asarray((a**lam - 1.0) / lam, dtype=float)


@dataclass(frozen=True)
class TreatRecord:
    """What happened to one indicator: statistics before/after and the treatment applied."""

    code: str
    skew: float
    kurt: float
    method: str
    n_winsorised: int
    skew_treated: float
    kurt_treated: float
    passes: bool


def _transform(x: FloatArray, f2: Transform, lam: float) -> FloatArray:
    if f2 == "log":
        return log_ct(x)
    if f2 == "log_plus":
        return log_ct_plus(x)
    if f2 == "log_orig":
        return log_ct_orig(x)
    if f2 == "boxcox":
        return boxcox(x, lam)
    return x.copy()


def treat_column(
    x: npt.ArrayLike,
    code: str = "",
    winmax: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    winsorise_first: bool = True,
    f2: Transform = "log",
    boxcox_lambda: float = 0.5,
    combine: bool = False,
    force_win: bool = False,
) -> tuple[FloatArray, TreatRecord]:
    """Treat one indicator with COINr's rule; return the treated vector and a record.

    >>> x, rec = treat_column([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], code="x")
    >>> rec.method, rec.n_winsorised, x.max()
    ('winsorise', 1, np.float64(10.0))
    >>> _, rec = treat_column([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], code="x", winmax=0)
    >>> rec.method, rec.passes
    ('log', True)
    """
    orig = np.asarray(x, dtype=float)
    sk, kt = skewness(orig), kurtosis(orig)
    if passes(orig, skew_thresh, kurt_thresh) and not force_win:
        return orig.copy(), TreatRecord(code, sk, kt, "none", 0, sk, kt, True)
    treated, nwin, method = orig.copy(), 0, "none"
    if winsorise_first:
        treated, nwin = winsorise(orig, winmax, skew_thresh, kurt_thresh, force_win)
        method = "winsorise" if nwin else "none"
    ok = passes(treated, skew_thresh, kurt_thresh)
    if not ok and f2 != "none":
        base = treated if combine else orig
        treated = _transform(base, f2, boxcox_lambda)
        method = f"winsorise+{f2}" if combine and nwin else f2
        nwin = nwin if combine else 0
        ok = passes(treated, skew_thresh, kurt_thresh)
    return treated, TreatRecord(code, sk, kt, method, nwin, skewness(treated), kurtosis(treated), ok)


def records_frame(records: list[TreatRecord]) -> pd.DataFrame:
    """Records as a table indexed by indicator code (COINr's ``Dets_Table``)."""
    cols = ["skew", "kurt", "method", "n_winsorised", "skew_treated", "kurt_treated", "passes"]
    df = pd.DataFrame([[getattr(r, c) for c in cols] for r in records], columns=cols)
    df.index = pd.Index([r.code for r in records], name="iCode")
    return df
