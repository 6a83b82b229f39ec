"""Running the steps of a specification on the data, COINr-style.

Each step reads the current data set and writes a new one, named as in COINr:
``Raw`` → ``Denominated`` → ``Imputed`` → ``Screened`` → ``Treated`` →
``Normalised`` → ``Aggregated``.  For a panel, cross-sectional steps (group
imputation, treatment, data-driven normalisation) work period by period, as in
a COINr purse, while panel imputation and ``global`` normalisation use all
periods at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import Problem, SpecError
from ._aggregate import aggregate_level
from ._arrays import FloatArray
from ._frame import Frame
from ._impute import impute_columns, impute_groups, impute_panel
from ._normalise import normalise
from ._stepspec import (
    AggregateStep,
    DenominateStep,
    ImputeStep,
    NormaliseStep,
    ScreenStep,
    StepBase,
    TreatStep,
    WeightStep,
)
from ._structure import Structure
from ._treat import TreatRecord, records_frame, treat_column
from ._weights import pca_weights

__all__ = ["Run", "aggregate_all", "run_steps"]

DATASET_OF = {
    "denominate": "Denominated",
    "impute": "Imputed",
    "screen": "Screened",
    "treat": "Treated",
    "normalise": "Normalised",
    "weight": "Weighted",
    "aggregate": "Aggregated",
}


@dataclass
class Run:
    """Working state of one build: the rows kept, the current matrix, and what each step did."""

    frame: Frame
    rows: np.ndarray
    x: FloatArray
    structure: Structure
    source: str = ""
    base_dir: Path = Path(".")
    datasets: dict[str, tuple[np.ndarray, FloatArray]] = field(default_factory=dict)
    treatment: pd.DataFrame | None = None
    screening: pd.DataFrame | None = None
    imputed: int = 0
    notes: list[str] = field(default_factory=list)

    def period_groups(self) -> list[np.ndarray]:
        """Row positions (into ``x``) of each period, or all rows for a cross-section."""
        if self.frame.periods is None:
            return [np.arange(self.rows.size)]
        p = self.frame.periods[self.rows]
        return [np.flatnonzero(p == v) for v in np.unique(p)]

    def fail(self, index: int, step: StepBase, message: str, param: str | None = None) -> SpecError:
        path = f"steps[{index}].{step.kind}" + (f".{param}" if param else "")
        return SpecError(f"the {step.kind} step failed", [Problem(self.source, message, path=path)])


def _denominate(run: Run, i: int, step: DenominateStep) -> None:
    s = run.structure
    pairs = {c: s.node(c).denominator for c in s.indicators if s.node(c).denominator}
    pairs.update(step.by)
    denoms: dict[str, FloatArray] = {k: v[run.rows] for k, v in run.frame.denominators.items()}
    if step.file is not None:
        path = Path(step.file) if Path(step.file).is_absolute() else run.base_dir / step.file
        try:
            table = pd.read_csv(path)
        except OSError as exc:
            raise run.fail(i, step, f"cannot read {path}: {exc}", "file") from None
        if step.id not in table.columns:
            raise run.fail(i, step, f"denominator file has no column {step.id!r}", "id")
        table = table.set_index(table[step.id].astype(str))
        keys = pd.Index(run.frame.units[run.rows].astype(str))
        missing = keys.difference(table.index)
        if len(missing):
            raise run.fail(i, step, f"units not in the denominator file: {', '.join(missing[:10])}", "file")
        for col in table.columns:
            denoms[col] = pd.to_numeric(table.loc[keys, col], errors="coerce").to_numpy(dtype=float)
    col = {c: j for j, c in enumerate(s.indicators)}
    for code, den in pairs.items():
        if code not in col:
            raise run.fail(i, step, f"{code!r} is not an indicator", "by")
        if den not in denoms:
            raise run.fail(i, step, f"denominator {den!r} (for {code}) is not a column of the data", "by")
        with np.errstate(divide="ignore", invalid="ignore"):
            v = run.x[:, col[code]] * step.scale.get(code, 1.0) / denoms[den]
        if np.isinf(v).any():
            run.notes.append(f"{code}: division by a zero {den} gave missing values")
        run.x[:, col[code]] = np.where(np.isfinite(v), v, np.nan)


def _impute(run: Run, i: int, step: ImputeStep) -> None:
    before = int(np.isnan(run.x).sum())
    if step.method == "none":
        return
    if step.method in ("latest", "linear", "constant"):
        if run.frame.periods is None:
            raise run.fail(i, step, f"method {step.method!r} needs panel data (a time column)", "method")
        run.x = impute_panel(run.x, run.frame.units[run.rows], run.frame.periods[run.rows], step.method, step.max_time)
    else:
        stat = "median" if step.method.startswith("median") else "mean"
        if step.method.endswith("_group"):
            if step.group not in run.frame.groups:
                raise run.fail(i, step, f"{step.group!r} is not a grouping column of the data", "group")
            groups = run.frame.groups[step.group][run.rows]
        for rows in run.period_groups():
            if step.method.endswith("_group"):
                run.x[rows] = impute_groups(run.x[rows], groups[rows], stat)
            else:
                run.x[rows] = impute_columns(run.x[rows], stat)
    after = int(np.isnan(run.x).sum())
    run.imputed += before - after
    if after:
        run.notes.append(f"imputation left {after} missing values")


def _screen(run: Run, i: int, step: ScreenStep) -> None:
    x = run.x
    n = x.shape[1]
    n_missing = np.isnan(x).sum(axis=1)
    n_zero = (x == 0).sum(axis=1)
    avail = 1 - n_missing / n
    with np.errstate(invalid="ignore", divide="ignore"):
        nonzero = 1 - n_zero / (n - n_missing)
    low_data = avail < step.threshold
    low_nonzero = nonzero < step.nonzero_threshold
    keep = ~{"missing": low_data, "zeros": low_nonzero, "missing_or_zeros": low_data | low_nonzero}[step.by]
    units = run.frame.units[run.rows]
    unknown = sorted(set(step.include + step.exclude) - set(units))
    if unknown:
        raise run.fail(
            i,
            step,
            f"unknown units: {', '.join(unknown)}",
            "include" if set(unknown) & set(step.include) else "exclude",
        )
    keep |= np.isin(units, step.include)
    keep &= ~np.isin(units, step.exclude)
    run.screening = pd.DataFrame(
        {"N_missing": n_missing, "N_zero": n_zero, "Dat_Avail": avail, "Non_Zero": nonzero, "Included": keep},
        index=pd.Index(units, name="uCode"),
    )
    if run.frame.periods is not None:
        run.screening.insert(0, "period", run.frame.periods[run.rows])
    run.rows, run.x = run.rows[keep], run.x[keep]


def _treat(run: Run, i: int, step: TreatStep) -> None:
    codes = run.structure.indicators
    unknown = sorted(set(step.indicators) - set(codes))
    if unknown:
        raise run.fail(i, step, f"not indicators: {', '.join(unknown)}", "indicators")
    records: list[TreatRecord] = []
    periods: list[int] = []
    groups = run.period_groups()
    base = step.model_dump()
    for j, code in enumerate(codes):
        override = step.indicators.get(code)
        for rows in groups:
            if run.frame.periods is not None:
                periods.append(int(run.frame.periods[run.rows[rows[0]]]))
            if override == "none":
                records.append(TreatRecord(code, np.nan, np.nan, "excluded", 0, np.nan, np.nan, True))
                continue
            p = dict(base)
            if override is not None:
                p.update({k: v for k, v in override.model_dump().items() if v is not None})
            new, rec = treat_column(
                run.x[rows, j],
                code,
                p["winmax"],
                p["skew"],
                p["kurt"],
                p["winsorise"],
                p["transform"],
                p["boxcox_lambda"],
                step.combine,
                p["force"],
            )
            run.x[rows, j] = new
            records.append(rec)
    table = records_frame(records)
    if len(groups) > 1:
        table.insert(0, "period", periods)
    run.treatment = table


#: The normalisation of a set of columns: method, range, mean and sd, scale.
_NormKey = tuple[str, tuple[float, float], tuple[float, float], float]


def _normalise(run: Run, i: int, step: NormaliseStep) -> None:
    """Normalise every indicator column, grouping the columns that share their parameters."""
    codes = run.structure.indicators
    unknown = sorted((set(step.indicators) | set(step.goalposts) | set(step.targets)) - set(codes))
    if unknown:
        raise run.fail(i, step, f"not indicators: {', '.join(unknown)}", "indicators")
    dirs = run.structure.directions()
    out = np.full_like(run.x, np.nan)
    groups = [np.arange(run.rows.size)] if step.global_ else run.period_groups()
    for (method, rng, msd, scale), cols in _normalise_plan(step, codes).items():
        if method == "none":
            out[:, cols] = run.x[:, cols]
            continue
        posts = _goalposts(run, i, step, cols) if method == "goalposts" else None
        targets = _targets(run, i, step, cols) if method == "dist2targ" else None
        for rows in groups:
            ref = _reference_row(run, i, step, rows) if method == "dist2ref" else None
            block = np.ix_(rows, np.asarray(cols, dtype=np.int64))
            out[block] = normalise(
                run.x[block],
                dirs[cols],
                method,
                range_=rng,
                mean_sd=msd,
                targets=targets,
                posts=posts,
                scale=scale,
                truncate=step.truncate,
                cap=step.cap,
                ref=ref,
            )
    const = [codes[j] for j in range(len(codes)) if np.all(np.isnan(out[:, j])) and not np.all(np.isnan(run.x[:, j]))]
    if const:
        run.notes.append(f"normalisation gave no values for {', '.join(const)} (constant indicator?)")
    run.x = out


def _normalise_plan(step: NormaliseStep, codes: Sequence[str]) -> dict[_NormKey, list[int]]:
    """The column indices of each set of normalisation parameters (a per-indicator override, else the step's)."""
    plan: dict[_NormKey, list[int]] = {}
    for j, c in enumerate(codes):
        o = step.indicators.get(c)
        if o is None:
            key: _NormKey = (step.method, step.range_, step.mean_sd, step.scale)
        else:
            key = (
                o.method,
                step.range_ if o.range_ is None else o.range_,
                step.mean_sd if o.mean_sd is None else o.mean_sd,
                step.scale if o.scale is None else o.scale,
            )
        plan.setdefault(key, []).append(j)
    return plan


def _goalposts(run: Run, i: int, step: NormaliseStep, cols: list[int]) -> tuple[FloatArray, FloatArray]:
    """The lower and upper goalposts of the columns: the indicator's override, the step's, else the structure's."""
    codes = run.structure.indicators
    gp = []
    for j in cols:
        o = step.indicators.get(codes[j])
        g = (
            (o.goalposts if o is not None else None)
            or step.goalposts.get(codes[j])
            or run.structure.node(codes[j]).goalposts
        )
        if g is None:
            raise run.fail(
                i, step, f"no goalposts for {codes[j]} (give them in the structure or the step)", "goalposts"
            )
        gp.append(g)
    return np.array([g[0] for g in gp]), np.array([g[1] for g in gp])


def _targets(run: Run, i: int, step: NormaliseStep, cols: list[int]) -> FloatArray:
    """The targets of the columns: the indicator's override, the step's, else the structure's."""
    codes = run.structure.indicators
    tv = []
    for j in cols:
        o = step.indicators.get(codes[j])
        t = (o.target if o is not None else None) or step.targets.get(codes[j]) or run.structure.node(codes[j]).target
        if t is None:
            raise run.fail(i, step, f"no target for {codes[j]} (give it in the structure or the step)", "targets")
        tv.append(t)
    return np.array(tv)


def _reference_row(run: Run, i: int, step: NormaliseStep, rows: np.ndarray) -> int:
    """The position within ``rows`` of the reference unit of ``dist2ref``."""
    hit = np.flatnonzero(run.frame.units[run.rows][rows] == step.reference)
    if hit.size == 0:
        raise run.fail(i, step, f"reference unit {step.reference!r} is not in the data", "reference")
    return int(hit[0])


def _weight(run: Run, i: int, step: WeightStep) -> None:
    s = run.structure
    top = s.max_level
    if step.method == "equal":
        levels = step.levels or list(range(1, top))
        s = s.with_weights({c: 1.0 for lev in levels for c in s.codes(lev)})
    elif step.method == "pca":
        for lev in step.levels or [1]:
            if not 1 <= lev < top:
                raise run.fail(i, step, f"level {lev} has no parent level to weight within", "levels")
            values = aggregate_all(s, run.x, AggregateStep())[:, [s.codes().index(c) for c in s.codes(lev)]]
            w = pca_weights(s, lev, values)
            if any(v < 0 for v in w.values()):
                run.notes.append(
                    f"PCA gave negative weights at level {lev}: {', '.join(k for k, v in w.items() if v < 0)}"
                )
            s = s.with_weights(w)
    unknown = sorted(set(step.weights) - set(s.codes()))
    if unknown:
        raise run.fail(i, step, f"unknown codes: {', '.join(unknown)}", "weights")
    run.structure = s.with_weights(step.weights)


def aggregate_all(structure: Structure, x: FloatArray, step: AggregateStep) -> FloatArray:
    """All levels from the indicator matrix: ``rows × structure.codes()`` (raises ValueError if invalid)."""
    blocks = [x]
    cur = x
    for level in range(1, structure.max_level):
        method = step.method_for(level + 1)
        nxt, bad = aggregate_level(
            cur,
            structure.weight_matrix(level),
            structure.membership(level),
            method,
            step.p,
            step.dat_thresh,
            step.renormalise,
        )
        if bad.any():
            parents = structure.codes(level + 1)
            names = sorted({parents[j] for j in np.flatnonzero(bad.any(axis=0))})
            raise ValueError(
                f"the {method} mean needs positive values, but some children of {', '.join(names)} are zero or "
                "negative (normalise to a positive range, e.g. min-max to [1, 100])"
            )
        blocks.append(nxt)
        cur = nxt
    return np.concatenate(blocks, axis=1)


def _aggregate(run: Run, i: int, step: AggregateStep) -> None:
    try:
        run.x = aggregate_all(run.structure, run.x, step)
    except ValueError as exc:
        raise run.fail(i, step, str(exc), "method") from None


_STEPS = {
    "denominate": _denominate,
    "impute": _impute,
    "screen": _screen,
    "treat": _treat,
    "normalise": _normalise,
    "weight": _weight,
    "aggregate": _aggregate,
}


def run_steps(
    frame: Frame,
    steps: Sequence[StepBase],
    source: str = "",
    base_dir: Path = Path("."),
    stop_before: str | None = None,
) -> Run:
    """Run ``steps`` on ``frame``; stop before the first step of kind ``stop_before`` if given."""
    run = Run(frame, np.arange(frame.units.size), frame.values.copy(), frame.structure, source, base_dir)
    run.datasets["Raw"] = (run.rows, run.x.copy())
    for i, step in enumerate(steps):
        if step.kind == stop_before:
            break
        _STEPS[step.kind](run, i, step)  # type: ignore[operator]
        if step.kind != "weight":
            run.datasets[DATASET_OF[step.kind]] = (run.rows, run.x.copy())
    return run
