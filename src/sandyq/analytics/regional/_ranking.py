"""Ranking of units, peer groups, and nearest peers of one unit.

Ranks are recomputed each year among the units that exist and have a value.
When the set of units changes between two years (a region created, split, or
without data) a rank change is partly an artefact of that, and the row says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...errors import ComputationError, InvalidValueError
from ..results import json_safe
from ._dispersion import prepare
from ._territory import BoundaryNote, Existence, Territory

__all__ = ["Peers", "peer_groups", "peers", "peers_many", "rank"]


def rank(
    data: pd.DataFrame,
    *,
    polarity: Literal["higher", "lower"] = "higher",
    geography: Any | None = None,
    existence: Existence | None = None,
    boundary_note: BoundaryNote | None = None,
) -> pd.DataFrame:
    """Rank units within each year (1 = best: highest value, or lowest with ``polarity="lower"``).

    Columns: ``geo, year, value, rank`` (ties share the best rank), ``n``,
    ``position`` (1 best … 0 worst, comparable across years with different n),
    ``previous_year, previous_rank, rank_change`` (positive = moved up) and ``note``.

    >>> d = pd.DataFrame({"geo": ["A", "B", "A", "B", "C"], "year": [2017, 2017, 2018, 2018, 2018],
    ...                   "value": [1.0, 2.0, 3.0, 2.0, 5.0]})
    >>> r = rank(d)
    >>> r[["geo", "rank", "rank_change"]].to_dict("list")
    {'geo': ['B', 'A', 'C', 'A', 'B'], 'rank': [1, 2, 1, 2, 3], 'rank_change': [None, None, None, 0, -2]}
    >>> r["note"].iloc[-1]
    'units differ between 2017 and 2018 (n 2 → 3): the rank change partly reflects that'
    """
    if polarity not in ("higher", "lower"):
        raise InvalidValueError(f"polarity must be 'higher' or 'lower' to rank, got {polarity!r}")
    territory = Territory(geography, existence=existence, boundary_note=boundary_note)
    rows, _ = prepare(data, territory)
    g = rows.groupby("year")["value"]
    rows["rank"] = g.rank(ascending=polarity == "lower", method="min").astype(int)
    rows["n"] = g.transform("count").astype(int)
    rows["position"] = np.where(rows["n"] > 1, (rows["n"] - rows["rank"]) / (rows["n"] - 1).clip(lower=1), 1.0)
    rows = rows.sort_values(["geo", "year"], kind="stable")
    prev = rows.groupby("geo")[["year", "rank"]].shift()
    rows["previous_year"] = prev["year"].astype("Int64")
    rows["previous_rank"] = prev["rank"].astype("Int64")
    rows["rank_change"] = rows["previous_rank"] - rows["rank"]
    sets = rows.groupby("year")["geo"].agg(frozenset)
    counts = rows.groupby("year")["geo"].count()
    notes = np.full(len(rows), "", dtype=object)
    has_prev = rows["previous_year"].notna().to_numpy()
    for (py, y), idx in rows[has_prev].groupby(["previous_year", "year"]).groups.items():  # loops over year pairs
        pos = rows.index.get_indexer(idx)
        if sets[py] != sets[y]:
            notes[pos] = (
                f"units differ between {py} and {y} (n {counts[py]} → {counts[y]}): "
                "the rank change partly reflects that"
            )
        for p, geo in zip(pos, rows.loc[idx, "geo"], strict=True):
            boundary = territory.note(geo, int(py), int(y))
            if boundary:
                notes[p] = "; ".join(filter(None, [notes[p], boundary]))
    rows["note"] = notes.astype(str)
    return rows.sort_values(["year", "rank", "geo"], kind="stable").reset_index(drop=True)


def peer_groups(
    data: pd.DataFrame,
    groups: int = 3,
    *,
    geography: Any | None = None,
    existence: Existence | None = None,
    boundary_note: BoundaryNote | None = None,
) -> pd.DataFrame:
    """Split units into ``groups`` equal-sized groups by value each year (1 = lowest values).

    Adds ``group``, ``group_min`` and ``group_max`` (the range of values in the group).

    >>> d = pd.DataFrame({"geo": list("ABCDEF"), "year": 2020, "value": [6.0, 1.0, 5.0, 2.0, 4.0, 3.0]})
    >>> peer_groups(d, 3).sort_values("geo")["group"].tolist()
    [3, 1, 3, 1, 2, 2]
    """
    if groups < 1:
        raise InvalidValueError(f"groups must be at least 1, got {groups}")
    territory = Territory(geography, existence=existence, boundary_note=boundary_note)
    rows, _ = prepare(data, territory)
    g = rows.groupby("year")["value"]
    order = g.rank(method="first")
    n = g.transform("count")
    rows["group"] = np.ceil(order * groups / n).astype(int)
    by = rows.groupby(["year", "group"])["value"]
    rows["group_min"] = by.transform("min")
    rows["group_max"] = by.transform("max")
    return rows.sort_values(["year", "group", "value"], kind="stable").reset_index(drop=True)


@dataclass
class Peers:
    """The units most similar to one unit, by standardised distance over indicators."""

    geo: str
    year: int
    indicators: list[str]
    table: pd.DataFrame
    excluded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict."""
        out: dict[str, Any] = json_safe(self)
        return out


def peers(
    data: pd.DataFrame,
    geo: str,
    year: int | None = None,
    n: int = 3,
    *,
    geography: Any | None = None,
    existence: Existence | None = None,
    boundary_note: BoundaryNote | None = None,
) -> Peers:
    """The ``n`` units nearest to ``geo`` in ``year``: root-mean-square distance of z-scores.

    ``data`` is long (``geo, year, value`` and optionally ``indicator`` for several
    indicators).  Units lacking a value for any indicator are left out and listed.

    >>> d = pd.DataFrame({"geo": list("ABCD"), "year": 2020, "value": [1.0, 2.0, 2.5, 9.0]})
    >>> peers(d, "B", n=2).table["geo"].tolist()
    ['C', 'A']
    """
    territory = Territory(geography, existence=existence, boundary_note=boundary_note)
    return _nearest(_prepared(data, territory), geo, year, n)


def peers_many(
    data: pd.DataFrame,
    geos: list[str],
    n: int = 3,
    *,
    geography: Any | None = None,
) -> dict[str, Peers]:
    """:func:`peers` of each of ``geos`` (each in its own latest year), the data prepared once for all.

    A unit :func:`peers` cannot answer for (no value, nothing varies) is left out.

    >>> d = pd.DataFrame({"geo": list("ABCD"), "year": 2020, "value": [1.0, 2.0, 2.5, 9.0]})
    >>> {g: p.table["geo"].tolist() for g, p in peers_many(d, ["B", "D", "Z"], n=2).items()}
    {'B': ['C', 'A'], 'D': ['C', 'B']}
    """
    rows = _prepared(data, Territory(geography))
    out: dict[str, Peers] = {}
    memo: dict[Any, Any] = {}
    for geo in geos:
        try:
            out[geo] = _nearest(rows, geo, None, n, memo)
        except ComputationError:
            continue
    return out


def _prepared(data: pd.DataFrame, territory: Territory) -> pd.DataFrame:
    frame = data if "indicator" in data.columns else data.assign(indicator="value")
    parts = [
        prepare(part.drop(columns="indicator"), territory)[0].assign(indicator=ind)
        for ind, part in frame.groupby("indicator")
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["geo", "year", "value", "indicator"])


def _nearest(rows: pd.DataFrame, geo: str, year: int | None, n: int, memo: dict[Any, Any] | None = None) -> Peers:
    """The ``n`` units nearest ``geo`` in ``year`` (its latest if None); ``memo`` shares each year's z-scores
    between the units of one :func:`peers_many` call (the same figures, computed once)."""
    memo = {} if memo is None else memo
    if year is None:
        latest = memo.get("latest")
        if latest is None:
            latest = memo["latest"] = rows.groupby("geo")["year"].max()
        if geo not in latest.index:
            raise ComputationError(f"peers: no value for {geo}")
        year = int(latest[geo])
    wide = memo.get(("wide", year))
    if wide is None:
        wide = memo[("wide", year)] = rows[rows["year"] == year].pivot(index="geo", columns="indicator", values="value")
    if geo not in wide.index:
        raise ComputationError(f"peers: no value for {geo} in {year}")
    usable = wide.columns[wide.loc[geo].notna()]
    key = ("z", year, tuple(usable))
    if key not in memo:
        memo[key] = _zscores(wide[usable])
    kept, z, incomplete, flat = memo[key]
    notes = ["indicators with no variation ignored: " + ", ".join(map(str, flat))] if flat else []
    if z.shape[1] == 0:
        raise ComputationError(f"peers: no indicator varies across units in {year}")
    dist = np.sqrt(((z - z.loc[geo]) ** 2).mean(axis=1)).drop(index=geo)
    table = kept.drop(index=geo).assign(distance=dist).sort_values("distance", kind="stable").head(n)
    table = table.reset_index().rename_axis(columns=None)
    table.insert(1, "rank", np.arange(1, len(table) + 1))
    return Peers(
        geo=geo, year=year, indicators=[str(c) for c in z.columns], table=table, excluded=incomplete, notes=notes
    )


def _zscores(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
    """(complete rows, their z-scores over the varying indicators, incomplete units, indicators that do not vary)."""
    incomplete = wide.index[wide.isna().any(axis=1)].tolist()
    wide = wide.dropna()
    sd = wide.std(ddof=0)
    flat = sd.index[~(sd > 0)].tolist()
    z = (wide[sd.index[sd > 0]] - wide.mean()[sd > 0]) / sd[sd > 0]
    return wide, z, incomplete, flat
