"""Uncertainty analysis: how much do ranks move under alternative assumptions?

Each run draws one alternative per uncertain input (uniformly, as COINr's
``get_sensitivity`` with ``SA_type = "UA"``), computes the target score of every
unit and ranks the units.  The result gives per unit the nominal rank and the
mean, median, 5th and 95th percentile of its rank over the runs.  Results are
deterministic for a given seed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ...errors import Problem, SpecError
from ._arrays import FloatArray, rank_descending
from ._engine import Engine
from ._index import CompositeIndex
from ._results import IndexResult
from ._spec import UncertaintySpec

__all__ = ["UncertaintyResult", "choices_from_unit", "make_engine", "run_uncertainty"]


@dataclass(frozen=True)
class UncertaintyResult:
    """Scores and ranks of the target for every run, with the alternatives chosen."""

    target: str
    units: list[str]
    nominal_scores: FloatArray
    nominal_ranks: FloatArray
    scores: FloatArray  # runs × units
    ranks: FloatArray  # runs × units
    choices: pd.DataFrame  # runs × factors: the alternative used (as a label)
    failed: int
    seconds: float

    @property
    def runs(self) -> int:
        return int(self.scores.shape[0])

    def rank_stats(self) -> pd.DataFrame:
        """Nominal, mean, median, 5th and 95th percentile rank per unit (COINr ``RankStats``).

        Failed runs are left out.  Sorted by nominal rank.
        """
        r = self.ranks[~np.isnan(self.ranks).all(axis=1)]
        has = ~np.isnan(r).all(axis=0)
        stats = {name: np.full(len(self.units), np.nan) for name in ("Mean", "Median", "Q5", "Q95")}
        if has.any():
            sub = r[:, has]
            stats["Mean"][has] = np.nanmean(sub, axis=0)
            stats["Median"][has] = np.nanmedian(sub, axis=0)
            stats["Q5"][has] = np.nanquantile(sub, 0.05, axis=0)
            stats["Q95"][has] = np.nanquantile(sub, 0.95, axis=0)
        out = pd.DataFrame({"Nominal": self.nominal_ranks, **stats}, index=pd.Index(self.units, name="uCode"))
        return out.sort_values("Nominal", kind="stable")

    def mean_abs_rank_change(self) -> FloatArray:
        """Per run, the mean over units of |rank − nominal rank| (COINr's SA output)."""
        with np.errstate(invalid="ignore"):
            d = np.abs(self.ranks - self.nominal_ranks[None, :])
        out = np.full(self.runs, np.nan)
        ok = ~np.isnan(d).all(axis=1)
        out[ok] = np.nanmean(d[ok], axis=1)
        return out


def choices_from_unit(u: npt.ArrayLike, n_choices: list[int]) -> npt.NDArray[np.int64]:
    """Map uniform numbers in [0, 1] to discrete alternatives, as COINr's ``cut(x, n)``.

    >>> choices_from_unit([[0.0, 0.19], [0.2, 0.99], [1.0, 0.5]], [5, 2]).tolist()
    [[0, 0], [1, 1], [4, 1]]
    """
    a = np.asarray(u, dtype=float)
    n = np.asarray(n_choices)
    return np.minimum(np.floor(a * n), n - 1).astype(np.int64)


def make_engine(index: CompositeIndex, ua: UncertaintySpec, year: int | None = None) -> tuple[Engine, IndexResult]:
    """The engine for ``ua`` and the nominal result it compares with."""
    nominal = index.build(year)
    target = ua.target or index.structure.top
    for i, f in enumerate(ua.factors):
        if f.step is not None and index.spec.step(f.step) is None:
            raise SpecError(
                "invalid uncertainty factor",
                [
                    Problem(
                        index.spec.source,
                        f"the specification has no {f.step!r} step",
                        path=f"uncertainty.factors[{i}].step",
                    )
                ],
            )
    engine = Engine(index, list(ua.factors), nominal.units, target, nominal.period, ua.seed)
    return engine, nominal


def _labels(ua: UncertaintySpec, choices: npt.NDArray[np.int64]) -> pd.DataFrame:
    cols: dict[str, list[str] | npt.NDArray[np.int64]] = {}
    for i, f in enumerate(ua.factors):
        if f.values is not None:
            cols[f.name] = [str(f.values[c]) for c in choices[:, i]]
        elif f.alternatives is not None:
            labels = [", ".join(f"{k}={v}" for k, v in alt.items()) for alt in f.alternatives]
            cols[f.name] = [labels[c] for c in choices[:, i]]
        else:
            cols[f.name] = choices[:, i]
    return pd.DataFrame(cols)


def evaluate(
    engine: Engine, nominal: IndexResult, ua: UncertaintySpec, choices: npt.NDArray[np.int64], progress: bool = False
) -> UncertaintyResult:
    """Run the engine on given choices and rank the units."""
    t0 = time.perf_counter()
    on_chunk: Callable[[int], None] | None = None
    if progress:
        from rich.progress import Progress

        bar = Progress(transient=True)
        task = bar.add_task("index runs", total=choices.shape[0])
        bar.start()

        def on_chunk(n: int) -> None:
            bar.advance(task, n)

    try:
        scores, failed = engine.evaluate(choices, chunk=1000 if progress else 2500, on_chunk=on_chunk)
    finally:
        if progress:
            bar.stop()
    scores = np.where(failed[:, None], np.nan, scores)
    ranks = rank_descending(scores, axis=1)
    target_scores = nominal.scores()[engine.target].to_numpy()
    return UncertaintyResult(
        target=engine.target,
        units=nominal.units,
        nominal_scores=target_scores,
        nominal_ranks=rank_descending(target_scores),
        scores=scores,
        ranks=ranks,
        choices=_labels(ua, choices),
        failed=int(failed.sum()),
        seconds=time.perf_counter() - t0,
    )


def run_uncertainty(
    index: CompositeIndex,
    ua: UncertaintySpec | None = None,
    runs: int | None = None,
    seed: int | None = None,
    year: int | None = None,
    progress: bool = False,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of ``index`` (settings from the specification by default)."""
    ua = ua or index.spec.uncertainty
    if ua is None:
        raise SpecError(
            "no uncertainty settings", [Problem(index.spec.source, "add an 'uncertainty' section", path="uncertainty")]
        )
    if runs is not None or seed is not None:
        ua = ua.model_copy(update={"runs": runs or ua.runs, "seed": ua.seed if seed is None else seed})
    if ua.runs < 3:
        raise SpecError(
            "too few runs", [Problem(index.spec.source, "at least 3 runs are needed", path="uncertainty.runs")]
        )
    engine, nominal = make_engine(index, ua, year)
    rng = np.random.default_rng(ua.seed)
    u = rng.random((ua.runs, len(ua.factors)))
    choices = choices_from_unit(u, [f.n_choices for f in ua.factors])
    return evaluate(engine, nominal, ua, choices, progress)
