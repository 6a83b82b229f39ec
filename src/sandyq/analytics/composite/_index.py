"""The composite index: a specification bound to its data, immutable, buildable.

Typical use::

    index = CompositeIndex.from_yaml("examples/coinr-asem/asem.yaml")
    result = index.build()                                   # scores and ranks at every level
    prank = index.with_step_param("normalise", method="prank").build()
    result.changed_ranks(prank)                              # who moves, and by how much

A specification that reads its data from the sandyq store (``data: {store: ...}``)
is bound to the store it is given: ``CompositeIndex.from_yaml(path, monitor)``.

Every ``with_*`` method returns a new object; the original is unchanged, so the
same specification can be re-run with any parameter changed (COINr's ``Regen``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import NotFoundError, Problem, SpecError
from ..reader import Reader
from ._frame import Frame, load_frame
from ._pipeline import Run, run_steps
from ._results import IndexResult
from ._spec import IndexSpec, read_spec
from ._stepspec import AggregateStep
from ._store_data import read_store_data
from ._structure import Structure

__all__ = ["CompositeIndex"]


@dataclass(frozen=True)
class CompositeIndex:
    """An :class:`IndexSpec` with its data loaded; :meth:`build` runs the steps."""

    spec: IndexSpec
    frame: Frame

    @classmethod
    def from_yaml(cls, path: str | Path, reader: Reader | None = None) -> CompositeIndex:
        """Read a specification file and the data it points to (see :meth:`from_spec`)."""
        return cls.from_spec(read_spec(path), reader)

    @classmethod
    def from_spec(cls, spec: IndexSpec, reader: Reader | None = None) -> CompositeIndex:
        """Bind ``spec`` to its data: the file it names, or the store of ``reader`` (``data: {store: ...}``).

        A store-backed specification without ``reader`` raises
        :class:`~sandyq.errors.InvalidValueError`: which store to read is the caller's choice.
        """
        if spec.data.store is not None and reader is not None:
            return cls(spec, read_store_data(spec, reader).frame)
        return cls(spec, load_frame(spec))

    @property
    def structure(self) -> Structure:
        return self.frame.structure

    # -- immutable edits -------------------------------------------------------
    def with_step_param(self, kind: str, **params: Any) -> CompositeIndex:
        """A copy with parameters of one step changed, e.g. ``with_step_param("treat", winmax=3)``."""
        return replace(self, spec=self.spec.with_step_param(kind, **params))

    def without_step(self, kind: str) -> CompositeIndex:
        return replace(self, spec=self.spec.without_step(kind))

    def with_weights(self, weights: Mapping[str, float]) -> CompositeIndex:
        """A copy with the weights of some indicators or aggregates replaced."""
        try:
            structure = self.structure.with_weights(weights)
        except KeyError as exc:
            raise NotFoundError("unknown code in weights", [Problem(self.spec.source, str(exc.args[0]))]) from None
        return replace(self, frame=replace(self.frame, structure=structure))

    # -- running ----------------------------------------------------------------
    def run(self, stop_before: str | None = None) -> Run:
        """Run the steps (all periods), optionally stopping before a step kind."""
        return run_steps(self.frame, self.spec.steps, self.spec.source, self.spec.base_dir, stop_before)

    def build(self, year: int | None = None) -> IndexResult:
        """Run every step and return the results for ``year`` (default: the latest period)."""
        run = self.run()
        step = self.spec.step("aggregate")
        assert isinstance(step, AggregateStep)
        return result_of(run, year, self.spec.source, step)


def result_of(run: Run, year: int | None, source: str = "", aggregation: AggregateStep | None = None) -> IndexResult:
    """Turn a finished run into an :class:`IndexResult` for one period."""
    frame = run.frame
    periods: tuple[int, ...] = ()
    period = None
    if frame.periods is not None:
        periods = tuple(int(p) for p in np.unique(frame.periods))
        period = max(periods) if year is None else year
        if period not in periods:
            raise NotFoundError(
                f"no data for {year}", [Problem(source, f"periods in the data: {', '.join(map(str, periods))}")]
            )
    elif year is not None:
        raise SpecError("the data have no time column", [Problem(source, "--year needs panel data", path="data.time")])
    structure = run.structure
    datasets: dict[str, pd.DataFrame] = {}
    for name, (rows, x) in run.datasets.items():
        keep = np.ones(rows.size, dtype=bool) if period is None else frame.periods[rows] == period  # type: ignore[index]
        cols = structure.codes() if name == "Aggregated" else structure.indicators
        datasets[name] = pd.DataFrame(
            x[keep], index=pd.Index(frame.units[rows][keep].astype(str), name="uCode"), columns=cols
        )
    names = {str(u): str(n) for u, n in zip(frame.units, frame.names, strict=True)}
    treatment = run.treatment
    if treatment is not None and "period" in treatment.columns and period is not None:
        treatment = treatment[treatment["period"] == period].drop(columns="period")
    screening = run.screening
    if screening is not None and "period" in screening.columns and period is not None:
        screening = screening[screening["period"] == period].drop(columns="period")
    aggregation = aggregation or AggregateStep()
    return IndexResult(
        structure=structure,
        names=names,
        datasets=datasets,
        period=period,
        treatment=treatment,
        screening=screening,
        imputed=run.imputed,
        notes=tuple(run.notes),
        periods=periods,
        aggregation=aggregation,
    )
