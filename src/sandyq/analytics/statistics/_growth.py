"""Changes, growth indices and average annual growth, with a reason for every gap.

Growth compares a value with an earlier one.  Where that comparison cannot be
made honestly the result is ``NaN`` **and** the row says why, in ``flag`` and
``reason`` (see :data:`FLAGS`); a result is never a bare ``NaN``.  Indices are in
percent of the base (unit ``GROWTH_INDEX_PT``: 109.8 means +9.8 %), rates in
percent (unit ``RATE_PT``: ``rate = index − 100``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import InvalidValueError
from ._frames import Long, as_long, gap_text, restore

__all__ = ["FLAGS", "absolute_change", "average_growth", "base_index", "chain_index"]

#: Every flag a growth result can carry, and what it means.
FLAGS: dict[str, str] = {
    "ok": "computed (the reason may still add a caveat)",
    "missing": "the value itself is missing",
    "no_base": "nothing to compare with: the series starts here, or the base/start year has no value",
    "gap": "years inside the window have no value; the reason names them",
    "zero_base": "the base value is 0, so a ratio to it is undefined",
    "negative": "the base is negative (and the value not positive): a ratio would read a growing loss as growth",
    "sign_change": "the two values have opposite signs, so their ratio means nothing",
    "edge": "the window reaches before the first or after the last year of the series",
}


def _s(values: np.ndarray | pd.Series) -> np.ndarray:
    """Numbers as short strings, vectorised ('%g')."""
    return np.char.mod("%g", np.asarray(values, dtype=float))


def _y(values: np.ndarray | pd.Series) -> np.ndarray:
    return np.asarray(np.nan_to_num(np.asarray(values, dtype=float)), dtype=np.int64).astype(str)


def _cat(*parts: np.ndarray | str) -> np.ndarray:
    out = np.asarray(parts[0]).astype(str)
    for p in parts[1:]:
        out = np.char.add(out, np.asarray(p).astype(str))
    return out


def _ratio_problems(
    value: np.ndarray, base: np.ndarray, year: np.ndarray, base_year: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Flags and reasons for pairs whose ratio is undefined or misleading."""
    flag = np.full(value.shape, "ok", dtype=object)
    reason = np.full(value.shape, "", dtype=object)
    pair = _cat(_s(base), " in ", _y(base_year), ", ", _s(value), " in ", _y(year))
    rules = [
        (base == 0, "zero_base", _cat("the base value in ", _y(base_year), " is 0")),
        (base * value < 0, "sign_change", _cat("the values change sign: ", pair)),
        ((base < 0) & (value <= 0), "negative", _cat("negative values: ", pair)),
    ]
    for mask, name, text in reversed(rules):  # the first rule wins
        flag = np.where(mask, name, flag)
        reason = np.where(mask, text, reason)
    return flag, reason


def _with_base(long: Long, base_year: np.ndarray, base: np.ndarray) -> pd.DataFrame:
    out = long.frame.copy()
    out["base_year"] = pd.array(base_year, dtype="Int64")
    out["base"] = base
    return out


def _previous(long: Long) -> pd.DataFrame:
    """Each row with the previous *valid* year and value of its series."""
    f = long.frame
    valid = f[f["value"].notna()]
    g = valid.groupby(long.group_keys, sort=False)
    prev_year = g["year"].shift().reindex(f.index)
    prev_value = g["value"].shift().reindex(f.index)
    return _with_base(long, prev_year.to_numpy(dtype=float), prev_value.to_numpy(dtype=float))


def _at_base(long: Long, base_year: int) -> pd.DataFrame:
    f = long.frame
    at = f.loc[f["year"] == base_year, [*long.group_keys, "value"]].rename(columns={"value": "base"})
    base = f[long.group_keys].merge(at, on=long.group_keys, how="left")["base"].to_numpy(dtype=float)
    return _with_base(long, np.full(len(f), float(base_year)), base)


def _availability(table: pd.DataFrame, chain: bool) -> tuple[np.ndarray, np.ndarray]:
    """Flags for rows without a usable base (missing value, no base, gap)."""
    year = table["year"].to_numpy(dtype=float)
    base_year = table["base_year"].to_numpy(dtype=float, na_value=np.nan)
    missing = table["value"].isna().to_numpy()
    no_base = np.isnan(table["base"].to_numpy(dtype=float))
    gap = chain & ~no_base & (base_year < year - 1)
    first_missing = np.where(np.isnan(base_year), year, base_year + 1)
    if chain:
        no_base_text = _cat("no earlier value: the series starts in ", _y(year))
    else:
        no_base_text = _cat("no value for the base year ", _y(base_year))
    flag = np.select([missing, no_base, gap], ["missing", "no_base", "gap"], "ok").astype(object)
    reason = np.select(
        [missing, no_base, gap],
        [_cat("no value for ", _y(year)), no_base_text, _cat("no value for ", gap_text(first_missing, year - 1))],
        "",
    ).astype(object)
    return flag, reason


def _finish(
    long: Long, table: pd.DataFrame, result: dict[str, np.ndarray], flag: np.ndarray, reason: np.ndarray
) -> pd.DataFrame:
    bad = flag != "ok"
    for name, values in result.items():
        table[name] = np.where(bad, np.nan, values)
    table["flag"] = flag.astype(str)
    table["reason"] = reason.astype(str)
    return restore(long, table)


def absolute_change(
    data: pd.Series | pd.DataFrame,
    base_year: int | None = None,
    *,
    value: str = "value",
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Absolute change on the previous year (or on ``base_year``), in the unit of the data.

    Negative values and sign changes are fine here; only a missing value, a missing
    base or a gap (previous year absent) leave a row uncomputed.

    >>> s = pd.Series([5154157, 8376478, None, 9233755], index=[2010, 2011, 2012, 2013])
    >>> r = absolute_change(s)
    >>> r["change"].tolist()[1], r["flag"].tolist()
    (3222321.0, ['no_base', 'ok', 'missing', 'gap'])
    >>> r.loc[2010, "reason"], r.loc[2013, "reason"]
    ('no earlier value: the series starts in 2010', 'no value for 2012')
    """
    long = as_long(data, value=value, keys=keys)
    table = _previous(long) if base_year is None else _at_base(long, base_year)
    flag, reason = _availability(table, chain=base_year is None)
    change = table["value"].to_numpy(dtype=float) - table["base"].to_numpy(dtype=float)
    return _finish(long, table, {"change": change}, flag, reason)


def _index_table(long: Long, table: pd.DataFrame, chain: bool) -> pd.DataFrame:
    flag, reason = _availability(table, chain=chain)
    v = table["value"].to_numpy(dtype=float)
    b = table["base"].to_numpy(dtype=float)
    rflag, rreason = _ratio_problems(
        v, b, table["year"].to_numpy(dtype=float), table["base_year"].to_numpy(dtype=float, na_value=np.nan)
    )
    use_ratio = (flag == "ok") & (rflag != "ok")
    flag = np.where(use_ratio, rflag, flag)
    reason = np.where(use_ratio, rreason, reason)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = v / b * 100.0
    return _finish(long, table, {"index": index, "rate": index - 100.0}, flag, reason)


def chain_index(
    data: pd.Series | pd.DataFrame, *, value: str = "value", keys: Sequence[str] | None = None
) -> pd.DataFrame:
    """Chain growth index (% of the previous year) and rate (%), year by year.

    The previous year must itself have a value; otherwise the row is a ``gap``.
    Seed 000, Table 4: Internet users grew 62.5 % in 2011.

    >>> users = pd.Series([5154157, 8376478, 8968471], index=[2010, 2011, 2012])
    >>> chain_index(users)[["index", "rate", "flag"]].round(2).to_dict("list")
    {'index': [nan, 162.52, 107.07], 'rate': [nan, 62.52, 7.07], 'flag': ['no_base', 'ok', 'ok']}
    >>> chain_index(pd.Series([0.0, 5.0, -2.0], index=[2020, 2021, 2022]))["reason"].tolist()[1:]
    ['the base value in 2020 is 0', 'the values change sign: 5 in 2021, -2 in 2022']
    """
    long = as_long(data, value=value, keys=keys)
    return _index_table(long, _previous(long), chain=True)


def base_index(
    data: pd.Series | pd.DataFrame, base_year: int, *, value: str = "value", keys: Sequence[str] | None = None
) -> pd.DataFrame:
    """Base growth index (% of the value in ``base_year``) and rate (%).

    >>> costs = pd.Series([53485.8, 78159.4, 126597.2], index=[2007, 2008, 2009])
    >>> base_index(costs, 2007)["index"].round(1).tolist()
    [100.0, 146.1, 236.7]
    """
    long = as_long(data, value=value, keys=keys)
    return _index_table(long, _at_base(long, base_year), chain=False)


def average_growth(
    data: pd.Series | pd.DataFrame,
    start: int | None = None,
    end: int | None = None,
    *,
    value: str = "value",
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Average annual growth over [start, end]: index ``(y_end / y_start)^(1/(end − start)) × 100`` and rate (CAGR, %).

    One row per series.  ``start``/``end`` default to each series' first and last
    year with a value.  Only the end points enter the formula, so missing years
    inside the window do not stop it; the reason lists them.  Seed 000, Table 3:
    ICT costs 2007–2017.

    >>> costs = pd.Series([53485.8, 349943.6], index=[2007, 2017])
    >>> g = average_growth(costs, 2007, 2017)
    >>> round(float(g.loc[0, "index"]), 1), round(float(g.loc[0, "rate"]), 1), g.loc[0, "flag"]
    (120.7, 20.7, 'ok')
    >>> g.loc[0, "reason"]
    'no value for 2008–2016 (only the end points are used)'
    >>> float(average_growth(pd.Series([7.0, 7.0, 7.0], index=[2001, 2002, 2003]))["rate"].iloc[0])
    0.0
    """
    if start is not None and end is not None and end <= start:
        raise InvalidValueError(f"average growth: the end year {end} must be after the start year {start}")
    long = as_long(data, value=value, keys=keys)
    f, gk = long.frame, long.group_keys
    valid = f[f["value"].notna()]
    series = f[gk].drop_duplicates().reset_index(drop=True)
    span = valid.groupby(gk, sort=False)["year"].agg(["min", "max", "count"]).reset_index()
    series = series.merge(span, on=gk, how="left")
    t0 = np.full(len(series), float(start)) if start is not None else series["min"].to_numpy(dtype=float)
    t1 = np.full(len(series), float(end)) if end is not None else series["max"].to_numpy(dtype=float)
    series["start"], series["end"] = t0, t1

    def value_at(col: str) -> np.ndarray:
        at = valid[[*gk, "year", "value"]].rename(columns={"year": col})
        merged = series[[*gk, col]].merge(at, on=[*gk, col], how="left")
        return merged["value"].to_numpy(dtype=float)

    first, last = value_at("start"), value_at("end")
    inside = valid.merge(series[[*gk, "start", "end"]], on=gk)
    inside = inside[(inside["year"] > inside["start"]) & (inside["year"] < inside["end"])]
    n_inside = series[gk].merge(inside.groupby(gk).size().rename("n").reset_index(), on=gk, how="left")["n"]
    interior_gap = np.nan_to_num(t1 - t0 - 1) > n_inside.fillna(0).to_numpy()
    gap_reason = np.full(len(series), "", dtype=object)
    for i in np.flatnonzero(interior_gap & np.isfinite(t0) & np.isfinite(t1)):  # loops over series, not rows
        have = set(inside.merge(series.loc[[i], gk], on=gk)["year"])
        miss = [y for y in range(int(t0[i]) + 1, int(t1[i])) if y not in have]
        gap_reason[i] = f"no value for {_runs(miss)} (only the end points are used)"

    no_values = series["count"].isna().to_numpy()
    one_year = ~no_values & (t1 <= t0)
    no_start, no_end = np.isnan(first), np.isnan(last)
    years = t1 - t0
    flag = np.select(
        [no_values, one_year, no_start, no_end], ["missing", "no_base", "no_base", "missing"], "ok"
    ).astype(object)
    reason = np.select(
        [no_values, one_year, no_start & no_end, no_start, no_end],
        [
            "no values",
            _cat("only one year with a value (", _y(t0), ")"),
            _cat("no value for the start year ", _y(t0), " nor the end year ", _y(t1)),
            _cat("no value for the start year ", _y(t0)),
            _cat("no value for the end year ", _y(t1)),
        ],
        gap_reason,
    ).astype(object)
    rflag, rreason = _ratio_problems(last, first, t1, t0)
    use_ratio = (flag == "ok") & (rflag != "ok")
    flag, reason = np.where(use_ratio, rflag, flag), np.where(use_ratio, rreason, reason)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = np.power(last / first, 1.0 / np.where(years > 0, years, np.nan)) * 100.0
    bad = flag != "ok"
    table = series[gk].copy()
    table["start"] = pd.array(np.where(np.isfinite(t0), t0, np.nan), dtype="Float64").astype("Int64")
    table["end"] = pd.array(np.where(np.isfinite(t1), t1, np.nan), dtype="Float64").astype("Int64")
    table["years"] = table["end"] - table["start"]
    table["first"], table["last"] = first, last
    table["index"] = np.where(bad, np.nan, index)
    table["rate"] = np.where(bad, np.nan, index - 100.0)
    table["flag"], table["reason"] = flag.astype(str), reason.astype(str)
    return table.drop(columns=["__series"], errors="ignore")


def _runs(years: list[int]) -> str:
    """'2008–2010, 2013' from [2008, 2009, 2010, 2013]."""
    if not years:
        return ""
    arr = np.asarray(years)
    breaks = np.flatnonzero(np.diff(arr) != 1)
    starts = arr[np.r_[0, breaks + 1]]
    ends = arr[np.r_[breaks, len(arr) - 1]]
    return ", ".join(gap_text(starts, ends).tolist())
