"""Derived figures that do not follow from their inputs: ratios, growth rates, average annual growth.

A published derived figure is consistent when recomputing it from its inputs and
rounding the result to the figure's printed precision gives the printed figure
(:func:`~sandyq.analytics.statistics.matches_printed`; precision read from the
stored value, :func:`sandyq.analytics.statistics.shown_decimals`).

Which stored figures are derived, and from what, comes from framework metadata
only — no list of known cases:

* **formula**: an indicator with a ``formula`` (numerator / denominator × factor)
  that also has *stored* (published) values is checked against its inputs.
* **growth conventions**: an indicator in unit ``GROWTH_INDEX_PT`` (index, 100 =
  no change) or ``RATE_PT`` (rate of change, %) whose id is a base id ``X`` plus a
  suffix in :data:`GROWTH_SUFFIXES` is the growth of ``X``:

  - ``X.aagr`` / ``X_aagr``: the average annual growth of ``X`` over the window
    in its ``window=YYYY-YYYY`` dimension, ``(X_end / X_start)^(1/(end − start))``
    (rows without a window are not checked);
  - ``X.growth`` / ``X_growth``: the growth of ``X`` on the previous year.

  ``X`` is the id without the suffix if the framework has it, otherwise that id
  without a lower-case namespace prefix (``kz.computers_in_organizations.aagr`` →
  ``computers_in_organizations``).

Inputs are taken from the printed figure's own source where it has them (a table
checked against its own inputs: a mismatch is an ``error``), otherwise from the
input indicator's source, otherwise from the source that
:func:`sandyq.store.rank_sources` ranks first (then a mismatch is a ``warning``:
definitions and revisions may differ).  A derived figure whose inputs are missing
is reported as ``unverifiable`` (``info``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...framework import Framework
from ...store import pick_source
from ..statistics import average_growth, chain_index, half_unit, matches_printed, round_half_up
from ._data import AuditData, empty_findings, fmt

__all__ = ["GROWTH_SUFFIXES", "check_derived", "growth_links"]

#: id suffix → kind of growth (``average`` over a window, ``chain`` on the previous year).
GROWTH_SUFFIXES: dict[str, str] = {".aagr": "average", "_aagr": "average", ".growth": "chain", "_growth": "chain"}
_GROWTH_UNITS = {"GROWTH_INDEX_PT": "index", "RATE_PT": "rate"}
_NAMESPACE = re.compile(r"^[a-z]+\.")
_WINDOW = re.compile(r"(?:^|;)window=(\d{4})-(\d{4})(?:;|$)")


def growth_links(framework: Framework) -> pd.DataFrame:
    """Indicators that are the growth of another, by the naming convention: ``indicator, base, kind, measure``.

    >>> links = growth_links(__import__("sandyq").load_framework()).set_index("indicator")
    >>> links.loc["kz.ict_costs.aagr", ["base", "kind", "measure"]].tolist()
    ['kz.ict_costs', 'average', 'index']
    >>> links.loc["kz.computers_in_organizations.aagr", "base"], links.loc["kz.internet_users_growth", "measure"]
    ('computers_in_organizations', 'rate')
    """
    rows = []
    for ind_id, ind in framework.indicators.items():
        measure = _GROWTH_UNITS.get(ind.unit)
        if measure is None:
            continue
        for suffix, kind in GROWTH_SUFFIXES.items():
            if not ind_id.endswith(suffix):
                continue
            stem = ind_id[: -len(suffix)]
            for base in (stem, _NAMESPACE.sub("", stem)):
                other = framework.indicators.get(base)
                if other is not None and other.unit not in _GROWTH_UNITS:
                    rows.append((ind_id, base, kind, measure))
                    break
            break
    return pd.DataFrame(rows, columns=["indicator", "base", "kind", "measure"])


def _compare(rows: pd.DataFrame, rule: str) -> pd.DataFrame:
    """Findings from rows with ``value`` (printed), ``computed``, ``decimals``, ``input_sources``, ``inputs``."""
    printed = rows["value"].to_numpy(dtype=float)
    computed = rows["computed"].to_numpy(dtype=float)
    dec = rows["decimals"].to_numpy(dtype=int)
    ok = np.asarray(matches_printed(computed, printed, dec), dtype=bool)
    bad = rows[~ok & np.isfinite(computed)].copy()
    if bad.empty:
        return empty_findings()
    b_dec = bad["decimals"].to_numpy(dtype=int)
    same = bad["input_sources"].map(lambda s: set(s) <= {"__same__"})
    rounded = round_half_up(bad["computed"].to_numpy(dtype=float), b_dec)
    text_printed, text_computed = fmt(bad["value"], b_dec), fmt(rounded, b_dec)
    own = np.where(same, "the same source", "another source")
    bad["sources"] = [
        tuple(dict.fromkeys([s, *(s if x == "__same__" else x for x in xs)]))
        for s, xs in zip(bad["source"], bad["input_sources"], strict=True)
    ]
    bad["severity"] = np.where(same, "error", "warning")
    bad["expected"] = bad["computed"]
    bad["found"] = bad["value"]
    bad["tolerance"] = (
        "±"
        + fmt(half_unit(b_dec), b_dec + 1)
        + " (rounding to "
        + pd.Series(b_dec, index=bad.index).astype(str)
        + " printed decimal(s))"
    )
    bad["message"] = (
        "printed "
        + text_printed
        + ", recomputed "
        + text_computed
        + " ("
        + fmt(bad["computed"], 4)
        + ") from "
        + bad["inputs"]
        + ", inputs from "
        + own
    )
    bad["figures"] = [
        {"printed": p, "recomputed": c, "rounded": float(r), "decimals": int(d)}
        for p, c, r, d in zip(bad["value"], bad["computed"], rounded, b_dec, strict=True)
    ]
    bad["rule"] = rule
    return bad


def _unverifiable(rows: pd.DataFrame, why: pd.Series, related: tuple[str, ...] = ()) -> pd.DataFrame:
    out = rows.copy()
    if "related" not in out.columns:
        out["related"] = [related] * len(out)
    out["rule"], out["severity"] = "unverifiable", "info"
    out["sources"] = out["source"].map(lambda s: (s,))
    out["expected"], out["found"] = np.nan, out["value"]
    out["tolerance"] = ""
    out["message"] = "printed " + fmt(out["value"], out["decimals"]) + " cannot be checked: " + why
    out["figures"] = [{"printed": v} for v in out["value"]]
    return out


def _formulas(data: AuditData) -> list[pd.DataFrame]:
    obs, fw, out = data.obs, data.framework, []
    for ind in fw.indicators.values():  # loops over indicators with a formula
        if ind.formula is None:
            continue
        stored = obs[obs["indicator"] == ind.id]
        if stored.empty:
            continue
        f = ind.formula
        for src, printed in stored.groupby("source"):  # loops over sources of the printed figure
            sides = []
            for name, col in ((f.numerator, "num"), (f.denominator, "den")):
                rows = obs[obs["indicator"] == name]
                own = fw.indicators[name].source if name in fw.indicators else None
                rows = pick_source(rows, [str(src), own], by=["geo", "period", "dims"])
                rows = rows[["geo", "period", "dims", "value", "source", "vintage"]]
                sides.append(rows.rename(columns={"value": col, "source": f"{col}_source", "vintage": f"{col}_v"}))
            m = printed.merge(sides[0], on=["geo", "period", "dims"], how="left").merge(
                sides[1], on=["geo", "period", "dims"], how="left"
            )
            have = m["num"].notna() & m["den"].notna() & (m["den"] > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                m["computed"] = np.where(have, m["num"] / m["den"] * f.factor, np.nan)
            m["input_sources"] = [
                tuple("__same__" if s == src else s for s in (a, b))
                for a, b in zip(m["num_source"], m["den_source"], strict=True)
            ]
            m["inputs"] = (
                f.numerator
                + " "
                + fmt(m["num"])
                + " ("
                + m["num_source"].astype(str)
                + ") / "
                + f.denominator
                + " "
                + fmt(m["den"])
                + " ("
                + m["den_source"].astype(str)
                + ")"
                + f" × {f.factor:g}"
            )
            m["related"] = [(f.numerator, f.denominator)] * len(m)
            out.append(_compare(m[have], "formula"))
            missing = m[~have]
            if len(missing):
                why = (
                    "no "
                    + pd.Series(np.where(missing["num"].isna(), f.numerator, f.denominator), index=missing.index)
                    + " for this key (or it is not positive)"
                )
                out.append(_unverifiable(missing, why))
    return out


def _base_rows(data: AuditData, base: str, src: str) -> pd.DataFrame:
    rows = data.obs[(data.obs["indicator"] == base) & data.obs["annual"]]
    own = data.framework.indicators[base].source
    return pick_source(rows, [src, own], by=["geo", "dims"])


def _chain(data: AuditData, printed: pd.DataFrame, base: str, measure: str, src: str) -> list[pd.DataFrame]:
    rows = _base_rows(data, base, src)
    if rows.empty:
        return [_unverifiable(printed, pd.Series(f"no values of {base} in the store", index=printed.index), (base,))]
    g = chain_index(rows[["geo", "dims", "year", "value"]], keys=["geo", "dims"])
    g = g.merge(rows[["geo", "dims", "year", "source"]], on=["geo", "dims", "year"])
    g = g.rename(columns={"value": "base_value", measure: "computed", "source": "base_source"})
    m = printed.merge(
        g[["geo", "dims", "year", "base_year", "base", "base_value", "computed", "reason", "base_source"]],
        on=["geo", "dims", "year"],
        how="left",
    )
    m["input_sources"] = [("__same__",) if s == src else (s,) for s in m["base_source"]]
    m["inputs"] = (
        base
        + " "
        + fmt(m["base"])
        + " in "
        + m["base_year"].astype(str)
        + " → "
        + fmt(m["base_value"])
        + " in "
        + m["year"].astype(str)
        + " ("
        + m["base_source"].astype(str)
        + ")"
    )
    m["related"] = [(base,)] * len(m)
    ok = m["computed"].notna()
    why = m.loc[~ok, "reason"].fillna("").replace("", f"no value of {base} for this year")
    return [_compare(m[ok], "growth"), _unverifiable(m[~ok], base + ": " + why)]


def _average(data: AuditData, printed: pd.DataFrame, base: str, measure: str, src: str) -> list[pd.DataFrame]:
    win = printed["dims"].str.extract(_WINDOW)
    printed = printed.assign(
        start=pd.to_numeric(win[0]),
        end=pd.to_numeric(win[1]),
        base_dims=printed["dims"].str.replace(r"(^|;)window=[^;]*", "", regex=True).str.strip(";"),
    )
    printed = printed[printed["start"].notna() & (printed["end"] > printed["start"])]
    rows = _base_rows(data, base, src)
    out: list[pd.DataFrame] = []
    for (t0, t1), part in printed.groupby(["start", "end"]):  # loops over distinct windows
        sub = rows.rename(columns={"dims": "base_dims"})
        if sub.empty:
            out.append(_unverifiable(part, pd.Series(f"no values of {base} in the store", index=part.index), (base,)))
            continue
        g = average_growth(sub[["geo", "base_dims", "year", "value"]], int(t0), int(t1), keys=["geo", "base_dims"])
        g = g.merge(sub.drop_duplicates(["geo", "base_dims"])[["geo", "base_dims", "source"]], on=["geo", "base_dims"])
        g = g.rename(columns={measure: "computed", "source": "base_source"})
        m = part.merge(
            g[["geo", "base_dims", "first", "last", "computed", "reason", "flag", "base_source"]],
            on=["geo", "base_dims"],
            how="left",
        )
        m["input_sources"] = [("__same__",) if s == src else (s,) for s in m["base_source"]]
        m["inputs"] = (
            base
            + " "
            + fmt(m["first"])
            + f" in {int(t0)} → "
            + fmt(m["last"])
            + f" in {int(t1)} ("
            + m["base_source"].astype(str)
            + ")"
        )
        m["related"] = [(base,)] * len(m)
        ok = m["computed"].notna()
        why = m.loc[~ok, "reason"].fillna(f"no values of {base} for this geography")
        out += [_compare(m[ok], "average_growth"), _unverifiable(m[~ok], base + ": " + why)]
    return out


def check_derived(data: AuditData) -> pd.DataFrame:
    """Formula, growth and average-growth findings (see the module docstring).

    Seed 000, Table 4 prints 41.1 % growth of Internet users in 2017; its own user counts give 41.18 %:

    >>> import sandyq
    >>> from ._data import make_data
    >>> obs = pd.DataFrame({"indicator": ["kz.internet_users", "kz.internet_users", "kz.internet_users_growth"],
    ...                     "geo": "KAZ", "period": ["2016", "2017", "2017"],
    ...                     "value": [9961519.0, 14063513.0, 41.1], "source": "seed-000"})
    >>> f = check_derived(make_data(obs, sandyq.load_framework()))
    >>> f[["rule", "severity", "found"]].values.tolist(), round(float(f["expected"].iloc[0]), 2)
    ([['growth', 'error', 41.1]], 41.18)"""
    out = _formulas(data)
    obs = data.obs
    for link in growth_links(data.framework).itertuples(index=False):  # loops over linked indicators
        printed_all = obs[(obs["indicator"] == link.indicator) & obs["annual"]]
        for src, printed in printed_all.groupby("source"):  # loops over sources
            if link.kind == "chain":
                out += _chain(data, printed, link.base, link.measure, str(src))
            else:
                out += _average(data, printed, link.base, link.measure, str(src))
    out = [f for f in out if len(f)]
    if not out:
        return empty_findings()
    return pd.concat(out, ignore_index=True)
