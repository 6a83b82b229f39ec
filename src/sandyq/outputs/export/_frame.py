"""What an export holds: the selected observations, their indicators and sources, and the citation.

Every exported row carries its unit, source and vintage; :func:`select`
refuses to export a row without them.  The flat table (:func:`data_table`)
puts one observation per row with the disaggregation spread over columns
(blank = total) and labels in one language, so it reads in a spreadsheet and
loads back with ``sandyq load`` (ignoring :data:`LABEL_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from ... import Monitor
from ..._version import __version__
from ...errors import DataError, InternalError, NotFoundError
from ...framework import UNITS, Framework, Indicator, Source, parse_dims

__all__ = ["LABEL_COLUMNS", "Selection", "citation_text", "data_table", "metadata_table", "select", "sources_table"]

#: Columns of the flat table that label or date a figure but are not part of it (ignore them when re-loading).
LABEL_COLUMNS = ("indicator_name", "geo_name", "unit_name", "vintage")


@dataclass
class Selection:
    """The observations chosen for an export, with the metadata needed to describe and cite them."""

    observations: pd.DataFrame
    indicators: dict[str, Indicator]
    sources: dict[str, Source]
    dims: list[str]
    language: str = "en"
    as_of: str | None = None
    db: str = ""
    created: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    geo_names: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, int]:
        y = self.observations["year"]
        return int(y.min()), int(y.max())


def _source(sid: str, monitor: Monitor, stored: dict[str, Source]) -> Source:
    if sid in monitor.framework.sources:
        return monitor.framework.sources[sid]
    if sid in stored:
        return stored[sid]
    return Source.model_validate(
        {
            "id": sid,
            "name": sid,
            "publisher": "not recorded in this store",
            "licence": "not recorded in this store",
            "citation": f"Source {sid!r} (not described in this store).",
        }
    )


def select(
    monitor: Monitor,
    indicator: str | Sequence[str] | None = None,
    geo: str | Sequence[str] | None = None,
    *,
    as_of: date | datetime | str | None = None,
    start: int | None = None,
    end: int | None = None,
    source: str | Sequence[str] | None = None,
    language: str = "en",
) -> Selection:
    """Stored observations (every disaggregation) in force ``as_of``, filtered, with their metadata.

    Values computed on read from formulas are not exported: they are not
    published figures.  Raises :class:`~sandyq.errors.NotFoundError` for an
    unknown indicator or geography, or when nothing matches.
    """
    fw = monitor.framework
    ids = [indicator] if isinstance(indicator, str) else list(indicator or [])
    for i in ids:
        fw.indicator(i)
    geos = None if geo is None else _geo_codes(fw, [geo] if isinstance(geo, str) else geo)
    obs = monitor.store.observations(ids or None, geos, as_of=as_of, dims=None, start=start, end=end, source=source)
    if obs.empty:
        raise NotFoundError(
            "nothing to export: no stored observation matches "
            f"(indicator={ids or 'any'}, geo={geos or 'any'}, as_of={as_of or 'now'})"
        )
    missing = obs[["unit", "source", "vintage"]].isna().any(axis=1)
    if missing.any():
        raise InternalError(f"internal: {int(missing.sum())} stored observations lack unit, source or vintage")
    stored = {r["id"]: Source.model_validate(r) for r in monitor.store.source_rows()}
    fw = _describing(monitor, obs, stored)
    dims = sorted({k for key in obs["dims"].unique() for k in parse_dims(key)})
    geo_names = {g: fw.geography.name(g, language) for g in obs["geo"].unique()}
    return Selection(
        observations=obs,
        indicators={i: fw.indicators[i] for i in sorted(obs["indicator"].unique())},
        sources={s: _source(s, monitor, stored) for s in sorted(obs["source"].unique())},
        dims=dims,
        language=language,
        as_of=None if as_of is None else str(as_of),
        db=monitor.store.path,
        geo_names=geo_names,
    )


def _geo_codes(fw: Framework, geos: Sequence[str]) -> list[str]:
    """The canonical codes of geographies given by code or name; an unknown one is an error."""
    codes = []
    for g in geos:
        canon = fw.geography.resolve(g)
        if canon is None:
            raise NotFoundError(f"unknown geography {g!r}")
        codes.append(canon)
    return codes


def _describing(monitor: Monitor, obs: pd.DataFrame, stored: dict[str, Source]) -> Framework:
    """The framework, with the indicators imported into the store if the observations need them.

    Every indicator of ``obs`` must be described, or the export could not label it.
    """
    fw = monitor.framework
    if not set(obs["indicator"]) <= set(fw.indicators):  # imported indicators kept in the store
        fw = fw.with_indicators(monitor.store.stored_indicators(), stored.values())
    unknown = sorted(set(obs["indicator"]) - set(fw.indicators))
    if unknown:
        raise DataError(f"the store holds indicators the framework does not describe: {', '.join(unknown)}")
    return fw


def _vintage_text(v: pd.Series) -> pd.Series:
    ts = pd.to_datetime(v)
    midnight = ts == ts.dt.normalize()
    return ts.dt.strftime("%Y-%m-%d").where(midnight, ts.dt.strftime("%Y-%m-%dT%H:%M:%S"))


def dims_frame(sel: Selection) -> pd.DataFrame:
    """One column per disaggregation (blank = total), aligned with ``sel.observations``."""
    keys = sel.observations["dims"]
    table = pd.DataFrame([parse_dims(k) for k in keys.unique()], index=keys.unique(), columns=sel.dims)
    return table.reindex(keys.to_numpy()).fillna("").reset_index(drop=True).set_axis(sel.observations.index)


def data_table(sel: Selection) -> pd.DataFrame:
    """The flat export: one observation per row with labels, unit, source and vintage.

    >>> import sandyq
    >>> with sandyq.connect(":memory:") as m:
    ...     _ = m.store.load_frame(pd.DataFrame({"indicator": ["17-8-1"], "geo": ["KZ-71"], "period": ["2023"],
    ...         "dims": ["sex=F"], "source": ["kz-sdg"], "value": [97.4], "unit": ["PT"], "status": [None],
    ...         "note": [None]}), file="t", format="tidy", vintage="2024-10-24")
    ...     row = data_table(select(m)).iloc[0]
    >>> row["geo_name"], row["sex"], row["unit"], row["source"], row["vintage"]
    ('Astana', 'F', 'PT', 'kz-sdg', '2024-10-24')
    """
    o = sel.observations
    lang = sel.language
    names = {i: ind.name.get(lang) for i, ind in sel.indicators.items()}
    out = pd.DataFrame(
        {
            "indicator": o["indicator"],
            "indicator_name": o["indicator"].map(names),
            "geo": o["geo"],
            "geo_name": o["geo"].map(sel.geo_names),
            "period": o["period"],
        }
    )
    out = pd.concat([out, dims_frame(sel)], axis=1)
    unit_names = {u: UNITS[u].name(lang) for u in o["unit"].unique() if u in UNITS}
    out["value"] = o["value"]
    out["unit"] = o["unit"]
    out["unit_name"] = o["unit"].map(unit_names)
    out["status"] = o["status"].fillna("")
    out["source"] = o["source"]
    out["vintage"] = _vintage_text(o["vintage"])
    out["note"] = o["note"].fillna("")
    return out.reset_index(drop=True)


def metadata_table(sel: Selection) -> pd.DataFrame:
    """One row per exported indicator: names in kk/ru/en, definition, unit, source and coverage."""
    cover = sel.observations.groupby("indicator").agg(
        observations=("value", "size"), first_year=("year", "min"), last_year=("year", "max"), geos=("geo", "nunique")
    )
    rows = []
    for i, ind in sel.indicators.items():
        rows.append(
            {
                "id": i,
                "name_kk": ind.name.kk,
                "name_ru": ind.name.ru,
                "name_en": ind.name.en,
                "definition": ind.definition.get(sel.language) if ind.definition else "",
                "unit": ind.unit,
                "unit_name": UNITS[ind.unit].name(sel.language),
                "polarity": ind.polarity,
                "periodicity": ind.periodicity,
                "source": ind.source,
                "observations": int(cover.loc[i, "observations"]),
                "geographies": int(cover.loc[i, "geos"]),
                "first_year": int(cover.loc[i, "first_year"]),
                "last_year": int(cover.loc[i, "last_year"]),
                "note": ind.note or "",
            }
        )
    return pd.DataFrame(rows)


def sources_table(sel: Selection) -> pd.DataFrame:
    """One row per source cited by the exported rows, with licence and citation."""
    return pd.DataFrame(
        [
            {
                "id": s.id,
                "name": s.name.get(sel.language),
                "publisher": s.publisher.get(sel.language),
                "url": s.url or "",
                "licence": s.licence.get(sel.language),
                "citation": s.citation.get(sel.language),
            }
            for s in sel.sources.values()
        ]
    )


def citation_text(sel: Selection) -> str:
    """A README (Markdown): what was exported, how to cite it, and the licence of every source."""
    first, last = sel.years
    o = sel.observations
    lines = [
        "# sandyq export",
        "",
        f"Exported with sandyq {__version__} on {sel.created:%Y-%m-%d %H:%M} UTC from the store `{sel.db}`; "
        f"figures {'as published on ' + sel.as_of if sel.as_of else 'in their latest vintage'}.",
        f"{len(o)} observations of {len(sel.indicators)} indicators for {o['geo'].nunique()} geographies, "
        f"{first}–{last}. Every row gives its unit, source and vintage (the date the figure was published or "
        "loaded).",
        "",
        "## How to cite",
        "",
        "Cite the original publisher of each figure (column `source`):",
        "",
    ]
    lines += [f"- **{s.id}**: {s.citation.en}" for s in sel.sources.values()]
    lines += [
        "",
        f"and, for the compilation: *sandyq {__version__} export of {sel.created:%Y-%m-%d}*.",
        "",
        "## Sources and licences",
        "",
    ]
    for s in sel.sources.values():
        lines += [f"### {s.id} — {s.name.en}", "", f"- Publisher: {s.publisher.en}", f"- Licence: {s.licence.en}"]
        if s.url:
            lines.append(f"- URL: {s.url}")
        lines += [f"- Citation: {s.citation.en}", ""]
    return "\n".join(lines) + "\n"
