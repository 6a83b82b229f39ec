"""Parts that do not add up to their total: regions vs their country, categories vs the total.

Only figures in additive units are summed (:data:`ADDITIVE_UNITS`: counts,
persons, thousands, and money in millions, billions or trillions of tenge).
Percentages, rates, indices and per-capita amounts do not add up, and unit
amounts of money (tenge, US dollars) are in practice averages or per-capita
figures (wages, GDP per capita), so they are left out too.

* **parts_total**: for every observation with a disaggregation, the categories of
  one dimension (``series``, ``sex`` …) with the other dimensions fixed are summed
  and compared with the row where that dimension is blank (the total) — same
  indicator, geography, period and source.  The categories of a dimension are
  those the indicator uses anywhere; when some are missing the sum can only be
  checked for exceeding the total.  Categories are assumed to be disjoint.
* **regions_total**: the regions (units whose geography ``parent`` is the country)
  that exist in the year are summed and compared with the country — same
  indicator, period, dims and source.  A region without a total of its own but
  with every category of one dimension gets the sum of its categories as its
  total, and the finding says so.  With regions missing, the sum can only be
  checked for exceeding the country.

A sum of *n* parts each rounded to *d* decimals, against a total rounded to *d*
decimals, can be off by ``(n + 1) × ½ × 10^−d``; only a larger gap is a finding.
A gap beyond ``parts_tolerance`` (relative to the total) is a warning when the
parts fall short (e.g. unallocated units) and an error when they exceed the total;
a smaller one is an info (parts above the total: a warning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..statistics import half_unit
from ._data import AuditData, empty_findings, fmt

__all__ = ["ADDITIVE_UNITS", "check_totals", "split_dims"]

#: Units whose values add up across regions and categories.
ADDITIVE_UNITS = frozenset({"NUMBER", "PERSONS", "TH_UNITS", "TH_PERSONS", "MN_KZT", "BN_KZT", "TN_KZT"})

_KEY = ["indicator", "geo", "period", "source"]


def split_dims(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per dimension of each disaggregated row: ``dim``, ``category`` and ``rest`` (the other dimensions).

    >>> parts = split_dims(pd.DataFrame({"dims": ["sex=F;urbanisation=R", "", "series=A"]}))
    >>> parts[["dim", "category", "rest"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'dim': 'sex', 'category': 'F', 'rest': 'urbanisation=R'}, {'dim': 'series', 'category': 'A', 'rest': ''},
     {'dim': 'urbanisation', 'category': 'R', 'rest': 'sex=F'}]
    """
    d = frame[frame["dims"] != ""]
    if d.empty:
        return d.assign(dim=pd.Series(dtype=object), category=pd.Series(dtype=object), rest=pd.Series(dtype=object))
    parts = d["dims"].str.split(";", expand=True)
    out = []
    for j in parts.columns:  # loops over positions in the key, not rows
        comp = parts[j]
        rest = pd.Series("", index=d.index, dtype=object)
        for c in parts.columns:
            if c == j:
                continue
            other = parts[c].fillna("")
            joined = np.where(rest == "", other, rest + ";" + other)
            rest = pd.Series(np.where(other == "", rest, joined), index=d.index, dtype=object)
        ok = comp.notna()
        pair = comp[ok].str.split("=", n=1, expand=True)
        out.append(d[ok].assign(dim=pair[0], category=pair[1], rest=rest[ok]))
    return pd.concat(out)


def _severity(diff: np.ndarray, rel: np.ndarray, tol: float) -> np.ndarray:
    over = diff > 0
    big = rel > tol
    return np.where(over, np.where(big, "error", "warning"), np.where(big, "warning", "info"))


def _tolerance(tol: pd.Series, dec: np.ndarray, figures: pd.Series, relative: float) -> pd.Series:
    return (
        "±"
        + pd.Series(fmt(tol, dec + 1), index=tol.index)
        + " (rounding of "
        + figures.astype(str)
        + f" figures); severity threshold {relative:.0%} of the total"
    )


def _gap_text(diff: np.ndarray, rel: np.ndarray, dec: np.ndarray) -> np.ndarray:
    word = np.where(diff > 0, " above ", " below ")
    return fmt(np.abs(diff), dec) + " (" + fmt(np.abs(rel) * 100, 1) + " %)" + word


def _parts(data: AuditData, add: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """parts_total findings, and region totals imputed from complete categories."""
    comps = split_dims(add)
    if comps.empty:
        return empty_findings(), pd.DataFrame()
    expected = comps.groupby(["indicator", "dim"])["category"].nunique().rename("n_expected").reset_index()
    grp = (
        comps.groupby([*_KEY, "year", "kind", "parent", "dim", "rest"], dropna=False)
        .agg(
            parts=("value", "sum"),
            n=("value", "size"),
            categories=("category", "nunique"),
            decimals=("decimals", "max"),
            unit=("unit", "first"),
        )
        .reset_index()
        .merge(expected, on=["indicator", "dim"])
    )
    grp["complete"] = grp["categories"] >= grp["n_expected"]
    totals = add[[*_KEY, "dims", "value", "decimals"]].rename(
        columns={"dims": "rest", "value": "total", "decimals": "total_decimals"}
    )
    m = grp.merge(totals, on=[*_KEY, "rest"], how="left", indicator=True)
    has_total = (m.pop("_merge") == "both").to_numpy()
    imputed = m[~has_total & m["complete"]].drop_duplicates([*_KEY, "rest"])
    imputed = imputed.rename(columns={"rest": "dims", "parts": "value"}).assign(
        n_parts=imputed["n"], imputed_from=imputed["dim"]
    )
    m = m[has_total].copy()
    dec = np.maximum(m["decimals"].to_numpy(dtype=int), m["total_decimals"].to_numpy(dtype=int))
    tol = (m["n"].to_numpy(dtype=float) + 1) * half_unit(dec)
    diff = m["parts"].to_numpy(dtype=float) - m["total"].to_numpy(dtype=float)
    rel = np.divide(
        diff,
        np.abs(m["total"].to_numpy(dtype=float)),
        out=np.full(len(m), np.inf),
        where=m["total"].to_numpy(dtype=float) != 0,
    )
    flag = (np.abs(diff) > tol + 1e-9) & (m["complete"].to_numpy() | (diff > 0))
    m = m.assign(tol=tol, diff=diff, rel=rel, dec=dec)[flag]
    if m.empty:
        return empty_findings(), imputed
    d, r, k = m["diff"].to_numpy(), m["rel"].to_numpy(), m["dec"].to_numpy()
    m["rule"] = "parts_total"
    m["severity"] = _severity(d, np.abs(r), data.options.parts_tolerance)
    m["dims"] = m["rest"]
    m["sources"] = m["source"].map(lambda s: (s,))
    m["expected"], m["found"] = m["total"], m["parts"]
    m["tolerance"] = _tolerance(m["tol"], k, m["n"] + 1, data.options.parts_tolerance)
    incomplete = np.where(
        m["complete"],
        "",
        " (only " + m["categories"].astype(str) + " of " + m["n_expected"].astype(str) + " categories present)",
    )
    m["message"] = (
        "the "
        + m["n"].astype(str)
        + " categories of "
        + m["dim"]
        + " sum to "
        + fmt(m["parts"], k)
        + incomplete
        + ", "
        + _gap_text(d, r, k)
        + "the total "
        + fmt(m["total"], k)
    )
    m["figures"] = [
        {"parts_sum": p, "total": t, "parts": int(n), "dimension": dim}
        for p, t, n, dim in zip(m["parts"], m["total"], m["n"], m["dim"], strict=True)
    ]
    m["related"] = [()] * len(m)
    return m, imputed


def _existing(data: AuditData, regions: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Mask of region rows that exist in their year, and the number of regions per (parent, year)."""
    geo = data.framework.geography
    pairs = regions[["geo", "year"]].drop_duplicates()
    flags = [geo.get(g).exists_in(int(y)) for g, y in zip(pairs["geo"], pairs["year"], strict=True)]
    pairs = pairs.assign(_exists=flags)
    mask = regions[["geo", "year"]].merge(pairs, on=["geo", "year"], how="left")["_exists"].to_numpy(dtype=bool)
    py = regions[["parent", "year"]].drop_duplicates()
    counts = [len(geo.regions(str(p), int(y))) for p, y in zip(py["parent"], py["year"], strict=True)]
    return mask, py.assign(n_expected=counts)


def _regions(data: AuditData, add: pd.DataFrame, imputed: pd.DataFrame) -> pd.DataFrame:
    base = add.assign(n_parts=1, imputed_from="")
    if len(imputed):
        base = pd.concat([base, imputed[[c for c in base.columns if c in imputed.columns]]], ignore_index=True)
    regions = base[(base["kind"] == "region") & base["parent"].notna()]
    if regions.empty:
        return empty_findings()
    mask, expected = _existing(data, regions)
    regions = regions[mask]
    grp = (
        regions.groupby(["indicator", "parent", "period", "year", "dims", "source"])
        .agg(
            parts=("value", "sum"),
            n=("geo", "nunique"),
            n_parts=("n_parts", "sum"),
            decimals=("decimals", "max"),
            imputed=("imputed_from", lambda s: ", ".join(sorted(set(s) - {""}))),
        )
        .reset_index()
        .merge(expected, on=["parent", "year"])
    )
    country = base[base["kind"] == "country"][
        ["indicator", "geo", "period", "dims", "source", "value", "decimals", "n_parts"]
    ]
    country = (
        country[country["n_parts"] == 1]
        .rename(columns={"geo": "parent", "value": "total", "decimals": "total_decimals"})
        .drop(columns="n_parts")
    )
    m = grp.merge(country, on=["indicator", "parent", "period", "dims", "source"])
    dec = np.maximum(m["decimals"].to_numpy(dtype=int), m["total_decimals"].to_numpy(dtype=int))
    tol = (m["n_parts"].to_numpy(dtype=float) + 1) * half_unit(dec)
    total = m["total"].to_numpy(dtype=float)
    diff = m["parts"].to_numpy(dtype=float) - total
    rel = np.divide(diff, np.abs(total), out=np.full(len(m), np.inf), where=total != 0)
    complete = (m["n"] >= m["n_expected"]).to_numpy()
    flag = (np.abs(diff) > tol + 1e-9) & (complete | (diff > 0))
    m = m.assign(tol=tol, diff=diff, rel=rel, dec=dec, complete=complete)[flag]
    if m.empty:
        return empty_findings()
    d, r, k = m["diff"].to_numpy(), m["rel"].to_numpy(), m["dec"].to_numpy()
    m["rule"], m["geo"] = "regions_total", m["parent"]
    m["severity"] = _severity(d, np.abs(r), data.options.parts_tolerance)
    m["sources"] = m["source"].map(lambda s: (s,))
    m["expected"], m["found"] = m["total"], m["parts"]
    m["tolerance"] = _tolerance(m["tol"], k, m["n_parts"] + 1, data.options.parts_tolerance)
    missing = np.where(
        m["complete"],
        "",
        " (only " + m["n"].astype(str) + " of " + m["n_expected"].astype(str) + " regions have a value)",
    )
    how = np.where(m["imputed"] != "", "; region totals summed from their " + m["imputed"] + " categories", "")
    m["message"] = (
        "the "
        + m["n"].astype(str)
        + " regions sum to "
        + fmt(m["parts"], k)
        + missing
        + ", "
        + _gap_text(d, r, k)
        + m["parent"]
        + " "
        + fmt(m["total"], k)
        + how
    )
    m["figures"] = [
        {"regions_sum": p, "total": t, "regions": int(n), "regions_expected": int(e)}
        for p, t, n, e in zip(m["parts"], m["total"], m["n"], m["n_expected"], strict=True)
    ]
    m["related"] = [()] * len(m)
    return m


def check_totals(data: AuditData) -> pd.DataFrame:
    """parts_total and regions_total findings (see the module docstring).

    >>> import sandyq
    >>> from ._data import make_data
    >>> obs = pd.DataFrame({"indicator": "17-6-2", "geo": "KAZ", "period": "2023",
    ...                     "dims": ["", "series=A", "series=B"], "value": [100.0, 60.0, 30.0]})
    >>> check_totals(make_data(obs, sandyq.load_framework()))[["rule", "severity", "expected", "found"]].values.tolist()
    [['parts_total', 'warning', 100.0, 90.0]]"""
    add = data.obs[data.obs["unit"].isin(ADDITIVE_UNITS)]
    if add.empty:
        return empty_findings()
    parts, imputed = _parts(data, add)
    regions = _regions(data, add, imputed)
    out = [f for f in (parts, regions) if len(f)]
    return pd.concat(out, ignore_index=True) if out else empty_findings()
