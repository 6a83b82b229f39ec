"""Results of a built index: scores and ranks at every level, unit profiles.

Scores and ranks are pandas DataFrames indexed by unit code.  Ranks are 1 for
the best score, ties share the best rank (COINr's convention).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...errors import NotFoundError, Problem
from ._arrays import rank_descending
from ._pipeline import aggregate_all
from ._stepspec import AggregateStep
from ._structure import Structure

__all__ = ["IndexResult"]


@dataclass(frozen=True)
class IndexResult:
    """Everything a build produced, for one period (the latest unless another was asked for)."""

    structure: Structure
    names: dict[str, str]
    datasets: dict[str, pd.DataFrame]
    period: int | None = None
    treatment: pd.DataFrame | None = None
    screening: pd.DataFrame | None = None
    imputed: int = 0
    notes: tuple[str, ...] = ()
    periods: tuple[int, ...] = field(default=())
    aggregation: AggregateStep = field(default_factory=AggregateStep)

    @classmethod
    def from_normalised(
        cls, structure: Structure, normalised: pd.DataFrame, aggregation: AggregateStep | None = None
    ) -> IndexResult:
        """Aggregate an already normalised table (units × indicators) into a result.

        >>> from ._structure import Node
        >>> s = Structure((Node("a", 1, "I"), Node("b", 1, "I", weight=3), Node("I", 2)))
        >>> r = IndexResult.from_normalised(s, pd.DataFrame({"a": [0.0, 100.0], "b": [100.0, 0.0]}, index=["X", "Y"]))
        >>> r.scores()["I"].tolist(), r.ranks()["I"].tolist()
        ([75.0, 25.0], [1.0, 2.0])
        """
        step = aggregation or AggregateStep()
        x = normalised[structure.indicators].to_numpy(dtype=float)
        agg = pd.DataFrame(aggregate_all(structure, x, step), index=normalised.index, columns=structure.codes())
        data = normalised[structure.indicators].astype(float)
        datasets = {"Raw": data, "Normalised": data, "Aggregated": agg}
        return cls(structure, {str(u): str(u) for u in normalised.index}, datasets, aggregation=step)

    # -- scores and ranks -----------------------------------------------------
    @property
    def index_code(self) -> str:
        return self.structure.top

    @property
    def units(self) -> list[str]:
        return list(self.datasets["Aggregated"].index)

    def scores(self, level: int | None = None) -> pd.DataFrame:
        """Scores of every unit at ``level`` (all levels if None), units × codes."""
        agg = self.datasets["Aggregated"]
        return agg.copy() if level is None else agg[self.structure.codes(level)].copy()

    def ranks(self, level: int | None = None) -> pd.DataFrame:
        """Ranks (1 = best) of every unit at ``level`` (all levels if None)."""
        s = self.scores(level)
        return pd.DataFrame(rank_descending(s.to_numpy(), axis=0), index=s.index, columns=s.columns)

    def table(self, kind: str = "aggregates", use: str = "scores") -> pd.DataFrame:
        """Results table sorted by the index, like ``COINr::get_results``.

        ``kind``: ``summary`` (index only), ``aggregates`` (all aggregates, from the
        top level down) or ``full`` (also indicators).  ``use``: ``scores`` or ``ranks``.
        """
        top = self.structure.max_level
        levels = {"summary": [top], "aggregates": list(range(top, 1, -1)), "full": list(range(top, 0, -1))}
        if kind not in levels:
            raise ValueError(f"kind must be one of {', '.join(levels)}")
        codes = [c for lev in levels[kind] for c in self.structure.codes(lev)]
        values = self.scores()[codes] if use == "scores" else self.ranks()[codes]
        out = values.copy()
        out.insert(0, "Rank", self.ranks()[self.index_code].astype("Int64"))
        out.insert(0, "uName", [self.names.get(u, u) for u in out.index])
        return out.sort_values(["Rank", "uName"], na_position="last")

    def _unit(self, unit: str) -> str:
        if unit not in self.datasets["Aggregated"].index:
            raise NotFoundError(f"unknown unit {unit!r}", [Problem("", f"units are {', '.join(self.units[:20])}…")])
        return unit

    def unit_summary(self, unit: str) -> pd.DataFrame:
        """Score and rank of one unit for every aggregate, top level first (``get_unit_summary``)."""
        u = self._unit(unit)
        codes = [c for lev in range(self.structure.max_level, 1, -1) for c in self.structure.codes(lev)]
        return pd.DataFrame(
            {
                "Name": [self.structure.node(c).name or c for c in codes],
                "Level": [self.structure.node(c).level for c in codes],
                "Score": self.scores()[codes].loc[u].to_numpy(),
                "Rank": self.ranks()[codes].loc[u].to_numpy(),
            },
            index=pd.Index(codes, name="Code"),
        )

    def strengths_weaknesses(
        self, unit: str, top: int = 5, bottom: int = 5, dataset: str = "Normalised"
    ) -> dict[str, pd.DataFrame]:
        """The unit's best- and worst-ranked indicators (``COINr::get_str_weak``).

        Ranks come from ``dataset`` (normalised values already point "higher is
        better"); indicators where the unit ties for the last place are
        skipped as weaknesses of no information, as COINr's ``min_discard``.
        """
        u = self._unit(unit)
        codes = self.structure.indicators
        data = self.datasets[dataset][codes]
        if dataset in ("Raw", "Denominated", "Imputed", "Screened", "Treated"):
            data = data * self.structure.directions()
        ranks = pd.DataFrame(rank_descending(data.to_numpy(), axis=0), index=data.index, columns=codes)
        r = ranks.loc[u].dropna()
        r = r[r != ranks.max()[r.index]]
        r = r.sort_values(kind="stable")
        raw = self.datasets["Raw"].reindex(index=[u])[codes].iloc[0]
        parent = {c: self.structure.node(c).parent for c in codes}

        def table(sel: pd.Series) -> pd.DataFrame:
            return pd.DataFrame(
                {
                    "Name": [self.structure.node(c).name or c for c in sel.index],
                    "Group": [parent[c] for c in sel.index],
                    "Rank": sel.astype(int).to_numpy(),
                    "Value": raw[sel.index].to_numpy(),
                    "Unit": [self.structure.node(c).unit for c in sel.index],
                },
                index=pd.Index(list(sel.index), name="Code"),
            )

        return {"strengths": table(r.head(top)), "weaknesses": table(r.tail(bottom).iloc[::-1])}

    def effective_weights(self) -> pd.Series:
        """Weight of each indicator and aggregate in the index (COINr ``get_eff_wts``)."""
        return self.structure.effective_weights()

    def dataset(self, name: str) -> pd.DataFrame:
        """One of the intermediate data sets (``Raw``, ``Denominated``, … ``Aggregated``)."""
        if name not in self.datasets:
            raise NotFoundError(f"no data set {name!r}", [Problem("", f"data sets are {', '.join(self.datasets)}")])
        return self.datasets[name].copy()

    def changed_ranks(self, other: IndexResult, level: int | None = None) -> pd.DataFrame:
        """Rank of each unit here and in ``other`` and the change (``COINr::compare_coins``)."""
        code = self.index_code
        a = self.ranks()[code] if level is None else self.ranks(level)
        b = other.ranks()[code] if level is None else other.ranks(level)
        out = pd.DataFrame({"Rank": a, "Rank.other": b.reindex(a.index)})
        out["Diff"] = out["Rank.other"] - out["Rank"]
        out["Abs.diff"] = np.abs(out["Diff"])
        return out.sort_values("Abs.diff", ascending=False, kind="stable")
