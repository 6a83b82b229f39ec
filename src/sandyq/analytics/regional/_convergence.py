"""Sigma and beta convergence of regions, honest about boundary changes and small samples.

*Sigma convergence*: the dispersion across units (CV, sd of logs, Gini, Theil)
falls over time — the slope of an OLS trend of the measure on the year.

*Beta convergence*: units that start lower grow faster — the slope ``β`` of the
cross-section OLS ``g_i = α + β ln y_i,t0 + ε`` with ``g_i = ln(y_i,t1 / y_i,t0) / T``
(annualised log growth, ``T = t1 − t0``).  ``β < 0`` is convergence; its implied
speed is ``λ = −ln(1 + βT) / T`` and the half-life ``ln 2 / λ`` (Barro and
Sala-i-Martin).

Across a boundary change the units are not the same territory at both ends; with
``boundary="exclude"`` (default) they are left out and listed, with
``boundary="include"`` they stay in and the result says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..._messages import Message, number
from ...errors import ComputationError, InvalidValueError, UsageError
from ..results import TOO_FEW, json_safe
from ._dispersion import dispersion_table, prepare
from ._territory import BoundaryNote, Existence, Territory

__all__ = ["TOO_FEW", "BetaConvergence", "SigmaConvergence", "beta_convergence", "sigma_convergence"]

Boundary = Literal["exclude", "include"]

_MEASURES = {
    "cv": "coefficient of variation",
    "sd_log": "standard deviation of logs",
    "gini": "Gini coefficient",
    "theil": "Theil index",
    "cv_w": "population-weighted coefficient of variation",
    "gini_w": "population-weighted Gini coefficient",
    "theil_w": "population-weighted Theil index",
}


def _ols(y: np.ndarray, x: np.ndarray, alpha: float, weights: np.ndarray | None = None) -> dict[str, float]:
    import statsmodels.api as sm

    design = sm.add_constant(x, has_constant="add")
    fit = (sm.OLS(y, design) if weights is None else sm.WLS(y, design, weights=weights)).fit()
    ci = np.asarray(fit.conf_int(alpha))
    return {
        "intercept": float(fit.params[0]),
        "slope": float(fit.params[1]),
        "ci_low": float(ci[1, 0]),
        "ci_high": float(ci[1, 1]),
        "p_value": float(fit.pvalues[1]),
        "r2": float(fit.rsquared),
    }


def _window(data: pd.DataFrame, start: int | None, end: int | None) -> tuple[int, int]:
    years = pd.to_numeric(data["year"]).astype(int)
    if years.empty:
        raise ComputationError("regional data: no rows")
    t0 = int(years.min()) if start is None else int(start)
    t1 = int(years.max()) if end is None else int(end)
    if t1 <= t0:
        raise InvalidValueError(f"convergence: the end year {t1} must be after the start year {t0}")
    return t0, t1


def _boundary(
    units: pd.Series, t0: int, t1: int, territory: Territory, boundary: Boundary
) -> tuple[dict[str, str], list[str]]:
    if boundary not in ("exclude", "include"):
        raise InvalidValueError(f"boundary must be 'exclude' or 'include', got {boundary!r}")
    unstable = territory.unstable(units.unique().tolist(), t0, t1)
    notes: list[str] = []
    if unstable and boundary == "exclude":
        notes.append(
            Message(
                "left out {n} unit(s) that are not the same territory throughout {t0}–{t1}: {units}",
                {"n": len(unstable), "t0": t0, "t1": t1, "units": ", ".join(sorted(unstable))},
            )
        )
    elif unstable:
        notes.append(
            Message(
                "kept {n} unit(s) whose territory changes within {t0}–{t1} ({units}): figures before and after a "
                "change are not strictly comparable",
                {"n": len(unstable), "t0": t0, "t1": t1, "units": ", ".join(sorted(unstable))},
            )
        )
    return unstable, notes


def _pm(value: float) -> str:
    return f"{value:+.3g}".replace("-", "−")


@dataclass(frozen=True)
class _Signed:
    """A signed figure with 3 significant digits and a true minus sign, in the language of its sentence."""

    value: float

    def get(self, language: str) -> str:
        return number(language, self.value, "+.3g").replace("-", "−")

    def __str__(self) -> str:
        return _pm(self.value)


@dataclass
class SigmaConvergence:
    """The trend of dispersion over years."""

    measure: str
    start: int
    end: int
    n_years: int
    slope: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    first: float | None
    last: float | None
    boundary: str
    verdict: str
    excluded_units: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (the per-year table as records)."""
        out: dict[str, Any] = json_safe(self)
        return out


def sigma_convergence(
    data: pd.DataFrame,
    *,
    measure: str = "cv",
    start: int | None = None,
    end: int | None = None,
    boundary: Boundary = "exclude",
    weight: str | None = None,
    ddof: int = 0,
    alpha: float = 0.05,
    min_years: int = 5,
    geography: Any | None = None,
    existence: Existence | None = None,
    boundary_note: BoundaryNote | None = None,
) -> SigmaConvergence:
    """OLS trend of a dispersion ``measure`` on the year over [start, end], with its CI.

    >>> years = np.repeat(np.arange(2010, 2016), 3)
    >>> spread = np.repeat([6.0, 5.0, 4.0, 3.0, 2.0, 1.0], 3) * np.tile([-1.0, 0.0, 1.0], 6)
    >>> d = pd.DataFrame({"geo": list("ABC") * 6, "year": years, "value": 50 + spread})
    >>> s = sigma_convergence(d)
    >>> s.verdict.split(":")[0], s.n_years, round(s.slope, 4)
    ('sigma convergence', 6, -0.0163)
    """
    if measure not in _MEASURES:
        raise InvalidValueError(f"unknown dispersion measure {measure!r}; use one of {', '.join(_MEASURES)}")
    if measure.endswith("_w") and not weight:
        raise UsageError(f"the weighted measure {measure!r} needs a weight column (weight=...)")
    territory = Territory(geography, existence=existence, boundary_note=boundary_note)
    t0, t1 = _window(data, start, end)
    d = data[(pd.to_numeric(data["year"]) >= t0) & (pd.to_numeric(data["year"]) <= t1)]
    unstable, notes = _boundary(d["geo"].astype(str), t0, t1, territory, boundary)
    if boundary == "exclude":
        d = d[~d["geo"].astype(str).isin(unstable)]
    table = dispersion_table(d, territory, weight=weight, ddof=ddof)
    series = table[["year", "n", measure, "flag", "reason", "changes"]].rename(columns={measure: "value"})
    lost = series[series["value"].isna()]
    if len(lost):
        notes.append(
            "no value for "
            + "; ".join(f"{y} ({r or 'no data'})" for y, r in zip(lost["year"], lost["reason"], strict=True))
        )
    changed = series.loc[series["changes"] != "", ["year", "changes"]]
    notes += [f"{y}: {c}" for y, c in zip(changed["year"], changed["changes"], strict=True)]
    ok = series.dropna(subset=["value"])
    label = _MEASURES[measure]
    base: dict[str, Any] = {
        "measure": measure,
        "start": t0,
        "end": t1,
        "n_years": len(ok),
        "boundary": boundary,
        "excluded_units": unstable,
        "notes": notes,
        "table": series.reset_index(drop=True),
    }
    if len(ok) < max(min_years, 3):
        verdict = f"{TOO_FEW}: the {label} is available for {len(ok)} year(s); at least {max(min_years, 3)} are needed"
        return SigmaConvergence(
            slope=None, ci_low=None, ci_high=None, p_value=None, first=None, last=None, verdict=verdict, **base
        )
    est = _ols(ok["value"].to_numpy(dtype=float), ok["year"].to_numpy(dtype=float), alpha)
    first, last = float(ok["value"].iloc[0]), float(ok["value"].iloc[-1])
    y0, y1 = int(ok["year"].iloc[0]), int(ok["year"].iloc[-1])
    ci = Message(
        "{level} % CI {lo} to {hi}, {n} {n:plural:year|years}",
        {"level": 100 * (1 - alpha), "lo": _Signed(est["ci_low"]), "hi": _Signed(est["ci_high"]), "n": len(ok)},
    )
    path = Message(
        "from {first:.3g} in {y0} to {last:.3g} in {y1}; trend {slope} per year ({ci})",
        {"first": first, "y0": y0, "last": last, "y1": y1, "slope": _Signed(est["slope"]), "ci": ci},
    )
    said = {"label": Message(label), "path": path}
    if est["ci_high"] < 0:
        verdict = Message("sigma convergence: the {label} fell {path}", said)
    elif est["ci_low"] > 0:
        verdict = Message("sigma divergence: the {label} rose {path}", said)
    else:
        verdict = Message("no clear trend in the {label}: it went {path}; the interval includes 0", said)
    if unstable and boundary == "include":
        verdict += Message("; boundary changes inside the window (see notes)")
    return SigmaConvergence(
        slope=est["slope"],
        ci_low=est["ci_low"],
        ci_high=est["ci_high"],
        p_value=est["p_value"],
        first=first,
        last=last,
        verdict=verdict,
        **base,
    )


@dataclass
class BetaConvergence:
    """Growth regressed on the initial level across units."""

    start: int
    end: int
    n: int
    beta: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    intercept: float | None
    r2: float | None
    speed: float | None
    half_life: float | None
    boundary: str
    verdict: str
    weighted: bool = False
    excluded_units: dict[str, str] = field(default_factory=dict)
    excluded_nonpositive: int = 0
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    units: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (the per-unit table as records)."""
        out: dict[str, Any] = json_safe(self)
        return out


def beta_convergence(
    data: pd.DataFrame,
    start: int | None = None,
    end: int | None = None,
    *,
    boundary: Boundary = "exclude",
    weight: str | None = None,
    alpha: float = 0.05,
    min_n: int = 5,
    geography: Any | None = None,
    existence: Existence | None = None,
    boundary_note: BoundaryNote | None = None,
) -> BetaConvergence:
    """β from ``ln(y_t1/y_t0)/T = α + β ln y_t0``: its CI, speed of convergence, half-life, R², n.

    Units need a positive value at both ends; others are left out and counted.  With ``weight`` (a column, e.g.
    population) the regression is weighted least squares on each unit's weight in the start year, so large
    regions count for more; the result says ``weighted``.

    >>> rng = np.random.default_rng(1)
    >>> y0 = np.exp(rng.normal(3, 0.5, 40))
    >>> g = 0.1 - 0.02 * np.log(y0) + rng.normal(0, 0.002, 40)
    >>> d = pd.DataFrame({"geo": np.tile(np.arange(40).astype(str), 2), "year": np.repeat([2010, 2020], 40),
    ...                   "value": np.r_[y0, y0 * np.exp(10 * g)]})
    >>> b = beta_convergence(d)
    >>> b.n, b.ci_low < -0.02 < b.ci_high, 30 < b.half_life < 33  # true β −0.02: half-life ln 2/λ = 31 years
    (40, True, True)
    """
    territory = Territory(geography, existence=existence, boundary_note=boundary_note)
    t0, t1 = _window(data, start, end)
    T = t1 - t0
    unstable, notes = _boundary(data["geo"].astype(str), t0, t1, territory, boundary)
    rows, _ = prepare(data[pd.to_numeric(data["year"]).isin([t0, t1])], territory, weight=weight)
    if boundary == "exclude":
        rows = rows[~rows["geo"].isin(unstable)]
    wide = rows.pivot(index="geo", columns="year", values="value").reindex(columns=[t0, t1])
    start_weight = rows[rows["year"] == t0].set_index("geo")["weight"] if weight else None
    missing = sorted(wide.index[wide.isna().any(axis=1)].tolist())
    wide = wide.dropna()
    positive = (wide > 0).all(axis=1)
    nonpositive = int((~positive).sum())
    if nonpositive:
        notes.append(
            Message(
                "left out {n} unit(s) with a value ≤ 0 (logs undefined): {units}",
                {"n": nonpositive, "units": ", ".join(wide.index[~positive])},
            )
        )
    if missing:
        notes.append(
            Message(
                "left out {n} unit(s) without a value in {t0} or {t1}: {units}",
                {"n": len(missing), "t0": t0, "t1": t1, "units": ", ".join(missing)},
            )
        )
    wide = wide[positive]
    units = pd.DataFrame({"geo": wide.index, "initial": wide[t0].to_numpy(), "final": wide[t1].to_numpy()})
    units["growth"] = np.log(units["final"] / units["initial"]) / T
    base: dict[str, Any] = {
        "start": t0,
        "end": t1,
        "n": len(units),
        "boundary": boundary,
        "weighted": weight is not None,
        "excluded_units": unstable,
        "excluded_nonpositive": nonpositive,
        "missing": missing,
        "notes": notes,
        "units": units,
    }
    if len(units) < max(min_n, 3):
        verdict = f"{TOO_FEW}: {len(units)} unit(s) with values in {t0} and {t1}; at least {max(min_n, 3)} are needed"
        return BetaConvergence(
            beta=None,
            ci_low=None,
            ci_high=None,
            p_value=None,
            intercept=None,
            r2=None,
            speed=None,
            half_life=None,
            verdict=verdict,
            **base,
        )
    w = None if start_weight is None else start_weight.reindex(units["geo"]).to_numpy(dtype=float)
    est = _ols(units["growth"].to_numpy(dtype=float), np.log(units["initial"].to_numpy(dtype=float)), alpha, w)
    beta = est["slope"]
    speed = -math.log(1 + beta * T) / T if 1 + beta * T > 0 else None
    half_life = math.log(2) / speed if speed is not None and speed > 0 else None
    ci = Message(
        "{level} % CI {lo} to {hi}, n = {n}, R² = {r2:.2f}",
        {"level": 100 * (1 - alpha), "lo": _Signed(est["ci_low"]), "hi": _Signed(est["ci_high"]), "n": len(units),
         "r2": est["r2"]},
    )  # fmt: skip
    said = {"t0": t0, "t1": t1, "beta": _Signed(beta), "ci": ci}
    if est["ci_high"] < 0:
        msgid = "beta convergence {t0}–{t1}: units starting lower grew faster (β = {beta}, {ci})"
        if half_life:
            msgid += ", half-life {hl:.0f} years"
        verdict = Message(msgid, {**said, "hl": half_life})
    elif est["ci_low"] > 0:
        verdict = Message("beta divergence {t0}–{t1}: units starting higher grew faster (β = {beta}, {ci})", said)
    else:
        verdict = Message("no clear beta convergence {t0}–{t1}: β = {beta} ({ci}); the interval includes 0", said)
    if unstable and boundary == "include":
        verdict += Message("; boundary changes inside the window (see notes)")
    if weight:
        verdict += Message("; weighted by {w}", {"w": Message(str(weight))})
    else:
        verdict += Message("; unweighted (every region counts the same)")
    return BetaConvergence(
        beta=beta,
        ci_low=est["ci_low"],
        ci_high=est["ci_high"],
        p_value=est["p_value"],
        intercept=est["intercept"],
        r2=est["r2"],
        speed=speed,
        half_life=half_life,
        verdict=verdict,
        **base,
    )
