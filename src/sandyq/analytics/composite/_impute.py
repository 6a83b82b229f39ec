"""Imputation of missing indicator values (COINr ``i_*`` functions and ``impute_panel``).

Cross-sectional methods fill a missing value from the same indicator in other
units: the column mean or median, or the mean or median of the unit's group
(e.g. Europe/Asia).  Panel methods fill it from the same unit in other periods:
the latest earlier value, or linear/constant interpolation in time.  Values that
cannot be filled (a whole group missing, a unit with no data in any period)
stay missing.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray

__all__ = ["impute_columns", "impute_groups", "impute_panel"]


def _fill(x: FloatArray, stat: str) -> FloatArray:
    out = x.copy()
    ok = ~np.isnan(out)
    has = ok.any(axis=0)
    fill = np.full(out.shape[1], np.nan)
    if has.any():
        sub = out[:, has]
        fill[has] = np.nanmean(sub, axis=0) if stat == "mean" else np.nanmedian(sub, axis=0)
    return np.where(ok, out, fill)


def impute_columns(x: npt.ArrayLike, stat: str = "mean") -> FloatArray:
    """Replace NaN by the column mean or median (COINr ``i_mean``, ``i_median``).

    >>> impute_columns([[1.0, 1.0], [2.0, np.nan], [6.0, 3.0]]).tolist()
    [[1.0, 1.0], [2.0, 2.0], [6.0, 3.0]]
    >>> impute_columns([[1.0], [np.nan], [2.0], [9.0]], "median").tolist()
    [[1.0], [2.0], [2.0], [9.0]]
    """
    return _fill(np.asarray(x, dtype=float), stat)


def impute_groups(x: npt.ArrayLike, groups: npt.ArrayLike, stat: str = "mean") -> FloatArray:
    """Replace NaN by the mean or median of the unit's group (COINr ``i_mean_grp``, ``i_median_grp``).

    Units with a missing group are left as they are.

    >>> impute_groups([[1.0], [3.0], [np.nan], [10.0], [np.nan]], ["a", "a", "a", "b", "b"]).tolist()
    [[1.0], [3.0], [2.0], [10.0], [10.0]]
    """
    out = np.asarray(x, dtype=float).copy()
    g = np.asarray(groups, dtype=object)
    for grp in {v for v in g if v is not None and v == v}:
        rows = g == grp
        out[rows] = _fill(out[rows], stat)
    return out


def impute_panel(
    x: npt.ArrayLike,
    units: npt.ArrayLike,
    periods: npt.ArrayLike,
    method: str = "latest",
    max_time: int | None = None,
) -> FloatArray:
    """Fill NaN from the same unit in other periods (COINr ``impute_panel``).

    ``latest``: the most recent earlier value, looking back at most
    ``max_time`` periods; ``linear``/``constant``: interpolation in time, the
    ends take the nearest observed value.

    >>> x = [[1.0], [np.nan], [3.0], [np.nan]]
    >>> impute_panel(x, ["A"] * 4, [2018, 2019, 2020, 2021], "latest").ravel().tolist()
    [1.0, 1.0, 3.0, 3.0]
    >>> impute_panel(x, ["A"] * 4, [2018, 2019, 2020, 2021], "linear").ravel().tolist()
    [1.0, 2.0, 3.0, 3.0]
    """
    out = np.asarray(x, dtype=float).copy()
    u = np.asarray(units, dtype=object)
    t = np.asarray(periods, dtype=float)
    for unit in np.unique(u):
        rows = np.flatnonzero(u == unit)
        rows = rows[np.argsort(t[rows], kind="stable")]
        tt = t[rows]
        block = out[rows]
        for j in np.flatnonzero(np.isnan(block).any(axis=0)):
            y = block[:, j]
            ok = ~np.isnan(y)
            if not ok.any():
                continue
            if method == "latest":
                idx = np.where(ok, np.arange(len(y)), -1)
                last = np.maximum.accumulate(idx)
                fill = np.where(last >= 0, y[np.maximum(last, 0)], np.nan)
                if max_time is not None:
                    lag = tt - np.where(last >= 0, tt[np.maximum(last, 0)], np.inf)
                    fill = np.where(lag <= max_time, fill, np.nan)
                y = np.where(ok, y, fill)
            elif method == "linear":
                y = np.where(ok, y, np.interp(tt, tt[ok], y[ok]))
            else:  # constant: last observation carried forward, first one carried back
                idx = np.where(ok, np.arange(len(y)), -1)
                last = np.maximum.accumulate(idx)
                first = np.flatnonzero(ok)[0]
                y = np.where(ok, y, y[np.where(last >= 0, last, first)])
            block[:, j] = y
        out[rows] = block
    return out
