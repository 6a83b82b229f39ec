"""Regional differentiation in a year: CV, Gini, Theil, max/min, plain and population-weighted.

Definitions (``x`` the values of the *n* units present in a year, ``p`` their
weights as shares — ``1/n`` unweighted, population shares weighted — and
``μ = Σ p x``):

* ``cv = sd / mean``; the unweighted ``sd`` uses ``ddof`` (default 0: the regions
  are the whole population, not a sample); weighted ``cv_w = √(Σ p (x − μ)²) / μ``
  (Williamson's index).
* ``gini = 1 − Σ p_i (L_{i−1} + L_i)`` over units sorted by ``x``, ``L`` the
  cumulative share of the total: 0 for equal values, ``(n − 1)/n`` when one unit
  has everything.
* ``theil = Σ p (x/μ) ln(x/μ)`` (Theil's T; ``0 ln 0 = 0``): 0 for equal values,
  ``ln n`` when one unit has everything.
* ``max_min = max / min``; ``sd_log`` is the sd of ``ln x`` (with ``ddof``).

Gini, Theil, CV and ``sd_log`` are undefined with negative values; ``max_min``
and ``sd_log`` with a zero.  Such cells are ``NaN`` and the row's ``flag`` and
``reason`` say why.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataError
from ._territory import BoundaryNote, Existence, Territory

__all__ = ["dispersion", "dispersion_table", "prepare"]


def prepare(
    data: pd.DataFrame, territory: Territory, *, weight: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``data`` into usable rows and excluded rows (``geo, year, reason``).

    Excluded: rows of a unit that does not exist in that year, and missing values.
    """
    missing_cols = [c for c in ("geo", "year", "value", *([weight] if weight else [])) if c not in data.columns]
    if missing_cols:
        raise DataError(f"regional data: missing column(s) {', '.join(missing_cols)} (need geo, year, value)")
    if "indicator" in data.columns and data["indicator"].nunique() > 1:
        raise DataError("regional data: pass one indicator at a time", [])
    cols = ["geo", "year", "value", *([weight] if weight else [])]
    d = data[cols].copy()
    d["geo"] = d["geo"].astype(str)
    d["year"] = pd.to_numeric(d["year"]).astype(int)
    d["value"] = pd.to_numeric(d["value"], errors="coerce").astype(float)
    if weight:
        d = d.rename(columns={weight: "weight"})
        d["weight"] = pd.to_numeric(d["weight"], errors="coerce").astype(float)
    dup = d.duplicated(["geo", "year"], keep=False)
    if dup.any():
        raise DataError(
            f"regional data: {int(dup.sum())} rows share a geo and year; keep one value per region and year"
        )
    exists = territory.present(d).to_numpy()
    nan = d["value"].isna().to_numpy()
    reason = np.where(~exists, "does not exist in this year", np.where(nan, "no value", ""))
    excluded = d.loc[reason != "", ["geo", "year"]].assign(reason=reason[reason != ""])
    return d[reason == ""].reset_index(drop=True), excluded.reset_index(drop=True)


def _stats(d: pd.DataFrame, ddof: int, weighted: bool) -> pd.DataFrame:
    """Per-year statistics of a frame sorted by (year, value)."""
    from scipy.special import xlogy

    x = d["value"]
    w = d["weight"] if weighted else pd.Series(1.0, index=d.index)
    g = d.groupby("year", sort=True)
    year = d["year"]
    p = w / w.groupby(year).transform("sum")
    mu = (p * x).groupby(year).sum()
    mu_row = year.map(mu)
    cum = (p * x).groupby(year).cumsum() / mu_row
    prev = cum - p * x / mu_row
    ratio = x / mu_row
    out = pd.DataFrame(index=mu.index)
    out["mean"] = mu
    if weighted:
        out["sd"] = np.sqrt((p * (x - mu_row) ** 2).groupby(year).sum())
    else:
        out["n"] = g["value"].count()
        out["sd"] = g["value"].std(ddof=ddof)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cv"] = out["sd"] / out["mean"]
        out["gini"] = 1.0 - (p * (cum + prev)).groupby(year).sum()
        out["theil"] = (p * xlogy(ratio, ratio)).groupby(year).sum()
    if not weighted:
        logs = np.log(x.where(x > 0))
        out["sd_log"] = logs.groupby(year).std(ddof=ddof)
        out["max_min"] = g["value"].max() / g["value"].min()
        out["max_geo"] = g["geo"].last()  # sorted by value within year
        out["min_geo"] = g["geo"].first()
    return out


def dispersion(
    data: pd.DataFrame,
    *,
    weight: str | None = None,
    ddof: int = 0,
    geography: Any | None = None,
    existence: Existence | None = None,
    boundary_note: BoundaryNote | None = None,
) -> pd.DataFrame:
    """Per-year dispersion of one indicator across units; see the module docstring for definitions.

    Columns: ``year, n, mean, sd, cv, gini, theil, max_min, max_geo, min_geo,
    sd_log`` (+ ``mean_w, sd_w, cv_w, gini_w, theil_w`` with ``weight``), ``flag``,
    ``reason``, ``excluded`` (units left out that year and why) and ``changes``
    (how the set of units differs from the previous year in the table, and
    boundary changes in between).

    >>> d = pd.DataFrame({"geo": list("ABCD"), "year": 2020, "value": [0.0, 0.0, 0.0, 1.0]})
    >>> r = dispersion(d).iloc[0]
    >>> float(r["gini"]), round(float(r["theil"]), 4), r["flag"], r["reason"]
    (0.75, 1.3863, 'zero', 'a unit has value 0: max/min and sd of logs are undefined')
    """
    territory = Territory(geography, existence=existence, boundary_note=boundary_note)
    return dispersion_table(data, territory, weight=weight, ddof=ddof)


def dispersion_table(
    data: pd.DataFrame, territory: Territory, *, weight: str | None = None, ddof: int = 0
) -> pd.DataFrame:
    """:func:`dispersion` with the territory facts already resolved."""
    rows, excluded = prepare(data, territory, weight=weight)
    rows = rows.sort_values(["year", "value"], kind="stable").reset_index(drop=True)
    years = pd.Index(sorted(set(data["year"].astype(int))), name="year")
    table = _stats(rows, ddof, weighted=False).reindex(years)
    table["n"] = table["n"].fillna(0).astype(int)
    has_neg = rows.groupby("year")["value"].min().reindex(years) < 0
    has_zero = (rows["value"] == 0).groupby(rows["year"]).any().reindex(years, fill_value=False)
    if weight:
        w_ok = rows["weight"].notna() & (rows["weight"] > 0)
        w_bad = (~w_ok).groupby(rows["year"]).any().reindex(years, fill_value=False)
        wt = _stats(rows[w_ok.to_numpy()], ddof, weighted=True).reindex(years)
        for col in ("mean", "sd", "cv", "gini", "theil"):
            table[f"{col}_w"] = wt[col].where(~w_bad.to_numpy())
    else:
        w_bad = pd.Series(False, index=years)
    neg = has_neg.fillna(False).to_numpy(dtype=bool)
    zero = has_zero.to_numpy(dtype=bool)
    few = table["n"].to_numpy() < 2
    mean0 = np.isclose(table["mean"].fillna(0).to_numpy(dtype=float), 0.0)
    undefined = {
        "few": ["sd", "cv", "gini", "theil", "sd_log", "max_min", "cv_w", "gini_w", "theil_w", "sd_w"],
        "neg": ["cv", "gini", "theil", "sd_log", "max_min", "cv_w", "gini_w", "theil_w"],
        "zero": ["max_min", "sd_log"],
        "mean0": ["cv", "gini", "theil", "cv_w", "gini_w", "theil_w"],
    }
    for key, mask in (("few", few), ("neg", neg), ("zero", zero), ("mean0", mean0)):
        for col in undefined[key]:
            if col in table.columns:
                table.loc[mask, col] = np.nan
    conditions = [few, neg, mean0, zero, w_bad.to_numpy(dtype=bool)]
    table["flag"] = np.select(conditions, ["too_few", "negative", "zero_mean", "zero", "no_weight"], "ok")
    table["reason"] = np.select(
        conditions,
        [
            "fewer than 2 units with a value",
            "negative values: CV, Gini, Theil, max/min and sd of logs are undefined",
            "the mean is 0: relative measures are undefined",
            "a unit has value 0: max/min and sd of logs are undefined",
            "some units have no (positive) weight: weighted measures not computed",
        ],
        "",
    )
    table["excluded"] = _excluded_text(excluded, years)
    table["changes"] = _changes(rows, years, territory)
    table = table.reset_index()
    first = ["year", "n", "mean", "sd", "cv", "gini", "theil", "max_min", "max_geo", "min_geo", "sd_log"]
    return table[[*first, *(c for c in table.columns if c not in first)]]


def _excluded_text(excluded: pd.DataFrame, years: pd.Index) -> list[str]:
    if excluded.empty:
        return [""] * len(years)
    text = (excluded["geo"] + " (" + excluded["reason"] + ")").groupby(excluded["year"]).agg("; ".join)
    return text.reindex(years, fill_value="").tolist()


def _changes(rows: pd.DataFrame, years: pd.Index, territory: Territory) -> list[str]:
    """How each year's set of units differs from the previous year's (loops over years)."""
    sets = rows.groupby("year")["geo"].agg(frozenset).reindex(years)
    out: list[str] = []
    prev_year: int | None = None
    prev: frozenset[str] = frozenset()
    for year, units in sets.items():
        if not isinstance(units, frozenset) or not units:
            out.append("")
            continue
        parts: list[str] = []
        if prev_year is not None:
            added, dropped = sorted(units - prev), sorted(prev - units)
            if added or dropped:
                parts.append(
                    f"units differ from {prev_year}: "
                    + ", ".join([*(f"+{g}" for g in added), *(f"−{g}" for g in dropped)])
                )
            notes = [n for g in sorted(units & prev) if (n := territory.note(g, prev_year, int(str(year))))]
            parts += notes
        out.append("; ".join(parts))
        prev_year, prev = int(str(year)), units
    return out
