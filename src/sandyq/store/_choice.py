"""Which source's figures to use when an indicator has figures from several sources: one rule for every reader.

An indicator can have values at the same place from several publishers (the national
statistics office, the World Bank, a seed article, sandyq's own derived figures).  A
series must come from one source, or its changes would mix definitions and
revisions.  Every reader that has to choose — target tracking, the consistency
audit, the dashboard, the command line — chooses by :func:`rank_sources`, within
groups it names (``by``; default one series: indicator, geography, disaggregation):

1. **a declared source**: the first of ``prefer`` that has data in the group —
   e.g. the source that printed the figure being checked, then the source the
   framework declares for the indicator.  A declared source without data there
   (or unknown to the store) is passed over, never an error: the figures that
   exist are used and the caller can say so;
2. **the fullest series**: the source with the most observations in the group
   (distinct keys, so several vintages of one figure count once) — a longer series
   gives the trend more to stand on;
3. **the newest data**: the source whose latest year is latest;
4. **published before derived**: a source's own figures before values sandyq
   derived from other figures (:data:`DERIVED_SOURCE`);
5. **the source id**, alphabetically, so that the choice never depends on the
   order of the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from ..errors import DataError, Problem

__all__ = ["DERIVED_SOURCE", "SOURCE_GROUP", "Preference", "pick_source", "rank_sources"]

#: The source (and status) of a value computed on read from other figures (a formula indicator).
DERIVED_SOURCE = "derived"

#: The default group within which one source is chosen: one series.
SOURCE_GROUP: tuple[str, ...] = ("indicator", "geo", "dims")

#: A declared source: one source id for every group, a mapping indicator id → source id, or None (no preference).
Preference: TypeAlias = str | Mapping[str, str] | None

# Columns that tell observations apart; those not in ``by`` are counted (distinct) to measure a series' length.
_KEYS = ("indicator", "geo", "dims", "period", "year")
_RANKING = ["source", "n", "last", "preference", "rank"]


def _declared(stats: pd.DataFrame, prefer: Preference) -> np.ndarray:
    """For each row of ``stats`` (group keys and source): is its source the one ``prefer`` declares?"""
    if prefer is None:
        return np.zeros(len(stats), dtype=bool)
    if isinstance(prefer, str):
        return (stats["source"] == prefer).to_numpy()
    if "indicator" not in stats.columns:
        raise DataError(
            "a preference by indicator needs the groups to be by indicator",
            [Problem("", "add 'indicator' to by", column="indicator")],
        )
    return (stats["indicator"].map(dict(prefer)) == stats["source"]).to_numpy()


def rank_sources(
    frame: pd.DataFrame, prefer: Sequence[Preference] = (), *, by: Sequence[str] = SOURCE_GROUP
) -> pd.DataFrame:
    """Every source of every group ``by``, best first: columns ``*by, source, n, last, preference, rank``.

    ``n`` is the number of observations, ``last`` the latest year, ``preference`` the
    position in ``prefer`` of the declaration the source answers (``len(prefer)`` if
    none) and ``rank`` its place in its group (0 = the source used).  The rule is the
    module docstring's: declared, fullest, newest, published before derived, by id.

    >>> obs = pd.DataFrame({"indicator": "x", "geo": "KAZ", "dims": "",
    ...     "source": ["wdi", "wdi", "wdi", "bns", "bns", "itu", "itu", "itu"],
    ...     "period": ["2019", "2020", "2021", "2020", "2021", "2015", "2016", "2017"]})
    >>> rank_sources(obs, ["bns"])[["source", "n", "last", "rank"]].values.tolist()
    [['bns', 2, 2021, 0], ['wdi', 3, 2021, 1], ['itu', 3, 2017, 2]]
    >>> rank_sources(obs, ["gone", {"x": "itu"}])[["source", "preference", "rank"]].values.tolist()
    [['itu', 1, 0], ['wdi', 2, 1], ['bns', 2, 2]]
    >>> rank_sources(obs)["source"].tolist()  # no declaration: the fullest, then the newest
    ['wdi', 'itu', 'bns']
    """
    by = list(by)
    missing = [c for c in (*by, "source") if c not in frame.columns]
    if missing:
        raise DataError(
            "cannot choose a source: the observations lack columns " + ", ".join(map(repr, missing)),
            [Problem("", f"missing column {c!r}", column=c) for c in missing],
        )
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (*by, *_RANKING)})
    if "year" in frame.columns:
        year = pd.to_numeric(frame["year"], errors="coerce")
    elif "period" in frame.columns:
        year = pd.to_numeric(frame["period"].astype(str).str[:4], errors="coerce")
    else:
        year = pd.Series(np.nan, index=frame.index)
    keys = [c for c in _KEYS if c in frame.columns and c not in by]
    group = [*by, "source"]
    rows = frame[[*by, *keys]].assign(source=frame["source"].fillna("").astype(str), _year=year)
    stats = rows.groupby(group, sort=False, dropna=False).agg(last=("_year", "max")).reset_index()
    counts = rows.drop_duplicates([*group, *keys]).groupby(group, sort=False, dropna=False).size().rename("n")
    stats = stats.merge(counts.reset_index(), on=group, how="left")
    order = np.full(len(stats), len(prefer))
    for i, declared in reversed(list(enumerate(prefer))):
        order = np.where(_declared(stats, declared), i, order)
    stats["preference"] = order
    ranked = stats.assign(_derived=stats["source"] == DERIVED_SOURCE).sort_values(
        [*by, "preference", "n", "last", "_derived", "source"],
        ascending=[*([True] * len(by)), True, False, False, True, True],
        kind="stable",
        na_position="last",
    )
    ranked["rank"] = ranked.groupby(by, sort=False, dropna=False).cumcount() if by else np.arange(len(ranked))
    if not ranked["last"].isna().any():
        ranked["last"] = ranked["last"].astype(int)
    return ranked[[*by, *_RANKING]].reset_index(drop=True)


def pick_source(
    frame: pd.DataFrame, prefer: Sequence[Preference] = (), *, by: Sequence[str] = SOURCE_GROUP
) -> pd.DataFrame:
    """The rows of ``frame`` from the source :func:`rank_sources` puts first in each group ``by``.

    Rows keep their order and index.  With ``by=("geo", "dims")`` each place and
    breakdown gets its own source; with ``by=("indicator", "dims")`` one source
    serves a whole cross-section (every region from the same publisher).

    >>> obs = pd.DataFrame({"indicator": "x", "dims": "", "geo": ["A", "A", "A", "B", "B"],
    ...     "source": ["own", "big", "big", "big", "other"], "period": ["2020", "2020", "2021", "2020", "2020"],
    ...     "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> pick_source(obs, ["own"])[["geo", "source", "value"]].values.tolist()  # B has no 'own': 'big' ≻ 'other' by id
    [['A', 'own', 1.0], ['B', 'big', 4.0]]
    >>> pick_source(obs, by=["indicator", "dims"])["source"].unique().tolist()  # no declaration: the fullest
    ['big']
    """
    if frame.empty:
        return frame
    by = list(by)
    ranking = rank_sources(frame, prefer, by=by)
    chosen = ranking.loc[ranking["rank"] == 0, [*by, "source"]]
    rows = frame[by].assign(source=frame["source"].fillna("").astype(str))
    if not by:
        return frame[(rows["source"] == chosen["source"].iloc[0]).to_numpy()]
    keep = pd.MultiIndex.from_frame(rows).isin(pd.MultiIndex.from_frame(chosen))
    return frame[keep]
