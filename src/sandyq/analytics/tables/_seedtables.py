"""Seed 000's Tables 2–5 as data, and how each is rebuilt from the store.

Each table is defined by which indicators it shows, from which source, and —
for printed figures that are derived — which stored levels recompute them.
The builders read the store, recompute what can be recomputed with the
statistics of :mod:`sandyq.analytics.statistics`, and return the table, the
per-cell checks (printed vs recomputed, with the rounding tolerance of the
printed precision) and the sources used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..reader import Reader
from ..statistics import average_growth, chain_index, compare_printed, half_unit, per_100, shown_decimals

__all__ = ["CHECK_COLUMNS", "TABLES", "Built", "Recompute", "TableDef", "build"]

SEED = "seed-000"
GEO = "KAZ"

#: Columns of a table's per-cell checks.
CHECK_COLUMNS = [
    "row",
    "column",
    "indicator",
    "geo",
    "period",
    "dims",
    "printed",
    "decimals",
    "recomputed",
    "rounded",
    "difference",
    "matches",
    "tolerance",
    "tolerance_kind",
    "inputs",
    "reason",
]


@dataclass(frozen=True)
class Recompute:
    """The stored levels a printed derived figure is recomputed from, and where they come from."""

    indicator: str
    source: str
    described: str


@dataclass(frozen=True)
class TableDef:
    """A seed table: number, printed title, kind, the indicators by role, and (Table 2) its rows."""

    name: str
    number: int
    title: str
    kind: Literal["growth", "levels", "internet", "infrastructure"]
    indicators: dict[str, str] = field(default_factory=dict)
    rows: tuple[tuple[str, Recompute | None], ...] = ()
    year: int | None = None
    tolerance: float = 0.02


_T3 = Recompute("kz.ict_costs", SEED, "Table 3 of the same article (ICT costs by year)")
_BNS = Recompute("computers_in_organizations", "kz-bns", "the BNS Taldau series of computers in organizations")
_SHARE = Recompute(
    "kz.ict_share_manufacturing", SEED, "the two shares printed below Table 2 (0.42 % in 2007, 0.26 % in 2017)"
)

#: The four tables of seed 000 that sandyq regenerates.
TABLES: dict[str, TableDef] = {
    "table2": TableDef(
        "table2",
        2,
        "Average annual growth rate of the main indicators of the functioning of the ICT industry in Kazakhstan",
        "growth",
        rows=(
            ("kz.ict_costs.aagr", _T3),
            ("kz.ecommerce_retail.aagr", None),
            ("kz.ecommerce_wholesale.aagr", None),
            ("kz.card_tx_abroad_count.aagr", None),
            ("kz.card_tx_abroad_volume.aagr", None),
            ("kz.computers_in_organizations.aagr", _BNS),
            ("kz.organisations_using_internet.aagr", None),
            ("kz.ict_industrial_output.aagr", None),
            ("kz.ict_industrial_output_base.aagr", None),
            ("kz.ict_share_manufacturing.aagr", _SHARE),
            ("kz.ict_services.aagr", None),
            ("kz.ict_services_base.aagr", None),
        ),
    ),
    "table3": TableDef(
        "table3", 3, "The dynamics of ICT costs from 2007 to 2017", "levels", indicators={"amount": "kz.ict_costs"}
    ),
    "table4": TableDef(
        "table4",
        4,
        "The number of Internet users, taking into account the population of 2010-2019",
        "internet",
        indicators={
            "population": "SP.POP.TOTL",
            "users": "kz.internet_users",
            "per_100": "kz.internet_users_per100",
            "growth": "kz.internet_users_growth",
        },
    ),
    "table5": TableDef(
        "table5",
        5,
        "Indicators characterizing the infrastructure of the information technology sector",
        "infrastructure",
        year=2017,
        indicators={
            "mobile": "IT.CEL.SETS.P2",
            "bandwidth": "kz.intl_bandwidth_per_user",
            "computer": "kz.households_with_computer",
            "internet": "kz.households_with_internet",
        },
    ),
}


@dataclass
class Built:
    """What a builder returns: the table, its checks, the sources it used (id → latest vintage), units, notes."""

    frame: pd.DataFrame
    checks: pd.DataFrame
    used: dict[str, pd.Timestamp]
    units: dict[str, str]
    notes: list[str]


def _vintage(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _used(*frames: pd.DataFrame) -> dict[str, pd.Timestamp]:
    parts = [f[["source", "vintage"]] for f in frames if len(f)]
    if not parts:
        return {}
    rows = pd.concat(parts, ignore_index=True)
    latest = rows.groupby("source")["vintage"].max()
    return {str(k): pd.Timestamp(v) for k, v in latest.items()}


def _levels(m: Reader, indicator: str, source: str) -> pd.DataFrame:
    """Annual totals of ``indicator`` for Kazakhstan from ``source``, else from the indicator's own source."""
    rows = m.store.observations(indicator, GEO, dims="")
    rows = rows[rows["period"].str.len() == 4]
    if rows.empty:
        return rows
    own = m.framework.indicators[indicator].source if indicator in m.framework.indicators else ""
    for pick in (source, own, sorted(rows["source"].unique())[0]):
        chosen = rows[rows["source"] == pick]
        if len(chosen):
            return chosen.reset_index(drop=True)
    return rows.iloc[0:0]


def _growth(m: Reader, d: TableDef, lang: str) -> Built:
    ids = [printed for printed, _ in d.rows]
    stored = m.store.observations(ids, GEO, dims=None, source=SEED).set_index("indicator")
    records, checks, inputs = [], [], []
    for i, (ind_id, how) in enumerate(d.rows, start=1):  # twelve rows
        ind = m.framework.indicator(ind_id)
        row = stored.loc[ind_id] if ind_id in stored.index else None
        window = re.search(r"window=(\d{4})-(\d{4})", str(row["dims"])) if row is not None else None
        printed = float(row["value"]) if row is not None else np.nan
        rec: dict[str, Any] = {
            "row": i,
            "indicator": ind_id,
            "name": ind.name.get(lang),
            "window": f"{window.group(1)}–{window.group(2)}" if window else "",
            "unit": ind.unit,
            "printed": printed,
            "recomputed": np.nan,
            "matches": None,
            "recomputed_from": "printed only",
            "input_source": "",
            "input_vintage": "",
            "source": SEED,
            "vintage": _vintage(row["vintage"]) if row is not None else "",
            "check": "printed only",
        }
        if how is not None and window is not None:
            t0, t1 = int(window.group(1)), int(window.group(2))
            levels = _levels(m, how.indicator, how.source)
            inputs.append(levels)
            at = levels.set_index("year")["value"] if len(levels) else pd.Series(dtype=float)
            g = average_growth(at, t0, t1) if len(at) else None
            dec = int(shown_decimals([printed])[0])
            if g is not None and row is not None and g.loc[0, "flag"] == "ok":
                c = compare_printed([g.loc[0, "index"]], [printed], dec).iloc[0]
                src = str(levels["source"].iloc[0])
                rec.update(
                    recomputed=float(g.loc[0, "index"]),
                    matches=bool(c["matches"]),
                    recomputed_from=f"{how.indicator} {t0} → {t1}: {how.described}",
                    input_source=src,
                    input_vintage=_vintage(levels["vintage"].max()),
                    check="agrees" if c["matches"] else f"DIFFERS: recomputed {c['rounded']:.{dec}f}",
                )
                checks.append(
                    {
                        "row": i,
                        "column": "printed",
                        "indicator": ind_id,
                        "geo": GEO,
                        "period": str(row["period"]),
                        "dims": str(row["dims"]),
                        "printed": printed,
                        "decimals": dec,
                        "recomputed": float(g.loc[0, "index"]),
                        "rounded": c["rounded"],
                        "difference": c["difference"],
                        "matches": bool(c["matches"]),
                        "tolerance": float(half_unit(dec)),
                        "tolerance_kind": "rounding",
                        "inputs": f"{how.indicator} ({src}) {g.loc[0, 'first']:.10g} in {t0} → "
                        f"{g.loc[0, 'last']:.10g} in {t1}",
                        "reason": c["reason"],
                    }
                )
            else:
                why = g.loc[0, "reason"] if g is not None else f"no values of {how.indicator}"
                rec.update(recomputed_from=f"printed only ({how.indicator}: {why})", check="printed only")
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    notes = [
        "Printed: average annual growth rate, % of the previous level (100 = no change), as an index "
        "(unit GROWTH_INDEX_PT); recomputed as the geometric mean (X_end / X_start)^(1/years) × 100 — the "
        "article does not state its method.",
        "Rows without stored levels to recompute them from are shown as printed only.",
    ]
    stored_rows = stored.reset_index()
    return Built(
        frame,
        pd.DataFrame(checks, columns=CHECK_COLUMNS),
        _used(stored_rows, *inputs),
        {"printed": "GROWTH_INDEX_PT", "recomputed": "GROWTH_INDEX_PT"},
        notes,
    )


def _levels_table(m: Reader, d: TableDef, lang: str) -> Built:
    ind_id = d.indicators["amount"]
    rows = _levels(m, ind_id, SEED)
    rate = chain_index(rows.set_index("year")["value"])["rate"] if len(rows) else pd.Series(dtype=float)
    frame = pd.DataFrame(
        {
            "row": np.arange(1, len(rows) + 1),
            "year": rows["year"].to_numpy(),
            "amount": rows["value"].to_numpy(),
            "unit": m.framework.indicator(ind_id).unit,
            "change_on_previous_year_pct": rate.to_numpy(),
            "source": rows["source"].to_numpy(),
            "vintage": rows["vintage"].map(_vintage).to_numpy(),
        }
    )
    notes = [
        "amount: printed (million tenge, current prices as read); change_on_previous_year_pct: computed by "
        "sandyq, not printed."
    ]
    if len(rows) >= 2:
        g = average_growth(rows.set_index("year")["value"])
        printed = m.store.observations("kz.ict_costs.aagr", GEO, dims=None, source=SEED)
        shown = f" (Table 2, row 1 prints {printed['value'].iloc[0]:.1f})" if len(printed) else ""
        notes.append(
            f"Average annual growth {int(g.loc[0, 'start'])}–{int(g.loc[0, 'end'])} from these figures: "
            f"{g.loc[0, 'index']:.1f} % of the previous level{shown}."
        )
    return Built(
        frame,
        pd.DataFrame(columns=CHECK_COLUMNS),
        _used(rows),
        {"amount": "MN_KZT", "change_on_previous_year_pct": "RATE_PT"},
        notes,
    )


def _check_rows(
    col: str, ind_id: str, years: pd.Series, printed: pd.Series, computed: pd.Series, inputs: pd.Series, why: pd.Series
) -> pd.DataFrame:
    have = printed.notna().to_numpy()
    dec = shown_decimals(printed.to_numpy(dtype=float))
    c = compare_printed(computed.to_numpy(dtype=float), printed.to_numpy(dtype=float), dec)
    reason = np.where(np.isfinite(computed.to_numpy(dtype=float)), c["reason"], why.to_numpy(dtype=object))
    out = pd.DataFrame(
        {
            "row": np.arange(1, len(years) + 1),
            "column": col,
            "indicator": ind_id,
            "geo": GEO,
            "period": years.astype(str).to_numpy(),
            "dims": "",
            "printed": printed.to_numpy(dtype=float),
            "decimals": dec,
            "recomputed": computed.to_numpy(dtype=float),
            "rounded": c["rounded"],
            "difference": c["difference"],
            "matches": np.where(np.isfinite(computed.to_numpy(dtype=float)), c["matches"], None),
            "tolerance": half_unit(dec),
            "tolerance_kind": "rounding",
            "inputs": inputs.to_numpy(),
            "reason": reason,
        }
    )
    return out[have]


def _check_text(check: pd.DataFrame, years: pd.Series) -> np.ndarray:
    by_row = check.set_index("period")
    text = []
    for y in years.astype(str):  # ten rows
        if y not in by_row.index:
            text.append("not printed")
        elif by_row.loc[y, "matches"] is None:
            text.append("not checkable")
        else:
            text.append("agrees" if by_row.loc[y, "matches"] else "DIFFERS")
    return np.asarray(text, dtype=object)


def _internet(m: Reader, d: TableDef, lang: str) -> Built:
    ids = d.indicators
    data = {role: _levels(m, ind_id, SEED) for role, ind_id in ids.items()}
    wide = pd.concat({role: f.set_index("year")["value"] for role, f in data.items() if len(f)}, axis=1)
    wide = wide.reindex(columns=list(ids))
    years = pd.Series(wide.index, index=wide.index)
    users, pop = wide["users"], wide["population"]
    p100 = per_100(users.dropna(), pop.dropna())["ratio"].reindex(wide.index)
    g = chain_index(users.dropna())
    growth = g["rate"].reindex(wide.index)
    why = g["reason"].reindex(wide.index).fillna("no user count")
    inp_p = (
        "kz.internet_users "
        + users.map("{:.0f}".format)
        + " / SP.POP.TOTL "
        + pop.map("{:.0f}".format)
        + " × 100 ("
        + SEED
        + ")"
    )
    prev = users.shift()
    inp_g = "kz.internet_users " + prev.map("{:.0f}".format) + " → " + users.map("{:.0f}".format) + " (" + SEED + ")"
    inp_g = inp_g.where(prev.notna(), "")
    c1 = _check_rows(
        "per_100",
        ids["per_100"],
        years,
        wide["per_100"],
        p100,
        inp_p,
        pd.Series("no users or population", index=wide.index),
    )
    c2 = _check_rows("growth_pct", ids["growth"], years, wide["growth"], growth, inp_g, why)
    status = data["users"].set_index("year")["status"].reindex(wide.index).fillna("")
    frame = pd.DataFrame(
        {
            "year": wide.index.to_numpy(),
            "population_persons": pop.round().astype("Int64").to_numpy(),
            "users_persons": users.round().astype("Int64").to_numpy(),
            "per_100_printed": wide["per_100"].to_numpy(),
            "per_100_recomputed": p100.to_numpy(),
            "per_100_check": _check_text(c1, years),
            "growth_pct_printed": wide["growth"].to_numpy(),
            "growth_pct_recomputed": growth.to_numpy(),
            "growth_pct_check": _check_text(c2, years),
            "status": status.to_numpy(),
            "source": SEED,
            "vintage": _vintage(max(f["vintage"].max() for f in data.values() if len(f))),
        }
    )
    notes = [
        "Recomputed from the table's own population and user counts (both seed-000): per 100 = users / "
        "population × 100, growth = users / users of the previous row − 1 (%).",
        "Rows dated 01.06.2016, 31.12.2017 and 31.12.2018 are given the year of their date; 2019 is "
        "'estimated' (status E) and its growth is printed '-'.",
    ]
    checks = pd.concat([c1, c2], ignore_index=True)
    return Built(
        frame,
        checks,
        _used(*data.values()),
        {
            "population_persons": "PERSONS",
            "users_persons": "PERSONS",
            "per_100_printed": "PER_100",
            "per_100_recomputed": "PER_100",
            "growth_pct_printed": "RATE_PT",
            "growth_pct_recomputed": "RATE_PT",
        },
        notes,
    )


def _infrastructure(m: Reader, d: TableDef, lang: str) -> Built:
    year = d.year or 2017
    ids = list(d.indicators.values())
    rows = m.store.observations(ids, GEO, dims="", start=year, end=year)
    seed = rows[rows["source"] == SEED].set_index("indicator")
    other = rows[rows["source"] != SEED].sort_values(["indicator", "source"]).drop_duplicates("indicator")
    other = other.set_index("indicator")
    records, checks = [], []
    for i, ind_id in enumerate(ids, start=1):  # four rows
        ind = m.framework.indicator(ind_id)
        printed = float(seed.loc[ind_id, "value"]) if ind_id in seed.index else np.nan
        rec: dict[str, Any] = {
            "row": i,
            "indicator": ind_id,
            "name": ind.name.get(lang),
            "year": year,
            "unit": ind.unit,
            "printed": printed,
            "source": SEED,
            "vintage": _vintage(seed.loc[ind_id, "vintage"]) if ind_id in seed.index else "",
            "other_source": "",
            "other_value": np.nan,
            "other_vintage": "",
            "difference_pct": np.nan,
            "agrees": None,
            "check": "printed only (no other source)",
        }
        if ind_id in other.index and np.isfinite(printed):
            o = other.loc[ind_id]
            value = float(o["value"])
            rel = (printed - value) / max(abs(printed), abs(value)) if max(abs(printed), abs(value)) else 0.0
            agrees = abs(rel) <= d.tolerance
            rec.update(
                other_source=str(o["source"]),
                other_value=value,
                other_vintage=_vintage(o["vintage"]),
                difference_pct=100 * rel,
                agrees=agrees,
                check=f"agrees within {d.tolerance:.0%}"
                if agrees
                else f"DIFFERS by {100 * abs(rel):.1f} % (tolerance {d.tolerance:.0%})",
            )
            checks.append(
                {
                    "row": i,
                    "column": "printed",
                    "indicator": ind_id,
                    "geo": GEO,
                    "period": str(year),
                    "dims": "",
                    "printed": printed,
                    "decimals": int(shown_decimals([printed])[0]),
                    "recomputed": value,
                    "rounded": value,
                    "difference": printed - value,
                    "matches": agrees,
                    "tolerance": d.tolerance,
                    "tolerance_kind": "relative",
                    "inputs": f"{ind_id} ({o['source']}, {_vintage(o['vintage'])})",
                    "reason": "" if agrees else rec["check"],
                }
            )
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    notes = [
        f"Each 2017 figure of the table beside the same statistic (same indicator id) from another source in "
        f"the store; they agree when they differ by at most {d.tolerance:.0%} of the larger value."
    ]
    return Built(frame, pd.DataFrame(checks, columns=CHECK_COLUMNS), _used(rows), {}, notes)


_BUILDERS = {"growth": _growth, "levels": _levels_table, "internet": _internet, "infrastructure": _infrastructure}


def build(m: Reader, d: TableDef, lang: str = "en") -> Built:
    """Rebuild table ``d`` from the store in ``m``."""
    return _BUILDERS[d.kind](m, d, lang)
