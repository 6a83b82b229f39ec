"""Page contexts: what each HTML page shows, built from a :class:`Dashboard` in one language.

The builders are shared by the server (:mod:`._pages`) and the static site
(:mod:`._site`), so both show the same pages.  Every UI string goes through
the message catalogs; names come from the metadata.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

import pandas as pd

from ..._messages import Message, said, translated
from ...analytics.audit import finding_names, said_finding
from ...analytics.progress import DEFAULT_CALIBRATION, Calibration, ProgressReport, TargetProgress
from ...analytics.results import json_safe
from ...framework import Programme, Task, terms
from ._data import Dashboard
from ._i18n import fmt_number, gettext
from ._indicator import regional_indicators, value_text
from ._unavailable import Unavailable

__all__ = [
    "STATUS_CLASS",
    "STATUS_MSG",
    "glossary_context",
    "index_context",
    "indicators_context",
    "overview_context",
    "quality_context",
    "status_label",
    "targets_context",
    "value_text",
]


def N_(message: str) -> str:
    """Mark a string for the catalogs without translating it here."""
    return message


#: Status codes of :mod:`sandyq.analytics.progress` and their catalog msgids.
STATUS_MSG = {
    "achieved": N_("target achieved"),
    "significant_progress": N_("significant progress"),
    "moderate_progress": N_("moderate progress"),
    "insufficient_progress": N_("insufficient progress"),
    "moving_away": N_("movement away from the target"),
    "missed": N_("target missed"),
    "moderate_movement_away": N_("moderate movement away"),
    "significant_movement_away": N_("significant movement away"),
    "not_assessed": N_("not assessed (no desired direction)"),
    "insufficient_data": N_("insufficient data"),
    "no_data": N_("no data"),
}

#: CSS class (colour) of each status; every badge also carries its text.
STATUS_CLASS = {
    "achieved": "st-good",
    "significant_progress": "st-good",
    "moderate_progress": "st-fair",
    "insufficient_progress": "st-warn",
    "moving_away": "st-bad",
    "missed": "st-bad",
    "moderate_movement_away": "st-warn",
    "significant_movement_away": "st-bad",
    "not_assessed": "st-none",
    "insufficient_data": "st-none",
    "no_data": "st-none",
}

EVENT_MSG = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "unknown": N_("status unknown"),
}

#: Economies drawn in the rank chart (those ranked nearest to Kazakhstan); the table lists all.
CHART_UNITS = 41

#: Errors and warnings listed on the data-quality page (all findings are in the CSV).
#: Audit rules (sandyq.analytics.audit.RULES) by a name people read, in the page's language.
RULE_MSG = {
    "formula": N_("Derived figure does not match its formula"),
    "growth": N_("Growth rate does not match the levels"),
    "average_growth": N_("Average growth does not match the levels"),
    "unverifiable": N_("Cannot be checked: inputs missing"),
    "regions_total": N_("Regions do not add up to the country"),
    "parts_total": N_("Categories do not add up to the total"),
    "duplicate_key": N_("Same figure published twice with different values"),
    "source_disagreement": N_("Sources disagree"),
    "boundary_change": N_("Series crosses a change of boundaries"),
    "nonexistent_unit": N_("Value for a region that did not exist that year"),
    "gap": N_("Missing years in the series"),
    "jump": N_("Unusual jump"),
    "flagged_break": N_("Break in series flagged by the source"),
    "out_of_bounds": N_("Value outside what its unit allows"),
    "regions_range": N_("National figure outside the range of its regions"),
    "parts_range": N_("Total outside the range of its categories"),
    "target_unjudged": N_("Target not judged on a figure the store holds"),
    "declared_rule": N_("Declared validation rule does not hold"),
    "not_assessed": N_("Not assessed by the source: missing, not zero"),
}

RISK_MSG = {"high": N_("high"), "elevated": N_("elevated"), "none": N_("not raised"), "unknown": N_("cannot be judged")}


def status_label(language: str, status: str) -> str:
    return gettext(language, STATUS_MSG.get(status, status))


def _rate_text(dash: Dashboard, rate: Any, kind: Any, unit: str | None, language: str) -> str | None:
    """An annual rate: '+2.4 % a year' (compound growth) or '+25,000 persons a year' (annual change)."""
    if rate is None:
        return None
    per_year = gettext(language, "a year")
    sign = "+" if rate >= 0 else ""
    if kind == "cagr":
        return f"{sign}{fmt_number(rate * 100, language, 1)} % {per_year}"
    if unit in ("PT", "RATE_PT"):
        points = gettext(language, "points")
        return f"{sign}{fmt_number(rate, language, 1)} {points} {per_year}"
    return f"{sign}{value_text(dash, rate, unit, language)} {per_year}"


def _progress(dash: Dashboard, programme_id: str, language: str) -> tuple[Any, Unavailable | None]:
    report = dash.progress(programme_id)  # names are taken from the framework in ``language``
    if isinstance(report, Unavailable):
        return None, report
    return report, None


def overview_context(dash: Dashboard, language: str, programme_id: str | None = None) -> dict[str, Any]:
    """Programme overview: directions and tasks, target status counts, execution rate, risks raised."""
    prog = dash.programme(programme_id)
    report, missing = _progress(dash, prog.id, language)
    by_target = {t.target_id: t for t in report.targets} if report else {}
    cover = set(dash.indicator_table(language).query("observations > 0")["id"])
    directions = [
        {
            "id": d.id,
            "name": d.name.get(language),
            "description": d.description.get(language) if d.description else "",
            "tasks": [_task_view(dash, t, language, by_target, cover) for t in d.tasks],
        }
        for d in prog.directions
    ]
    counts = _status_counts(report) if report else []
    risks = _risk_views(report, prog, language) if report else []
    superseded = dash.framework.programmes.get(prog.superseded_by or "")
    return {
        "programme": prog,
        "programmes": list(dash.framework.programmes.values()),
        "note": prog.note.get(language) if prog.note else "",
        "superseded_by": superseded.name.get(language) if superseded else "",
        "n_judged": report.judged if report else 0,
        "name": prog.name.get(language),
        "legal_basis": prog.legal_basis.get(language),
        "description": prog.description.get(language) if prog.description else "",
        "directions": directions,
        "report": report,
        "method": translated(report.method, language) if report else "",
        "method_notes": [translated(n, language) for n in report.notes] if report else [],
        "missing": missing,
        "counts": counts,
        "risks": risks,
        "raised": [r for r in risks if r["raised"]],
        "plan": measures_context(dash, prog.id, language),
        "n_targets": len(prog.targets()),
        "n_tasks": len(prog.tasks()),
        "n_indicators": len(prog.indicator_ids()),
        "n_with_data": sum(1 for i in prog.indicator_ids() if i in cover),
        "facts": [
            {
                "name": f.name.get(language),
                "value": f.value,
                "unit": dash.unit_name(f.unit, language),
                "year": f.year,
                "source": f.citation.source,
            }
            for f in prog.facts
        ],
    }


def measures_context(dash: Dashboard, programme: str, language: str) -> dict[str, Any]:
    """The overview's figures of the action plan: the execution rate of measures (all and due), and overdue ones."""

    from ... import measures

    def compute() -> dict[str, Any]:
        states = measures.measure_states(dash.framework, dash.monitor.store, programme, None, language)
        rates = measures.rates(states).get(programme)
        return {"rate": rates, "overdue": [s for s in states if s.overdue][:50]}

    return dash.cached(("measures", programme, language, date.today().isoformat()), compute)


def _task_view(
    dash: Dashboard, task: Task, language: str, by_target: dict[str, TargetProgress], cover: set[str]
) -> dict[str, Any]:
    """One task of the overview: its indicators (with or without data), targets with status, events and risks."""
    inds = list(dict.fromkeys((*task.indicators, *(g.indicator for g in task.targets))))
    return {
        "id": task.id,
        "name": task.name.get(language),
        "indicators": [
            {"id": i, "name": dash.indicator(i).name.get(language), "has_data": i in cover}
            for i in inds
            if i in dash.framework.indicators
        ],
        "targets": [
            {
                "id": g.id,
                "indicator": g.indicator,
                "text": g.description.get(language) if g.description else g.id,
                "status": by_target[g.id].status if g.id in by_target else None,
            }
            for g in task.targets
        ],
        "events": Counter(e.status for e in task.events),
        "risks": len(task.risks),
    }


def _status_counts(report: ProgressReport) -> list[dict[str, Any]]:
    """How many targets have each status, and their share of all targets."""
    total = len(report.targets)
    return [{"status": k, "n": v, "share": v / total if total else 0} for k, v in report.counts.items()]


def _risk_views(report: ProgressReport, prog: Programme, language: str) -> list[dict[str, Any]]:
    """Every risk warning of the report, with the task's and the risk's text in ``language``."""
    task_names = {t.id: t.name.get(language) for t in prog.tasks()}
    risk_text = {r.id: r.text.get(language) for t in prog.tasks() for r in t.risks}
    return [
        {
            "task": task_names.get(r.task_id, r.task_id),
            "text": risk_text.get(r.risk_id, r.risk_text),
            "level": r.level,
            "raised": r.raised,
            "explanation": translated(r.explanation, language),
        }
        for r in report.risks
    ]


def targets_context(dash: Dashboard, language: str) -> dict[str, Any]:
    """Every target of every programme with status, latest value, projection and probability."""
    rows = []
    missing = []
    for prog in dash.framework.programmes.values():
        report, why = _progress(dash, prog.id, language)
        if why is not None:
            missing.append((prog.name.get(language), why))
        by_target = {t.target_id: t for t in report.targets} if report else {}
        for d in prog.directions:
            for task in d.tasks:
                for g in task.targets:
                    tp = by_target.get(g.id)
                    r = tp.row() if tp is not None else {}
                    ind = dash.framework.indicators.get(g.indicator)
                    unit = ind.unit if ind else None
                    decimals = ind.decimals if ind else None
                    rows.append(
                        {
                            "id": g.id,
                            "programme": prog.id,
                            "programme_name": prog.name.get(language),
                            "superseded": prog.superseded_by is not None,
                            "direction": d.name.get(language),
                            "task": task.name.get(language),
                            "text": g.description.get(language) if g.description else g.id,
                            "indicator": g.indicator,
                            "indicator_name": ind.name.get(language) if ind else g.indicator,
                            "unit": unit or "",
                            "decimals": decimals,
                            "geo": dash.geo_name(g.geo, language),
                            "target_value": g.value,
                            "target_year": g.year,
                            "target_text": value_text(dash, g.value, unit, language, decimals),
                            "milestones": [
                                (m.year, value_text(dash, m.value, unit, language, decimals)) for m in g.milestones
                            ],
                            "status": tp.status if tp else None,
                            "judgeable": tp.judgeable if tp else False,
                            "explanation": translated(tp.explanation, language) if tp else "",
                            "latest_text": value_text(dash, r.get("latest_value"), unit, language, decimals),
                            "source_name": _source_name(dash, r.get("source"), language),
                            "others": _others_view(dash, tp, unit, language, decimals),
                            "projection_text": value_text(dash, r.get("projection"), unit, language, decimals),
                            "interval80": _interval(dash, r, "80", unit, language, decimals),
                            "interval95": _interval(dash, r, "95", unit, language, decimals),
                            "projection_note": translated(r.get("projection_note"), language) or "",
                            "probability_of": translated(
                                r.get("probability_of"), language, name=ind.name.get(language) if ind else ""
                            ),
                            "needed": _rate_text(dash, r.get("needed_rate"), r.get("rate_kind"), unit, language),
                            "achieved": _rate_text(dash, r.get("achieved_rate"), r.get("rate_kind"), unit, language),
                            "reconciliation": r.get("reconciliation") or "",
                            "note": _note(g, tp, language),
                            "owner": g.owner.get(language) if g.owner else "",
                            **{
                                k: r.get(k)
                                for k in (
                                    "latest_value",
                                    "latest_year",
                                    "projection",
                                    "projection_year",
                                    "lower95",
                                    "upper95",
                                    "probability",
                                    "vintage",
                                )
                            },
                        }
                    )
    order = list(STATUS_MSG)
    statuses = sorted(
        {str(r["status"]) for r in rows if r["status"]}, key=lambda st: order.index(st) if st in order else len(order)
    )
    return {
        "rows": rows,
        "missing": missing,
        "statuses": statuses,
        "programmes": list(dash.framework.programmes.values()),
        "reliability": _said_fitted_on(reliability_view(_store_calibration(dash)), language),
    }


def _store_calibration(dash: Dashboard) -> Calibration:
    """The store's own calibration (``sandyq backtest --save``), else sandyq's default."""
    try:
        body = dash.monitor.store.document("calibration")
        return DEFAULT_CALIBRATION if body is None else Calibration.from_json(body)
    except Exception:  # an unreadable calibration: the one the projections fall back to
        return DEFAULT_CALIBRATION


_FITTED_ON = re.compile(
    r"World Bank WDI, ([\d,]+) series of (\d+) economies and aggregates, (\d{4})–(\d{4}) \(built-in default\)"
)


def _said_fitted_on(view: dict[str, Any] | None, language: str) -> dict[str, Any] | None:
    """The reliability view with the built-in calibration's description in ``language``."""
    hit = None if view is None else _FITTED_ON.fullmatch(str(view.get("fitted_on") or ""))
    if view is None or hit is None:
        return view
    n, m, a, b = (int(g.replace(",", "")) for g in hit.groups())
    msgid = "World Bank WDI, {n} series of {m} economies and aggregates, {a}–{b} (built-in default)"
    return {**view, "fitted_on": Message(msgid, {"n": n, "m": m, "a": a, "b": b}).to(language)}


def reliability_view(calibration: Calibration, size: int = 200) -> dict[str, Any] | None:
    """The event backtest kept with ``calibration`` for the "How sure are the probabilities?" section.

    Each reliability bin gets a point of an SVG square of ``size`` (x: the mean
    probability stated, y: the share of targets reached; the diagonal is perfect).

    >>> v = reliability_view(Calibration(events={"events": 10, "brier": 0.1, "brier_base_rate": 0.2,
    ...     "brier_drift": 0.15, "skill_vs_base_rate": 0.5, "skill_vs_drift": 0.33,
    ...     "reliability": [{"bin": "0.9–1.0", "events": 10, "probability": 0.95, "observed": 0.9, "gap": -0.05}]}))
    >>> v["bins"][0]["x"], v["bins"][0]["y"], reliability_view(Calibration()) is None
    (190.0, 20.0, True)
    """
    ev = calibration.events
    if not ev or not ev.get("reliability"):
        return None
    bins = [
        {**b, "x": round(b["probability"] * size, 1), "y": round((1.0 - b["observed"]) * size, 1)}
        for b in ev["reliability"]
    ]
    return {**ev, "bins": bins, "size": size, "fitted_on": calibration.fitted_on}


def _note(target: Any, tp: TargetProgress | None, language: str) -> str:
    """The target's caveat, unless its explanation already ends with it."""
    note = target.note.get(language) if target.note else ""
    return "" if tp is not None and note and note in translated(tp.explanation, language) else note


def _source_name(dash: Dashboard, source_id: str | None, language: str) -> str:
    """A source's name in the reader's language (its id if the framework does not know it)."""
    if not source_id:
        return ""
    src = dash.framework.sources.get(source_id)
    return src.name.get(language) if src else source_id


def _others_view(
    dash: Dashboard, tp: TargetProgress | None, unit: str | None, language: str, decimals: int | None
) -> list[dict[str, Any]]:
    """The other sources' figures shown beside the one a target is judged on."""
    if tp is None:
        return []
    return [
        {
            "source": o.source,
            "name": _source_name(dash, o.source, language),
            "text": value_text(dash, o.value, unit, language, decimals),
            "year": o.year,
        }
        for o in tp.others
    ]


def _interval(
    dash: Dashboard, row: dict[str, Any], level: str, unit: str | None, language: str, decimals: int | None
) -> str:
    """A prediction interval 'a – b' with units, or '' when the row has none."""
    lo, hi = row.get(f"lower{level}"), row.get(f"upper{level}")
    if lo is None or hi is None:
        return ""
    return f"{value_text(dash, lo, unit, language, decimals)} – {value_text(dash, hi, unit, language, decimals)}"


def indicators_context(dash: Dashboard, language: str) -> dict[str, Any]:
    table = dash.indicator_table(language)
    return {
        "rows": table.to_dict("records"),
        "programmes": list(dash.framework.programmes.values()),
        "regional": set(regional_indicators(dash)),
    }


def glossary_context(dash: Dashboard, language: str) -> dict[str, Any]:
    terms = []
    for term in dash.framework.glossary.values():
        tagged = [i for i in dash.framework.indicators.values() if term.id in i.tags]
        src = dash.framework.sources.get(term.citation.source)
        terms.append(
            {
                "id": term.id,
                "name": term.name.get(language),
                "definition": term.definition.get(language),
                "names": {lang: term.name.get(lang) for lang in ("kk", "ru", "en")},
                "citation": src.citation.get(language) if src else term.citation.source,
                "locator": term.citation.locator,
                "indicators": [(i.id, i.name.get(language)) for i in tagged],
            }
        )
    return {"terms": terms, "stat_terms": _stat_terms(language)}


def _stat_terms(language: str) -> list[dict[str, Any]]:
    """The statistical and programme terms (``content/framework/terms.yaml``) for the glossary page."""
    return [
        {
            "id": t.id,
            "name": t.name.get(language),
            "definition": t.definition.get(language),
            "names": {lang: t.name.get(lang) for lang in ("kk", "ru", "en")},
            "reference": t.reference,
        }
        for t in terms().values()
    ]


def quality_context(dash: Dashboard, language: str) -> dict[str, Any]:
    """Audit findings, problems recorded at load, and the indicator × year coverage matrix."""
    findings = dash.audit()
    cov = dash.coverage()
    years, matrix = _coverage_matrix(cov, dash.indicator_table(language).set_index("id")["name"])
    all_rows = [] if isinstance(findings, Unavailable) else findings or []
    shown = [f for f in all_rows if f.get("severity") in ("error", "warning")]  # all of them, paged in the browser
    table = dash.indicator_table(language)
    names = dash.cached("finding-names", lambda: finding_names(dash.framework))
    shown = [{**f, "message": said_finding(f.get("message"), language, names)} for f in shown]
    issues = [
        {**r, "message": said_finding(r.get("message"), language, names)} for r in _issue_rows(dash.load_issues())
    ]
    return {
        "findings": shown,
        "findings_missing": findings if isinstance(findings, Unavailable) else None,
        "severities": Counter(str(f.get("severity", "")) for f in all_rows),
        "rules": _rule_counts(all_rows),
        "n_findings": len(all_rows),
        "n_hidden": len(all_rows) - len(shown),
        "issues": issues,
        "years": years,
        "matrix": matrix,
        "n_indicators": len(table),
        "with_data": int((table["observations"] > 0).sum()),  # as on the indicators page
        "ind_names": dict(zip(table["id"], table["name"], strict=True)),
    }


def _coverage_matrix(cov: pd.DataFrame, names: pd.Series) -> tuple[list[int], list[dict[str, Any]]]:
    """The years covered and, per indicator, each year's number of geographies and whether Kazakhstan is one."""
    if cov.empty:
        return [], []
    years = list(range(int(cov["year"].min()), int(cov["year"].max()) + 1))
    wide = cov.pivot(index="indicator", columns="year", values="geos").reindex(columns=years)
    kaz = cov.pivot(index="indicator", columns="year", values="kaz").reindex(columns=years)
    matrix = []
    for ind_id in wide.index:
        cells = [None if pd.isna(v) else int(v) for v in wide.loc[ind_id]]
        has_kaz = [bool(v) if not pd.isna(v) else False for v in kaz.loc[ind_id]]
        matrix.append(
            {"id": ind_id, "name": names.get(ind_id, ind_id), "cells": list(zip(cells, has_kaz, strict=True))}
        )
    return years, matrix


def _issue_rows(issues: pd.DataFrame) -> list[dict[str, Any]]:
    """The problems recorded at load, their files relative to the content folder."""
    if not len(issues):
        return []
    keep = ["kind", "indicator", "geo", "period", "dims", "value", "message", "source", "file", "row_number"]
    rows: list[dict[str, Any]] = json_safe(issues[[c for c in keep if c in issues.columns]])
    for r in rows:
        r["file"] = str(r.get("file") or "").rsplit("/content/", 1)[-1]
    return rows


def _rule_counts(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The number of findings of each severity and rule, most serious first, then most frequent."""
    order = {"error": 0, "warning": 1, "info": 2}
    by_rule = Counter((str(f.get("severity", "")), str(f.get("rule", ""))) for f in findings)
    return [
        {"severity": k[0], "rule": k[1], "n": v}
        for k, v in sorted(by_rule.items(), key=lambda kv: (order.get(kv[0][0], 3), -kv[1]))
    ]


def index_context(dash: Dashboard, language: str) -> dict[str, Any]:
    res = dash.composite()
    if isinstance(res, Unavailable):
        return {"index": None, "missing": res}
    table = res["table"]
    names = {
        u: dash.geo_name(u, language) if u in dash.geography else n
        for u, n in zip(table["geo"], table["name"], strict=True)
    }
    rows = json_safe(table)
    for r in rows:
        r["label"] = names.get(r["geo"], r["name"])
        r["pillars"] = [r.get(f"pillar:{p['code']}") for p in res["pillars"]]
    n = len(rows)
    ranked = [r for r in rows if r["rank"] is not None]
    kaz = next((r for r in rows if r["highlight"]), None)
    pos = ranked.index(kaz) if kaz in ranked else 0
    chart = ranked[max(0, pos - CHART_UNITS // 2) : max(0, pos - CHART_UNITS // 2) + CHART_UNITS]
    ranks = [v for r in chart for v in (r["rank"], r["rank_q5"], r["rank_q95"]) if v is not None]
    lo = min(ranks) if ranks else 1
    span = max(1.0, (max(ranks) if ranks else n) - lo)
    return {
        "index": res,
        "notes": [said(note, language) for note in res.get("notes", [])],
        "rows": rows,
        "n": n,
        "missing": None,
        "kaz": kaz,
        "chart_rows": chart,
        "lo": lo,
        "span": span,
    }
