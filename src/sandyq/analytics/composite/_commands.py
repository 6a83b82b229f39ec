"""Text output for ``sandyq index build | audit | uncertainty`` (the CLI prints what these return).

A specification that reads its data from the store (``data: {store: ...}``)
needs ``reader``, the store to read (the CLI passes the one of ``--db``); one
that names a data file does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import InvalidValueError, Problem
from ..reader import Reader
from ._audit import audit
from ._index import CompositeIndex
from ._montecarlo import DEFAULT_MEMORY_MB
from ._published import compare_published
from ._results import IndexResult
from ._sensitivity import run_sensitivity
from ._spec import read_spec
from ._store_data import read_store_data
from ._uncertainty import run_uncertainty

__all__ = ["audit_command", "build_command", "uncertainty_command"]

FORMATS = ("table", "csv", "json")


def _records(df: pd.DataFrame, index_name: str | None = None) -> list[dict[str, Any]]:
    frame = df.reset_index() if index_name is None else df.rename_axis(index_name).reset_index()
    return list(json.loads(frame.to_json(orient="records", double_precision=10)))


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidValueError(
            "unknown output format", [Problem("", f"use one of {', '.join(FORMATS)}", path="--format")]
        )
    return fmt


def build_command(
    spec: str | Path, year: int | None = None, fmt: str = "table", decimals: int = 2, reader: Reader | None = None
) -> str:
    """``sandyq index build SPEC [--year Y] [--format table|csv|json]``: scores and ranks of every aggregate."""
    fmt = _fmt(fmt)
    index, sources, vintage = _open(spec, reader)
    result = index.build(year)
    table = result.table("aggregates")
    published = _published(index, result, reader)
    if fmt == "csv":
        return str(table.assign(source="; ".join(sources), vintage=vintage).to_csv(float_format=f"%.{decimals + 4}g"))
    if fmt == "json":
        payload: dict[str, Any] = {
            "index": index.spec.name,
            "period": result.period,
            "units": len(result.units),
            "sources": sources,
            "vintage": vintage,
            "notes": list(result.notes),
            "results": _records(table),
            "ranks": _records(result.ranks(None)[table.columns[2:]].loc[table.index]),
        }
        if published is not None:
            payload["published"] = {
                "indicator": index.spec.published.indicator if index.spec.published else None,
                "compared": len(published),
                "agree": int(published["agrees"].sum()),
                "departures": _records(published[~published["agrees"]].set_index("geo")),
            }
        return json.dumps(payload, ensure_ascii=False, indent=2)
    head = f"{index.spec.name or spec}" + (f" — {result.period}" if result.period is not None else "")
    lines = [head, "", table.round(decimals).to_string()]
    lines += ["", f"Data: {'; '.join(sources)}" + (f" (vintage {vintage})" if vintage else "")]
    if published is not None and index.spec.published is not None:
        lines += ["", _published_line(index.spec.published.indicator, published)]
        departures = published[~published["agrees"]].head(10).set_index("geo")
        if len(departures):
            lines.append(departures[["rebuilt", "published", "difference"]].round(decimals + 2).to_string())
    if result.notes:
        lines += ["", "Notes:", *[f"  - {n}" for n in result.notes]]
    return "\n".join(lines) + "\n"


def _published(index: CompositeIndex, result: IndexResult, reader: Reader | None) -> pd.DataFrame | None:
    """The rebuild beside the published index the specification names (None: none named, or no store)."""
    pub = index.spec.published
    if pub is None or reader is None:
        return None
    return compare_published(result, reader, pub.indicator, code=pub.code, source=pub.source, tolerance=pub.tolerance)


def _published_line(indicator: str, compared: pd.DataFrame) -> str:
    """One line: how many units were compared with the published index, and how many agree."""
    n, agree = len(compared), int(compared["agrees"].sum())
    return f"Published {indicator}: {n} units compared, {agree} agree, {n - agree} depart beyond the tolerance"


def _open(spec: str | Path, reader: Reader | None) -> tuple[CompositeIndex, list[str], str | None]:
    """The index of ``spec`` and where its data come from: store sources and vintage, or the data file it names."""
    s = read_spec(spec)
    if s.data.store is None or reader is None:
        return CompositeIndex.from_spec(s), [f"file {s.data.file} (as named by the specification {s.source})"], None
    inputs = read_store_data(s, reader)
    sources, vintage = inputs.provenance()
    return CompositeIndex(s, inputs.frame), sources, vintage


def audit_command(spec: str | Path, year: int | None = None, decimals: int = 3, reader: Reader | None = None) -> str:
    """``sandyq index audit SPEC``: statistics with flags, treatment, correlations, alpha, PCA, drop-one."""
    index = CompositeIndex.from_yaml(spec, reader)
    result = index.build(year)
    rep = audit(result)
    out = [f"Audit of {index.spec.name or spec}", ""]
    flagged = rep.flagged()
    out += [
        f"Indicators with statistical flags (raw data): {len(flagged)} of {len(rep.statistics)}",
        flagged.round(decimals).to_string() if len(flagged) else "  none",
        "",
    ]
    if rep.treatment is not None:
        treated = rep.treatment[rep.treatment["method"] != "none"]
        out += [
            f"Outlier treatment: {len(treated)} indicators treated",
            treated.round(decimals).to_string() if len(treated) else "  none",
            "",
        ]
    corr = rep.correlations
    bad = corr[corr["Flag"] != "ok"]
    out += [
        f"Correlation with parent: {len(bad)} flagged of {len(corr)}",
        bad.round(decimals).to_string() if len(bad) else "  none flagged",
        "",
    ]
    out += [
        "Highly correlated pairs within pillars (r > 0.9):",
        rep.collinear.round(decimals).to_string(index=False) if len(rep.collinear) else "  none",
        "",
    ]
    out += [
        "Coherence of each aggregate (Cronbach's alpha, first principal component):",
        rep.coherence.round(decimals).to_string(),
        "",
    ]
    for level, table in rep.drop_one.items():
        name = result.structure.level_name(level)
        out += [
            f"Mean absolute rank change of {result.index_code} when each {name.lower()} is dropped:",
            table.round(decimals).to_string(),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def uncertainty_command(
    spec: str | Path,
    runs: int | None = None,
    sensitivity: bool = False,
    seed: int | None = None,
    year: int | None = None,
    progress: bool = True,
    decimals: int = 2,
    reader: Reader | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> str:
    """``sandyq index uncertainty SPEC --runs N [--sensitivity]``: rank intervals and Sobol' indices.

    The runs go in blocks within ``memory_mb`` MiB, whatever their number; with
    ``progress`` a progress bar shows on standard error and Ctrl-C stops the
    analysis and reports the runs done so far.
    """
    index = CompositeIndex.from_yaml(spec, reader)
    if sensitivity:
        sa = run_sensitivity(index, base_samples=runs, seed=seed, year=year, progress=progress, memory_mb=memory_mb)
        ua = sa.uncertainty
    else:
        ua = run_uncertainty(
            index, runs=runs, seed=seed, year=year, progress=progress, memory_mb=memory_mb, interruptible=progress
        )
    stats = ua.rank_stats()
    stats.insert(0, "uName", [index.frame.names[list(index.frame.units).index(u)] for u in stats.index])
    out = [
        f"Uncertainty analysis of {ua.target}: {ua.runs:,} runs in {ua.seconds:.2f} s"
        + (f" ({ua.failed:,} failed)" if ua.failed else ""),
        "",
        stats.round(decimals).to_string(),
    ]
    if ua.interrupted:
        out[1:1] = [
            f"Interrupted: {ua.runs:,} of the {ua.requested:,} runs asked for were done; the statistics are "
            "those of the runs done."
        ]
    if sensitivity:
        out += [
            "",
            f"Sobol' indices of the mean absolute rank change (N = {sa.base_samples}, {sa.runs} runs):",
            sa.indices.round(3).to_string(),
        ]
        out += [f"  - {n}" for n in sa.notes]
    return "\n".join(out) + "\n"
