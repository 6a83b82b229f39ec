"""One key with two values: conflicting rows set aside at load, and two sources that disagree.

* **duplicate_key** (``error``): a file published the same key (indicator,
  geography, period, dims) twice with different values.  The store keeps one (as
  the load was told: ``duplicates: first`` or ``last``) and records the other as a
  load issue; the audit reports both figures.
* **source_disagreement**: the *same statistic* from two sources.  Two
  observations are the same statistic only when they share the indicator id and
  the whole key: the framework gives a statistic published by several
  sources one id (seed 000's mobile subscriptions are ``IT.CEL.SETS.P2``, its
  population ``SP.POP.TOTL``), and gives a different id to a statistic with a
  different definition (Kazakhstan's ``17-8-1``, Internet users aged 6–74, is not
  the World Bank's ``IT.NET.USER.ZS``), so those are never compared.  Figures
  that agree after rounding to the coarser printed precision are not reported
  (a printed 0 takes the precision of its series, since "0" shows no decimals:
  0.408 against 0 is a disagreement); a relative difference beyond
  ``source_tolerance`` is a ``warning``, a smaller one an ``info``.  The
  difference is relative to the larger absolute value or, when larger, a tenth of
  the series' median absolute level, so two values near zero in a series of tens
  do not "differ by 50 %".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..statistics import half_unit, round_half_up
from ._data import AuditData, empty_findings, file_name, fmt

__all__ = ["check_duplicates"]

_KEY = ["indicator", "geo", "period", "dims"]

#: Below this share of its series' median level a value is "near zero": differences are relative to that floor.
_NEAR_ZERO = 0.1

#: The precision of a 0 in a series of zeros: unknown, so the other figure's decides.
_UNKNOWN = 15


def _conflicts(data: AuditData) -> pd.DataFrame:
    issues = data.issues
    if issues.empty:
        return empty_findings()
    dup = issues[issues["kind"] == "duplicate_conflict"].copy()
    if dup.empty:
        return empty_findings()
    dup["dims"] = dup["dims"].fillna("")
    dup["_issue"] = np.arange(len(dup))
    kept = data.obs[[*_KEY, "source", "value", "decimals"]].rename(columns={"value": "kept"})
    m = dup.merge(kept, on=_KEY, how="left")
    m["_rank"] = np.where(m["source"] == m["load_source"], 0, 1)  # the load's own source first
    m = m.sort_values(["_issue", "_rank"], kind="stable").drop_duplicates("_issue")
    other = m["value"].to_numpy(dtype=float)
    k = np.maximum(m["decimals"].fillna(1).to_numpy(dtype=int), 1)
    m["rule"], m["severity"] = "duplicate_key", "error"
    m["sources"] = [(s,) if isinstance(s, str) else () for s in m["source"]]
    m["expected"], m["found"] = m["kept"], other
    m["tolerance"] = "none: one key has one value"
    where = file_name(m["file"]) + ", row " + m["row_number"].astype("Int64").astype(str)
    m["message"] = (
        "published twice with different values: "
        + fmt(m["kept"], k)
        + " (kept) and "
        + fmt(other, k)
        + " (set aside, "
        + where
        + ")"
    )
    m["figures"] = [
        {"kept": a, "set_aside": b, "file": f, "row": None if pd.isna(r) else int(r)}
        for a, b, f, r in zip(m["kept"], other, m["file"], m["row_number"], strict=True)
    ]
    m["related"] = [()] * len(m)
    return m


def _series_scale(obs: pd.DataFrame) -> pd.DataFrame:
    """Per series (indicator, geo, dims, source): the finest printed precision and the median absolute level."""
    series = ["indicator", "geo", "dims", "source"]
    g = obs.assign(_abs=obs["value"].abs()).groupby(series)
    return pd.DataFrame(
        {"series_decimals": g["decimals"].max(), "level": g["_abs"].median(), "largest": g["_abs"].max()}
    ).reset_index()


def _sources(data: AuditData) -> pd.DataFrame:
    obs = data.obs
    multi = obs[obs.duplicated(_KEY, keep=False)][[*_KEY, "source", "value", "decimals", "vintage", "unit"]]
    if multi.empty:
        return empty_findings()
    multi = multi.merge(_series_scale(obs[obs["indicator"].isin(multi["indicator"].unique())]), how="left")
    # a printed 0 has no decimals to tell its precision: it takes its series' (0 vs 0.408 is not "equal at 0 dp"),
    # or, in a series of zeros, the other source's
    zero = multi["value"] == 0
    multi.loc[zero, "decimals"] = multi.loc[zero, "series_decimals"].where(multi.loc[zero, "largest"] > 0, _UNKNOWN)
    pairs = multi.merge(multi, on=_KEY, suffixes=("_a", "_b"))
    pairs = pairs[pairs["source_a"] < pairs["source_b"]]
    a, b = pairs["value_a"].to_numpy(dtype=float), pairs["value_b"].to_numpy(dtype=float)
    dec = np.minimum(pairs["decimals_a"].to_numpy(dtype=int), pairs["decimals_b"].to_numpy(dtype=int))
    same = np.asarray(round_half_up(a, dec) == round_half_up(b, dec)) | (np.abs(a - b) <= half_unit(dec))
    # near zero a relative difference explodes: it is of the larger value, or a tenth of the series' typical level
    level = np.fmax(pairs["level_a"].to_numpy(dtype=float), pairs["level_b"].to_numpy(dtype=float))
    scale = np.fmax(np.maximum(np.abs(a), np.abs(b)), _NEAR_ZERO * level)
    rel = np.divide(np.abs(a - b), scale, out=np.zeros(len(a)), where=scale > 0)
    tol = data.options.source_tolerance
    m = pairs.assign(rel=rel)[~same]
    if m.empty:
        return empty_findings()
    r = m["rel"].to_numpy()
    m["rule"] = "source_disagreement"
    m["severity"] = np.where(r > tol, "warning", "info")
    m["sources"] = [(x, y) for x, y in zip(m["source_a"], m["source_b"], strict=True)]
    m["expected"], m["found"] = m["value_b"], m["value_a"]
    m["tolerance"] = (
        f"relative {tol:.0%} of the larger value (at least a tenth of the series' median level) "
        "(rounding to the coarser printed precision ignored)"
    )
    verdict = np.where(r > tol, f"beyond the {tol:.0%} tolerance", f"within the {tol:.0%} tolerance")
    m["message"] = (
        m["source_a"]
        + " gives "
        + fmt(m["value_a"])
        + ", "
        + m["source_b"]
        + " gives "
        + fmt(m["value_b"])
        + ": they differ by "
        + fmt(r * 100, 1)
        + " %, "
        + verdict
    )
    m["figures"] = [
        {x: va, y: vb, f"{x} vintage": str(pd.Timestamp(xa).date()), f"{y} vintage": str(pd.Timestamp(yb).date())}
        for x, va, y, vb, xa, yb in zip(
            m["source_a"], m["value_a"], m["source_b"], m["value_b"], m["vintage_a"], m["vintage_b"], strict=True
        )
    ]
    m["related"] = [()] * len(m)
    return m


def check_duplicates(data: AuditData) -> pd.DataFrame:
    """duplicate_key and source_disagreement findings (see the module docstring).

    >>> import sandyq
    >>> from ._data import make_data
    >>> obs = pd.DataFrame({"indicator": "SP.POP.TOTL", "geo": "KAZ", "period": "2010",
    ...                     "value": [16310624.0, 16836800.0], "source": ["seed-000", "wdi"]})
    >>> check_duplicates(make_data(obs, sandyq.load_framework()))["message"].tolist()
    ['seed-000 gives 16310624, wdi gives 16836800: they differ by 3.1 %, beyond the 2% tolerance']"""
    out = [f for f in (_conflicts(data), _sources(data)) if len(f)]
    return pd.concat(out, ignore_index=True) if out else empty_findings()
