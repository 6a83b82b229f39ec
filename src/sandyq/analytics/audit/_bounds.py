"""Values outside what their unit allows: in the store, or set aside when they were loaded.

The bounds are those of the unit code list (:data:`sandyq.framework.UNITS`): a
percentage between 0 and 100, a count not negative, a rank a whole number from 1.
Importers refuse such values or set them aside (``out_of_range: set_aside``),
recording a load issue; the audit reports both what the store holds (a store
filled by other means can hold anything) and what was set aside, because a
value the source published is a fact about the source even when it is
impossible.  All are ``error``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...framework import UNITS
from ._data import AuditData, empty_findings, file_name, fmt

__all__ = ["check_bounds"]


def _bounds_text(units: pd.Series) -> pd.Series:
    text = {code: u.bounds_text() + (" (whole numbers)" if u.integer else "") for code, u in UNITS.items()}
    return units.map(text).fillna("unknown unit")


def _stored(data: AuditData) -> pd.DataFrame:
    obs = data.obs
    v = obs["value"].to_numpy(dtype=float)
    lo = obs["unit_min"].to_numpy(dtype=float, na_value=np.nan)
    hi = obs["unit_max"].to_numpy(dtype=float, na_value=np.nan)
    below = np.isfinite(lo) & (v < lo)
    above = np.isfinite(hi) & (v > hi)
    fraction = obs["integer"].fillna(False).to_numpy(dtype=bool) & (np.round(v) != v)
    bad = obs[below | above | fraction].copy()
    if bad.empty:
        return empty_findings()
    bad["rule"], bad["severity"] = "out_of_bounds", "error"
    bad["sources"] = bad["source"].map(lambda s: (s,))
    bad["expected"], bad["found"] = np.nan, bad["value"]
    bad["tolerance"] = "unit " + bad["unit"] + " allows " + _bounds_text(bad["unit"])
    bad["message"] = (
        "stored value "
        + fmt(bad["value"])
        + " is outside what unit "
        + bad["unit"]
        + " allows "
        + _bounds_text(bad["unit"])
    )
    bad["figures"] = [{"value": v} for v in bad["value"]]
    bad["related"] = [()] * len(bad)
    return bad


def _set_aside(data: AuditData) -> pd.DataFrame:
    issues = data.issues
    if issues.empty:
        return empty_findings()
    bad = issues[issues["kind"] == "out_of_range"].copy()
    if bad.empty:
        return empty_findings()
    bad["dims"] = bad["dims"].fillna("")
    units = pd.Series({i: ind.unit for i, ind in data.framework.indicators.items()}, dtype=object)
    bad["unit"] = bad["indicator"].map(units).fillna("")
    bad["rule"], bad["severity"] = "out_of_bounds", "error"
    bad["sources"] = [(s,) if isinstance(s, str) else () for s in bad["load_source"]]
    bad["expected"], bad["found"] = np.nan, bad["value"]
    bad["tolerance"] = "unit " + bad["unit"] + " allows " + _bounds_text(bad["unit"])
    row = bad["row_number"].astype("Int64").astype(str)
    bad["message"] = (
        "published value "
        + fmt(bad["value"], 1)
        + " is outside what unit "
        + bad["unit"]
        + " allows "
        + _bounds_text(bad["unit"])
        + "; set aside at load, not in the store ("
        + file_name(bad["file"])
        + ", row "
        + row
        + ")"
    )
    bad["figures"] = [
        {"value": v, "file": f, "row": None if pd.isna(r) else int(r), "stored": False}
        for v, f, r in zip(bad["value"], bad["file"], bad["row_number"], strict=True)
    ]
    bad["related"] = [()] * len(bad)
    return bad


def check_bounds(data: AuditData) -> pd.DataFrame:
    """out_of_bounds findings for stored and set-aside values (see the module docstring).

    >>> import sandyq
    >>> from ._data import make_data
    >>> obs = pd.DataFrame({"indicator": "17-8-1", "geo": "KAZ", "period": "2023", "value": [104.0]})
    >>> check_bounds(make_data(obs, sandyq.load_framework()))["message"].tolist()
    ['stored value 104 is outside what unit PT allows [0, 100]']"""
    out = [f for f in (_stored(data), _set_aside(data)) if len(f)]
    return pd.concat(out, ignore_index=True) if out else empty_findings()
