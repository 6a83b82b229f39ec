"""Sensitivity analysis: which assumption drives the rank changes?

Variance-based (Sobol') first-order and total-order indices of the mean
absolute rank change versus the nominal ranking, COINr's SA output.  The design
is SALib's Sobol' sample (``N·(d + 2)`` runs, ``N`` a power of two); the
estimators are Saltelli (2010) for first order and Jansen for total order, the
same as COINr's ``SA_estimate``.  Intervals come from bootstrap resampling of
the base rows: SALib's normal-theory ±half-width, and the 5th/95th bootstrap
percentiles as COINr reports.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...errors import Problem, SpecError, UsageError
from ._index import CompositeIndex
from ._montecarlo import DEFAULT_MEMORY_MB
from ._spec import UncertaintySpec
from ._uncertainty import UncertaintyResult, choices_from_unit, evaluate, make_engine

__all__ = ["SensitivityResult", "run_sensitivity", "sensitivity_bytes"]


@dataclass(frozen=True)
class SensitivityResult:
    """Sobol' indices per uncertain input, and the runs behind them."""

    indices: pd.DataFrame  # factor × (S1, S1_conf, S1_q5, S1_q95, ST, ST_conf, ST_q5, ST_q95)
    base_samples: int
    uncertainty: UncertaintyResult
    output: np.ndarray  # mean absolute rank change of each run
    notes: tuple[str, ...] = ()

    @property
    def runs(self) -> int:
        return int(self.output.size)


def sensitivity_bytes(base_samples: int, factors: int, bootstrap: int) -> int:
    """Bytes a Sobol' analysis holds at once: the design, its choices and outputs, and the bootstrap draws.

    >>> sensitivity_bytes(1024, 4, 100) // (1 << 20)
    5
    """
    runs = base_samples * (factors + 2)
    return runs * (32 * factors + 16) + 48 * base_samples * max(bootstrap, 2)


def _fits(base_samples: int, factors: int, bootstrap: int, memory_mb: int) -> None:
    """Refuse a Sobol' design that needs more memory than the budget, saying how large a design fits."""
    need = sensitivity_bytes(base_samples, factors, bootstrap)
    if need <= memory_mb * (1 << 20):
        return
    fits = 4
    while sensitivity_bytes(fits * 2, factors, bootstrap) <= memory_mb * (1 << 20):
        fits *= 2
    raise UsageError(
        f"a Sobol' analysis with N = {base_samples:,} base samples ({base_samples * (factors + 2):,} runs) needs "
        f"about {need / (1 << 20):,.0f} MiB at once, more than the memory budget of {memory_mb:,} MiB",
        [Problem("", f"use at most {fits:,} base samples, or a larger memory budget (--memory-mb)", path="--runs")],
    )


def run_sensitivity(
    index: CompositeIndex,
    ua: UncertaintySpec | None = None,
    base_samples: int | None = None,
    seed: int | None = None,
    bootstrap: int | None = None,
    year: int | None = None,
    progress: bool = False,
    *,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> SensitivityResult:
    """Sobol' sensitivity analysis of ``index`` over the factors of its uncertainty settings.

    ``base_samples`` (N) defaults to the ``runs`` of the settings and is rounded
    up to a power of two; the index is evaluated ``N·(d + 2)`` times.  Sobol'
    estimators need every run's output at once, so a design that does not fit
    in ``memory_mb`` MiB is refused (:func:`sensitivity_bytes`).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    ua = ua or index.spec.uncertainty
    if ua is None:
        raise SpecError(
            "no uncertainty settings", [Problem(index.spec.source, "add an 'uncertainty' section", path="uncertainty")]
        )
    d = len(ua.factors)
    if d < 2:
        raise SpecError(
            "sensitivity analysis needs at least two uncertain inputs",
            [Problem(index.spec.source, f"only {d} factor given", path="uncertainty.factors")],
        )
    notes: list[str] = []
    n_req = base_samples or ua.runs
    n = 2 ** max(2, math.ceil(math.log2(max(n_req, 4))))
    if n != n_req:
        notes.append(f"base sample size rounded up from {n_req} to {n} (a power of two, for the Sobol' sequence)")
    seed_ = ua.seed if seed is None else seed
    n_boot = ua.bootstrap if bootstrap is None else bootstrap
    _fits(n, d, n_boot, memory_mb)
    problem = {"num_vars": d, "names": [f.name for f in ua.factors], "bounds": [[0.0, 1.0]] * d}
    u = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed_)
    choices = choices_from_unit(np.clip(u, 0.0, 1.0), [f.n_choices for f in ua.factors])
    engine, nominal = make_engine(index, ua, year)
    res = evaluate(
        engine,
        nominal,
        ua,
        lambda mc: mc.blocks(choices),
        len(choices),
        progress=progress,
        memory_mb=memory_mb,
        change=True,
    )
    y = res.mean_abs_rank_change()
    if np.isnan(y).any():
        notes.append(f"{int(np.isnan(y).sum())} failed runs were given the mean output")
        y = np.where(np.isnan(y), np.nanmean(y), y)
    cols = ["S1", "S1_conf", "S1_q5", "S1_q95", "ST", "ST_conf", "ST_q5", "ST_q95"]
    if np.ptp(y) == 0:
        notes.append("the output is the same in every run: all indices are 0")
        table = pd.DataFrame(0.0, index=pd.Index(problem["names"], name="factor"), columns=cols)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            si = sobol_analyze.analyze(
                problem,
                y,
                calc_second_order=False,
                num_resamples=max(n_boot, 2),
                conf_level=0.95,
                keep_resamples=True,
                seed=seed_ + 1,
            )
        s1_all, st_all = np.asarray(si["S1_conf_all"]), np.asarray(si["ST_conf_all"])
        table = pd.DataFrame(
            {
                "S1": si["S1"],
                "S1_conf": si["S1_conf"],
                "S1_q5": np.quantile(s1_all, 0.05, axis=0),
                "S1_q95": np.quantile(s1_all, 0.95, axis=0),
                "ST": si["ST"],
                "ST_conf": si["ST_conf"],
                "ST_q5": np.quantile(st_all, 0.05, axis=0),
                "ST_q95": np.quantile(st_all, 0.95, axis=0),
            },
            index=pd.Index(problem["names"], name="factor"),
        )
    return SensitivityResult(table, n, res, y, tuple(notes))
