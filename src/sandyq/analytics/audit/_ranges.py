"""Averages outside the range of what they average: a country outside its regions, a total outside its categories.

A share, a rate per person or a mean (:data:`MEAN_UNITS`) of a whole is a
weighted mean of the same figure for the parts of a partition of the whole, so it
lies between the smallest and the largest part, whatever the weights.  Sums are
checked by ``totals``; these rules check the figures that do not add up.

* **regions_range**: the country's value against its regions (every region
  existing in the year must have a value; same indicator, period, dims and source).
* **parts_range**: a total against the categories of a declared partition
  (:data:`PARTITIONS`: sex = women and men, urbanisation = urban and rural), the
  other dimensions fixed: 5-b-1's men in East Kazakhstan 2021 (93.8 %) above both
  urban men (86.2) and rural men (90.0).  Other dimensions (``series``: 2G, 3G, LTE;
  overlapping age bands) are not partitions and are not checked.

Both figures are rounded, so only a gap beyond half a unit of each printed
precision counts: a ``warning``, an ``error`` beyond ``parts_tolerance`` of the
value as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..statistics import half_unit
from ._data import AuditData, empty_findings, fmt
from ._totals import split_dims

__all__ = ["MEAN_UNITS", "PARTITIONS", "Partition", "check_ranges"]

#: Units of shares, rates per person and means: the whole is a weighted mean of its parts.
MEAN_UNITS = frozenset({"PT", "PT_GROSS", "PER_100", "PER_1M", "INDEX_0_1", "INDEX_0_100", "BIT_S_PER_USER"})


@dataclass(frozen=True)
class Partition:
    """A dimension whose categories split the whole into disjoint parts (so a mean of the whole lies among them).

    >>> PARTITIONS["sex"].categories
    ('F', 'M')
    """

    dimension: str
    categories: tuple[str, ...]


#: The dimensions known to be partitions of the population, by dimension name.
PARTITIONS: dict[str, Partition] = {
    "sex": Partition("sex", ("F", "M")),
    "urbanisation": Partition("urbanisation", ("R", "U")),
}

_RANGE = ["low", "high", "n", "decimals"]


def _flag(m: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Rows whose ``value`` lies outside ``[low, high]`` beyond rounding, with ``gap``, ``tol`` and ``severity``."""
    if m.empty:
        return m
    m = m.astype({"low": float, "high": float, "value": float})
    dec = np.maximum(m["decimals"].to_numpy(dtype=int), m["total_decimals"].to_numpy(dtype=int))
    tol = 2 * half_unit(dec)
    value = m["value"].to_numpy(dtype=float)
    gap = np.where(value > m["high"], value - m["high"], np.where(value < m["low"], value - m["low"], 0.0))
    out = m.assign(gap=gap, tol=tol, dec=dec)[np.abs(gap) > tol + 1e-9]
    rel = np.abs(out["gap"]) / np.maximum(np.abs(out["value"]), 1e-12)
    return out.assign(severity=np.where(rel > tolerance, "error", "warning"))


def _describe(m: pd.DataFrame, rule: str, what: pd.Series) -> pd.DataFrame:
    k = m["dec"].to_numpy()
    side = np.where(m["gap"] > 0, " above the highest ", " below the lowest ")
    m["rule"] = rule
    m["sources"] = m["source"].map(lambda s: (s,))
    m["expected"] = np.where(m["gap"] > 0, m["high"], m["low"])
    m["found"] = m["value"]
    m["tolerance"] = "±" + pd.Series(fmt(m["tol"], k + 1), index=m.index) + " (rounding of both figures)"
    m["message"] = (
        fmt(m["value"], k)
        + " is "
        + fmt(np.abs(m["gap"]), k)
        + side
        + "of its "
        + what
        + " ("
        + fmt(m["low"], k)
        + "–"
        + fmt(m["high"], k)
        + "): a share or mean of the whole lies between its parts"
    )
    m["figures"] = [
        {"value": v, "lowest": lo, "highest": hi, "parts": int(n)}
        for v, lo, hi, n in zip(m["value"], m["low"], m["high"], m["n"], strict=True)
    ]
    m["related"] = [()] * len(m)
    return m


def _regions(data: AuditData, means: pd.DataFrame) -> pd.DataFrame:
    geo = data.framework.geography
    regions = means[(means["kind"] == "region") & means["parent"].notna()]
    if regions.empty:
        return empty_findings()
    pairs = regions[["geo", "year"]].drop_duplicates()
    alive = pairs[[geo.get(g).exists_in(int(y)) for g, y in zip(pairs["geo"], pairs["year"], strict=True)]]
    regions = regions.merge(alive, on=["geo", "year"])
    keys = ["indicator", "parent", "period", "year", "dims", "source"]
    grp = (
        regions.groupby(keys)
        .agg(low=("value", "min"), high=("value", "max"), n=("geo", "nunique"), decimals=("decimals", "max"))
        .reset_index()
    )
    py = grp[["parent", "year"]].drop_duplicates()
    py = py.assign(n_expected=[len(geo.regions(str(p), int(y))) for p, y in zip(py["parent"], py["year"], strict=True)])
    grp = grp.merge(py, on=["parent", "year"]) if len(grp) else grp.assign(n_expected=0)
    grp = grp[grp["n"] >= grp["n_expected"]]
    country = means[means["kind"] == "country"][["indicator", "geo", "period", "dims", "source", "value", "decimals"]]
    country = country.rename(columns={"geo": "parent", "decimals": "total_decimals"})
    m = _flag(grp.merge(country, on=["indicator", "parent", "period", "dims", "source"]), data.options.parts_tolerance)
    if m.empty:
        return empty_findings()
    m["geo"] = m["parent"]
    return _describe(m, "regions_range", m["n"].astype(str) + " regions")


def _parts(data: AuditData, means: pd.DataFrame) -> pd.DataFrame:
    comps = split_dims(means)
    if comps.empty:
        return empty_findings()
    known = pd.DataFrame(
        [(p.dimension, c) for p in PARTITIONS.values() for c in p.categories], columns=["dim", "category"]
    )
    comps = comps.merge(known, on=["dim", "category"])
    if comps.empty:
        return empty_findings()
    keys = ["indicator", "geo", "period", "source", "dim", "rest"]
    grp = (
        comps.groupby(keys)
        .agg(low=("value", "min"), high=("value", "max"), n=("category", "nunique"), decimals=("decimals", "max"))
        .reset_index()
    )
    size = {p.dimension: len(p.categories) for p in PARTITIONS.values()}
    grp = grp[grp["n"] >= grp["dim"].map(size)]
    totals = means[["indicator", "geo", "period", "source", "dims", "value", "decimals"]].rename(
        columns={"dims": "rest", "decimals": "total_decimals"}
    )
    m = _flag(grp.merge(totals, on=["indicator", "geo", "period", "source", "rest"]), data.options.parts_tolerance)
    if m.empty:
        return empty_findings()
    m["dims"] = m["rest"]
    m = _describe(m, "parts_range", "categories of " + m["dim"])
    m["figures"] = [{**f, "dimension": d} for f, d in zip(m["figures"], m["dim"], strict=True)]
    return m


def check_ranges(data: AuditData) -> pd.DataFrame:
    """regions_range and parts_range findings (see the module docstring).

    Internet users (17-8-1): a total of 94.0 above both sexes (92.1 and 93.5):

    >>> import sandyq
    >>> from ._data import make_data
    >>> obs = pd.DataFrame({"indicator": "17-8-1", "geo": "KAZ", "period": "2023",
    ...                     "dims": ["", "sex=F", "sex=M"], "value": [94.0, 92.1, 93.5]})
    >>> check_ranges(make_data(obs, sandyq.load_framework()))[["rule", "severity", "expected"]].values.tolist()
    [['parts_range', 'warning', 93.5]]"""
    means = data.obs[data.obs["unit"].isin(MEAN_UNITS)]
    if means.empty:
        return empty_findings()
    out = [f for f in (_parts(data, means), _regions(data, means)) if len(f)]
    return pd.concat(out, ignore_index=True) if out else empty_findings()
