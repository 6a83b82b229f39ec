"""ICT ↔ economy: how strongly, and in which direction, two indicators move together.

Seed 000 asks "to assess the degree and direction of the impact of the processes
of digitalisation of the economy on the results of its effectiveness".  With the
data a monitoring system has, that means associations, not causal effects:

* ``mode="time"``: one geography over years;
* ``mode="cross_section"``: several geographies in one year;
* ``mode="panel"``: geographies × years, with entity fixed effects (the
  within-unit relation), standard errors clustered by entity.

Each gives the number of pairs, Pearson and Spearman correlations with p-values,
and the elasticity — the slope of ``ln y`` on ``ln x`` with its confidence
interval (pairs with a value ≤ 0 are left out and counted).  With fewer than 5
pairs (or fewer than 3 entities in a panel) the verdict is that the data are too
few to say anything, and no estimate is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...errors import DataError, InvalidValueError, UsageError
from ..results import TOO_FEW, json_safe

__all__ = ["TOO_FEW", "Relation", "relate"]

Mode = Literal["time", "cross_section", "panel"]


@dataclass
class Relation:
    """Correlation and elasticity between two indicators, with a plain-language verdict."""

    mode: str
    x: str
    y: str
    n: int
    verdict: str
    geo: str | None = None
    year: int | None = None
    pearson_r: float | None = None
    pearson_p: float | None = None
    spearman_rho: float | None = None
    spearman_p: float | None = None
    elasticity: float | None = None
    elasticity_ci_low: float | None = None
    elasticity_ci_high: float | None = None
    elasticity_p: float | None = None
    elasticity_n: int = 0
    r2: float | None = None
    excluded_nonpositive: int = 0
    n_entities: int | None = None
    n_periods: int | None = None
    within_r: float | None = None
    alpha: float = 0.05
    notes: list[str] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        """Whether anything was estimated (False when the data are too few)."""
        return self.pearson_r is not None or self.elasticity is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict for the CLI and the API."""
        out: dict[str, Any] = json_safe(self)
        out["estimated"] = self.estimated
        return out


def _name(data: pd.Series | pd.DataFrame, default: str) -> str:
    if isinstance(data, pd.DataFrame) and "indicator" in data.columns:
        ids = data["indicator"].dropna().unique()
        if len(ids) > 1:
            raise DataError(f"{default}: pass one indicator, got {', '.join(map(str, ids[:5]))}")
        if len(ids) == 1:
            return str(ids[0])
    if isinstance(data, pd.Series) and data.name is not None:
        return str(data.name)
    return default


def _frame(data: pd.Series | pd.DataFrame, mode: Mode, what: str) -> pd.DataFrame:
    """``geo, year, value`` from a DataFrame or a Series (indexed by year, geo, or (geo, year))."""
    if isinstance(data, pd.Series):
        s = data.rename("value")
        if mode == "panel":
            frame = s.reset_index()
            frame.columns = ["geo", "year", "value"]
        elif mode == "time":
            frame = pd.DataFrame({"geo": "", "year": s.index, "value": s.to_numpy()})
        else:
            frame = pd.DataFrame({"geo": s.index.astype(str), "year": 0, "value": s.to_numpy()})
    elif isinstance(data, pd.DataFrame):
        need = {"time": ["year", "value"], "cross_section": ["geo", "value"], "panel": ["geo", "year", "value"]}[mode]
        missing = [c for c in need if c not in data.columns]
        if missing:
            raise DataError(f"{what}: missing column(s) {', '.join(missing)}")
        frame = data.assign(
            geo=data["geo"].astype(str) if "geo" in data.columns else "",
            year=pd.to_numeric(data["year"]).astype(int) if "year" in data.columns else 0,
        )[["geo", "year", "value"]]
    else:
        raise DataError(f"{what}: expected a pandas Series or DataFrame, got {type(data).__name__}")
    frame = frame.assign(value=pd.to_numeric(frame["value"], errors="coerce").astype(float))
    return frame


def _align(
    x: pd.DataFrame, y: pd.DataFrame, mode: Mode, geo: str | None, year: int | None
) -> tuple[pd.DataFrame, str | None, int | None]:
    if mode == "time":
        geos = sorted(set(x["geo"]) | set(y["geo"]))
        if geo is None and len(geos) > 1:
            raise UsageError(f"time mode: the data cover several geographies ({', '.join(geos[:5])}); pass geo=")
        if geo is not None:
            x, y = x[x["geo"] == geo], y[y["geo"] == geo]
        on = ["year"]
    elif mode == "cross_section":
        years = sorted(set(x["year"]) | set(y["year"]))
        if year is None and len(years) > 1:
            raise UsageError(f"cross-section mode: the data cover several years ({years[0]}–{years[-1]}); pass year=")
        if year is not None:
            x, y = x[x["year"] == year], y[y["year"] == year]
        on = ["geo"]
    else:
        on = ["geo", "year"]
    for side, what in ((x, "x"), (y, "y")):
        if side.duplicated(on).any():
            raise DataError(f"{what}: several values per {' and '.join(on)}; filter to one series first")
    pairs = x.merge(y, on=on, suffixes=("_x", "_y"))
    pairs = pairs.rename(columns={"value_x": "x", "value_y": "y"})
    pairs = pairs[np.isfinite(pairs["x"]) & np.isfinite(pairs["y"])]
    if "geo_x" in pairs.columns:
        pairs = pairs.rename(columns={"geo_x": "geo"})
    if "year_x" in pairs.columns:
        pairs = pairs.rename(columns={"year_x": "year"})
    return pairs[["geo", "year", "x", "y"]].reset_index(drop=True), geo, year


def _correlations(pairs: pd.DataFrame) -> dict[str, float | None]:
    from scipy import stats

    x, y = pairs["x"].to_numpy(), pairs["y"].to_numpy()
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return {"pearson_r": None, "pearson_p": None, "spearman_rho": None, "spearman_p": None}
    pr = stats.pearsonr(x, y)
    sr = stats.spearmanr(x, y)
    return {
        "pearson_r": float(pr.statistic),
        "pearson_p": float(pr.pvalue),
        "spearman_rho": float(sr.statistic),
        "spearman_p": float(sr.pvalue),
    }


def _loglog(pairs: pd.DataFrame, alpha: float, panel: bool, time_effects: bool) -> dict[str, Any]:
    """Elasticity: OLS of ln y on ln x (pooled with constant, or within entities)."""
    import statsmodels.api as sm

    pos = pairs[(pairs["x"] > 0) & (pairs["y"] > 0)].copy()
    out: dict[str, Any] = {"excluded_nonpositive": len(pairs) - len(pos), "elasticity_n": len(pos)}
    pos["lx"], pos["ly"] = np.log(pos["x"]), np.log(pos["y"])
    if panel:
        sizes = pos.groupby("geo")["year"].transform("size")
        pos = pos[sizes > 1]  # a unit seen once has no within variation
        out["elasticity_n"] = len(pos)
        out["n_entities"] = int(pos["geo"].nunique())
        cols = ["lx"]
        if time_effects:
            dummies = pd.get_dummies(pos["year"], prefix="y", drop_first=True, dtype=float)
            pos = pd.concat([pos, dummies], axis=1)
            cols += list(dummies.columns)
        within = pos[["ly", *cols]] - pos.groupby("geo")[["ly", *cols]].transform("mean")
        if out["n_entities"] < 3 or len(pos) < 5 or float(within["lx"].abs().max()) == 0:
            return out
        out["within_r"] = float(np.corrcoef(within["lx"], within["ly"])[0, 1])
        fit = sm.OLS(within["ly"].to_numpy(), within[cols].to_numpy()).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(pos["geo"])[0]}, use_t=True
        )
    else:
        if len(pos) < 5 or np.ptp(pos["lx"]) == 0:
            return out
        fit = sm.OLS(pos["ly"].to_numpy(), sm.add_constant(pos["lx"].to_numpy())).fit()
    k = 0 if panel else 1
    ci = np.asarray(fit.conf_int(alpha))
    out.update(
        elasticity=float(fit.params[k]),
        elasticity_ci_low=float(ci[k, 0]),
        elasticity_ci_high=float(ci[k, 1]),
        elasticity_p=float(fit.pvalues[k]),
        r2=float(fit.rsquared),
    )
    return out


def _strength(r: float) -> str:
    a = abs(r)
    word = "weak" if a < 0.3 else "moderate" if a < 0.7 else "strong"
    return f"{word} {'positive' if r > 0 else 'negative' if r < 0 else 'zero'}"


def _num(v: float) -> str:
    return f"{v:.2f}".replace("-", "−")


def _verdict(rel: Relation, scope: str) -> str:
    level = f"{100 * (1 - rel.alpha):g} %"
    parts: list[str] = []
    r = rel.within_r if rel.mode == "panel" else rel.pearson_r
    p = rel.pearson_p
    if rel.mode == "panel" and rel.within_r is not None:
        parts.append(
            f"{scope}: within units, {rel.x} and {rel.y} show a {_strength(rel.within_r)} relation "
            f"(r = {_num(rel.within_r)})"
        )
    elif r is not None and p is not None and rel.spearman_rho is not None:
        sig = "statistically significant" if p < rel.alpha else "not statistically significant"
        parts.append(
            f"{scope}: {rel.x} and {rel.y} show a {_strength(r)} correlation (Pearson r = {_num(r)}, p = {p:.3g}, "
            f"{sig} at {100 * rel.alpha:g} %; Spearman ρ = {_num(rel.spearman_rho)}, p = {rel.spearman_p:.3g})"
        )
    else:
        parts.append(f"{scope}: one of the indicators does not vary, so no correlation can be computed")
    if rel.elasticity is not None and rel.elasticity_ci_low is not None and rel.elasticity_ci_high is not None:
        sig = (
            "distinguishable from zero"
            if rel.elasticity_ci_low > 0 or rel.elasticity_ci_high < 0
            else "not distinguishable from zero"
        )
        parts.append(
            f"elasticity {_num(rel.elasticity)} "
            f"({level} CI {_num(rel.elasticity_ci_low)} to {_num(rel.elasticity_ci_high)}, "
            f"n = {rel.elasticity_n}, {sig}): 1 % more {rel.x} goes with {_num(rel.elasticity)} % more {rel.y}"
        )
    else:
        parts.append(f"no elasticity: too few pairs with both values positive (n = {rel.elasticity_n})")
    if rel.mode == "time":
        parts.append("two series that both trend over time correlate whatever the cause")
    parts.append("an association, not a proof of impact")
    return "; ".join(parts)


def relate(
    x: pd.Series | pd.DataFrame,
    y: pd.Series | pd.DataFrame,
    mode: Mode = "time",
    *,
    geo: str | None = None,
    year: int | None = None,
    time_effects: bool = False,
    alpha: float = 0.05,
    min_n: int = 5,
    min_entities: int = 3,
) -> Relation:
    """Correlation (Pearson, Spearman) and elasticity (log-log OLS, CI) between ``x`` and ``y``.

    ``x``, ``y``: DataFrames with ``geo``, ``year``, ``value`` (one indicator each),
    or Series indexed by year (time), geo (cross-section) or (geo, year) (panel).
    ``time_effects`` adds year effects to the panel model.

    >>> years = range(2010, 2018)
    >>> ict = pd.Series([1.0, 1.5, 2.1, 2.4, 3.2, 3.9, 4.1, 5.0], index=years, name="ict_costs")
    >>> gdp = pd.Series([10.0, 11.8, 13.9, 14.5, 16.9, 18.6, 19.4, 22.1], index=years, name="gdp")
    >>> r = relate(ict, gdp, "time")
    >>> r.n, round(r.pearson_r, 3), round(r.elasticity, 2), r.elasticity_ci_low > 0
    (8, 0.999, 0.49, True)
    >>> relate(ict.head(4), gdp.head(4)).verdict
    'too few observations to say anything: n = 4 paired observations over years; at least 5 are needed'
    """
    if mode not in ("time", "cross_section", "panel"):
        raise InvalidValueError(f"mode must be 'time', 'cross_section' or 'panel', got {mode!r}")
    if not 0 < alpha < 1:
        raise InvalidValueError(f"alpha must be between 0 and 1, got {alpha}")
    x_name, y_name = _name(x, "x"), _name(y, "y")
    pairs, geo, year = _align(_frame(x, mode, "x"), _frame(y, mode, "y"), mode, geo, year)
    n = len(pairs)
    rel = Relation(mode=mode, x=x_name, y=y_name, n=n, verdict="", geo=geo, year=year, alpha=alpha)
    if mode == "panel":
        rel.n_entities = int(pairs["geo"].nunique())
        rel.n_periods = int(pairs["year"].nunique())
    what = {
        "time": "paired observations over years",
        "cross_section": "units with both values",
        "panel": "unit-years",
    }[mode]
    if n < min_n:
        rel.verdict = f"{TOO_FEW}: n = {n} {what}; at least {min_n} are needed"
        return rel
    if mode == "panel" and (rel.n_entities or 0) < min_entities:
        rel.verdict = f"{TOO_FEW}: {rel.n_entities} unit(s) in the panel; at least {min_entities} are needed"
        return rel
    for key, value in {**_correlations(pairs), **_loglog(pairs, alpha, mode == "panel", time_effects)}.items():
        setattr(rel, key, value)
    if rel.excluded_nonpositive:
        rel.notes.append(f"{rel.excluded_nonpositive} pair(s) with a value ≤ 0 left out of the log-log elasticity")
    if mode == "panel":
        rel.notes.append("correlations are pooled over all unit-years; the elasticity is within units (fixed effects)")
        if rel.n_entities is not None and pairs["geo"].nunique() > (rel.n_entities or 0):
            rel.notes.append(
                "units observed in only one year add nothing within units and were left out of the elasticity"
            )
    if mode == "time":
        scope = f"over {pairs['year'].min()}–{pairs['year'].max()}" + (f" in {geo}" if geo else "") + f" ({n} years)"
    elif mode == "cross_section":
        scope = f"across {n} units" + (f" in {year}" if year is not None else "")
    else:
        scope = f"in a panel of {rel.n_entities} units × {rel.n_periods} years ({n} unit-years)"
    rel.verdict = _verdict(rel, scope[0].upper() + scope[1:])
    return rel
