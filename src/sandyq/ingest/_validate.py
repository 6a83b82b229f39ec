"""Check a long table against the framework and turn it into store rows.

Every check is vectorised and collects *all* problems, each naming the file,
row and column: unknown indicator or geography, a period that is not a year,
quarter or month, a non-numeric value, a value outside what its unit allows, a
unit that differs from the indicator's, an unknown status or source, and one
key with two different values.  Identical duplicates are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import Problem
from ..framework import UNITS, parse_period
from ._layouts import COL, LONG
from ._read import ROW

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["STATUS_CODES", "Checked", "check"]

#: SDMX observation status codes kept in the store (blank or ``A`` = normal value).
STATUS_CODES = {"E": "estimated", "P": "provisional", "B": "break in series", "F": "forecast", "I": "imputed"}
_STATUS_WORDS = {v: k for k, v in STATUS_CODES.items()} | {"break": "B", "estimate": "E"}
_MISSING = {"", "..", "nan", "NaN", "NA", "N/A", "null"}


@dataclass
class Checked:
    """The rows ready for the store, the problems found, and notes on what was set aside."""

    staged: pd.DataFrame
    problems: list[Problem]
    skipped_missing: int = 0
    dropped_duplicates: int = 0
    resolved: list[Problem] = field(default_factory=list)
    resolved_rows: pd.DataFrame | None = None


def _problems(
    path: Path, mask: pd.Series, long: pd.DataFrame, column: str | pd.Series, message: pd.Series | str
) -> list[Problem]:
    if not mask.any():
        return []
    rows = long.loc[mask]
    cols = column.loc[mask] if isinstance(column, pd.Series) else pd.Series(column, index=rows.index)
    msgs = message.loc[mask] if isinstance(message, pd.Series) else pd.Series(message, index=rows.index)
    return [
        Problem(str(path), str(m), row=int(r), column=str(c)) for r, c, m in zip(rows[ROW], cols, msgs, strict=True)
    ]


def check(
    long: pd.DataFrame,
    path: Path,
    framework: Framework,
    *,
    source: str | None = None,
    default_geo: str | None = None,
    na_values: Mapping[str, Sequence[str]] | None = None,
    duplicates: str = "error",
    out_of_range: str = "error",
) -> Checked:
    """Validate ``long`` (see :mod:`._layouts`) and build store rows."""
    f = str(path)
    long = long.copy()
    for c in LONG:
        long[c] = long[c].astype("string").fillna("").str.strip()
    problems: list[Problem] = []
    # missing values: skipped, not errors
    missing = long["OBS_VALUE"].isin(_MISSING)
    for col, tokens in (na_values or {}).items():
        missing |= (long[COL] == col) & long["OBS_VALUE"].isin([str(t) for t in tokens])
    skipped = int(missing.sum())
    long = long.loc[~missing].copy()
    dim_cols = [c for c in long.columns if c not in (*LONG, ROW, COL)]

    # indicator
    ind_ok = long["INDICATOR"].isin(list(framework.indicators))
    problems += _problems(
        path, ~ind_ok, long, "INDICATOR", "unknown indicator " + long["INDICATOR"].map(repr) + " (not in the framework)"
    )
    # geography
    if default_geo:
        long["REF_AREA"] = long["REF_AREA"].where(long["REF_AREA"] != "", default_geo)
    codes = long["REF_AREA"].unique()
    resolved = {c: framework.geography.resolve(c) for c in codes if c}
    long["geo"] = long["REF_AREA"].map(resolved)
    bad_geo = long["geo"].isna()
    geo_msg = ("unknown geography code " + long["REF_AREA"].map(repr)).where(
        long["REF_AREA"] != "", "blank geography code (give REF_AREA or the default_geo option)"
    )
    problems += _problems(path, bad_geo, long, "REF_AREA", geo_msg)
    # period
    periods = {p: parse_period(p) for p in long["TIME_PERIOD"].unique()}
    long["period"] = long["TIME_PERIOD"].map(periods)
    problems += _problems(
        path,
        long["period"].isna(),
        long,
        "TIME_PERIOD",
        "not a year, quarter or month: " + long["TIME_PERIOD"].map(repr),
    )
    # value
    long["value"] = pd.to_numeric(long["OBS_VALUE"].str.replace("\u00a0", "", regex=False), errors="coerce")
    long["value"] = long["value"].astype("float64").where(np.isfinite(long["value"].astype("float64")))
    problems += _problems(path, long["value"].isna(), long, long[COL], "not a number: " + long["OBS_VALUE"].map(repr))
    # unit: the indicator's own, and its bounds
    unit_of = {i: framework.indicators[i].unit for i in long.loc[ind_ok, "INDICATOR"].unique()}
    long["unit"] = long["INDICATOR"].map(unit_of)
    given = long["UNIT_MEASURE"]
    bad_unit = ind_ok & (given != "") & (given != long["unit"])
    problems += _problems(
        path,
        bad_unit,
        long,
        "UNIT_MEASURE",
        "unit " + given.map(repr) + " differs from the indicator's unit " + long["unit"].map(repr),
    )
    lo = long["unit"].map({u: UNITS[u].minimum for u in UNITS}).astype("float64")
    hi = long["unit"].map({u: UNITS[u].maximum for u in UNITS}).astype("float64")
    v = long["value"].astype("float64")
    out = ind_ok & v.notna() & ((lo.notna() & (v < lo)) | (hi.notna() & (v > hi)))
    set_aside: pd.DataFrame | None = None
    if out.any():
        msg = (
            "value "
            + long["OBS_VALUE"]
            + " is outside what unit "
            + long["unit"]
            + " allows "
            + long["unit"].map(lambda u: UNITS[u].bounds_text() if u in UNITS else "")
        )
        if out_of_range == "set_aside":
            set_aside = long.loc[out].assign(message=msg.loc[out] + "; set aside, not loaded")
            long = long.loc[~out].copy()
        else:
            problems += _problems(path, out, long, long[COL], msg)
    # status
    st = long["OBS_STATUS"].str.upper()
    st = st.where(
        ~long["OBS_STATUS"].str.lower().isin(list(_STATUS_WORDS)), long["OBS_STATUS"].str.lower().map(_STATUS_WORDS)
    )
    st = st.where(st != "A", "")
    bad_status = (st != "") & ~st.isin(list(STATUS_CODES))
    problems += _problems(
        path,
        bad_status,
        long,
        "OBS_STATUS",
        "unknown status " + long["OBS_STATUS"].map(repr) + f" (use blank/A, {', '.join(STATUS_CODES)})",
    )
    long["status"] = st.where(st != "", None)
    # source
    if source is not None and source not in framework.sources:
        problems.append(Problem(f, f"unknown source {source!r}"))
    src = long["SOURCE"].where(long["SOURCE"] != "", source if source else None)
    fallback = long["INDICATOR"].map({i: framework.indicators[i].source for i in unit_of})
    long["source"] = src.where(src.notna(), fallback)
    bad_src = long["SOURCE"].ne("") & ~long["SOURCE"].isin(list(framework.sources))
    problems += _problems(path, bad_src, long, "SOURCE", "unknown source " + long["SOURCE"].map(repr))

    long["dims"] = _dims(long, dim_cols)
    long["indicator"] = long["INDICATOR"]
    long["note"] = long["COMMENT"].where(long["COMMENT"] != "", None)
    checked = Checked(pd.DataFrame(), problems, skipped)
    if problems:
        return checked
    if set_aside is not None:
        set_aside["dims"] = _dims(set_aside, dim_cols)
        set_aside["indicator"] = set_aside["INDICATOR"]
        checked.resolved += [
            Problem(str(path), str(m), row=int(r), column=str(c))
            for r, c, m in zip(set_aside[ROW], set_aside[COL], set_aside["message"], strict=True)
        ]
        checked.resolved_rows = _issue_rows(set_aside, path, "out_of_range", set_aside["message"])
    _duplicates(long, path, duplicates, checked)
    return checked


def _issue_rows(rows: pd.DataFrame, path: Path, kind: str, messages: pd.Series | list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "file": str(path),
            "row_number": rows[ROW].astype(int).to_numpy(),
            "column_name": rows[COL].astype(str).to_numpy(),
            "message": list(messages),
            "indicator": rows["INDICATOR"].to_numpy(),
            "geo": rows["geo"].to_numpy(),
            "period": rows["period"].to_numpy(),
            "dims": rows["dims"].to_numpy(),
            "value": rows["value"].astype("float64").to_numpy(),
        }
    )


def _dims(long: pd.DataFrame, dim_cols: list[str]) -> pd.Series:
    if not dim_cols:
        return pd.Series("", index=long.index, dtype="object")
    parts = []
    for c in sorted(dim_cols, key=str.lower):
        vals = long[c].astype("string").fillna("").str.strip()
        parts.append(vals.where(vals == "", c.strip().lower() + "=" + vals))
    joined = pd.concat(parts, axis=1).apply(lambda r: ";".join(x for x in r if x), axis=1)
    return joined.astype("object")


def _duplicates(long: pd.DataFrame, path: Path, policy: str, checked: Checked) -> None:
    key = ["indicator", "geo", "period", "dims", "source"]
    cols = [*key, "value", "unit", "status", "note"]
    dup = long.duplicated(key, keep=False)
    if dup.any():
        groups = long.loc[dup].groupby(key, sort=False, dropna=False)
        conflicting = groups["value"].transform("nunique") > 1
        conflict_rows = long.loc[dup].loc[conflicting]
        if len(conflict_rows) and policy == "error":
            for _, g in conflict_rows.groupby(key, sort=False, dropna=False):
                rows = ", ".join(str(r) for r in g[ROW])
                vals = ", ".join(f"{x:g}" for x in g["value"])
                first = g.iloc[0]
                checked.problems.append(
                    Problem(
                        str(path),
                        f"one key ({first['indicator']} {first['geo']} {first['period']} "
                        f"{first['dims'] or 'total'}) has different values {vals} in rows {rows}",
                        row=int(g[ROW].iloc[1]),
                        column=str(g[COL].iloc[1]),
                    )
                )
            return
        before = len(long)
        long = long.drop_duplicates(key, keep="last" if policy == "last" else "first")
        checked.dropped_duplicates = before - len(long)
        set_aside = conflict_rows.loc[~conflict_rows.index.isin(long.index)]
        if len(set_aside):
            messages = [
                f"duplicate key with a different value {v:g}; kept the {policy} row" for v in set_aside["value"]
            ]
            checked.resolved += [
                Problem(str(path), m, row=int(r), column=str(c))
                for r, c, m in zip(set_aside[ROW], set_aside[COL], messages, strict=True)
            ]
            new_rows = _issue_rows(set_aside, path, "duplicate_conflict", messages)
            checked.resolved_rows = (
                new_rows
                if checked.resolved_rows is None
                else pd.concat([checked.resolved_rows, new_rows], ignore_index=True)
            )
    checked.staged = long[cols].reset_index(drop=True)
