"""The composite-index page's data: scores, ranks with 5–95 % intervals, pillar breakdown.

By default the page shows sandyq's Digital Development Index computed from the
store (:func:`sandyq.analytics.composite.digital_index`), in the latest year with
a rank for Kazakhstan.  :func:`composite_results` also builds any other
specification it is given (its data from a file, or from the same store).

If building fails, the result is :class:`~sandyq.outputs.web.Unavailable` with
the reason: the page never shows an index that was not computed.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ... import Monitor
from ...analytics.composite import CAVEAT, CompositeIndex, IndexResult, digital_index, run_uncertainty
from ._unavailable import Unavailable

__all__ = ["composite_results", "digital_results", "index_frame"]

#: Monte Carlo runs for the rank intervals shown on the page (bounded so the page builds in seconds).
MAX_RUNS = 200


def index_frame(result: IndexResult, stats: pd.DataFrame | None, highlight: str = "KAZ") -> pd.DataFrame:
    """One row per unit: name, score, rank, 5th/95th percentile rank, and every pillar's score."""
    structure = result.structure
    top = structure.top
    scores = result.scores()
    ranks = result.ranks()
    out = pd.DataFrame(
        {
            "geo": scores.index.astype(str),
            "name": [result.names.get(u, u) for u in scores.index],
            "score": scores[top].to_numpy(dtype=float),
            "rank": ranks[top].to_numpy(dtype=float),
        }
    )
    if stats is not None and not stats.empty:
        s = stats.reindex(out["geo"])
        out["rank_q5"] = s["Q5"].to_numpy(dtype=float)
        out["rank_q95"] = s["Q95"].to_numpy(dtype=float)
        out["rank_median"] = s["Median"].to_numpy(dtype=float)
    else:
        out["rank_q5"] = np.nan
        out["rank_q95"] = np.nan
        out["rank_median"] = np.nan
    level = structure.max_level - 1
    for code in structure.codes(level) if level >= 2 else []:
        out[f"pillar:{code}"] = scores[code].to_numpy(dtype=float)
    out["highlight"] = out["geo"] == highlight
    return out.sort_values(["rank", "name"], kind="stable").reset_index(drop=True)


def digital_results(monitor: Monitor, lock: AbstractContextManager[Any]) -> dict[str, Any] | Unavailable:
    """sandyq's Digital Development Index from the store (``composite.digital_index``), latest year with Kazakhstan.

    ``lock`` is held while the store is read (the dashboard's store lock).
    """
    try:
        with lock:
            panel = digital_index(monitor)
    except Exception as exc:  # a failure on the data is reported on the page
        return Unavailable("index", f"the Digital Development Index could not be computed: {type(exc).__name__}: {exc}")
    table = panel.table
    kaz_years = table.loc[(table["geo"] == "KAZ") & table["rank"].notna(), "year"]
    year = int(kaz_years.max()) if len(kaz_years) else int(table["year"].max())
    part = table[table["year"] == year]
    pillars = [a for a in panel.aggregates if a != panel.index_code]
    frame = pd.DataFrame(
        {
            "geo": part["geo"].astype(str).to_numpy(),
            "name": part["name"].astype(str).to_numpy(),
            "score": part[panel.index_code].to_numpy(dtype=float),
            "rank": part["rank"].to_numpy(dtype=float),
            "rank_q5": part["rank_p05"].to_numpy(dtype=float),
            "rank_q95": part["rank_p95"].to_numpy(dtype=float),
            "rank_median": part["rank_p50"].to_numpy(dtype=float),
        }
    )
    for p in pillars:
        frame[f"pillar:{p}"] = part[p].to_numpy(dtype=float)
    frame["highlight"] = frame["geo"] == "KAZ"
    frame = frame.sort_values(["rank", "name"], kind="stable", na_position="last").reset_index(drop=True)
    notes = [CAVEAT, *panel.notes]
    return {
        "available": True,
        "name": panel.name,
        "description": None,
        "origin": "sandyq.analytics.composite.digital_index (content/indices/digital-development.yaml)",
        "period": year,
        "years": [int(y) for y in panel.years()],
        "index_code": panel.index_code,
        "pillars": [{"code": p, "name": p} for p in pillars],
        "runs": panel.runs,
        "notes": notes,
        "vintage": None if panel.vintage is None else panel.vintage.date().isoformat(),
        "table": frame,
    }


def composite_results(
    monitor: Monitor, lock: AbstractContextManager[Any], spec: str | Path | None = None
) -> dict[str, Any] | Unavailable:
    """Build the index and its uncertainty analysis; a dict for the page and API, or ``Unavailable``.

    Without ``spec``, the Digital Development Index (:func:`digital_results`);
    with one, that specification, reading its data (if from the store) from ``monitor``.
    """
    if spec is None:
        return digital_results(monitor, lock)
    origin = str(spec)
    try:
        with lock:
            index = CompositeIndex.from_yaml(spec, monitor)
    except Exception as exc:  # a spec that cannot be read is reported on the page
        return Unavailable("index", f"the composite index could not be read: {type(exc).__name__}: {exc}")
    try:
        result = index.build()
    except Exception as exc:  # a build failure is reported on the page
        return Unavailable("index", f"the composite index could not be built: {type(exc).__name__}: {exc}")
    stats = None
    notes = list(result.notes)
    runs = 0
    try:
        if index.spec.uncertainty is not None:
            runs = min(index.spec.uncertainty.runs, MAX_RUNS)
            ua = run_uncertainty(index, runs=runs)
            stats = ua.rank_stats()
            if ua.failed:
                notes.append(f"{ua.failed} of {ua.runs} uncertainty runs failed and are left out")
        else:
            notes.append("the specification has no uncertainty section, so ranks have no intervals")
    except Exception as exc:  # the ranks are still shown, without intervals
        notes.append(f"the uncertainty analysis failed ({type(exc).__name__}: {exc}); ranks have no intervals")
    frame = index_frame(result, stats)
    structure = result.structure
    level = structure.max_level - 1
    pillars = [{"code": c, "name": structure.node(c).name or c} for c in structure.codes(level)] if level >= 2 else []
    return {
        "available": True,
        "name": index.spec.name or origin,
        "description": index.spec.description,
        "origin": origin,
        "period": result.period,
        "index_code": structure.top,
        "pillars": pillars,
        "runs": runs,
        "notes": notes,
        "table": frame,
    }
