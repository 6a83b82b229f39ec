"""What the indicator and regions pages draw: series, targets, projection, map years, peers, dispersion.

Each builder returns a JSON-safe dict that the page embeds (so the static site
needs no server) and that the browser's chart and map code reads.  Values
are those in the store; the projection and the dispersion statistics come from
:mod:`sandyq.analytics`, and where they cannot be computed the payload says why.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..._messages import Message, translated
from ...analytics.progress import ProjectionInput, forecast_many, panel_from_observations, required_trajectory
from ...analytics.regional import (
    UNWEIGHTED,
    WEIGHTED,
    beta_convergence,
    cautions,
    dispersion,
    peers_many,
    population_weights,
    rank,
    sigma_convergence,
)
from ...analytics.results import json_safe
from ...store import pick_source
from ._data import Dashboard, headline_dims
from ._groups import groups_with_data
from ._i18n import fmt_number, gettext
from ._unavailable import Unavailable

__all__ = [
    "indicator_payload",
    "regional_indicators",
    "regions_payload",
    "rounded",
    "value_text",
    "warm_indicator_pages",
]

WORLD_SET = "ne-110m-countries"
#: Minimum number of Kazakh regions with data before an indicator gets a regional map and ranking.
MIN_REGIONS = 5


def value_text(dash: Dashboard, value: Any, unit: str | None, language: str, decimals: int | None = None) -> str:
    """A value with its unit, in the page's language: '83 %', '2 trillion tenge', 'rank 30'."""
    if value is None:
        return "—"
    text = fmt_number(value, language, decimals)
    if unit in (None, "NUMBER"):
        return text
    if unit in ("PT", "RATE_PT"):
        return f"{text} %"
    name = dash.unit_name(unit, language)
    return f"{name} {text}" if unit == "RANK" else f"{text} {name}"


def rounded(value: Any, decimals: int | None) -> float | None:
    """A value rounded to the indicator's precision, so pages, charts and their downloads show no float noise.

    Without a declared precision six significant digits are kept (enough for any
    published statistic, none of the noise of a computed ratio).

    >>> rounded(61.906624019322635, 1)
    61.9
    >>> rounded(0.057139999999999996, None)
    0.05714
    >>> rounded(3090.9452869797205, 0)
    3091.0
    >>> rounded(None, 1) is None
    True
    """
    if value is None:
        return None
    x = float(value)
    if not np.isfinite(x):
        return None
    if decimals is None:
        return float(f"{x:.6g}")
    return round(x, decimals)


def _x(period: pd.Series) -> np.ndarray:
    """Periods as decimal years for the x axis (2023-Q2 → 2023.25, 2023-03 → 2023.1667)."""
    text = period.astype(str)
    year = text.str.slice(0, 4).astype(int).to_numpy(dtype=float)
    rest = text.str.slice(5)
    q = rest.str.extract(r"^Q([1-4])$")[0].astype(float).to_numpy()
    m = pd.to_numeric(rest.where(rest.str.fullmatch(r"\d\d")), errors="coerce").to_numpy(dtype=float)
    frac = np.where(~np.isnan(q), (q - 1) / 4, np.where(~np.isnan(m), (m - 1) / 12, 0.0))
    return np.round(year + frac, 4)


def _series(frame: pd.DataFrame, decimals: int | None = None) -> dict[str, dict[str, list[list[Any]]]]:
    """{dims: {geo: [[x, value, period, status], ...]}} of one source per (geo, dims), values rounded.

    Plain Python values (JSON as they are), built in one pass over the columns: a page's payload is made
    for every indicator of the static site.

    >>> f = pd.DataFrame({"dims": ["", ""], "geo": ["KAZ", "KAZ"], "period": ["2021", "2020-Q2"],
    ...                   "value": [61.906624019322635, float("nan")], "status": [None, "E"]})
    >>> _series(f, 1)
    {'': {'KAZ': [[2020.25, None, '2020-Q2', 'E'], [2021.0, 61.9, '2021', '']]}}
    """
    out: dict[str, dict[str, list[list[Any]]]] = {}
    if frame.empty:
        return out
    f = frame.assign(x=_x(frame["period"]), status=frame["status"].fillna("").astype(str))
    f = f.sort_values(["dims", "geo", "x"], kind="stable")
    columns = (
        f["dims"].astype(str).tolist(),
        f["geo"].astype(str).tolist(),
        f["x"].astype(float).tolist(),
        [rounded(v, decimals) for v in f["value"].tolist()],
        f["period"].astype(str).tolist(),
        f["status"].tolist(),
    )
    for dims, geo, x, v, p, s in zip(*columns, strict=True):
        out.setdefault(dims, {}).setdefault(geo, []).append([x, v, p, s])
    return out


def _map_year(frame: pd.DataFrame, geos: list[str]) -> int | None:
    """The latest year whose total values cover at least 80 % of the best-covered year's units."""
    part = frame[(frame["dims"] == "") & frame["geo"].isin(geos)]
    if part.empty:
        return None
    counts = part.groupby("year")["geo"].nunique()
    good = counts[counts >= 0.8 * counts.max()]
    return int(good.index.max())


def _geo_kind(dash: Dashboard, code: str) -> str:
    try:
        return dash.geography.get(code).kind
    except Exception:  # unknown codes are shown as 'other'
        return "other"


#: Why an indicator page has no projection, when the national series is too short (a catalog msgid).
_FEWER = "fewer than two annual values of the national series"
#: The projection of a page shown while its projection and peers are computed (the page says so and looks again).
_PENDING: dict[str, Any] = {"available": False, "pending": True, "reason": None}


def _projection(dash: Dashboard, frame: pd.DataFrame, ind: Any, targets: list[dict[str, Any]]) -> dict[str, Any]:
    """Projection of the national total series with 80 % and 95 % intervals, to the target year (or +5 years)."""
    target = next((t for t in targets if t["geo"] == "KAZ"), None)
    geo = "KAZ" if target is None else target["geo"]
    rows = frame[(frame["geo"] == geo) & (frame["dims"] == "")]
    rows = rows[rows["period"].str.len() == 4]
    if len(rows) < 2:
        return {"available": False, "geo": geo, "reason": _FEWER}
    years = rows["year"].to_numpy(dtype=int)
    values = rows["value"].to_numpy(dtype=float)
    last = int(years.max())
    until = max(int(target["year"]), last + 1) if target else last + 5
    if target and int(target["year"]) <= last:
        until = last + 5
    kind = target["kind"] if target else "level"
    item = ProjectionInput(years, values, until, unit=ind.unit, kind=kind, group=ind.id)
    fc = forecast_many([item], peers=panel_from_observations(frame))[0]
    points = []
    for y in fc.years.tolist():
        p = fc.at(int(y), target["value"] if target and int(target["year"]) == int(y) else None, ind.polarity)
        if p.value is None:
            continue
        i80, i95 = p.intervals.get("80"), p.intervals.get("95")
        d = None if ind.decimals is None else ind.decimals + 2  # smooth bands; shown at the indicator's precision
        points.append(
            {
                "x": int(y),
                "value": rounded(p.value, d),
                "lo80": rounded(i80[0], d) if i80 else None,
                "hi80": rounded(i80[1], d) if i80 else None,
                "lo95": rounded(i95[0], d) if i95 else None,
                "hi95": rounded(i95[1], d) if i95 else None,
            }
        )
    final = fc.at(until, target["value"] if target and int(target["year"]) == until else None, ind.polarity)
    return json_safe(
        {
            "available": bool(points),
            "geo": geo,
            "until": until,
            "points": points,
            "probability": final.probability,
            "explanation": final.explanation,
            "method": final.method,
            "notes": list(fc.notes),
            "reason": None if points else final.explanation,
        }
    )


def _required(target: Any, ind: Any, programme: Any, raw: pd.DataFrame) -> list[dict[str, float | None]]:
    """The target's required path (the roll-up's), as chart points; empty when it cannot be drawn."""
    try:
        path = required_trajectory(target, ind, programme, raw[raw["dims"] == ""])
    except Exception:  # a path that cannot be computed is simply not drawn
        return []
    d = None if ind.decimals is None else ind.decimals + 2  # a smooth curve, not steps; shown at the precision
    return [{"x": int(y), "value": rounded(v, d)} for y, v in path]


def _vintages(frame: pd.DataFrame) -> dict[str, str]:
    """The newest vintage (ISO date) of each charted (dims, geo) series, for the credit line under the chart."""
    if frame.empty:
        return {}
    newest = frame.groupby(["dims", "geo"])["vintage"].max()
    return {f"{d}|{g}": str(v)[:10] for (d, g), v in newest.items() if not pd.isna(v)}


def _other_sources(raw: pd.DataFrame, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The national total's other sources (not the one charted): each with its latest figure."""
    shown = set(frame.loc[(frame["geo"] == "KAZ") & (frame["dims"] == ""), "source"])
    annual = raw["period"].str.len() == 4
    rows = raw[(raw["geo"] == "KAZ") & (raw["dims"] == "") & ~raw["source"].isin(shown) & annual]
    out = []
    for source, part in rows.groupby("source", sort=True):
        last = part.sort_values("year").iloc[-1]
        out.append({"source": str(source), "year": int(last["year"]), "value": float(last["value"]), "n": len(part)})
    return out


def _peers(dash: Dashboard, frame: pd.DataFrame, kind_of: dict[str, str]) -> dict[str, list[str]]:
    """For Kazakhstan (among countries) and for each region (among regions): the 4 nearest units."""
    out: dict[str, list[str]] = {}
    totals = frame[(frame["dims"] == "") & (frame["period"].str.len() == 4)]
    for group, codes in (("country", ["KAZ"]), ("region", sorted(g for g, k in kind_of.items() if k == "region"))):
        part = totals[totals["geo"].map(kind_of) == group][["geo", "year", "value"]]
        part = part.drop_duplicates(["geo", "year"])
        present = set(part["geo"])
        try:  # the data prepared once for every unit (a region's page asked 21 times before)
            found = peers_many(part, [c for c in codes if c in present], n=4, geography=dash.geography)
        except Exception:  # too few units: no peers are offered
            continue
        out.update({code: [str(g) for g in res.table["geo"]] for code, res in found.items()})
    return out


def warm_indicator_pages(dash: Dashboard, language: str) -> None:
    """Compute the payload of every indicator page with data, and the regions page's (``Dashboard.warm``).

    Stops when the store changes meanwhile (the next warming computes the new payloads).
    """
    generation = dash.cache.generation
    ids = regional_indicators(dash)
    if ids:  # the regions page's default indicator, as Pages shows it (first: one page, often visited)
        regions_payload(dash, "17-8-1" if "17-8-1" in ids else ids[0], language)
    table = dash.indicator_table(language)
    for indicator_id in table.loc[table["observations"] > 0, "id"]:
        if dash.cache.generation != generation:
            return
        dash.yield_to_visitors()
        indicator_payload(dash, str(indicator_id), language)


def indicator_payload(dash: Dashboard, indicator_id: str, language: str) -> dict[str, Any]:
    """Everything the indicator page's chart, map and table need (cached per language).

    Under ``sandyq serve`` a first visitor does not wait for the projection and the peers: while they are
    computed in the background the page shows the figures without them, says so and looks again
    (:meth:`~._data.Dashboard.deferred`); that payload is not kept.
    """
    core = _core(dash, indicator_id)
    key = ("indicator_payload", indicator_id, language, bool(core.get("light")))
    return dash.cached(key, lambda: _indicator_payload(dash, indicator_id, language, core))


def _core(dash: Dashboard, indicator_id: str) -> dict[str, Any]:
    """The indicator's language-independent payload: the full one if computed (or kept on disk), else the light."""
    key = ("indicator_core", indicator_id)  # kept on disk: a restart does not compute it again
    full = dash.deferred(
        "indicator", key, lambda: dash.cached(key, lambda: dash.kept(key, lambda: _indicator_core(dash, indicator_id)))
    )
    if not isinstance(full, Unavailable):
        return full
    light = ("indicator_light", indicator_id)
    return dash.cached(light, lambda: {**_indicator_core(dash, indicator_id, light=True), "light": True})


def _indicator_core(dash: Dashboard, indicator_id: str, light: bool = False) -> dict[str, Any]:
    """The language-independent part: series, projection, peers, map years (computed once).

    ``light``: without the projection and the peers (the slow part), for a page shown while they are computed.
    """
    ind = dash.indicator(indicator_id)
    raw = dash.indicator_data(indicator_id)
    declared = [t.source for _, t in dash.targets_of(indicator_id) if t.source]
    frame = pick_source(raw, [*dict.fromkeys(declared), ind.source], by=("geo", "dims")).reset_index(drop=True)
    geos = sorted(frame["geo"].unique().tolist())
    kind_of = {g: _geo_kind(dash, g) for g in geos}
    has_kaz = bool((frame["geo"] == "KAZ").any())
    head = headline_dims(frame.loc[frame["geo"] == "KAZ", "dims"]) if has_kaz else headline_dims(frame["dims"])
    targets = [
        {
            "id": t.id,
            "programme": p.id,
            "geo": t.geo,
            "year": t.year,
            "value": t.value,
            "kind": t.kind,
            "milestones": [{"year": m.year, "value": m.value} for m in t.milestones],
            "baseline": None if t.baseline is None else {"year": t.baseline.year, "value": t.baseline.value},
            "source": t.source,
            "required": _required(t, ind, p, raw),
        }
        for p, t in dash.targets_of(indicator_id)
    ]
    regions = [g for g in geos if kind_of[g] == "region"]
    countries = [g for g in geos if kind_of[g] == "country"]
    years = sorted({int(y) for y in frame["year"].unique()})
    map_kind = "kz" if len(regions) >= MIN_REGIONS else "world" if len(countries) >= 10 else None
    try:
        projection = _PENDING if light else _projection(dash, frame, ind, targets)
    except ImportError:
        projection = {"available": False, "reason": "the projection analytics are not installed"}
    except Exception as exc:  # shown as the reason, never as a made-up projection
        projection = {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    core = json_safe(
        {
            "id": ind.id,
            "unit": ind.unit,
            "decimals": ind.decimals,
            "polarity": ind.polarity,
            "kinds": kind_of,
            "sources": {f"{d}|{g}": s for (d, g), s in frame.groupby(["dims", "geo"])["source"].first().items()},
            "vintages": _vintages(frame),
            "headlineDims": head,
            "dims": sorted(frame["dims"].unique().tolist(), key=lambda d: (d != head, d != "", d)),
            "defaultGeos": ["KAZ"] if has_kaz else geos[:1],
            "targets": targets,
            "otherSources": _other_sources(raw, frame),
            "projection": projection,
            "years": years,
            "mapKind": map_kind,
            "mapYear": _map_year(frame, regions if map_kind == "kz" else countries) if map_kind else None,
            "kzSets": dash.kz_sets_by_year(years) if map_kind == "kz" else {},
            "worldSet": WORLD_SET,
            "peers": {} if light else _peers(dash, frame, kind_of),
        }
    )
    return {**core, "series": _series(frame, ind.decimals)}  # plain values already: not walked by json_safe


def _indicator_payload(dash: Dashboard, indicator_id: str, language: str, core: dict[str, Any]) -> dict[str, Any]:
    ind = dash.indicator(indicator_id)
    core = dict(core)
    kinds = core.pop("kinds")
    if core["projection"].get("reason") == _FEWER:  # in the reader's language (other reasons: analytics' English)
        reason = gettext(language, "fewer than two annual values of the national series")
        core["projection"] = {**core["projection"], "reason": reason, "reason_translated": True}
    elif language != "en":  # the analysis' sentences, said in the reader's language
        proj = core["projection"]
        said = {k: translated(proj.get(k), language) for k in ("explanation", "reason") if proj.get(k) is not None}
        core["projection"] = {**proj, **said, "reason_translated": isinstance(proj.get("reason"), Message)}
    texts = {t.id: (t.description.get(language) if t.description else "") for _, t in dash.targets_of(indicator_id)}

    def shown(value: float) -> str:
        return value_text(dash, value, ind.unit, language, ind.decimals)

    def source_name(source: str | None) -> str:
        found = dash.framework.sources.get(source or "")
        return found.name.get(language) if found else (source or "")

    core["targets"] = [
        {
            **t,
            "text": texts.get(t["id"], ""),
            "valueText": shown(t["value"]),
            "sourceName": source_name(t.get("source")),
            "milestones": [{**m, "valueText": shown(m["value"])} for m in t["milestones"]],
        }
        for t in core["targets"]
    ]
    core["otherSources"] = [
        {**o, "name": source_name(o["source"]), "text": shown(o["value"])} for o in core.get("otherSources", [])
    ]
    return {
        **core,
        "name": ind.name.get(language),
        "unitName": dash.unit_name(ind.unit, language),
        "sourceNames": {s: source_name(s) for s in sorted(set(core["sources"].values()))},
        "groups": groups_with_data(set(kinds), language, exclude=core["defaultGeos"][0] if core["defaultGeos"] else ""),
        "lang": language,
        "geos": {g: {"name": dash.geo_name(g, language), "kind": k} for g, k in kinds.items()},
    }


def regional_indicators(dash: Dashboard) -> list[str]:
    """Indicators with total values for at least :data:`MIN_REGIONS` of Kazakhstan's regions."""

    def compute() -> list[str]:
        regions = sorted(dash.region_codes())
        marks = ", ".join("?" * len(regions))
        sql = f"""SELECT indicator FROM observation WHERE dims = '' AND geo IN ({marks})
                  GROUP BY indicator HAVING count(DISTINCT geo) >= ? ORDER BY indicator"""
        rows = dash.sql(sql, [*regions, MIN_REGIONS])
        known = dash.framework.indicators
        return [str(r[0]) for r in rows if r[0] in known]

    return dash.cached("regional_indicators", compute)


def regions_payload(dash: Dashboard, indicator_id: str, language: str) -> dict[str, Any]:
    """Map, ranking, dispersion over time and convergence of one indicator across Kazakhstan's regions."""
    ind = dash.indicator(indicator_id)
    key = ("regions_core", indicator_id)
    core = dash.cached(key, lambda: dash.kept(key, lambda: _regions_core(dash, indicator_id)))
    codes = [*core["regions"], "KAZ"]
    sources = dash.framework.sources
    return {
        **core,
        "sourceNames": [sources[s].name.get(language) if s in sources else s for s in core["sourceIds"]],
        "name": ind.name.get(language),
        "unitName": dash.unit_name(ind.unit, language),
        "lang": language,
        "geos": {g: {"name": dash.geo_name(g, language), "kind": "country" if g == "KAZ" else "region"} for g in codes},
        "weights": core["weights"].get(language, core["weights"]["en"]),
        "cautions": [c.get(language, c["en"]) for c in core["cautions"]],
        **{k: _said(core[k], language) for k in ("sigma", "beta") if k in core},
    }


def _said(part: dict[str, Any], language: str) -> dict[str, Any]:
    """A convergence result with its verdict and notes said in ``language``."""
    out = {**part, "verdict": translated(part.get("verdict"), language)}
    if "notes" in part:
        out["notes"] = [translated(n, language) for n in part["notes"]]
    return out


def _regions_core(dash: Dashboard, indicator_id: str) -> dict[str, Any]:
    ind = dash.indicator(indicator_id)
    frame = pick_source(dash.indicator_data(indicator_id), [ind.source], by=("geo", "dims")).reset_index(drop=True)
    regions = dash.region_codes()
    rows = frame[(frame["dims"] == "") & frame["geo"].isin(regions) & (frame["period"].str.len() == 4)]
    data = rows[["geo", "year", "value"]].drop_duplicates(["geo", "year"]).reset_index(drop=True)
    national = frame[(frame["dims"] == "") & (frame["geo"] == "KAZ") & (frame["period"].str.len() == 4)]
    years = sorted(int(y) for y in data["year"].unique())
    out: dict[str, Any] = {
        "id": ind.id,
        "unit": ind.unit,
        "decimals": ind.decimals,
        "polarity": ind.polarity,
        "years": years,
        "kzSets": dash.kz_sets_by_year(years),
        "regions": sorted(data["geo"].unique().tolist()),
        "sourceIds": sorted(rows["source"].dropna().astype(str).unique().tolist()),
        "vintage": str(rows["vintage"].max())[:10] if len(rows) else None,
        "values": {
            str(y): {g: rounded(v, ind.decimals) for g, v in zip(p["geo"], p["value"], strict=True)}
            for y, p in data.groupby("year")
        },
        "national": [
            [int(y), rounded(v, ind.decimals)] for y, v in zip(national["year"], national["value"], strict=True)
        ],
    }
    pol = ind.polarity if ind.polarity in ("higher", "lower") else "higher"
    ranks = rank(data, polarity=pol, geography=dash.geography) if len(data) else pd.DataFrame()
    out["ranking"] = (
        {
            str(y): [
                {
                    "geo": r.geo,
                    "value": rounded(r.value, ind.decimals),
                    "rank": int(r.rank),
                    "n": int(r.n),
                    "change": None if pd.isna(r.rank_change) else int(r.rank_change),
                    "note": r.note,
                }
                for r in p.itertuples()
            ]
            for y, p in ranks.groupby("year")
        }
        if len(ranks)
        else {}
    )
    disp = dispersion(data, geography=dash.geography) if len(data) else pd.DataFrame()
    cols = [
        "year",
        "n",
        "mean",
        "cv",
        "gini",
        "theil",
        "max_min",
        "max_geo",
        "min_geo",
        "flag",
        "reason",
        "excluded",
        "changes",
    ]
    out["dispersion"] = disp[[c for c in cols if c in disp.columns]] if len(disp) else []
    weights = population_weights(data, dash.geography) if len(data) else None
    weight = None if weights is None else "population"
    if weights is not None:
        data = data.assign(population=weights)
    out["weighted"] = weight is not None
    out["weights"] = (WEIGHTED if weight else UNWEIGHTED).to_dict()
    latest = data[data["year"] == years[-1]]["value"] if years else data["value"]
    out["cautions"] = [c.to_dict() for c in cautions(latest, ind.unit)]
    try:
        sigma = sigma_convergence(
            data, geography=dash.geography, boundary="exclude", measure="cv_w" if weight else "cv", weight=weight
        )
        out["sigma"] = {
            "verdict": sigma.verdict,
            "measure": sigma.measure,
            "slope": sigma.slope,
            "ci": [sigma.ci_low, sigma.ci_high],
            "excluded": sigma.excluded_units,
            "notes": sigma.notes,
        }
    except Exception as exc:  # shown as the reason
        out["sigma"] = {"verdict": f"not available: {exc}", "notes": []}
    try:
        beta = beta_convergence(data, geography=dash.geography, boundary="exclude", weight=weight)
        out["beta"] = {"verdict": beta.verdict, "beta": beta.beta, "ci": [beta.ci_low, beta.ci_high], "n": beta.n}
    except Exception as exc:  # shown as the reason
        out["beta"] = {"verdict": f"not available: {exc}"}
    return dict(json_safe(out))
