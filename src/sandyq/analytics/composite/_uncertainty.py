"""Uncertainty analysis: how much do ranks move under alternative assumptions?

Each run draws one alternative per uncertain input (uniformly, as COINr's
``get_sensitivity`` with ``SA_type = "UA"``), computes the target score of every
unit and ranks the units.  The result gives per unit the nominal rank and the
mean, median, 5th and 95th percentile of its rank over the runs.  Results are
deterministic for a given seed.

Any number of runs fits in memory: the runs are drawn and evaluated in blocks
sized by a memory budget (:mod:`._montecarlo`), and the ranks are tallied in an
exact histogram per unit (:class:`RankHistogram`), so the statistics are those
of keeping every run.  The random numbers are drawn in the same order as one
``runs × factors`` draw, so a seed gives the same runs as before blocks
existed, and an analysis stopped early (Ctrl-C) holds the first runs of the
same analysis.  Per-run scores, ranks and choices are kept when they fit in a
quarter of the budget (or when asked).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ...errors import Problem, SpecError, UsageError
from ._arrays import FloatArray, rank_descending
from ._engine import Engine
from ._index import CompositeIndex
from ._montecarlo import DEFAULT_MEMORY_MB, MonteCarlo, RunDetail, Tally, detail_bytes, mean_abs_change
from ._rankhistogram import RankHistogram
from ._results import IndexResult
from ._spec import UncertaintySpec

__all__ = ["UncertaintyResult", "choices_from_unit", "make_engine", "run_uncertainty"]


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank statistics of the target over the runs, and per-run results when they were kept.

    ``runs`` counts the runs done (failed ones included), ``requested`` the runs
    asked for: fewer were done only when the analysis was stopped (Ctrl-C).
    """

    target: str
    units: list[str]
    nominal_scores: FloatArray
    nominal_ranks: FloatArray
    histogram: RankHistogram
    runs: int
    failed: int
    seconds: float
    requested: int
    detail: RunDetail | None = None
    choice_labels: pd.DataFrame | None = None  # runs × factors, the alternative used as a label (with detail)
    change: FloatArray | None = None  # per run, the mean absolute rank change (if it was asked for)

    @property
    def interrupted(self) -> bool:
        """Whether the analysis was stopped before all requested runs were done."""
        return self.runs < self.requested

    def _detail(self) -> RunDetail:
        if self.detail is None:
            raise UsageError(
                f"per-run results of these {self.runs:,} runs were not kept (only the rank statistics were): "
                "run the analysis with keep_runs=True and a memory budget that holds them"
            )
        return self.detail

    @property
    def scores(self) -> FloatArray:
        """Scores of the target, runs × units (NaN for a failed run); only when per-run results were kept."""
        return self._detail().scores

    @property
    def ranks(self) -> FloatArray:
        """Ranks of the units, runs × units; only when per-run results were kept."""
        return self._detail().ranks

    @property
    def choices(self) -> pd.DataFrame:
        """The alternative each run used, as a label, runs × factors; only when per-run results were kept."""
        self._detail()
        assert self.choice_labels is not None
        return self.choice_labels

    def rank_stats(self) -> pd.DataFrame:
        """Nominal, mean, median, 5th and 95th percentile rank per unit (COINr ``RankStats``).

        Failed runs are left out.  Sorted by nominal rank.
        """
        h = self.histogram
        stats = {"Mean": h.mean(), "Median": h.quantile(0.5), "Q5": h.quantile(0.05), "Q95": h.quantile(0.95)}
        out = pd.DataFrame({"Nominal": self.nominal_ranks, **stats}, index=pd.Index(self.units, name="uCode"))
        return out.sort_values("Nominal", kind="stable")

    def mean_abs_rank_change(self) -> FloatArray:
        """Per run, the mean over units of |rank − nominal rank| (COINr's SA output)."""
        if self.change is not None:
            return self.change
        return mean_abs_change(self.ranks, self.nominal_ranks)


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


def _keep(keep_runs: bool | None, runs: int, n_units: int, n_factors: int, memory_mb: int) -> bool:
    """Whether to keep per-run results: asked for (and within the budget), or by default when they are small."""
    need = detail_bytes(runs, n_units, n_factors)
    budget = memory_mb * (1 << 20)
    if keep_runs is None:
        return need <= budget // 4
    if keep_runs and need > budget:
        raise UsageError(
            f"keeping per-run results of {runs:,} runs × {n_units} units needs about {need / (1 << 20):,.0f} MiB, "
            f"more than the memory budget of {memory_mb:,} MiB: keep fewer runs, or only the statistics"
        )
    return keep_runs


def evaluate(
    engine: Engine,
    nominal: IndexResult,
    ua: UncertaintySpec,
    blocks: Callable[[MonteCarlo], Iterator[npt.NDArray[np.int64]]],
    runs: int,
    *,
    progress: bool = False,
    memory_mb: int = DEFAULT_MEMORY_MB,
    keep_runs: bool | None = None,
    change: bool = False,
    interruptible: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> UncertaintyResult:
    """Run the engine on the ``runs`` runs that ``blocks`` yields (in blocks of the Monte Carlo's size)."""
    t0 = time.perf_counter()
    target_scores = nominal.scores()[engine.target].to_numpy()
    nominal_ranks = rank_descending(target_scores)
    n_choices = [f.n_choices for f in ua.factors]
    mc = MonteCarlo(
        engine,
        nominal_ranks,
        n_choices,
        memory_mb=memory_mb,
        keep=_keep(keep_runs, runs, len(nominal.units), len(n_choices), memory_mb),
        change=change,
        progress=progress,
        interruptible=interruptible,
        on_progress=on_progress,
    )
    tally: Tally = mc.run(blocks(mc), runs)
    return UncertaintyResult(
        target=engine.target,
        units=nominal.units,
        nominal_scores=target_scores,
        nominal_ranks=nominal_ranks,
        histogram=tally.histogram,
        runs=tally.runs,
        failed=tally.failed,
        seconds=time.perf_counter() - t0,
        requested=runs,
        detail=tally.detail,
        choice_labels=None if tally.detail is None else _labels(ua, tally.detail.choices),
        change=tally.change,
    )


def _drawn(
    rng: np.random.Generator, runs: int, n_choices: list[int]
) -> Callable[[MonteCarlo], Iterator[npt.NDArray[np.int64]]]:
    """Blocks of runs drawn from ``rng``: row for row the same numbers as one ``runs × factors`` draw."""

    def blocks(mc: MonteCarlo) -> Iterator[npt.NDArray[np.int64]]:
        done = 0
        while done < runs:
            n = min(mc.block_runs, runs - done)
            yield choices_from_unit(rng.random((n, len(n_choices))), n_choices)
            done += n

    return blocks


def run_uncertainty(
    index: CompositeIndex,
    ua: UncertaintySpec | None = None,
    runs: int | None = None,
    seed: int | None = None,
    year: int | None = None,
    progress: bool = False,
    *,
    memory_mb: int = DEFAULT_MEMORY_MB,
    keep_runs: bool | None = None,
    interruptible: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of ``index`` (settings from the specification by default).

    Any number of runs fits in ``memory_mb`` MiB (the runs are processed in
    blocks).  ``progress`` shows a progress bar on standard error;
    ``interruptible`` makes a first Ctrl-C stop the analysis and return the runs
    done so far (``result.interrupted``); ``on_progress(done, total)`` is called
    after every block.  ``keep_runs`` keeps per-run scores, ranks and choices
    (by default only when they take at most a quarter of the budget).
    """
    ua = ua or index.spec.uncertainty
    if ua is None:
        raise SpecError(
            "no uncertainty settings", [Problem(index.spec.source, "add an 'uncertainty' section", path="uncertainty")]
        )
    if runs is not None or seed is not None:
        ua = ua.model_copy(
            update={"runs": ua.runs if runs is None else runs, "seed": ua.seed if seed is None else seed}
        )
    if ua.runs < 3:
        raise SpecError(
            "too few runs",
            [Problem(index.spec.source, f"at least 3 runs are needed, not {ua.runs}", path="uncertainty.runs")],
        )
    engine, nominal = make_engine(index, ua, year)
    n_choices = [f.n_choices for f in ua.factors]
    return evaluate(
        engine,
        nominal,
        ua,
        _drawn(np.random.default_rng(ua.seed), ua.runs, n_choices),
        ua.runs,
        progress=progress,
        memory_mb=memory_mb,
        keep_runs=keep_runs,
        interruptible=interruptible,
        on_progress=on_progress,
    )
