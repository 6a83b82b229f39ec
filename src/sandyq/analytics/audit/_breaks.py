"""Breaks in series: boundary changes, units that did not exist, gaps, jumps, flagged breaks.

A *series* is one indicator, geography, disaggregation and source over annual
periods.

* **boundary_change** (``warning``): a region's series has values before and after
  one of the region's boundary changes (from the geography tables; a change dated
  in year *Y* puts *Y* on the new borders), so its values are for different
  territories.
* **nonexistent_unit** (``warning``): a region has values for years in which it
  was not published as such (``GeoUnit.exists_in``), e.g. back-cast on later
  borders.  One finding per series, listing the years.
* **gap** (``info``): years missing inside a series of an indicator published
  annually; one finding per run of missing years.
* **jump**: a change ``Δ`` between consecutive values whose distance from the
  median of the series' *other* changes exceeds ``jump_threshold`` robust scales,
  where the scale is ``1.4826 × MAD`` of the other changes (the standard deviation
  for normal data), floored at ``jump_level_floor`` × the median absolute level.
  Leaving the change out of its own scale keeps an outlier from inflating the
  scale it is judged by (in a short series one big change can double the MAD).
  Only series with at least ``jump_min_points`` values, and not for ranks
  (:data:`ORDINAL_UNITS`), whose changes follow who else is ranked.  A jump is a
  ``warning`` when it is ``jump_warning`` scales or more, when it covers at least
  ``jump_range_share`` of a bounded unit's range (25 points of a percentage), when
  the value halves or the change is reversed the next year (an isolated spike),
  either at twice ``jump_threshold`` scales or more; otherwise ``info``; always ``info``
  when a boundary change or a flagged break explains it.
* **flagged_break** (``info``): the source marks the value as a break in series
  (status ``B``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..statistics import gap_text
from ._data import AuditData, AuditOptions, empty_findings, fmt

__all__ = ["check_breaks"]

SERIES = ["indicator", "geo", "dims", "source"]

#: Units whose values are positions among others: their changes follow who else is ranked, so no jump test.
ORDINAL_UNITS = frozenset({"RANK"})


def _changes(data: AuditData, geos: pd.Series) -> pd.DataFrame:
    """Boundary changes of the given region codes: ``geo, change_year, change_date, change``."""
    geo = data.framework.geography
    rows = [
        (code, c.date.year, c.date.isoformat(), c.description.get("en"))
        for code in sorted(set(geos))
        for c in geo.get(code).boundary_changes
    ]
    return pd.DataFrame(rows, columns=["geo", "change_year", "change_date", "change"])


def _boundaries(data: AuditData, regions: pd.DataFrame) -> pd.DataFrame:
    changes = _changes(data, regions["geo"])
    if changes.empty:
        return empty_findings()
    span = regions.groupby(SERIES)["year"].agg(["min", "max"]).reset_index().merge(changes, on="geo")
    span = span[(span["min"] < span["change_year"]) & (span["change_year"] <= span["max"])]
    if span.empty:
        return empty_findings()
    rows = regions[[*SERIES, "year", "value"]].merge(span[[*SERIES, "change_year"]], on=SERIES)
    before = rows[rows["year"] < rows["change_year"]].sort_values("year").groupby([*SERIES, "change_year"]).last()
    after = rows[rows["year"] >= rows["change_year"]].sort_values("year").groupby([*SERIES, "change_year"]).first()
    m = span.merge(before.add_suffix("_before").reset_index(), on=[*SERIES, "change_year"]).merge(
        after.add_suffix("_after").reset_index(), on=[*SERIES, "change_year"]
    )
    names = {g: data.framework.geography.name(g) for g in m["geo"].unique()}
    m["rule"], m["severity"] = "boundary_change", "warning"
    m["period"] = m["year_after"].astype(str)
    m["sources"] = m["source"].map(lambda s: (s,))
    m["expected"], m["found"] = m["value_before"], m["value_after"]
    m["tolerance"] = "none: any series spanning the change"
    m["message"] = (
        m["geo"]
        + " ("
        + m["geo"].map(names)
        + "): the series runs "
        + m["min"].astype(str)
        + "–"
        + m["max"].astype(str)
        + " across the boundary change of "
        + m["change_date"]
        + " ("
        + m["change"]
        + "); "
        + m["year_before"].astype(str)
        + " ("
        + fmt(m["value_before"])
        + ") and "
        + m["year_after"].astype(str)
        + " ("
        + fmt(m["value_after"])
        + ") are for different territories"
    )
    m["figures"] = [
        {str(a): va, str(b): vb, "change_date": d}
        for a, va, b, vb, d in zip(
            m["year_before"], m["value_before"], m["year_after"], m["value_after"], m["change_date"], strict=True
        )
    ]
    m["related"] = [()] * len(m)
    return m


def _nonexistent(data: AuditData, regions: pd.DataFrame) -> pd.DataFrame:
    geo = data.framework.geography
    pairs = regions[["geo", "year"]].drop_duplicates()
    flags = [geo.get(g).exists_in(int(y)) for g, y in zip(pairs["geo"], pairs["year"], strict=True)]
    gone = pairs[~np.asarray(flags, dtype=bool)]
    if gone.empty:
        return empty_findings()
    rows = regions.merge(gone, on=["geo", "year"])
    m = (
        rows.groupby(SERIES)
        .agg(
            first=("year", "min"),
            last=("year", "max"),
            n=("year", "size"),
            period=("period", "max"),
            value=("value", "last"),
        )
        .reset_index()
    )
    units = {g: geo.get(g) for g in m["geo"].unique()}
    life = {
        g: ", ".join(
            [
                *([f"published from {u.first_year}"] if u.first_year else []),
                *([f"until {u.last_year}"] if u.last_year else []),
            ]
        )
        for g, u in units.items()
    }
    m["rule"], m["severity"] = "nonexistent_unit", "warning"
    m["sources"] = m["source"].map(lambda s: (s,))
    m["expected"], m["found"] = np.nan, m["value"]
    m["tolerance"] = "none: the unit's statistical years (geography tables)"
    years = gap_text(m["first"].to_numpy(), m["last"].to_numpy())
    m["message"] = (
        m["n"].astype(str)
        + " value(s) for "
        + years
        + ", but "
        + m["geo"]
        + " ("
        + m["geo"].map(lambda g: units[g].name.en)
        + ") is "
        + m["geo"].map(life)
        + ": back-cast on other borders, or a code mix-up"
    )
    m["figures"] = [{"years": str(y), "values": int(n)} for y, n in zip(years, m["n"], strict=True)]
    m["related"] = [()] * len(m)
    return m


def _gaps(data: AuditData, annual: pd.DataFrame) -> pd.DataFrame:
    rows = annual[annual["periodicity"] == "annual"]
    prev = rows.groupby(SERIES, sort=False)[["year", "value"]].shift()
    gap = rows.assign(prev_year=prev["year"], prev_value=prev["value"])
    gap = gap[gap["year"] - gap["prev_year"] > 1]
    if gap.empty:
        return empty_findings()
    first = gap["prev_year"].to_numpy(dtype=float) + 1
    last = gap["year"].to_numpy(dtype=float) - 1
    missing = gap_text(first, last)
    gap = gap.assign(rule="gap", severity="info", period=first.astype(int).astype(str))
    gap["sources"] = gap["source"].map(lambda s: (s,))
    gap["expected"], gap["found"] = np.nan, np.nan
    gap["tolerance"] = "none: annual indicator"
    gap["message"] = (
        "no value for "
        + missing
        + " between "
        + gap["prev_year"].astype(int).astype(str)
        + " ("
        + fmt(gap["prev_value"])
        + ") and "
        + gap["year"].astype(str)
        + " ("
        + fmt(gap["value"])
        + ")"
    )
    gap["figures"] = [
        {"missing": str(t), str(int(a)): va, str(b): vb}
        for t, a, va, b, vb in zip(missing, gap["prev_year"], gap["prev_value"], gap["year"], gap["value"], strict=True)
    ]
    gap["related"] = [()] * len(gap)
    return gap


def _jumps(data: AuditData, annual: pd.DataFrame) -> pd.DataFrame:
    o = data.options
    annual = annual[~annual["unit"].isin(ORDINAL_UNITS)]
    g = annual.groupby(SERIES, sort=False)
    f = annual.assign(
        n=g["value"].transform("size"),
        delta=g["value"].diff(),
        prev_year=g["year"].shift(),
        prev_value=g["value"].shift(),
        next_delta=g["value"].diff().shift(-1),
    )
    f = f[f["n"] >= o.jump_min_points]
    if f.empty:
        return empty_findings()
    keys = [f[c] for c in SERIES]
    med, mad = _leave_one_out(f)
    level = f["value"].abs().groupby(keys).transform("median")
    scale = np.maximum(1.4826 * mad, o.jump_level_floor * level)
    z = (f["delta"] - med).abs() / scale.where(scale > 0)
    f = f.assign(median_delta=med, scale=scale, z=z)
    f = f[f["z"] > o.jump_threshold]
    if f.empty:
        return empty_findings()
    changes = _changes(data, f.loc[f["kind"] == "region", "geo"]) if (f["kind"] == "region").any() else None
    explained = pd.Series("", index=f.index, dtype=object)
    if changes is not None and len(changes):
        hit = f.reset_index().merge(changes, on="geo")
        hit = hit[(hit["prev_year"] < hit["change_year"]) & (hit["change_year"] <= hit["year"])]
        text = ("coincides with the boundary change of " + hit["change_date"]).groupby(hit["index"]).first()
        explained.loc[text.index] = text
    flagged = f["status"].fillna("").eq("B")
    explained = explained.where(~flagged | (explained != ""), "the source flags a break in series (status B)")
    f = f.assign(explained=explained)
    back = np.sign(f["next_delta"]) == -np.sign(f["delta"])
    back &= f["next_delta"].abs() > 0.5 * f["delta"].abs()
    reasons = _reasons(f, back, o)
    f["rule"] = "jump"
    f["severity"] = np.where((reasons != "") & (f["explained"] == ""), "warning", "info")
    f["sources"] = f["source"].map(lambda s: (s,))
    f["expected"], f["found"] = f["prev_value"], f["value"]
    f["tolerance"] = (
        f"|Δ − median Δ| > {o.jump_threshold:g} robust scales (1.4826 × MAD of the other changes, at least "
        f"{o.jump_level_floor:.0%} of the median level); warning from {o.jump_warning:g} scales, "
        f"{o.jump_range_share:.0%} of a bounded range, or a halving or reversed spike from "
        f"{2 * o.jump_threshold:g}: scale " + _sig(f["scale"])
    )
    span = np.where(
        f["year"] - f["prev_year"] > 1,
        " over " + (f["year"] - f["prev_year"]).astype("Int64").astype(str) + " years",
        "",
    )
    sign = np.where(f["delta"] > 0, "+", "−")
    f["message"] = (
        fmt(f["prev_value"])
        + " in "
        + f["prev_year"].astype("Int64").astype(str)
        + " → "
        + fmt(f["value"])
        + " in "
        + f["year"].astype(str)
        + " ("
        + sign
        + fmt(f["delta"].abs())
        + span
        + ") is "
        + fmt(f["z"], 1)
        + " robust scales from the series' typical change ("
        + _sig(f["median_delta"])
        + " ± "
        + _sig(f["scale"])
        + ")"
        + np.where(back, "; it is reversed the next year (an isolated outlier?)", "")
        + np.where(f["explained"] != "", "; " + f["explained"], "")
        + np.where((reasons != "") & (f["explained"] == ""), "; a warning: " + reasons, "")
    )
    f["figures"] = [
        {str(int(a)): va, str(b): vb, "robust_scale": s, "scales": zz}
        for a, va, b, vb, s, zz in zip(
            f["prev_year"], f["prev_value"], f["year"], f["value"], f["scale"], f["z"], strict=True
        )
    ]
    f["related"] = [()] * len(f)
    return f


def _leave_one_out(f: pd.DataFrame, chunk: int = 256) -> tuple[pd.Series, pd.Series]:
    """For each change, the median of its series' other changes and their median absolute deviation from it.

    The series are laid out as rows of a matrix (NaN-padded), each change masked in turn: vectorised, in
    chunks of series so the cube stays small.

    >>> f = pd.DataFrame({"indicator": "a", "geo": "g", "dims": "", "source": "s", "delta": [np.nan, 1, 2, 9]})
    >>> med, mad = _leave_one_out(f)
    >>> med.tolist()[1:], mad.tolist()[1:]
    ([5.5, 5.0, 1.5], [3.5, 4.0, 0.5])
    """
    grouped = f.groupby(SERIES, sort=False)
    gid = grouped.ngroup().to_numpy()
    pos = grouped.cumcount().to_numpy()
    width = int(pos.max()) + 1 if len(pos) else 1
    matrix = np.full((int(gid.max()) + 1 if len(gid) else 0, width), np.nan)
    matrix[gid, pos] = f["delta"].to_numpy(dtype=float)
    med = np.full(matrix.shape, np.nan)
    mad = np.full(matrix.shape, np.nan)
    eye = np.eye(width, dtype=bool)
    for start in range(0, len(matrix), chunk):  # loops over chunks of series, not rows
        block = np.where(eye[None, :, :], np.nan, matrix[start : start + chunk, None, :])
        m = _nanmedian_last(block)
        med[start : start + chunk] = m
        mad[start : start + chunk] = _nanmedian_last(np.abs(block - m[:, :, None]))
    return pd.Series(med[gid, pos], index=f.index), pd.Series(mad[gid, pos], index=f.index)


def _nanmedian_last(x: np.ndarray) -> np.ndarray:
    """The median over the last axis ignoring NaN (NaN where all are): a sort, faster than ``np.nanmedian``.

    >>> _nanmedian_last(np.array([[3.0, np.nan, 1.0, 2.0], [np.nan] * 4, [4.0, 1.0, np.nan, np.nan]])).tolist()
    [2.0, nan, 2.5]
    """
    ordered = np.sort(x, axis=-1)  # NaN sort last
    n = (~np.isnan(x)).sum(axis=-1)
    lo = np.take_along_axis(ordered, np.maximum((n - 1) // 2, 0)[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(ordered, np.maximum(n // 2, 0)[..., None], axis=-1)[..., 0]
    return np.where(n > 0, (lo + hi) / 2, np.nan)


def _reasons(f: pd.DataFrame, back: pd.Series, options: AuditOptions) -> np.ndarray:
    """Why a jump is a warning ('' when it is not): its size in scales or in the unit's range, or a halving or a
    reversed spike at least twice the jump threshold (doublings are left out: diffusion series double routinely)."""
    bounded = (f["unit_max"] - f["unit_min"]).astype(float)
    share = f["delta"].abs() / bounded.where(bounded > 0)
    prev, value = f["prev_value"].astype(float), f["value"].astype(float)
    clear = f["z"] >= 2 * options.jump_threshold
    halved = clear & (prev > 0) & (value >= 0) & (value <= prev / 2)
    parts = [
        np.where(f["z"] >= options.jump_warning, f"at least {options.jump_warning:g} scales", ""),
        np.where(share >= options.jump_range_share, f"at least {options.jump_range_share:.0%} of the unit's range", ""),
        np.where(halved, "the value halves", ""),
        np.where(clear & back, "a spike reversed the next year", ""),
    ]
    out = np.array([", ".join(p for p in row if p) for row in zip(*parts, strict=True)], dtype=object)
    return out if len(out) else np.array([], dtype=object)


def _sig(values: pd.Series) -> np.ndarray:
    """Three significant digits, vectorised."""
    return np.char.mod("%.3g", values.to_numpy(dtype=float)).astype(object)


def _flagged(data: AuditData) -> pd.DataFrame:
    f = data.obs[data.obs["status"].fillna("").eq("B")].copy()
    if f.empty:
        return empty_findings()
    f["rule"], f["severity"] = "flagged_break", "info"
    f["sources"] = f["source"].map(lambda s: (s,))
    f["expected"], f["found"] = np.nan, f["value"]
    f["tolerance"] = "none: status B"
    f["message"] = "the source flags " + fmt(f["value"]) + " as a break in series: earlier values are not comparable"
    f["figures"] = [{"value": v} for v in f["value"]]
    f["related"] = [()] * len(f)
    return f


def check_breaks(data: AuditData) -> pd.DataFrame:
    """boundary_change, nonexistent_unit, gap, jump and flagged_break findings (see the module docstring).

    GSM coverage on the SDG platform (9-c-1), 2012–2023: 42.1 % in 2012, then 85.9 % and more:

    >>> import sandyq
    >>> from ._data import make_data
    >>> gsm = [42.1, 85.9, 91.6, 96.6, 96.1, 96.6, 96.6, 98.0, 98.0, 98.2, 98.2, 98.2]
    >>> obs = pd.DataFrame({"indicator": "9-c-1", "geo": "KAZ", "period": [str(y) for y in range(2012, 2024)],
    ...                     "dims": "series=GSM", "value": gsm})
    >>> check_breaks(make_data(obs, sandyq.load_framework()))[["rule", "severity", "period"]].values.tolist()
    [['jump', 'warning', '2013']]"""
    annual = data.obs[data.obs["annual"]].sort_values([*SERIES, "year"], kind="stable")
    regions = annual[annual["kind"] == "region"]
    parts = [_gaps(data, annual), _jumps(data, annual), _flagged(data)]
    if len(regions):
        parts = [_boundaries(data, regions), _nonexistent(data, regions), *parts]
    out = [p for p in parts if len(p)]
    return pd.concat(out, ignore_index=True) if out else empty_findings()
