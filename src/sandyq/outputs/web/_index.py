"""The composite-index page's data: scores, ranks with 5–95 % intervals, pillar breakdown.

The index engine (:mod:`sandyq.analytics.composite`) is driven by a YAML
specification.  The dashboard shows the first one it finds:

1. ``sandyq.analytics.composite.default_index()`` if that function exists
   (returning a ``CompositeIndex`` or a specification path);
2. a specification bundled under ``sandyq/content/index/*.yaml``;
3. a specification path passed to :func:`composite_results`.

With none, or if building fails, the result is
:class:`~sandyq.outputs.web._data.Unavailable` with the reason: the page never
shows an index that was not computed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ._data import Dashboard

__all__ = ["composite_results", "find_index", "index_frame"]

#: Monte Carlo runs for the rank intervals shown on the page (bounded so the page builds in seconds).
MAX_RUNS = 200


def find_index(spec: str | Path | None = None) -> tuple[Any | None, str]:
    """The composite index to show and where it came from, or ``(None, reason)``."""
    try:
        from ...analytics import composite
    except ImportError as exc:
        return None, f"the composite-index engine is not installed ({exc})"
    if spec is not None:
        return composite.CompositeIndex.from_yaml(spec), str(spec)
    default = getattr(composite, "default_index", None)
    if callable(default):
        found = default()
        if found is not None:
            if isinstance(found, str | Path):
                return composite.CompositeIndex.from_yaml(found), str(found)
            return found, "sandyq.analytics.composite.default_index()"
    folder = resources.files("sandyq") / "content" / "index"
    if folder.is_dir():
        specs = sorted((p for p in folder.iterdir() if p.name.endswith((".yaml", ".yml"))), key=lambda p: p.name)
        if specs:
            path = Path(str(specs[0]))
            return composite.CompositeIndex.from_yaml(path), f"content/index/{path.name}"
    return None, (
        "no composite index specification is bundled yet (expected sandyq/content/index/*.yaml or "
        "sandyq.analytics.composite.default_index())"
    )


def index_frame(result: Any, stats: pd.DataFrame | None, highlight: str = "KAZ") -> pd.DataFrame:
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


def digital_results(dash: Dashboard) -> Any:
    """sandyq's Digital Development Index from the store (``composite.digital_index``), latest year with Kazakhstan.

    ``None`` when the engine has no such function (then a specification file is looked for).
    """
    from ._data import Unavailable

    try:
        from ...analytics.composite import digital_index
    except ImportError:
        return None
    try:
        from ...analytics.composite import CAVEAT
    except ImportError:
        CAVEAT = ""  # older engines have no caveat text
    try:
        with dash._store_lock:
            panel = digital_index(dash.monitor)
    except Exception as exc:  # the engine is a colleague's module: its failure is reported on the page
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
    notes = [CAVEAT] if CAVEAT else []
    notes += list(panel.notes)
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


def composite_results(dash: Dashboard | None = None, spec: str | Path | None = None) -> Any:
    """Build the index and its uncertainty analysis; a dict for the page and API, or ``Unavailable``."""
    from ._data import Unavailable

    if dash is not None and spec is None:
        found = digital_results(dash)
        if found is not None:
            return found
    try:
        index, origin = find_index(spec)
    except Exception as exc:  # a spec that cannot be read is reported on the page
        return Unavailable("index", f"the composite index could not be read: {type(exc).__name__}: {exc}")
    if index is None:
        return Unavailable("index", origin)
    try:
        result = index.build()
    except Exception as exc:  # a build failure is reported on the page
        return Unavailable("index", f"the composite index could not be built: {type(exc).__name__}: {exc}")
    stats = None
    notes = list(getattr(result, "notes", ()))
    runs = 0
    try:
        from ...analytics.composite import run_uncertainty

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
        "name": getattr(index.spec, "name", None) or origin,
        "description": getattr(index.spec, "description", None),
        "origin": origin,
        "period": result.period,
        "index_code": structure.top,
        "pillars": pillars,
        "runs": runs,
        "notes": notes,
        "table": frame,
    }
