"""Observation queries of the API: parameters checked once, rows picked from precomputed tables, pages cut.

An answer to ``/api/observations`` is assembled, not computed: for each
indicator and language :func:`row_table` keeps (in the dashboard's cache) the
observations with names added, the arrays the filters look at, and each row
already encoded as JSON.  A query picks row numbers with NumPy and joins the
encoded rows, so a question never asked before costs a fraction of a
millisecond plus the size of the answer.  Questions about a past date
(``as_of``) read the store instead.

Every list parameter is de-duplicated and holds at most :data:`MAX_LIST`
values; an answer holds at most ``limit`` rows (:data:`DEFAULT_LIMIT`, at most
:data:`MAX_LIMIT`), with the total and a ``next`` link to the following page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from ...analytics.results import json_safe
from ...errors import InvalidValueError, NotFoundError, Problem, SandyqError, UsageError
from ...store import DERIVED_SOURCE
from ._data import Dashboard
from ._files import json_bytes, observations_frame

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "BLANKS",
    "MAX_LIST",
    "QUICK_ROWS",
    "ObservationQuery",
    "Page",
    "RowTable",
    "encode_rows",
    "id_list",
    "known_sources",
    "named_frame",
    "next_link",
    "page_json",
    "ready",
    "row_table",
    "select",
    "warm_rows",
]

#: What is stripped around an id (the characters the OpenAPI pattern of an id excludes).
BLANKS = " \t\r\n"
#: At most this many distinct values in one list parameter (indicator, geo).
MAX_LIST = 100
#: Rows in one answer unless ``limit`` says otherwise, and the most ``limit`` may ask for.
DEFAULT_LIMIT = 10_000
MAX_LIMIT = 100_000
#: A page of at most this many rows of precomputed tables is assembled on the event loop (see :func:`ready`).
QUICK_ROWS = 20_000


def id_list(values: Sequence[str] | None, name: str) -> list[str] | None:
    """Values given repeated or comma-separated, stripped and de-duplicated (first order kept).

    >>> id_list(["a,b", "a", " c "], "geo")
    ['a', 'b', 'c']
    >>> id_list(None, "geo") is None
    True
    """
    if not values:
        return None
    out = list(dict.fromkeys(v.strip(BLANKS) for value in values for v in value.split(",") if v.strip(BLANKS)))
    if len(out) > MAX_LIST:
        raise InvalidValueError(
            f"too many values of {name!r}: {len(out)} distinct, at most {MAX_LIST} per request",
            [Problem("", f"ask for at most {MAX_LIST} values of {name!r} at a time", column=name)],
        )
    return out or None


@dataclass(frozen=True)
class ObservationQuery:
    """A checked observation query: known indicators, canonical geographies, period bounds, one page."""

    indicators: tuple[str, ...]
    geos: tuple[str, ...] | None
    start: str | None
    end: str | None
    dims: str | None
    as_of: str | None
    source: str | None
    language: str
    limit: int
    offset: int

    @classmethod
    def check(
        cls,
        dash: Dashboard,
        indicators: Sequence[str] | None,
        geos: Sequence[str] | None,
        *,
        start: str | None = None,
        end: str | None = None,
        dims: str | None = "",
        as_of: str | None = None,
        source: str | None = None,
        language: str = "en",
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> ObservationQuery:
        """The query, or the error that names the parameter (400) or the unknown id (404)."""
        ids = id_list(indicators, "indicator")
        if not ids:
            raise UsageError("name at least one indicator", [Problem("", "add ?indicator=ID", column="indicator")])
        for i in ids:
            dash.indicator(i)
        places = id_list(geos, "geo")
        canon = tuple(dict.fromkeys(dash.monitor._geo(g) for g in places)) if places else None
        if source is not None and source not in known_sources(dash):
            raise NotFoundError(
                f"unknown source {source!r}",
                [Problem("", "use a source id listed by /api/indicators (column 'source')", column="source")],
            )
        lo, hi, day = dash.check_filters(start, end, as_of)
        return cls(tuple(ids), canon, lo, hi, dims, day, source, language, limit, offset)


def known_sources(dash: Dashboard) -> set[str]:
    """Source ids a filter may name: the framework's, those in the store, and ``derived``."""

    def compute() -> set[str]:
        rows = dash.sql("SELECT DISTINCT source FROM observation")
        return {*dash.framework.sources, *(str(r[0]) for r in rows), DERIVED_SOURCE}

    return dash.cached("known_sources", compute)


@dataclass(frozen=True)
class RowTable:
    """One indicator's observations in one language: the arrays the filters look at, and each row as JSON."""

    by_geo: dict[str, np.ndarray]
    period: np.ndarray
    dims: np.ndarray
    source: np.ndarray
    json: list[bytes]


def _encoded(column: pd.Series) -> list[str]:
    """Each value of ``column`` as :func:`~._files.json_bytes` writes it (NaN and missing as ``null``)."""
    if pd.api.types.is_float_dtype(column.dtype):
        return [repr(v) if math.isfinite(v) else "null" for v in column.to_numpy(dtype=float).tolist()]
    seen: dict[Any, str] = {}
    out = []
    for v in column.tolist():
        text = seen.get(v) if isinstance(v, Hashable) else None
        if text is None:
            text = json.dumps(json_safe(v), ensure_ascii=False, separators=(",", ":"))
            if isinstance(v, Hashable):
                seen[v] = text
        out.append(text)
    return out


def encode_rows(frame: pd.DataFrame) -> list[bytes]:
    """Each row of ``frame`` as the JSON object :func:`~._files.json_bytes` writes for it (same bytes, faster).

    >>> encode_rows(pd.DataFrame({"geo": ["KAZ", "KZ-71"], "value": [94.7, float("nan")]}))
    [b'{"geo":"KAZ","value":94.7}', b'{"geo":"KZ-71","value":null}']
    """
    keys = [
        ("{" if i == 0 else ",") + json.dumps(str(c), ensure_ascii=False) + ":" for i, c in enumerate(frame.columns)
    ]
    columns = [_encoded(frame[c]) for c in frame.columns]
    return [
        ("".join(k + v for k, v in zip(keys, row, strict=True)) + "}").encode() for row in zip(*columns, strict=True)
    ]


def named_frame(dash: Dashboard, indicator_id: str, language: str) -> pd.DataFrame:
    """An indicator's observations with names (:func:`~._files.observations_frame`), cached per language."""
    return dash.cached(
        ("named", indicator_id, language),
        lambda: observations_frame(dash, dash.indicator_data(indicator_id), language).reset_index(drop=True),
    )


def row_table(dash: Dashboard, indicator_id: str, language: str) -> RowTable:
    """The :class:`RowTable` of an indicator (cached per language)."""

    def compute() -> RowTable:
        frame = observations_frame(dash, dash.indicator_data(indicator_id), language).reset_index(drop=True)
        geo = frame["geo"].astype(str).to_numpy()
        by_geo = {str(g): np.flatnonzero(geo == g) for g in pd.unique(geo)}
        return RowTable(
            by_geo,
            frame["period"].astype(str).to_numpy(dtype=str),
            frame["dims"].astype(str).to_numpy(dtype=str),
            frame["source"].astype(str).to_numpy(dtype=str),
            encode_rows(frame),
        )

    return dash.cached(("rows", indicator_id, language), compute)


def warm_rows(dash: Dashboard, language: str) -> None:
    """Build the :class:`RowTable` of every indicator with data in ``language`` (so no query waits for one)."""
    table = dash.indicator_table(language)
    for indicator_id in table.loc[table["observations"] > 0, "id"]:
        row_table(dash, str(indicator_id), language)


def ready(dash: Dashboard, indicators: Sequence[str], language: str, source: str | None = None) -> bool:
    """Whether a query on ``indicators`` needs only what is computed already (rows, sources): then it is quick.

    A query this says yes to costs well under a millisecond per thousand rows, so
    the API answers it on the event loop; anything else goes to a worker thread.
    """
    try:
        ids = id_list(indicators, "indicator")
    except SandyqError:  # the query itself says what is wrong
        return False
    if not ids or (source is not None and ("value", "known_sources") not in dash.cache):
        return False
    return all(("value", ("rows", i, language)) in dash.cache for i in ids)


def _pick(table: RowTable, q: ObservationQuery) -> np.ndarray:
    """Row numbers of ``table`` that pass the query's filters, in the table's order."""
    if q.geos is None:
        idx = np.arange(len(table.json))
    else:
        parts = [table.by_geo[g] for g in q.geos if g in table.by_geo]
        idx = np.sort(np.concatenate(parts)) if parts else np.arange(0)
    if len(idx) == 0:
        return idx
    keep = np.ones(len(idx), dtype=bool)
    if q.dims is not None:
        keep &= table.dims[idx] == q.dims
    if q.source is not None:
        keep &= table.source[idx] == q.source
    if q.start is not None:
        keep &= table.period[idx] >= q.start
    if q.end is not None:
        keep &= table.period[idx] <= q.end + "~"
    return idx[keep]


@dataclass(frozen=True)
class Page:
    """One page of an answer: its rows, how many there are in all, and the query string of the next page."""

    total: int
    frame: pd.DataFrame | None  # for CSV
    rows: list[bytes] | None  # for JSON
    next_offset: int | None


def select(dash: Dashboard, q: ObservationQuery, *, as_json: bool) -> Page:
    """The page of observations ``q`` asks for, as encoded JSON rows or as a table."""
    end = q.offset + q.limit
    if q.as_of is not None:
        frame = dash.observations(
            list(q.indicators),
            list(q.geos) if q.geos else None,
            start=q.start,
            end=q.end,
            dims=q.dims,
            as_of=q.as_of,
            source=q.source,
        )
        total = len(frame)
        part = observations_frame(dash, frame.iloc[q.offset : end], q.language).reset_index(drop=True)
        rows = encode_rows(part)
        return Page(total, None if as_json else part, rows if as_json else None, end if end < total else None)
    picks = [(table, _pick(table, q)) for table in (row_table(dash, i, q.language) for i in q.indicators)]
    total = sum(len(idx) for _, idx in picks)
    chosen: list[tuple[RowTable, np.ndarray]] = []
    seen = 0
    for table, idx in picks:  # the page's slice of the indicators' rows, one after the other
        lo, hi = max(q.offset - seen, 0), min(end - seen, len(idx))
        if lo < hi:
            chosen.append((table, idx[lo:hi]))
        seen += len(idx)
    next_offset = end if end < total else None
    if as_json:
        return Page(total, None, [t.json[i] for t, idx in chosen for i in idx], next_offset)
    frames = [named_frame(dash, i, q.language).take(idx) for i, (_, idx) in zip(q.indicators, picks, strict=True)]
    frame = pd.concat(frames, ignore_index=True).iloc[q.offset : end].reset_index(drop=True)
    return Page(total, frame, None, next_offset)


def next_link(path: str, params: Sequence[tuple[str, str]], offset: int | None) -> str | None:
    """The link to the page at ``offset`` (path and query, the other parameters as given), or None.

    >>> next_link("/api/observations", [("indicator", "a"), ("offset", "0")], 10)
    '/api/observations?indicator=a&offset=10'
    """
    if offset is None:
        return None
    kept = [(k, v) for k, v in params if k != "offset"]
    return f"{path}?{urlencode([*kept, ('offset', str(offset))])}"


def page_json(page: Page, q: ObservationQuery, next_url: str | None) -> bytes:
    """The JSON answer: ``count`` (rows here), ``total``, ``offset``, ``limit``, ``next``, ``as_of``, rows."""
    assert page.rows is not None
    head = json_bytes(
        {
            "count": len(page.rows),
            "total": page.total,
            "offset": q.offset,
            "limit": q.limit,
            "next": next_url,
            "as_of": q.as_of,
        }
    )
    return head[:-1] + b',"observations":[' + b",".join(page.rows) + b"]}"
