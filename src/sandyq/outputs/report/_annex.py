"""The report's later chapters: risk register, regional differentiation, composite index, and the annexes.

Each reads the store as of the report's date (the composite index through an
as-of view of the monitor), so a report as of 2019 shows only what was known then.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from ..._messages import number, translated
from ..._version import __version__
from ...analytics.progress import with_unit
from ._chart import HEIGHT, WIDTH, Line, chart, ranking
from ._evaluation import evaluation_chapter
from ._evaluation import methods as evaluation_methods
from ._map import map_chart
from ._model import Chart, Document, Heading, Paragraph, Table
from ._words import say

if TYPE_CHECKING:
    from ...analytics.progress import ProgressReport
    from ._facts import Facts

__all__ = ["annexes"]

_FINDINGS = 40


def annexes(doc: Document, facts: Facts, report: ProgressReport, language: str) -> None:
    """Add the risk register, regions, composite index, data quality, methods and sources to ``doc``."""
    _risks(doc, report, language)
    _regions(doc, facts, language)
    _composite(doc, facts, language)
    evaluation_chapter(doc, facts, language)
    _quality(doc, facts, language)
    _methods(doc, report, language)
    _sources(doc, facts, report, language)


def _risks(doc: Document, report: ProgressReport, language: str) -> None:
    doc.add(Heading(1, say(language, "Risk register"), "risks"))
    raised = sum(r.raised for r in report.risks)
    doc.add(Paragraph(say(language, "{raised} of {total} risks are raised by their indicators.",
                          raised=raised, total=len(report.risks)), "lead"))  # fmt: skip
    rows = tuple(
        (r.task_name, r.risk_text, say(language, r.level), say(language, "raised" if r.raised else "not raised"),
         str(translated(r.explanation, language)))
        for r in sorted(report.risks, key=lambda r: (not r.raised, r.task_id))
    )  # fmt: skip
    head = tuple(say(language, w) for w in ("Task", "Risk", "Level", "Status", "Why"))
    doc.add(Table(head, rows))


def _regions(doc: Document, facts: Facts, language: str) -> None:
    doc.add(Heading(1, say(language, "Regional differentiation"), "regions"))
    geo = facts.framework.geography
    for ind_id, (source, data, table) in facts.regions.items():
        name = facts.framework.indicators[ind_id].name.get(language)
        doc.add(Heading(2, name, f"regions-{ind_id}"))
        doc.add(Paragraph(say(language, "{name}: dispersion across {n} regions, {first}–{last}.", name=name,
                              n=int(data["geo"].nunique()), first=int(table["year"].min()),
                              last=int(table["year"].max()))))  # fmt: skip
        rows = tuple(
            (str(int(r.year)), str(int(r.n)), number(language, r.cv * 100, ".1f"), number(language, r.gini, ".3f"),
             geo.name(str(r.max_geo), language), geo.name(str(r.min_geo), language))
            for r in table.tail(6).itertuples(index=False)
        )  # fmt: skip
        head = tuple(say(language, w) for w in ("Year", "Regions", "Coefficient of variation", "Gini index",
                                                "Highest", "Lowest"))  # fmt: skip
        note = say(language, "Source: {source}; vintage {vintage}.", source=source,
                   vintage=str(pd.Timestamp(data["vintage"].max()).date()))  # fmt: skip
        points = tuple((float(r.year), float(r.cv * 100)) for r in table.itertuples(index=False))
        caption = say(language, "{name}: coefficient of variation across regions, by year (%).", name=name)
        svg = chart([Line(say(language, "Coefficient of variation"), points)], unit="%", note=note)
        doc.add(Chart(svg, WIDTH, HEIGHT, caption + " " + note, alt=caption))
        doc.add(Table(head, rows, note, (False, True, True, True, False, False)))
        year = int(table["year"].max())
        latest = data[data["year"] == year]
        items = [
            (str(geo.name(str(g), language)), float(v)) for g, v in zip(latest["geo"], latest["value"], strict=True)
        ]
        unit = facts.framework.indicators[ind_id].unit
        svg, height = ranking(items, unit=_unit_name(unit, language), note=note)
        caption = say(language, "{name}: regions ranked, {year}.", name=name, year=year)
        doc.add(Chart(svg, WIDTH, height, caption + " " + note, alt=caption))
        doc.add(map_chart(facts.framework, ind_id, latest, year, language, note))
    if not facts.regions:
        doc.add(Paragraph(say(language, "No indicator of this programme has figures for regions.")))


def _unit_name(unit: str | None, language: str) -> str:
    from ...framework import UNITS

    return UNITS[unit].name(language) if unit in UNITS else ""


def _composite(doc: Document, facts: Facts, language: str) -> None:
    doc.add(Heading(1, say(language, "Composite index"), "index"))
    panel = facts.panel
    if panel is None or isinstance(panel, Exception):
        why = say(language, "not asked for") if panel is None else str(panel)
        doc.add(Paragraph(say(language, "The composite index could not be computed: {why}", why=why)))
        return
    table = panel.table
    kaz = table.loc[(table["geo"] == "KAZ") & table["rank"].notna(), "year"]
    year = int(kaz.max()) if len(kaz) else int(table["year"].max())
    part = table[table["year"] == year].sort_values("rank", na_position="last")
    top = part.head(10)
    if "KAZ" not in set(top["geo"]):
        top = pd.concat([top, part[part["geo"] == "KAZ"]])
    doc.add(Paragraph(say(language, "{name}, {year}: ranks with their 5–95 % interval from {runs} simulations.",
                          name=panel.name, year=year, runs=panel.runs)))  # fmt: skip
    rows = tuple(
        (
            number(language, r["rank"], ".0f"),
            _country(facts, str(r["geo"]), str(r["name"]), language),
            number(language, r[panel.index_code], ".1f"),
            f"{number(language, r['rank_p05'], '.0f')}–{number(language, r['rank_p95'], '.0f')}",
        )
        for _, r in top.iterrows()
    )
    head = tuple(say(language, w) for w in ("Rank", "Country", "Score", "Rank interval"))
    vintage = None if panel.vintage is None else panel.vintage.date().isoformat()
    note = say(language, "Source: {source}; vintage {vintage}.", source="sandyq", vintage=vintage or "")
    doc.add(Table(head, rows, note, (True, False, True, True)))


def _country(facts: Facts, code: str, name: str, language: str) -> str:
    """A country's name in ``language`` (the index's own name when the geography does not know the code)."""
    try:
        return str(facts.framework.geography.name(code, language))
    except Exception:  # a code the geography does not list keeps the index's name
        return name


def _quality(doc: Document, facts: Facts, language: str) -> None:
    doc.add(Heading(1, say(language, "Annex A. Data quality"), "quality"))
    findings = sorted(facts.findings, key=lambda f: (f.severity != "error", f.indicator, f.period or ""))
    sev = Counter(f.severity for f in findings)
    doc.add(Paragraph(say(language, "{n} audit findings touch the figures of this report ({errors} errors, "
                          "{warnings} warnings).", n=len(findings), errors=sev.get("error", 0),
                          warnings=sev.get("warning", 0))))  # fmt: skip
    rows = tuple(
        (say(language, f.severity), f.indicator, f"{f.geo or ''} {f.period or ''}".strip(),
         str(translated(f.message, language)))
        for f in findings[:_FINDINGS]
    )  # fmt: skip
    more = len(findings) - _FINDINGS
    head = tuple(say(language, w) for w in ("Severity", "Indicator", "Period", "Finding"))
    if rows:
        doc.add(Table(head, rows, say(language, "and {n} more", n=more) if more > 0 else ""))


def _methods(doc: Document, report: ProgressReport, language: str) -> None:
    from ...framework import terms

    doc.add(Heading(1, say(language, "Annex B. Methods"), "methods"))
    doc.add(Paragraph(str(translated(report.method, language))))
    for n in report.notes:
        doc.add(Paragraph(str(translated(n, language)), "note"))
    for term in terms().values():
        doc.add(Paragraph(f"{term.name.get(language)}: {term.definition.get(language)}", "bullet"))
    evaluation_methods(doc, language)


def _sources(doc: Document, facts: Facts, report: ProgressReport, language: str) -> None:
    prog, sources = facts.programme, facts.framework.sources
    doc.add(Heading(1, say(language, "Annex C. Sources, vintages and citation"), "sources"))
    rows = []
    for t in report.targets:
        r = t.row()
        if r["latest_value"] is None:
            continue
        value = f"{with_unit(r['latest_value'], t.unit, language)} ({r['latest_year']})"
        rows.append((t.indicator_name, value, t.source or "", t.vintage or ""))
    head = tuple(say(language, w) for w in ("Indicator", "Latest value", "Source", "Vintage"))
    doc.add(Table(head, tuple(rows), numeric=(False, True, False, False)))
    used = sorted({t.source for t in report.targets if t.source})
    for sid in used:
        src = sources.get(sid)
        if src is not None and src.citation is not None:
            doc.add(Paragraph(f"{sid}: {src.citation.get(language)}", "bullet"))
    name = prog.name.get(language)
    cite = say(language, "{programme}: monitoring report as of {day} (sandyq {version}, language {lang}).",
               programme=name, day=report.as_of, version=__version__, lang=language)  # fmt: skip
    doc.add(Paragraph(say(language, "Cite this report as: {cite}", cite=cite), "lead"))
    src = None if prog.citation is None else sources.get(prog.citation.source)
    if src is not None and src.citation is not None:
        doc.add(Paragraph(say(language, "Programme: {cite}", cite=src.citation.get(language)), "note"))
