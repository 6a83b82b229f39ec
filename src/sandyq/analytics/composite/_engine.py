"""Vectorised Monte Carlo evaluation of an index under alternative assumptions.

COINr regenerates the whole index for every run.  Here the work is split by
what each uncertain input touches:

* inputs of the steps before aggregation (treatment, normalisation,
  imputation, …) take a few discrete values, so the indicator matrix is built
  once per *combination that occurs* (5 winsorisation limits × 2 normalisations
  = 10 builds, whatever the number of runs);
* aggregation settings (method, ``p``, ``dat_thresh``) are grouped by value;
* weight noise is applied per run, from the first noisy level upwards, with all
  runs aggregated at once as ``runs × units × children`` arrays.

Levels below the first noisy level are aggregated once per combination, not
once per run.  A run in which a geometric or harmonic mean meets a
non-positive value is marked as failed (COINr's regeneration would stop).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import Problem, SpecError
from ._aggregate import aggregate_level
from ._arrays import FloatArray
from ._index import CompositeIndex
from ._spec import FactorSpec
from ._stepspec import AggregateStep

__all__ = ["Engine"]

IntArray = npt.NDArray[np.int64]


@dataclass
class _Pre:
    """One built combination of pre-aggregation choices."""

    x: FloatArray  # units × indicators (nominal units; NaN rows for units not kept)
    weights: dict[int, FloatArray]  # level → weights of that level's codes


@dataclass
class Engine:
    """Evaluates an index for many runs of discrete choices (one column per factor)."""

    index: CompositeIndex
    factors: list[FactorSpec]
    units: list[str]
    target: str
    period: int | None = None
    noise_seed: int = 1
    max_pre: int | None = None  # built combinations kept at most (those a call needs are always kept)
    _pre: dict[tuple[int, ...], _Pre] = field(default_factory=dict)
    _agg: dict[tuple[int, ...], AggregateStep] = field(default_factory=dict)
    _mult: dict[int, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        s = self.index.structure
        source = self.index.spec.source
        if self.target not in s.codes():
            raise SpecError(
                "unknown target",
                [Problem(source, f"{self.target!r} is not in the structure", path="uncertainty.target")],
            )
        self.target_level = s.node(self.target).level
        self.pre_f = [i for i, f in enumerate(self.factors) if f.step not in (None, "aggregate")]
        self.agg_f = [i for i, f in enumerate(self.factors) if f.step == "aggregate"]
        self.noise_f = [i for i, f in enumerate(self.factors) if f.weights_noise is not None]
        rng = np.random.default_rng([self.noise_seed, 7])
        for i in self.noise_f:
            for level, frac in sorted((self.factors[i].weights_noise or {}).items()):
                if level in self._mult:
                    raise SpecError(
                        "invalid weight noise",
                        [
                            Problem(
                                source,
                                f"level {level} has noise in two factors",
                                path=f"uncertainty.factors[{i}].weights_noise",
                            )
                        ],
                    )
                if not 1 <= level < s.max_level:
                    raise SpecError(
                        "invalid weight noise",
                        [
                            Problem(
                                source,
                                f"level {level}: weights exist at levels 1–{s.max_level - 1}",
                                path=f"uncertainty.factors[{i}].weights_noise",
                            )
                        ],
                    )
                n = len(s.codes(level))
                self._mult[level] = 1.0 + rng.uniform(-1.0, 1.0, size=(self.factors[i].sets, n)) * frac
        self._noise_factor_of = {lev: i for i in self.noise_f for lev in (self.factors[i].weights_noise or {})}
        base = self.index.spec.step("aggregate")
        assert isinstance(base, AggregateStep)
        self._base_agg = base

    # -- building the keyed pieces ---------------------------------------------------
    def _choice_params(self, factor: FactorSpec, choice: int) -> dict[str, Any]:
        if factor.values is not None:
            return {str(factor.param): factor.values[choice]}
        assert factor.alternatives is not None
        return dict(factor.alternatives[choice])

    def _build_pre(self, key: tuple[int, ...]) -> _Pre:
        ix = self.index
        for i, choice in zip(self.pre_f, key, strict=True):
            f = self.factors[i]
            ix = ix.with_step_param(str(f.step), **self._choice_params(f, choice))
        run = ix.run(stop_before="aggregate")
        frame = run.frame
        keep = np.ones(run.rows.size, dtype=bool)
        if self.period is not None and frame.periods is not None:
            keep = frame.periods[run.rows] == self.period
        pos = {u: k for k, u in enumerate(frame.units[run.rows][keep].astype(str))}
        x = np.full((len(self.units), run.x.shape[1]), np.nan)
        have = [j for j, u in enumerate(self.units) if u in pos]
        x[have] = run.x[keep][[pos[self.units[j]] for j in have]]
        s = run.structure
        return _Pre(x, {lev: s.weights(lev) for lev in range(1, s.max_level)})

    def _agg_step(self, key: tuple[int, ...]) -> AggregateStep:
        if key not in self._agg:
            params: dict[str, Any] = {}
            for i, choice in zip(self.agg_f, key, strict=True):
                params.update(self._choice_params(self.factors[i], choice))
            try:
                self._agg[key] = self._base_agg.with_params(**params)
            except ValueError as exc:
                raise SpecError(
                    "invalid aggregation alternative",
                    [Problem(self.index.spec.source, str(exc), path="uncertainty.factors")],
                ) from None
        return self._agg[key]

    def prepare(self, choices: IntArray, on_build: Callable[[], None] | None = None) -> None:
        """Build every pre-aggregation combination that occurs in ``choices``."""
        if not self.pre_f:
            keys: set[tuple[int, ...]] = {()}
        else:
            keys = {tuple(int(v) for v in row) for row in np.unique(choices[:, self.pre_f], axis=0)}
        missing = sorted(keys - set(self._pre))
        if self.max_pre is not None and len(self._pre) + len(missing) > self.max_pre:
            for old in [k for k in self._pre if k not in keys]:  # bounded memory: forget what this call does not use
                del self._pre[old]
        for key in missing:
            self._pre[key] = self._build_pre(key)
            if on_build is not None:
                on_build()

    # -- evaluation ----------------------------------------------------------------------
    def evaluate(
        self, choices: IntArray, chunk: int = 2500, on_chunk: Callable[[int], None] | None = None
    ) -> tuple[FloatArray, np.ndarray]:
        """Scores of the target (runs × units) and a mask of failed runs."""
        self.prepare(choices)
        s = self.index.structure
        n_runs = choices.shape[0]
        pre_keys = sorted(self._pre)
        pre_id = {k: n for n, k in enumerate(pre_keys)}
        if self.pre_f:
            uniq, inverse = np.unique(choices[:, self.pre_f], axis=0, return_inverse=True)
            ids = np.array([pre_id[tuple(int(v) for v in row)] for row in uniq], dtype=np.int64)
            pre_of_run = ids[inverse.ravel()]
        else:
            pre_of_run = np.zeros(n_runs, dtype=np.int64)
        agg_rows = choices[:, self.agg_f] if self.agg_f else np.zeros((n_runs, 0), dtype=np.int64)
        agg_keys, agg_of_run = np.unique(agg_rows, axis=0, return_inverse=True)
        agg_of_run = agg_of_run.ravel()
        groups, g_of_run = np.unique(np.stack([pre_of_run, agg_of_run], axis=1), axis=0, return_inverse=True)
        g_of_run = g_of_run.ravel()
        steps = [self._agg_step(tuple(int(v) for v in row)) for row in agg_keys]
        first_noisy = min(self._mult, default=s.max_level)
        stop = min(first_noisy, self.target_level)

        # keyed phase: one aggregation per (pre, agg) group
        values = np.stack([self._pre[pre_keys[g[0]]].x for g in groups])
        bad_g = np.zeros(len(groups), dtype=bool)
        for level in range(1, stop):
            w = np.stack([self._pre[pre_keys[g[0]]].weights[level] for g in groups])
            values, bad = self._level(values, w, groups[:, 1], steps, level)
            bad_g |= bad
        if stop == self.target_level:
            col = s.codes(self.target_level).index(self.target)
            scores = values[g_of_run, :, col]
            if on_chunk is not None:
                on_chunk(n_runs)
            return scores, bad_g[g_of_run]

        scores = np.empty((n_runs, len(self.units)))
        failed = np.empty(n_runs, dtype=bool)
        col = s.codes(self.target_level).index(self.target)
        for start in range(0, n_runs, chunk):
            sl = slice(start, min(start + chunk, n_runs))
            g = g_of_run[sl]
            v = values[g]
            bad_r = bad_g[g].copy()
            for level in range(stop, self.target_level):
                w = np.stack([self._pre[pre_keys[k]].weights[level] for k in range(len(pre_keys))])[pre_of_run[sl]]
                if level in self._mult:
                    i = self._noise_factor_of[level]
                    w = w * self._mult[level][choices[sl, i]]
                v, bad = self._level(v, w, agg_of_run[sl], steps, level)
                bad_r |= bad
            scores[sl] = v[:, :, col]
            failed[sl] = bad_r
            if on_chunk is not None:
                on_chunk(sl.stop - sl.start)
        return scores, failed

    def _level(
        self, values: FloatArray, w: FloatArray, agg_idx: np.ndarray, steps: list[AggregateStep], level: int
    ) -> tuple[FloatArray, np.ndarray]:
        """Aggregate ``values`` (n × units × children) with per-row weights ``w`` (n × children)."""
        s = self.index.structure
        mem = s.membership(level)
        wm = w[:, :, None] * mem[None, :, :]
        out = np.empty((values.shape[0], values.shape[1], mem.shape[1]))
        bad_any = np.zeros(values.shape[0], dtype=bool)
        for a in np.unique(agg_idx):
            rows = agg_idx == a
            step = steps[int(a)]
            method = step.method_for(level + 1)
            res, bad = aggregate_level(values[rows], wm[rows], mem, method, step.p, step.dat_thresh, step.renormalise)
            out[rows] = res
            bad_any[rows] = bad.any(axis=(1, 2))
        return out, bad_any
