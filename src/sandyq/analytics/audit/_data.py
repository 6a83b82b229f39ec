"""What the audit reads: every observation in force, with the metadata the rules need, and its options.

All rules work on one frame, read once: every indicator, geography, period,
disaggregation and source in force (as of a date), with columns added for the
unit, the unit's bounds, the indicator's periodicity, the kind and parent of the
geography and the number of decimals each figure was printed with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from ...framework import UNITS, Framework, as_of_bound
from ...store import Store
from ..statistics import shown_decimals
from ._finding import FINDING_COLUMNS

__all__ = ["AuditData", "AuditOptions", "empty_findings", "file_name", "fmt", "make_data", "read_data"]


@dataclass(frozen=True)
class AuditOptions:
    """The tolerances of the audit (each finding says which one it used).

    * ``source_tolerance``: relative difference (of the larger value) beyond which the
      same statistic from two sources disagrees (default 2 %).
    * ``parts_tolerance``: relative gap between parts and their total beyond which a
      gap that rounding cannot explain becomes a warning (parts short of the total)
      or an error (parts above it); below it, an info.
    * ``jump_threshold``: a change is a jump when it lies more than this many robust
      scales from the series' median change; ``jump_warning`` makes it a warning.
    * ``jump_min_points``: only series with at least this many values are tested.
    * ``jump_level_floor``: the robust scale is at least this share of the series'
      median level, so a series that hardly moves does not make every move a jump.
    * ``jump_range_share``: a jump covering at least this share of a bounded unit's
      range (25 points of a percentage) is a warning whatever its number of scales.

    >>> AuditOptions().source_tolerance
    0.02
    """

    source_tolerance: float = 0.02
    parts_tolerance: float = 0.01
    jump_threshold: float = 5.0
    jump_warning: float = 20.0
    jump_min_points: int = 6
    jump_level_floor: float = 0.02
    jump_range_share: float = 0.25


@dataclass
class AuditData:
    """The observations in force (all dims and sources) with metadata, the load issues, and the framework."""

    obs: pd.DataFrame
    issues: pd.DataFrame
    framework: Framework
    options: AuditOptions


def read_data(
    store: Store,
    framework: Framework,
    options: AuditOptions,
    as_of: date | datetime | str | None = None,
    indicators: list[str] | None = None,
) -> AuditData:
    """Read every observation in force ``as_of`` a date (of ``indicators`` only, if given) and add the columns
    the rules use."""
    obs = store.observations(indicators, as_of=as_of)
    obs = obs[obs["source"] != "derived"].reset_index(drop=True)
    issues = store.load_issues()
    if indicators is not None:
        issues = issues[issues["indicator"].isin(indicators)]
    loads = store.loads()
    if len(issues) and len(loads):
        loads = loads[["id", "source", "vintage"]].rename(
            columns={"id": "load_id", "source": "load_source", "vintage": "load_vintage"}
        )
        issues = issues.merge(loads, on="load_id", how="left")
        bound = as_of_bound(as_of)
        if bound is not None:
            issues = issues[issues["load_vintage"] <= pd.Timestamp(bound)]
    else:
        issues = issues.assign(load_source=pd.Series(dtype=object), load_vintage=pd.Series(dtype="datetime64[ns]"))
    return AuditData(enrich(obs, framework), issues.reset_index(drop=True), framework, options)


def make_data(
    obs: pd.DataFrame, framework: Framework, options: AuditOptions | None = None, issues: pd.DataFrame | None = None
) -> AuditData:
    """Audit data from a plain frame of observations (``indicator, geo, period, value`` at least).

    Missing columns get defaults: ``dims`` total, ``source`` the indicator's own, ``unit`` the
    indicator's, ``status`` blank, ``vintage`` 2000-01-01.  Useful for trying a rule on a few figures.

    >>> import sandyq
    >>> d = make_data(pd.DataFrame({"indicator": "17-8-1", "geo": "KAZ", "period": ["2022", "2023"],
    ...                             "value": [94.0, 94.7]}), sandyq.load_framework())
    >>> d.obs[["unit", "source", "kind"]].iloc[0].tolist(), d.obs["decimals"].tolist()
    (['PT', 'kz-sdg', 'country'], [0, 1])
    """
    out = obs.copy()
    inds = framework.indicators
    defaults = {
        "dims": "",
        "status": None,
        "note": None,
        "vintage": pd.Timestamp("2000-01-01"),
        "source": out["indicator"].map(lambda i: inds[i].source if i in inds else ""),
        "unit": out["indicator"].map(lambda i: inds[i].unit if i in inds else ""),
        "year": out["period"].astype(str).str[:4].astype(int),
    }
    for col, value in defaults.items():
        if col not in out.columns:
            out[col] = value
    columns = [
        "kind",
        "load_id",
        "file",
        "row_number",
        "column_name",
        "message",
        "indicator",
        "geo",
        "period",
        "dims",
        "value",
        "load_source",
        "load_vintage",
    ]
    return AuditData(
        enrich(out, framework),
        issues if issues is not None else pd.DataFrame(columns=columns),
        framework,
        options or AuditOptions(),
    )


def enrich(obs: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Add ``periodicity``, ``unit_min``, ``unit_max``, ``integer``, ``kind``, ``parent``, ``decimals``, ``annual``."""
    out = obs.copy()
    meta = pd.DataFrame(
        [(i, ind.periodicity, ind.unit) for i, ind in framework.indicators.items()],
        columns=["indicator", "periodicity", "declared_unit"],
    )
    out = out.merge(meta, on="indicator", how="left")
    units = pd.DataFrame(
        [(u.code, u.minimum, u.maximum, u.integer) for u in UNITS.values()],
        columns=["unit", "unit_min", "unit_max", "integer"],
    )
    out = out.merge(units, on="unit", how="left")
    geo = framework.geography
    codes = pd.Series(out["geo"].unique(), dtype=object)
    units_by_code = [geo.get(c) if geo.resolve(c) is not None else None for c in codes]  # one per distinct geo
    geos = pd.DataFrame(
        {
            "geo": codes,
            "kind": [u.kind if u is not None else None for u in units_by_code],
            "parent": [u.parent if u is not None else None for u in units_by_code],
        }
    )
    out = out.merge(geos, on="geo", how="left")
    out["decimals"] = shown_decimals(out["value"].to_numpy(dtype=float))
    out["annual"] = out["period"].astype(str).str.len() == 4
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    return out


def empty_findings() -> pd.DataFrame:
    """A findings frame with no rows."""
    return pd.DataFrame(columns=list(FINDING_COLUMNS))


def fmt(values: pd.Series | np.ndarray, decimals: pd.Series | np.ndarray | int | None = None) -> np.ndarray:
    """Numbers as text for messages: with ``decimals`` places, else as stored (at most 4 decimals).

    >>> fmt(np.array([120.6612, 109.8]), 1).tolist()
    ['120.7', '109.8']
    >>> fmt(np.array([349943.6, 16310624.0, 120.663510])).tolist()
    ['349943.6', '16310624', '120.6635']
    """
    x = np.asarray(values, dtype=float)
    if decimals is None:
        d = np.minimum(shown_decimals(x), 4)
    else:
        d = np.broadcast_to(np.asarray(decimals, dtype=int), x.shape)
    return np.array([f"{v:.{int(k)}f}" if np.isfinite(v) else "n/a" for v, k in zip(x, d, strict=True)], dtype=object)


def file_name(files: pd.Series) -> pd.Series:
    """The last part of each recorded file path (the full path stays in the finding's figures).

    >>> file_name(pd.Series(["/x/data/kz-sdg-ict/raw/indicator_9-c-1.csv", None])).tolist()
    ['indicator_9-c-1.csv', '']
    """
    return files.fillna("").astype(str).str.replace(r"^.*[\\/]", "", regex=True)
