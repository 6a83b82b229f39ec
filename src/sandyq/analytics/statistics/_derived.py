"""Derived indicators: ``numerator / denominator × factor``, computed on read.

An indicator whose framework entry has a :class:`~sandyq.framework._models.Formula`
is not stored; it is computed from the observations of its two inputs for every
geography, period and breakdown where both exist.  Each derived row says so:
``status`` and ``source`` are ``"derived"``, ``vintage`` is the later of the two
inputs' vintages (a derived figure is as new as its newest input), and ``note``
names the inputs with their sources and vintages.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ...errors import ComputationError, DataError, FrameworkError, Problem
from ...framework._models import Indicator
from ...store import DERIVED_SOURCE
from ._rates import ratio

__all__ = ["DERIVED", "derive", "derive_all"]

#: The ``status`` and ``source`` of a derived observation.
DERIVED = DERIVED_SOURCE

_REQUIRED = ("indicator", "geo", "period", "dims", "value")
_COLUMNS = ["indicator", "geo", "period", "year", "dims", "value", "unit", "status", "source", "vintage", "note"]


def _latest(observations: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The rows of one indicator, keeping the latest vintage of each geo/period/dims."""
    rows = observations[observations["indicator"] == indicator]
    if "vintage" in rows.columns:
        rows = rows.sort_values("vintage", kind="stable", na_position="first")
    return rows.drop_duplicates(["geo", "period", "dims"], keep="last")


def _label(rows: pd.DataFrame, name: str) -> pd.Series:
    """'id [source, 2024-10-09]' for each input row."""
    source = rows["source"].fillna("?").astype(str) if "source" in rows.columns else pd.Series("?", index=rows.index)
    if "vintage" in rows.columns:
        vintage = pd.to_datetime(rows["vintage"]).dt.strftime("%Y-%m-%d").fillna("no vintage")
    else:
        vintage = pd.Series("no vintage", index=rows.index)
    return name + " [" + source + ", " + vintage.astype(str) + "]"


def derive(
    indicator: Indicator,
    observations: pd.DataFrame,
    *,
    denominator_dims: str | None = None,
    keep_uncomputable: bool = False,
) -> pd.DataFrame:
    """Compute ``indicator`` from its formula's inputs in ``observations``.

    Inputs are matched on geo, period and dims; with ``denominator_dims=""`` every
    breakdown of the numerator is divided by the denominator's total instead.  Of
    several rows for the same input key, the latest vintage is used.  Where the
    denominator is missing, zero or negative there is no derived value; with
    ``keep_uncomputable=True`` such rows are returned with ``value`` NaN and the
    reason in ``note``.

    >>> from sandyq.framework._models import Formula, Text
    >>> ind = Indicator(id="users_per_100", name=Text(kk="x", ru="x", en="Internet users per 100 people"),
    ...                 unit="PER_100", source="seed-000",
    ...                 formula=Formula(numerator="users", denominator="pop", factor=100))
    >>> obs = pd.DataFrame({"indicator": ["users", "pop", "pop"], "geo": "KAZ", "period": ["2010", "2010", "2011"],
    ...     "year": [2010, 2010, 2011], "dims": "", "value": [5154157.0, 16310624.0, 16554305.0], "unit": "PERSONS",
    ...     "status": "", "source": "seed-000", "vintage": pd.to_datetime(["2019-05-01", "2019-06-01", "2019-06-01"]),
    ...     "note": ""})
    >>> out = derive(ind, obs)
    >>> out[["period", "status", "source"]].to_dict("records"), round(float(out.loc[0, "value"]), 1)
    ([{'period': '2010', 'status': 'derived', 'source': 'derived'}], 31.6)
    >>> str(out.loc[0, "vintage"].date())
    '2019-06-01'
    >>> out.loc[0, "note"]
    '= users [seed-000, 2019-05-01] / pop [seed-000, 2019-06-01] × 100'
    """
    formula = indicator.formula
    if formula is None:
        raise ComputationError(f"indicator {indicator.id!r} has no formula, so it cannot be derived")
    missing = [c for c in _REQUIRED if c not in observations.columns]
    if missing:
        raise DataError(
            "observations: missing column(s) " + ", ".join(missing),
            [Problem("", f"columns present: {', '.join(map(str, observations.columns))}")],
        )
    num = _latest(observations, formula.numerator)
    den = _latest(observations, formula.denominator)
    if denominator_dims is not None:
        den = den[den["dims"] == denominator_dims]
        on = ["geo", "period"]
    else:
        on = ["geo", "period", "dims"]
    num = num.assign(_label=_label(num, formula.numerator), _vintage=num.get("vintage", pd.NaT))
    den = den.assign(_dlabel=_label(den, formula.denominator), _dvintage=den.get("vintage", pd.NaT))
    cols = list(
        dict.fromkeys([*on, "dims", *(["year"] if "year" in num.columns else []), "value", "_label", "_vintage"])
    )
    merged = ratio(num[cols], den[[*on, "value"]], formula.factor, on=on)
    merged = merged.merge(den[[*on, "_dlabel", "_dvintage"]], on=on, how="left")
    ok = merged["flag"].eq("ok").to_numpy()
    if not keep_uncomputable:
        merged = merged[ok]
        ok = ok[ok]
    vintages = pd.concat([pd.to_datetime(merged["_vintage"]), pd.to_datetime(merged["_dvintage"])], axis=1)
    note = "= " + merged["_label"] + " / " + merged["_dlabel"].fillna(formula.denominator) + f" × {formula.factor:g}"
    out = pd.DataFrame(
        {
            "indicator": indicator.id,
            "geo": merged["geo"],
            "period": merged["period"].astype(str),
            "year": merged["year"] if "year" in merged.columns else merged["period"].astype(str).str[:4].astype(int),
            "dims": merged["dims"],
            "value": merged["ratio"].astype(float),
            "unit": indicator.unit,
            "status": DERIVED,
            "source": DERIVED,
            "vintage": vintages.max(axis=1),
            "note": np.where(ok, note, "not computable: " + merged["reason"] + " " + note),
        },
        columns=_COLUMNS,
    )
    return out.sort_values(["geo", "period", "dims"], kind="stable").reset_index(drop=True)


def derive_all(indicators: Iterable[Indicator], observations: pd.DataFrame) -> pd.DataFrame:
    """Derive every indicator that has a formula, in dependency order (a formula may use a derived input).

    Returns the derived rows only (same columns as :func:`derive`).  A cycle among
    formulas is an error.

    >>> from sandyq.framework._models import Formula, Text
    >>> t = Text(kk="x", ru="x", en="x")
    >>> a = Indicator(id="a", name=t, unit="NUMBER", source="s", formula=Formula(numerator="b", denominator="c"))
    >>> b = Indicator(id="b", name=t, unit="NUMBER", source="s",
    ...               formula=Formula(numerator="c", denominator="d", factor=2))
    >>> obs = pd.DataFrame({"indicator": ["c", "d"], "geo": "KAZ", "period": "2020", "year": 2020, "dims": "",
    ...                     "value": [4.0, 8.0], "source": "s", "vintage": pd.Timestamp("2021-01-01")})
    >>> derive_all([a, b], obs)[["indicator", "value"]].to_dict("records")
    [{'indicator': 'b', 'value': 1.0}, {'indicator': 'a', 'value': 0.25}]
    """
    formulas = {i.id: i for i in indicators if i.formula is not None}
    graph = {
        i.id: {x for x in (i.formula.numerator, i.formula.denominator) if x in formulas}
        for i in formulas.values()
        if i.formula is not None
    }
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise FrameworkError(f"derived indicators refer to each other in a cycle: {' → '.join(exc.args[1])}") from exc
    done: list[pd.DataFrame] = []
    pool = observations
    for ind_id in order:
        rows = derive(formulas[ind_id], pool)
        if len(rows):
            done.append(rows)
            pool = pd.concat([pool, rows], ignore_index=True)
    if not done:
        return pd.DataFrame(columns=_COLUMNS)
    return pd.concat(done, ignore_index=True)
