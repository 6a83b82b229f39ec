"""Ratios, shares, per-capita rates and moving averages, with a reason for every gap.

A ratio needs both inputs for the same geography and year; a denominator that is
missing, zero or negative leaves the row uncomputed with a ``flag`` and a
``reason`` (see :data:`sandyq.analytics.statistics.FLAGS` plus ``no_denominator`` and
``zero_denominator`` here), never a bare ``NaN``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import DataError, InvalidValueError
from ._frames import ONE, as_long, restore

__all__ = ["moving_average", "per_100", "per_capita", "ratio", "share", "shares_of_total"]

_JOIN = ("geo", "period", "year", "dims")


def _side(
    data: pd.Series | pd.DataFrame, on: Sequence[str] | None, other: pd.Series | pd.DataFrame, what: str
) -> tuple[pd.DataFrame, list[str], bool]:
    """One input of a ratio as a frame with join columns and ``value``."""
    if isinstance(data, pd.Series):
        long = as_long(data, what=what)
        return long.frame.drop(columns=[ONE]), ["year"], True
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{what}: expected a pandas Series or DataFrame, got {type(data).__name__}")
    if on is None:
        other_cols = other.columns if isinstance(other, pd.DataFrame) else ["year"]
        on = [c for c in _JOIN if c in data.columns and c in other_cols]
    if not on:
        raise DataError(f"{what}: no column to align numerator and denominator on (give `on=`)")
    absent = [c for c in on if c not in data.columns]
    if absent:
        raise DataError(f"{what}: join column(s) {', '.join(absent)} not in the data")
    if "value" not in data.columns:
        raise DataError(f"{what}: no 'value' column")
    frame = data.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame, list(on), False


def ratio(
    numerator: pd.Series | pd.DataFrame,
    denominator: pd.Series | pd.DataFrame,
    factor: float = 1.0,
    *,
    on: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``numerator / denominator × factor`` aligned on ``on`` (default: shared geo/period/year/dims).

    One row per numerator row; the denominator must be unique on ``on`` (give
    ``on=["geo", "year"]`` to divide every breakdown by a total).  Columns added:
    ``numerator``, ``denominator``, ``ratio``, ``flag``, ``reason``.

    >>> users = pd.Series([5154157.0, 8376478.0], index=[2010, 2011])
    >>> pop = pd.Series([16310624.0, 0.0], index=[2010, 2011])
    >>> r = ratio(users, pop, 100)
    >>> round(float(r.loc[2010, "ratio"]), 2), r.loc[2011, "flag"], r.loc[2011, "reason"]
    (31.6, 'zero_denominator', 'the denominator is 0 (2011)')
    """
    num, keys, from_series = _side(numerator, on, denominator, "numerator")
    den, dkeys, _ = _side(denominator, keys, numerator, "denominator")
    if dkeys != keys:
        raise DataError("numerator and denominator must both be Series or both DataFrames")
    dup = den.duplicated(keys, keep=False)
    if dup.any():
        raise DataError(
            f"denominator: {int(dup.sum())} rows share the join keys {', '.join(keys)}; "
            "filter it to one value per key (e.g. dims == '' for totals)"
        )
    num = num.rename(columns={"value": "numerator"})
    merged = num.merge(
        den[[*keys, "value"]].rename(columns={"value": "denominator"}), on=keys, how="left", indicator=True
    )
    n = merged["numerator"].to_numpy(dtype=float)
    d = merged["denominator"].to_numpy(dtype=float)
    where = merged[keys[0]].astype(str)
    for k in keys[1:]:
        where = where + ", " + merged[k].astype(str)
    where = where.to_numpy(dtype=str)
    no_den = (merged.pop("_merge") == "left_only").to_numpy()
    conditions = [np.isnan(n), no_den | np.isnan(d), d == 0, d < 0]
    flag = np.select(conditions, ["missing", "no_denominator", "zero_denominator", "negative"], "ok")
    reason = np.select(
        conditions,
        [
            np.char.add(np.char.add("no numerator value (", where), ")"),
            np.char.add(np.char.add("no denominator value (", where), ")"),
            np.char.add(np.char.add("the denominator is 0 (", where), ")"),
            np.char.add(
                np.char.add(np.char.add("the denominator is negative: ", np.char.mod("%g", d)), " ("),
                np.char.add(where, ")"),
            ),
        ],
        "",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        merged["ratio"] = np.where(flag == "ok", n / d * factor, np.nan)
    merged["flag"], merged["reason"] = flag.astype(str), reason.astype(str)
    if from_series:
        return merged.set_index("year")
    return merged


def share(
    part: pd.Series | pd.DataFrame, whole: pd.Series | pd.DataFrame, *, on: Sequence[str] | None = None
) -> pd.DataFrame:
    """Share of ``part`` in ``whole``, in percent (a part larger than the whole is kept, with a reason).

    >>> r = share(pd.Series([0.42, 0.30], index=[2007, 2008]), pd.Series([100.0, 0.25], index=[2007, 2008]))
    >>> r["ratio"].tolist(), r["reason"].tolist()
    ([0.42, 120.0], ['', 'the part exceeds the whole'])
    """
    out = ratio(part, whole, 100.0, on=on)
    over = (out["flag"] == "ok") & (out["ratio"] > 100.0)
    out["reason"] = out["reason"].where(~over, "the part exceeds the whole")
    return out


def per_capita(
    values: pd.Series | pd.DataFrame,
    population: pd.Series | pd.DataFrame,
    factor: float = 1.0,
    *,
    on: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``values / population × factor``: per person (1), per 100 (100), per million (1e6)…

    >>> costs, pop = pd.Series([349943.6e6], index=[2017]), pd.Series([18403860.0], index=[2017])
    >>> per_capita(costs, pop)["ratio"].round(0).tolist()
    [19015.0]
    """
    return ratio(values, population, factor, on=on)


def per_100(
    values: pd.Series | pd.DataFrame, population: pd.Series | pd.DataFrame, *, on: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per 100 people (seed 000, Table 4: Internet users per 100 people, 2010 → 31.6, printed 32).

    >>> per_100(pd.Series([5154157.0], index=[2010]), pd.Series([16310624.0], index=[2010]))["ratio"].round(1).tolist()
    [31.6]
    """
    return ratio(values, population, 100.0, on=on)


def shares_of_total(data: pd.DataFrame, by: Sequence[str] | None = None, *, value: str = "value") -> pd.DataFrame:
    """Each row's share (%) of the sum over its group ``by`` (default: all key columns but ``geo``).

    Use it for regional shares of the sum over regions: drop a national-total row
    first, or it is counted twice.  A group with a negative value or a zero sum is
    not computed.

    >>> d = pd.DataFrame({"geo": ["A", "B", "C"], "year": 2020, "value": [1.0, 1.0, 2.0]})
    >>> shares_of_total(d)["share"].tolist()
    [25.0, 25.0, 50.0]
    """
    if by is None:
        by = [c for c in ("indicator", "year", "period", "dims") if c in data.columns]
    missing = [c for c in [*by, value] if c not in data.columns]
    if missing:
        raise DataError(f"shares: missing column(s) {', '.join(missing)}")
    out = data.copy()
    v = pd.to_numeric(out[value], errors="coerce").astype(float)
    grouped = v.groupby([out[c] for c in by]) if by else v.groupby(np.zeros(len(v)))
    total = grouped.transform("sum")
    negative = grouped.transform(lambda s: (s < 0).any()).astype(bool)
    conditions = [v.isna(), negative, total == 0]
    out["total"] = total
    out["flag"] = np.select(conditions, ["missing", "negative", "zero_base"], "ok")
    out["reason"] = np.select(
        conditions, ["no value", "the group has negative values: shares are undefined", "the group sums to 0"], ""
    )
    out["share"] = np.where(out["flag"] == "ok", v / total * 100.0, np.nan)
    return out


def moving_average(
    data: pd.Series | pd.DataFrame,
    window: int = 3,
    *,
    center: bool = False,
    min_periods: int | None = None,
    value: str = "value",
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Moving average over ``window`` consecutive *years* (trailing, or centred for odd windows).

    Years absent from the data count as missing, so a window is never silently
    stretched over a gap.  With fewer than ``min_periods`` (default: all) values
    the row is ``gap`` (missing years inside the series) or ``edge`` (window
    beyond the series), and the reason lists the missing years.

    >>> s = pd.Series([1.0, 2.0, 3.0, 6.0], index=[2010, 2011, 2013, 2014])
    >>> m = moving_average(s, 2)
    >>> m["moving_average"].tolist()[-1], m["flag"].tolist()
    (4.5, ['edge', 'ok', 'gap', 'ok'])
    >>> m.loc[2013, "reason"]
    'no value for 2012 in 2012–2013'
    """
    if window < 1:
        raise InvalidValueError(f"moving average: window must be at least 1, got {window}")
    if center and window % 2 == 0:
        raise InvalidValueError(f"moving average: a centred window must be odd, got {window}")
    need = window if min_periods is None else min_periods
    long = as_long(data, value=value, keys=keys)
    f, gk = long.frame, long.group_keys
    years = np.arange(int(f["year"].min()), int(f["year"].max()) + 1)
    wide = f.set_index([*gk, "year"])["value"].unstack("year").reindex(columns=years)
    values = wide.to_numpy(dtype=float)
    span = f.groupby(gk, sort=False)["year"].agg(["min", "max"]).reindex(wide.index)
    lo_year, hi_year = span["min"].to_numpy()[:, None], span["max"].to_numpy()[:, None]
    offsets = range(-(window // 2), window // 2 + 1) if center else range(-(window - 1), 1)
    total = np.zeros_like(values)
    count = np.zeros_like(values)
    missing_text = np.full(values.shape, "", dtype=object)
    edge = np.zeros(values.shape, dtype=bool)
    for k in offsets:  # loops over window offsets, not rows
        shifted = np.full_like(values, np.nan)
        src = slice(max(k, 0), values.shape[1] + min(k, 0))
        dst = slice(max(-k, 0), values.shape[1] + min(-k, 0))
        shifted[:, dst] = values[:, src]
        have = ~np.isnan(shifted)
        total += np.where(have, shifted, 0.0)
        count += have
        at = years[None, :] + k
        edge |= (at < lo_year) | (at > hi_year)
        label = np.broadcast_to(at.astype(str), values.shape)
        missing_text = np.where(have, missing_text, missing_text + np.char.add(label, ", "))
    first = years + min(offsets)
    last = years + max(offsets)
    window_text = np.char.add(np.char.add(first.astype(str), "–"), last.astype(str))
    ok = count >= need
    result = pd.DataFrame(np.where(ok, total / np.maximum(count, 1), np.nan), index=wide.index, columns=years)
    flag = np.where(ok, "ok", np.where(edge, "edge", "gap"))
    reason = np.where(
        missing_text == "",
        "",
        "no value for " + np.char.rstrip(missing_text.astype(str), ", ") + " in " + window_text[None, :],
    )
    cells = wide.index.to_frame(index=False).loc[np.repeat(np.arange(len(wide)), len(years))].reset_index(drop=True)
    cells["year"] = np.tile(years, len(wide))
    cells["window"] = np.broadcast_to(window_text, values.shape).ravel()
    cells["moving_average"] = result.to_numpy().ravel()
    cells["n"] = count.ravel().astype(int)
    cells["flag"] = flag.ravel()
    cells["reason"] = reason.ravel()
    out = f.merge(cells, on=[*gk, "year"], how="left")
    return restore(long, out)
