"""SDMX REST data queries (v1 paths, v2 vintage parameters) read and answered from the store.

A query names a dataflow (``DF_ALL``, ``SANDYQ,DF_ALL`` or ``SANDYQ,DF_ALL,1.0``),
a key (``all``, or one part per dimension joined by ``.``, each empty for any
code or several codes joined by ``+``), a period range (``startPeriod`` and
``endPeriod``: a year takes in its quarters and months) and sandyq's vintages:

* ``asOf``: the figures as published at that moment (the newest vintage of each key at or before it);
* ``updatedAfter``: only the figures in force whose vintage is after that moment;
* ``includeHistory``: every vintage of every figure, not only the one in force.

``firstNObservations`` and ``lastNObservations`` keep, in each series, the
observations of its first or last N periods (both: the first N and the last N).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from ...errors import InvalidValueError, NotFoundError
from ...framework import as_of_bound, parse_dims
from ...store import Store, pick_source
from ._catalog import AGENCY, ATTRIBUTES, TOTAL, VERSION, Catalog, Flow, sdmx_id

__all__ = ["DETAILS", "DataQuery", "first_last", "parse_count", "parse_flow", "parse_key", "select"]

#: Values of ``detail`` a data query takes.
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")
_COLUMNS = ["indicator", "geo", "period", "dims", "value", "unit", "status", "source", "vintage", "note"]


@dataclass
class DataQuery:
    """One data query: flow, key, periods, vintages and the shape of the answer."""

    flow: Flow
    key: dict[str, list[str]] = field(default_factory=dict)  # dimension id -> codes (absent: any)
    start: str | None = None
    end: str | None = None
    as_of: str | None = None
    updated_after: datetime | None = None
    include_history: bool = False
    dimension_at_observation: str = "TIME_PERIOD"
    detail: str = "full"
    first_n: int | None = None
    last_n: int | None = None


def parse_flow(cat: Catalog, text: str) -> Flow:
    """The dataflow ``text`` names (``ID``, ``AGENCY,ID`` or ``AGENCY,ID,VERSION``); unknown: NotFoundError."""
    parts = text.split(",")
    if len(parts) > 3 or not all(parts):
        raise InvalidValueError(f"bad dataflow reference {text!r}: use ID, AGENCY,ID or AGENCY,ID,VERSION")
    agency, fid, version = ([AGENCY, *parts] if len(parts) == 1 else parts) + ([] if len(parts) == 3 else ["latest"])
    if agency not in (AGENCY, "all") or version not in (VERSION, "latest", "all", "+", "~") or fid not in cat.flows:
        raise NotFoundError(f"no dataflow {text!r}")
    return cat.flows[fid]


def parse_key(cat: Catalog, text: str) -> dict[str, list[str]]:
    """The codes asked for each dimension of the series key ``text`` (``all``: none asked)."""
    if text in ("", "all", "ALL"):
        return {}
    parts = text.split(".")
    dims = cat.dimension_ids
    if len(parts) != len(dims):
        raise InvalidValueError(
            f"the key {text!r} has {len(parts)} parts; this data structure has {len(dims)} dimensions "
            f"({'.'.join(dims)})"
        )
    return {d: p.split("+") for d, p in zip(dims, parts, strict=True) if p}


def _bound(text: str | None, name: str) -> datetime | None:
    try:
        return as_of_bound(text)
    except InvalidValueError as exc:
        raise InvalidValueError(f"bad {name}: {exc.summary}") from None


def _rows(store: Store, q: DataQuery, indicators: list[str] | None, geos: list[str] | None) -> pd.DataFrame:
    """The stored rows the query can need (every disaggregation): in force as of ``asOf``, or every vintage."""
    start = int(q.start[:4]) if q.start else None
    end = int(q.end[:4]) if q.end else None
    if not q.include_history:
        frame = store.observations(indicators, geos, source=q.flow.source, as_of=q.as_of, start=start, end=end)
        return frame[_COLUMNS]
    where: list[str] = ["TRUE"]
    params: list[Any] = []
    for col, vals in (("indicator", indicators), ("geo", geos), ("source", [q.flow.source] if q.flow.source else None)):
        if vals is not None:
            where.append(f"{col} IN ({', '.join('?' * len(vals))})")
            params.extend(vals)
    bound = _bound(q.as_of, "asOf")
    if bound is not None:
        where.append("vintage <= ?")
        params.append(bound)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM observation WHERE {' AND '.join(where)}"
    return store.con.execute(sql, params).df()


def _dims_table(cat: Catalog, keys: pd.Series) -> pd.DataFrame:
    """One column per disaggregation dimension (SDMX codes, ``_T`` = total), aligned with ``keys``."""
    uniq = keys.unique()
    parsed = [parse_dims(k) for k in uniq]
    table = pd.DataFrame(
        {d.upper(): [sdmx_id(p[d]) if d in p else TOTAL for p in parsed] for d in cat.dims}, index=uniq
    )
    return table.reindex(keys.to_numpy()).set_axis(keys.index)


def select(store: Store, cat: Catalog, q: DataQuery) -> pd.DataFrame:
    """The observations answering ``q``: a column per dimension, ``TIME_PERIOD``, ``OBS_VALUE``, attributes, vintage.

    Raises :class:`~sandyq.errors.NotFoundError` when nothing matches (SDMX: "No results found").
    """
    asked = q.key.get("INDICATOR")
    indicators = None if asked is None else [cat.indicator_ids[c] for c in asked if c in cat.indicator_ids]
    if q.flow.indicators is not None:
        indicators = [
            i for i in (indicators if indicators is not None else q.flow.indicators) if i in q.flow.indicators
        ]
    if indicators is not None and not indicators:
        raise NotFoundError("No results found: no indicator of the key is in the dataflow")
    updated = _bound(q.updated_after, "updatedAfter") if isinstance(q.updated_after, str) else q.updated_after
    frame = _rows(store, q, indicators, q.key.get("REF_AREA"))
    if q.start:
        frame = frame[frame["period"] >= q.start]
    if q.end:
        frame = frame[frame["period"] <= q.end + "~"]
    if updated is not None:
        frame = frame[frame["vintage"] > updated]
    dims = _dims_table(cat, frame["dims"])
    for d in cat.dims:
        wanted = q.key.get(d.upper())
        if wanted is not None:
            keep = dims[d.upper()].isin(wanted)
            frame, dims = frame[keep], dims[keep]
    if q.flow.picks_source and not frame.empty:
        declared = {i: ind.source for i, ind in cat.framework.indicators.items()}
        frame = pick_source(frame, [declared])
        dims = dims.loc[frame.index]
    if frame.empty:
        raise NotFoundError("No results found")
    return _sdmx_frame(frame, dims)


def _sdmx_frame(frame: pd.DataFrame, dims: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, Any] = {
        "INDICATOR": frame["indicator"].map(sdmx_id),
        "REF_AREA": frame["geo"],
        **{c: dims[c] for c in dims.columns},
        "TIME_PERIOD": frame["period"],
        "OBS_VALUE": frame["value"].astype(float),
    }
    for attr, col in ATTRIBUTES.items():
        values = [None if v is None or v != v or v == "" else str(v) for v in frame[col].tolist()]
        out[attr] = pd.Series([sdmx_id(v) if attr == "SOURCE" and v else v for v in values], index=frame.index)
    out["VINTAGE"] = pd.to_datetime(frame["vintage"])
    table = pd.DataFrame(
        {c: (v if c in ("OBS_VALUE", "VINTAGE") else v.to_numpy(dtype=object)) for c, v in out.items()}
    )
    return table.sort_values([*table.columns[: -len(ATTRIBUTES) - 2], "VINTAGE"], kind="stable").reset_index(drop=True)


def parse_count(text: str | None, name: str) -> int | None:
    """The N of ``firstNObservations``/``lastNObservations`` (a positive integer); anything else: 400.

    >>> parse_count("3", "lastNObservations"), parse_count(None, "lastNObservations")
    (3, None)
    """
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise InvalidValueError(f"{name}={text!r}: use a positive whole number")
    return int(text)


def first_last(frame: pd.DataFrame, first_n: int | None, last_n: int | None) -> pd.DataFrame:
    """Of each series (the dimensions but ``TIME_PERIOD``), the observations of its first ``first_n`` and last
    ``last_n`` periods (every vintage of a kept period stays, for ``includeHistory``); neither: ``frame``.

    >>> f = pd.DataFrame({"INDICATOR": ["A"] * 4 + ["B"], "TIME_PERIOD": ["2019", "2020", "2021", "2021", "2020"],
    ...                   "OBS_VALUE": [1.0, 2.0, 3.0, 3.5, 9.0]})
    >>> first_last(f, None, 1)["OBS_VALUE"].tolist(), first_last(f, 1, 1)["OBS_VALUE"].tolist()
    ([3.0, 3.5, 9.0], [1.0, 3.0, 3.5, 9.0])
    """
    if (first_n is None and last_n is None) or frame.empty:
        return frame
    end = list(frame.columns).index("TIME_PERIOD")
    series = list(frame.columns[:end])
    grouped = frame.groupby(series, sort=False, dropna=False)["TIME_PERIOD"]
    keep = pd.Series(False, index=frame.index)
    if first_n is not None:
        keep |= grouped.rank(method="dense", ascending=True) <= first_n
    if last_n is not None:
        keep |= grouped.rank(method="dense", ascending=False) <= last_n
    return frame[keep].reset_index(drop=True)
