"""Evaluating a programme on an indicator in the store: the synthetic counterpart, the gap, how sure, the verdict.

:func:`evaluate` reads one indicator for the treated unit and its donors, balances the panel (donors with a
gap are dropped and counted), estimates the effect from the first year of the programme, runs the placebo
tests over every donor, and says what the result means — and what it does not — in kk, ru and en.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np

from ..._messages import Message
from ...errors import DataError, NotFoundError
from ..reader import Reader
from ._donors import donor_pool
from ._estimate import Estimate, estimate
from ._inference import Placebos, in_time_placebo, leave_one_out, placebo_se, placebos
from ._panel import Panel, panel_from_frame
from ._result import Evaluation
from ._verdict import caveats, verdict

__all__ = ["Evaluation", "evaluate", "evaluate_frame", "evaluate_panel"]


def evaluate_panel(
    panel: Panel,
    method: str = "sdid",
    *,
    replications: int = 200,
    seed: int = 0,
    predictors: Sequence[tuple[Any, Any]] | None = None,
    v: str = "equal",
) -> tuple[Estimate, Placebos | None, tuple[float, float] | None]:
    """The estimate on ``panel``, its in-space placebos (one treated unit) and the placebo standard error."""
    est = estimate(panel, method, predictors=predictors, v=v)
    if panel.y.shape[0] - panel.n0 != 1:
        return est, None, None
    pl = placebos(est)
    return est, pl, placebo_se(est, replications, seed, pl)


def _frame(reader: Reader, indicator: str, codes: list[str] | None, treated: str, as_of: Any) -> Any:
    fw = reader.framework
    try:
        unit = fw.indicator(indicator).unit
    except Exception as exc:
        raise NotFoundError(f"indicator {indicator!r} is unknown") from exc
    geos = None if codes is None else [*codes, treated]
    data = reader.observations(indicator, geos, as_of=as_of)
    if codes is None:
        kind = fw.geography.get(treated).kind
        data = data[[fw.geography.resolve(g) is not None and fw.geography.get(g).kind == kind for g in data["geo"]]]
    if data.empty:
        raise DataError(f"{indicator}: no observations for {treated} and its donors")
    if not bool(data["period"].astype(str).str.fullmatch(r"\d{4}").all()):
        raise DataError(f"{indicator}: policy evaluation needs annual data (periods like 2018)")
    sources = data[data["geo"] == treated]["source"].value_counts()
    if len(sources) > 1:  # one source throughout: the one that covers the treated unit best
        data = data[data["source"] == sources.index[0]]
    return data, unit


def evaluate(
    reader: Reader,
    indicator: str,
    treated: str,
    start: int,
    *,
    donors: str | Sequence[str] | None = None,
    method: str = "sdid",
    first: int | None = None,
    last: int | None = None,
    as_of: date | datetime | str | None = None,
    replications: int = 200,
    seed: int = 0,
    predictors: Sequence[tuple[int, int]] | None = None,
    v: str = "equal",
) -> Evaluation:
    """The effect of a programme starting in ``start`` on ``indicator`` in ``treated``, with placebos and a verdict.

    ``donors``: a peer group id (``content/geography/peer_groups.csv``), ``regions``, ``countries`` or codes;
    by default every country (for a country) or every other region of Kazakhstan (for a region).
    ``first``/``last`` bound the years used; the treated unit must have a value in every one of them, donors
    without one are dropped (and named in :attr:`Evaluation.dropped`). ``predictors`` (spans of years whose
    mean outcome is a predictor) and ``v`` (``equal`` or ``optimise``) apply to ``method="adh"``.
    """
    code, pool = donor_pool(reader.framework, treated, donors)
    data, unit = _frame(reader, indicator, pool, code, as_of)
    data = data.assign(year=data["period"].astype(int))
    own = sorted(data.loc[data["geo"] == code, "year"])
    if not own:
        raise DataError(f"{indicator}: no observations for {code}")
    lo, hi = _window(data, code, own, first, last)
    data = data[(data["year"] >= lo) & (data["year"] <= hi)]
    panel = panel_from_frame(
        data, code, start, unit="geo", period="year", value="value", donors=pool, periods=list(range(lo, hi + 1))
    )
    if panel.n0 < 2:
        raise DataError(
            f"{indicator}: {panel.n0} donor(s) with a value in every year {lo}–{hi}; "
            f"at least two are needed ({len(panel.dropped)} left out for missing values)"
        )
    est, pl, se = evaluate_panel(panel, method, replications=replications, seed=seed, predictors=predictors, v=v)
    return _result(indicator, code, start, unit, est, pl, se, replications, seed)


def evaluate_frame(
    frame: Any,
    treated: str,
    start: Any,
    *,
    unit: str,
    period: str,
    value: str,
    method: str = "sdid",
    replications: int = 200,
    seed: int = 0,
    predictors: Sequence[tuple[Any, Any]] | None = None,
    v: str = "equal",
) -> Evaluation:
    """:func:`evaluate` on any long table (a CSV): columns ``unit``, ``period`` and ``value``; every other unit a donor.

    >>> import pandas as pd
    >>> rows = [(u, t, b + t - 2000 + (2.0 if u == "T" and t >= 2004 else 0.0))
    ...         for u, b in [("A", 1.0), ("B", 2.0), ("C", 4.0), ("T", 3.0)] for t in range(2000, 2006)]
    >>> ev = evaluate_frame(pd.DataFrame(rows, columns=["u", "t", "y"]), "T", 2004, unit="u", period="t",
    ...                     value="y", method="did")
    >>> round(ev.effect, 6), ev.donors
    (2.0, ['A', 'B', 'C'])
    """
    if treated not in set(frame[unit].astype(str)):
        raise DataError(f"{value}: no unit {treated!r} in column {unit!r}")
    data = frame.assign(**{unit: frame[unit].astype(str)})
    panel = panel_from_frame(data, treated, start, unit=unit, period=period, value=value)
    est, pl, se = evaluate_panel(panel, method, replications=replications, seed=seed, predictors=predictors, v=v)
    return _result(value, treated, start, "", est, pl, se, replications, seed)


def _window(data: Any, code: str, own: list[int], first: int | None, last: int | None) -> tuple[int, int]:
    """The years used: those given, else the treated unit's years trimmed to where ≥ 75 % of donors have values.

    A latest year that few donors have reached yet (the newest release) would drop most of them.
    """
    counts = data[data["geo"] != code].groupby("year")["geo"].nunique()
    enough = counts[counts >= 0.75 * data.loc[data["geo"] != code, "geo"].nunique()].index
    lo = first if first is not None else max(own[0], int(min(enough, default=own[0])))
    hi = last if last is not None else min(own[-1], int(max(enough, default=own[-1])))
    return max(lo, own[0]), min(hi, own[-1])


def _result(
    indicator: str,
    code: str,
    start: Any,
    unit: str,
    est: Estimate,
    pl: Placebos | None,
    se: tuple[float, float] | None,
    replications: int,
    seed: int,
) -> Evaluation:
    p = est.panel
    observed = p.y[p.n0 :].mean(axis=0)
    synthetic = observed - est.gap
    fake = in_time_placebo(est)
    in_time = None if fake is None else {"start": fake[0], "effect": fake[1]}
    loo = leave_one_out(est) if est.method != "did" else {}
    lam = {str(t): float(w) for t, w in zip(p.pre_periods, est.lam.tolist(), strict=True) if w > 0}
    ev = Evaluation(
        indicator=indicator,
        treated=code,
        start=start,
        method=est.method,
        effect=est.tau,
        unit=unit,
        periods=list(p.periods),
        observed=observed.tolist(),
        synthetic=synthetic.tolist(),
        gap=est.gap.tolist(),
        weights=est.weights(),
        time_weights=lam,
        donors=list(p.donors),
        dropped=dict(p.dropped),
        pre_rmspe=est.pre_rmspe,
        post_rmspe=est.post_rmspe,
        placebo={} if pl is None else dict(zip(pl.units, pl.taus.tolist(), strict=True)),
        placebo_gaps={} if pl is None else dict(zip(pl.units, pl.gaps.tolist(), strict=True)),
        placebo_pre_rmspe={} if pl is None else dict(zip(pl.units, pl.pre_rmspe.tolist(), strict=True)),
        p_value=None if pl is None else pl.p_value,
        p_value_effect=None if pl is None else pl.p_value_effect,
        rank=None if pl is None else pl.rank,
        se=None if se is None else se[0],
        se_exact=None if se is None else se[1],
        replications=replications,
        seed=seed,
        in_time=in_time,
        leave_one_out=loo,
        verdict=Message(""),
    )
    ev.verdict = verdict(ev)
    ev.caveats = caveats(ev, float(np.std(observed[: p.t0], ddof=1)) if p.t0 > 1 else 0.0)
    return ev
