"""Shared input handling: a year-indexed Series or a long DataFrame → one tidy frame.

Analytic functions accept either a ``Series`` indexed by year (one series) or a
DataFrame with a ``year`` column and a value column, holding several series
told apart by *key* columns (by default whichever of ``indicator``, ``geo``,
``dims`` are present).  Each series must have at most one value per year;
quarterly or monthly periods must be filtered out (or aggregated) first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import DataError, Problem

__all__ = ["SERIES_KEYS", "Long", "as_long", "gap_text", "restore"]

#: Columns that identify one series in an observations table.
SERIES_KEYS: tuple[str, ...] = ("indicator", "geo", "dims")

#: Name of the constant key used when the input is a single series.
ONE = "__series"


class Long:
    """A tidy frame (keys + ``year`` + ``value``) and how to give results back."""

    def __init__(self, frame: pd.DataFrame, keys: list[str], from_series: bool) -> None:
        self.frame = frame
        self.keys = keys
        self.from_series = from_series

    @property
    def group_keys(self) -> list[str]:
        """Keys to group by (a constant key when the input was one series)."""
        return self.keys or [ONE]


def as_long(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    keys: Sequence[str] | None = None,
    what: str = "data",
) -> Long:
    """Normalise ``data`` to a frame sorted by keys and year, one row per key and year.

    >>> as_long(pd.Series([1.0, 2.0], index=[2011, 2010])).frame
       __series  year  value
    0         0  2010    2.0
    1         0  2011    1.0
    """
    if isinstance(data, pd.Series):
        try:
            years = np.asarray(pd.to_numeric(pd.Index(data.index), errors="raise"), dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(f"{what}: a Series must be indexed by year", [Problem("", str(exc))]) from exc
        if not np.all(np.isfinite(years)) or not np.all(years == np.round(years)):
            raise DataError(f"{what}: a Series must be indexed by whole years")
        frame = pd.DataFrame(
            {ONE: 0, "year": years.astype(int), "value": pd.to_numeric(data, errors="coerce").to_numpy(dtype=float)}
        )
        key_list: list[str] = []
        from_series = True
    elif isinstance(data, pd.DataFrame):
        missing = [c for c in ("year", value) if c not in data.columns]
        if missing:
            raise DataError(
                f"{what}: missing column(s) {', '.join(missing)}",
                [Problem("", f"columns present: {', '.join(map(str, data.columns))}")],
            )
        key_list = [k for k in SERIES_KEYS if k in data.columns] if keys is None else list(keys)
        absent = [k for k in key_list if k not in data.columns]
        if absent:
            raise DataError(f"{what}: key column(s) {', '.join(absent)} not in the data")
        frame = data[[*key_list, "year"]].copy()
        frame["year"] = pd.to_numeric(frame["year"], errors="raise").astype(int)
        frame["value"] = pd.to_numeric(data[value], errors="coerce").astype(float)
        if not key_list:
            frame.insert(0, ONE, 0)
        from_series = False
    else:
        raise DataError(f"{what}: expected a pandas Series or DataFrame, got {type(data).__name__}")
    group = key_list or [ONE]
    dup = frame.duplicated([*group, "year"], keep=False)
    if dup.any():
        rows = frame.loc[dup, [*key_list, "year"]].drop_duplicates().head(5)
        raise DataError(
            f"{what}: {int(dup.sum())} rows share a series and year; keep one value per year "
            "(filter to annual periods, one source and one vintage)",
            [Problem("", "duplicate: " + ", ".join(f"{k}={v}" for k, v in r.items())) for r in rows.to_dict("records")],
        )
    frame = frame.sort_values([*group, "year"], kind="stable").reset_index(drop=True)
    return Long(frame, key_list, from_series)


def restore(long: Long, result: pd.DataFrame) -> pd.DataFrame:
    """Give ``result`` back in the caller's shape: indexed by year for a Series input."""
    if long.from_series:
        out = result.drop(columns=[ONE], errors="ignore")
        return out.set_index("year") if "year" in out.columns else out.reset_index(drop=True)
    return result.drop(columns=[ONE], errors="ignore").reset_index(drop=True)


def gap_text(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Vectorised "2012" / "2012–2014" labels for runs of missing years.

    >>> gap_text(np.array([2012, 2012]), np.array([2012, 2014])).tolist()
    ['2012', '2012–2014']
    """
    a = np.asarray(first).astype(np.int64).astype(str)
    b = np.asarray(last).astype(np.int64).astype(str)
    return np.where(np.asarray(first) == np.asarray(last), a, np.char.add(np.char.add(a, "–"), b))
