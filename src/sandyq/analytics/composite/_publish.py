"""Publishing the bundled indices into the store as observations: a stage of its own, after the loads.

:func:`publish_default_indices` computes the Digital Development Index
(``sandyq.DDI``, its sub-indices, rank and rank interval, for every economy and
year) and the Regional Digital Index of Kazakhstan (``sandyq.KZDI``, rank and
interval, for every region and year) and loads them with source ``sandyq`` and
the vintage of the newest input.  The computation is deterministic (seeded
uncertainty analysis), so re-running ``init`` on the same data finds every
value unchanged and writes nothing.

``sandyq init`` runs this stage after loading the bundled files; after loading
new data by hand, run it again with :meth:`sandyq.Monitor.publish` (or call
this function with any :class:`~sandyq.analytics.reader.Reader`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from ...errors import LoadError, NotFoundError
from ...framework import Framework
from ...store import LoadReport
from ..reader import Reader
from ._digital import digital_index
from ._panel import PanelResult

__all__ = ["DEFAULT_INDICES", "SOURCE_ID", "index_observations", "publish_default_indices"]

SOURCE_ID = "sandyq"
#: Bundled specification → (prefix of the stored indicator ids, aggregates stored as sub-indices).
DEFAULT_INDICES: dict[str, tuple[str, dict[str, str]]] = {
    "digital-development": ("sandyq.DDI", {"Access": "ACCESS", "Use": "USE", "Skills": "SKILLS"}),
    "kz-regions": ("sandyq.KZDI", {}),
}


def _ints(x: pd.Series) -> pd.Series:
    """Whole numbers as text, ``–`` where missing."""
    return x.map(lambda v: "–" if pd.isna(v) else f"{v:g}").astype(str)


def _boundary_notes(framework: Framework, geo: str, year: int) -> str:
    """What a region's boundary changes mean for comparing this year with others."""
    try:
        unit = framework.geography.get(geo)
    except NotFoundError:
        return ""
    parts = []
    for change in unit.boundary_changes:
        side = "later" if year < change.date.year else "earlier"
        first = f"{change.date.year} and later" if side == "later" else f"{change.date.year - 1} and earlier"
        parts.append(f"Boundary change {change.date.isoformat()}: {change.description.en} Not comparable with {first}.")
    return " ".join(parts)


def _notes(t: pd.DataFrame, result: PanelResult, unit_word: str, subs: Sequence[str]) -> pd.Series:
    """The note of every scored row: rank of how many, interval, missing sub-indices, imputed inputs."""
    notes = (
        "Rank "
        + _ints(t["rank"])
        + " of "
        + t["ranked"].astype(int).astype(str)
        + f" {unit_word} "
        + "(5–95 % interval "
        + _ints(t["rank_p05"])
        + "–"
        + _ints(t["rank_p95"])
        + f", {result.runs} runs)."
    )
    missing = pd.Series("", index=t.index, dtype=str)
    for s in subs:
        gap = t[s].isna()
        missing = missing.where(~gap, missing + np.where(missing == "", "", ", ") + s)
    notes = notes.where(missing == "", notes + " " + missing + " not available: scored on the other sub-indices.")
    carried = t["imputed"] > 0
    return notes.where(
        ~carried,
        notes
        + " "
        + t["imputed"].astype(str)
        + f" of {result.n_indicators} inputs carried forward from earlier years.",
    )


def index_observations(result: PanelResult, prefix: str, subs: dict[str, str], framework: Framework) -> pd.DataFrame:
    """The observation rows (store layout) of a panel result: score, sub-indices, rank and interval."""
    t = result.table[result.table["rank"].notna()].reset_index(drop=True)
    regional = prefix.endswith("KZDI")
    word = "regions" if regional else "economies"
    top = result.index_code
    sub_codes = [c for c in result.aggregates if c != top]
    notes = _notes(t, result, word, sub_codes).tolist()
    if regional:
        notes = [
            f"{n} {_boundary_notes(framework, g, int(y))}".strip()
            for n, g, y in zip(notes, t["geo"], t["year"], strict=True)
        ]
    parts: list[tuple[str, pd.Series, str, list[str] | None]] = [(prefix, t[top].round(4), "INDEX_0_100", notes)]
    parts += [(f"{prefix}.{suffix}", t[code].round(4), "INDEX_0_100", None) for code, suffix in subs.items()]
    parts += [
        (f"{prefix}.RANK", t["rank"], "RANK", None),
        (f"{prefix}.RANK.P05", t["rank_p05"], "RANK", None),
        (f"{prefix}.RANK.P95", t["rank_p95"], "RANK", None),
    ]
    frames = []
    for indicator, values, unit, note in parts:
        frames.append(
            pd.DataFrame(
                {
                    "indicator": indicator,
                    "geo": t["geo"].to_numpy(),
                    "period": t["year"].astype(int).astype(str).to_numpy(),
                    "dims": "",
                    "source": SOURCE_ID,
                    "value": values.to_numpy(dtype=float),
                    "unit": unit,
                    "status": None,
                    "note": note,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out[out["value"].notna()].reset_index(drop=True)


def publish_default_indices(reader: Reader, runs: int | None = None) -> list[LoadReport]:
    """Compute the bundled indices from the data of ``reader`` and load them into its store, one load each.

    The vintage of each load is the newest vintage of its inputs, so a load of
    unchanged inputs changes nothing.  If the store already holds *different*
    values at that vintage (the method changed, not the data), the new values
    are loaded with the current time as vintage (never earlier than the
    inputs), so they supersede the old ones and the history keeps both.
    Raises :class:`~sandyq.errors.NotFoundError` if the inputs are not in the
    store (run the manifest loads first).
    """
    source = reader.framework.sources.get(SOURCE_ID)
    if source is not None:
        reader.store.register_sources([source])
    reports = []
    for name, (prefix, subs) in DEFAULT_INDICES.items():
        result = digital_index(reader, name, runs=runs)
        rows = index_observations(result, prefix, subs, reader.framework)
        file = f"sandyq/content/indices/{name}.yaml"
        vintage = result.vintage or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        try:
            report = reader.store.load_frame(rows, file=file, format="computed", vintage=vintage, source=SOURCE_ID)
        except LoadError:
            # The store holds other values at this vintage: the method changed (a new sandyq version), not the
            # inputs.  The new values are published now (never before the inputs), so they supersede the old.
            now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
            later = max(vintage + timedelta(seconds=1), now)
            report = reader.store.load_frame(rows, file=file, format="computed", vintage=later, source=SOURCE_ID)
        reports.append(report)
    return reports
