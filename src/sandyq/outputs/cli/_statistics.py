"""Statistics commands: the seed tables, the consistency audit, regional differentiation, ICT ↔ economy.

Every figure printed carries its unit, source and vintage, as columns or as a
caption line under the table.
"""

from __future__ import annotations

import html
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from ..._messages import Message, joined, recognised
from ...errors import ComputationError, InvalidValueError, NotFoundError, OutputError, UsageError
from ._choices import SEED_TABLES
from ._common import check_sources, err_console, handle_errors, state

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ... import Monitor
    from ...analytics.audit import Finding
    from ...analytics.tables import SeedTable

__all__ = ["register"]


class TableFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"
    json = "json"


class AuditFormat(StrEnum):
    table = "table"
    json = "json"


class FailOn(StrEnum):
    never = "never"
    error = "error"
    warning = "warning"


def register(app: typer.Typer) -> None:
    """Add ``table``, ``audit``, ``regions`` and ``relate`` to ``app``."""
    app.command("table")(table)
    app.command("audit")(audit_command)
    app.command("regions")(regions)
    app.command("relate")(relate)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def write(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (reported on standard error), or to standard output."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{output}: cannot write ({exc.strerror or exc})") from None
    err_console.print(f"wrote {output}")


def _html(t: SeedTable) -> str:
    caption = "".join(f"<li>{html.escape(line)}</li>" for line in t.caption())
    title = html.escape(f"{t.locator} — {t.title}")
    body = t.to_frame().to_html(index=False, na_rep="", border=0, classes="sandyq-table")
    checks = t.checks.to_html(index=False, na_rep="", border=0, classes="sandyq-checks") if len(t.checks) else ""
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>\n'
        f"<body>\n<h1>{title}</h1>\n{body}\n<ul>{caption}</ul>\n"
        + (f"<h2>Checks: printed vs recomputed</h2>\n{checks}\n" if checks else "")
        + "</body></html>\n"
    )


def _xlsx(t: SeedTable, output: Path) -> None:
    import pandas as pd

    from ..export import xlsx_text

    sheets = {
        f"Table {t.number}": t.to_frame(),
        "checks": t.checks,
        "sources": pd.DataFrame(t.sources),
        "notes": pd.DataFrame({"note": [f"{t.locator} — {t.title}", *t.caption()]}),
    }
    try:
        with pd.ExcelWriter(output, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                frame.to_excel(xl, sheet_name=name, index=False)
            xlsx_text(xl.book)  # strings stay text: no cell runs as a formula
    except OSError as exc:
        raise OutputError(f"{output}: cannot write ({exc.strerror or exc})") from None
    err_console.print(f"wrote {output}")


@handle_errors
def table(
    name: Annotated[str, typer.Argument(help=f"The seed-000 table: {', '.join(SEED_TABLES)} (or 2, 3, 4, 5).")],
    format: Annotated[
        TableFormat, typer.Option("--format", help="Output format (xlsx and html need --output).")
    ] = TableFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Regenerate a table of seed article 000 from the store, printed figures checked against recomputed ones."""
    from ... import connect
    from ...analytics.tables import seed_table
    from .._render import render_frame

    if format in (TableFormat.xlsx, TableFormat.html) and output is None:
        raise UsageError(f"--format {format.value} writes a file: give --output FILE")
    with connect(state.db_path, read_only=True) as m:
        t = seed_table(m, name, language=state.lang)
    if format == TableFormat.xlsx:
        assert output is not None
        _xlsx(t, output)
    elif format == TableFormat.html:
        write(_html(t), output)
    elif format == TableFormat.json:
        write(json.dumps(t.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        text = render_frame(
            t.to_frame(), format.value, title=f"{t.locator} — {t.title}", caption="\n".join(t.caption())
        )
        write(text, output)


_AUDIT_COLUMNS = [
    "severity",
    "rule",
    "indicator",
    "geo",
    "period",
    "dims",
    "found",
    "expected",
    "unit",
    "tolerance",
    "sources",
    "vintage",
    "message",
]


@handle_errors
def audit_command(
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Only findings about this indicator (or using it as an input).")
    ] = None,
    geo: Annotated[str | None, typer.Option("--geo", help="Only findings about this geography.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only findings involving this source.")] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            help="Only these rules, rule families (derived, totals, duplicates, breaks, bounds, declared) "
            "or declared rules (their ids).",
        ),
    ] = None,
    framework: Annotated[
        list[Path] | None,
        typer.Option("--framework", help="A framework folder whose rules/*.yaml (and indicators) are added."),
    ] = None,
    severity: Annotated[
        str, typer.Option("--severity", help="Show findings at least this serious: error, warning or info.")
    ] = "warning",
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="Relative tolerance between two sources of the same statistic.")
    ] = 0.02,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Audit the figures as published on this date.")] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit with status 1 if there is a finding this serious (for scripts).")
    ] = FailOn.never,
    format: Annotated[AuditFormat, typer.Option("--format", help="Output format.")] = AuditFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Check every figure in the store: derived figures, totals, duplicates, breaks, unit bounds, declared rules."""
    from ... import connect
    from ...analytics.audit import SEVERITIES, AuditOptions, audit

    if severity not in SEVERITIES:
        raise InvalidValueError(f"--severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    if not 0 <= tolerance < 1:
        raise InvalidValueError(f"--tolerance must be between 0 and 1 (a share, e.g. 0.02), got {tolerance}")
    with connect(state.db_path, read_only=True, framework=framework or ()) as m:
        if source is not None and source not in m.framework.sources and source != "derived":
            raise NotFoundError(f"unknown source {source!r} (known: {', '.join(sorted(m.framework.sources))})")
        findings = audit(
            m,
            indicator,
            geo=geo,
            source=source,
            rules=rule,
            as_of=as_of,
            options=AuditOptions(source_tolerance=tolerance),
        )
    shown = [f for f in findings if SEVERITIES.index(f.severity) <= SEVERITIES.index(severity)]
    if format == AuditFormat.json:
        write(_audit_json(findings, shown, severity), output)
    else:
        write(_audit_table(findings, shown, indicator, m.framework), output)
    worst = {"error": 0, "warning": 1}.get(fail_on.value)
    if worst is not None and any(SEVERITIES.index(f.severity) <= worst for f in findings):
        raise typer.Exit(1)


def _severity_totals(counts: pd.DataFrame) -> dict[str, int]:
    """The number of findings of each severity, from the per-rule counts."""
    from ...analytics.audit import SEVERITIES

    return {s: int(counts[s].sum()) if len(counts) else 0 for s in SEVERITIES}


def _audit_json(findings: list[Finding], shown: list[Finding], severity: str) -> str:
    """The audit as JSON: a summary of every finding (by severity and rule) and the findings shown."""
    from ...analytics.audit import summarise
    from ...analytics.results import json_safe

    counts = summarise(findings)
    payload: dict[str, Any] = {
        "summary": {
            "total": len(findings),
            **_severity_totals(counts),
            "shown": len(shown),
            "severity_shown": severity,
            "by_rule": json_safe(counts.reset_index().to_dict(orient="records")),
        },
        "findings": [f.to_dict() for f in shown],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _audit_table(findings: list[Finding], shown: list[Finding], indicator: str | None, framework: Any) -> str:
    """The findings shown as a table, captioned with the counts of all findings and of those hidden."""
    from ...analytics.audit import RULE_NAMES, finding_names, findings_frame, said_finding, summarise
    from .._render import render_frame

    counts = summarise(findings)
    totals = _severity_totals(counts)
    headline = Message(
        "{n} {n:plural:finding|findings}: {e} {e:plural:error|errors}, {w} {w:plural:warning|warnings}, {i} info",
        {"n": len(findings), "e": totals["error"], "w": totals["warning"], "i": totals["info"]},
    )
    hidden = len(findings) - len(shown)
    frame = findings_frame(shown).reindex(columns=_AUDIT_COLUMNS)
    if state.lang in ("kk", "ru") and len(frame):
        names = finding_names(framework)
        frame["message"] = [said_finding(t, state.lang, names) for t in frame["message"]]
    by_rule = "; ".join(
        f"{RULE_NAMES[r].to(state.lang) if r in RULE_NAMES and state.lang != 'en' else r}: {int(row['total'])}"
        for r, row in counts.iterrows()
    )
    caption = joined(
        joined(headline, Message("{n} less serious not shown: --severity info", {"n": hidden}), sep=" (") + ")"
        if hidden
        else headline,
        Message("by rule — {list}", {"list": by_rule}) if by_rule else "",
        Message("found/expected in the unit shown; vintage of the observation (as in force) from the first source"),
        sep="\n",
    )
    return render_frame(
        frame,
        "table",
        title=Message("Consistency audit of {indicator}", {"indicator": indicator})
        if indicator
        else "Consistency audit",
        caption=caption,
        width=200,
        language=state.lang,
    )


# -- regions and relate: shared data selection ---------------------------------------------------------------------
class RegionsFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


#: One source for a whole cross-section (every region, every country), chosen by :func:`sandyq.store.rank_sources`.
_CROSS_SECTION = ("indicator", "dims")


def _annual(m: Monitor, indicator: str, dims: str, source: str | None) -> pd.DataFrame:
    rows = m.observations(indicator, dims=dims, source=source)
    return rows[rows["period"].astype(str).str.len() == 4].reset_index(drop=True)


def _vintages(rows: pd.DataFrame) -> str:
    import pandas as pd

    v = pd.to_datetime(rows["vintage"]).dropna()
    if v.empty:
        return "no vintage"
    lo, hi = v.min().date(), v.max().date()
    return str(lo) if lo == hi else f"{lo} … {hi}"


def _describe(m: Monitor, indicator: str, rows: pd.DataFrame) -> str:
    ind = m.framework.indicator(indicator)
    sources = ", ".join(sorted(rows["source"].astype(str).unique())) or "none"
    return Message(
        "{id} — {name}: unit {unit}, source {source}, vintage {vintage}",
        {
            "id": indicator,
            "name": ind.name.get(state.lang),
            "unit": ind.unit,
            "source": sources,
            "vintage": _vintages(rows),
        },
    )


def _emit(
    frame: pd.DataFrame,
    fmt: str,
    output: Path | None,
    title: str,
    caption: list[str],
    extra: dict[str, Any],
    names: Mapping[str, Any] | None = None,
) -> None:
    from ..._messages import said
    from ...analytics.results import json_safe
    from .._render import frame_records, render_frame

    if fmt == "json":
        payload = {**json_safe(extra), "rows": frame_records(frame), "notes": caption}
        write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", output)
    else:
        shown = frame.copy()
        if fmt != "csv":  # a screen shows four decimals; csv and json keep every digit
            floats = shown.select_dtypes("float").columns
            shown[floats] = shown[floats].round(4)
        said_caption = "\n".join(str(said(c, state.lang, names)) for c in caption if c)
        text = render_frame(
            shown,
            fmt,
            title=said(title, state.lang, names),
            caption=said_caption,
            width=200,
            language=state.lang,
            names=names,
        )
        write(text, output)


@handle_errors
def regions(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. 17-8-1.")],
    year: Annotated[int | None, typer.Option("--year", help="Rank the regions in this year.")] = None,
    country: Annotated[str, typer.Option("--country", help="Whose regions.")] = "KAZ",
    dims: Annotated[str, typer.Option("--dims", help="A disaggregation, e.g. 'sex=F' (default: totals).")] = "",
    source: Annotated[str | None, typer.Option("--source", help="Source id (default: the indicator's own).")] = None,
    format: Annotated[RegionsFormat, typer.Option("--format", help="Output format.")] = RegionsFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Regional differentiation: dispersion (CV, Gini, Theil, max/min) by year, or the regions ranked in a year."""
    import pandas as pd

    from ... import connect
    from ...analytics.audit import finding_names
    from ...analytics.regional import (
        WEIGHTS_NOTE,
        beta_convergence,
        cautions,
        dispersion,
        population_weights,
        rank,
        sigma_convergence,
    )
    from ...analytics.results import json_safe
    from ...framework import dims_key, parse_dims
    from ...store import pick_source

    with connect(state.db_path, read_only=True) as m:
        ind = m.framework.indicator(indicator)
        check_sources(m, [source] if source else None)
        geo = m.framework.geography
        parent = geo.get(country).code
        dims = dims_key(parse_dims(dims)) if "=" in dims else dims
        rows = _annual(m, indicator, dims, source)
        codes = {u.code for u in geo.regions(parent)}
        reg = pick_source(rows[rows["geo"].isin(codes)], [ind.source], by=_CROSS_SECTION)
        if reg.empty:
            other = m.store.observations(indicator, sorted(codes))["dims"].unique().tolist()
            hint = (
                f"; by region it has only breakdowns, e.g. --dims {', '.join(sorted(other)[:3])}"
                if other
                else f" (geographies with data: {', '.join(sorted(rows['geo'].unique())[:10]) or 'none'})"
            )
            raise ComputationError(
                f"{indicator}: no values for the regions of {parent} in the store"
                + (f" with dims {dims!r}" if dims else "")
                + hint
            )
        src = str(reg["source"].iloc[0])
        national = rows[(rows["geo"] == parent) & (rows["source"] == src)].set_index("year")["value"]
        names = {g: geo.name(g, state.lang) for g in reg["geo"].unique()}
        about = _describe(m, indicator, reg)
    data = reg[["geo", "year", "value"]]
    years = sorted(data["year"].unique().tolist())
    title_params = {"name": ind.name.get(state.lang), "id": indicator, "parent": parent}
    title = Message("{name} ({id}) across the regions of {parent}", title_params)
    if year is None:
        weights = population_weights(data, geo) if parent == "KAZ" else None
        weight = None if weights is None else "population"
        if weights is not None:
            data = data.assign(population=weights)
        table = dispersion(data, geography=geo, weight=weight)
        table.insert(2, "national", table["year"].map(national))
        latest = pd.to_datetime(reg["vintage"]).groupby(reg["year"]).max().dt.strftime("%Y-%m-%d")
        table = table.assign(unit=ind.unit, source=src, vintage=table["year"].map(latest))
        warn = cautions(data.loc[data["year"] == years[-1], "value"], ind.unit)
        how = WEIGHTS_NOTE if weight else "unweighted: every region counts the same (no population for these regions)"
        notes = [
            about,
            Message("Convergence is {how}.", {"how": recognised(how)}),
            *[Message("Caution: {text}", {"text": c.get(state.lang)}) for c in warn],
        ]
        extra: dict[str, Any] = {
            "indicator": indicator,
            "unit": ind.unit,
            "source": src,
            "weighted": weight is not None,
            "weights": how,
            "cautions": [c.to_dict() for c in warn],
        }
        if len(years) >= 2:
            sigma = sigma_convergence(data, geography=geo, measure="cv_w" if weight else "cv", weight=weight)
            beta = beta_convergence(data, geography=geo, weight=weight)
            notes += list(
                dict.fromkeys([joined("σ:", sigma.verdict), joined("β:", beta.verdict), *sigma.notes, *beta.notes])
            )
            extra.update(sigma=sigma.to_dict(), beta=beta.to_dict())
        notes.append(
            "Regions that do not exist in a year are left out (never counted as zero); see 'excluded' and 'changes'."
        )
        _emit(table, format.value, output, title, notes, extra, names=finding_names(m.framework))
        return
    if year not in years:
        raise ComputationError(f"{indicator}: no regional values for {year} (years with data: {years[0]}–{years[-1]})")
    polarity = ind.polarity if ind.polarity in ("higher", "lower") else "higher"
    ranked = rank(data, polarity=polarity, geography=geo)
    ranked = ranked[ranked["year"] == year].merge(
        reg[["geo", "year", "unit", "source", "vintage", "status"]], on=["geo", "year"], how="left"
    )
    ranked.insert(2, "name", ranked["geo"].map(names))
    cols = [
        "rank",
        "geo",
        "name",
        "value",
        "unit",
        "status",
        "source",
        "vintage",
        "previous_rank",
        "rank_change",
        "note",
    ]
    one = dispersion(data[data["year"] == year], geography=geo).iloc[0]
    nat = national.get(year)
    stats = (
        f"{year}: n = {one['n']}, mean {one['mean']:.4g}, CV {one['cv']:.3f}, Gini {one['gini']:.3f}, "
        f"max/min {one['max_min']:.3g} ({one['max_geo']} / {one['min_geo']})"
    )
    notes = [
        about,
        stats + (f"; {parent} {nat:g} {ind.unit}" if nat is not None else ""),
        f"rank 1 = {'highest' if polarity == 'higher' else 'lowest'} value (polarity {ind.polarity})",
        *([f"excluded: {one['excluded']}"] if one["excluded"] else []),
    ]
    extra = {
        "indicator": indicator,
        "unit": ind.unit,
        "source": src,
        "year": year,
        "dispersion": json_safe(one.to_dict()),
    }
    title = Message("{name} ({id}) across the regions of {parent}, {year}", {**title_params, "year": year})
    _emit(ranked[cols], format.value, output, title, notes, extra, names=finding_names(m.framework))


class RelateMode(StrEnum):
    auto = "auto"
    time = "time"
    cross_section = "cross-section"
    panel = "panel"


class RelateFormat(StrEnum):
    table = "table"
    json = "json"


def _units(m: Monitor, a: pd.DataFrame, b: pd.DataFrame) -> tuple[set[str], str]:
    """Regions of Kazakhstan if both indicators have them, else countries (never aggregates)."""
    geo = m.framework.geography
    regions = {u.code for u in geo.regions("KAZ")}
    if a["geo"].isin(regions).any() and b["geo"].isin(regions).any():
        return regions, "the regions of KAZ"
    return {u.code for u in geo.countries()}, "countries"


@handle_errors
def relate(
    x: Annotated[str, typer.Argument(help="Indicator on the ICT side, e.g. IT.NET.USER.ZS.")],
    y: Annotated[str, typer.Argument(help="Indicator on the economy side, e.g. NY.GDP.PCAP.CD.")],
    geo: Annotated[list[str] | None, typer.Option("--geo", help="Geography (repeat for several).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Compare units in this year (cross-section).")] = None,
    mode: Annotated[
        RelateMode,
        typer.Option(
            "--mode", help="auto: --year → cross-section; one --geo → time; several → panel; none → time for KAZ."
        ),
    ] = RelateMode.auto,
    format: Annotated[RelateFormat, typer.Option("--format", help="Output format.")] = RelateFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """How strongly, and in which direction, two indicators move together (an association, not a proof of impact)."""
    import pandas as pd

    from ... import connect
    from ...analytics.relate import relate as relate_stat
    from ...analytics.results import json_safe
    from ...store import pick_source
    from .._render import render_frame

    with connect(state.db_path, read_only=True) as m:
        ind_x, ind_y = m.framework.indicator(x), m.framework.indicator(y)
        a, b = _annual(m, x, "", None), _annual(m, y, "", None)
        geos = [m.framework.geography.get(g).code for g in geo or []]
        chosen = mode.value
        if chosen == "auto":
            chosen = "cross-section" if year is not None else "panel" if len(geos) > 1 else "time"
        scope: str
        if chosen == "time":
            if len(geos) > 1:
                raise UsageError("--mode time relates one geography over years: give one --geo")
            where = geos[0] if geos else "KAZ"
            a, b, scope = a[a["geo"] == where], b[b["geo"] == where], f"{where} over years"
        else:
            if chosen == "cross-section" and year is None:
                raise UsageError("--mode cross-section compares units in one year: give --year")
            units, scope = (set(geos), ", ".join(geos)) if geos else _units(m, a, b)
            a, b = a[a["geo"].isin(units)], b[b["geo"].isin(units)]
            if chosen == "cross-section":
                a, b = a[a["year"] == year], b[b["year"] == year]
                scope = f"{scope} in {year}"
        a, b = pick_source(a, [ind_x.source], by=_CROSS_SECTION), pick_source(b, [ind_y.source], by=_CROSS_SECTION)
        about = [_describe(m, x, a), _describe(m, y, b)]
    stat_mode: Literal["time", "cross_section", "panel"] = (
        "time" if chosen == "time" else "cross_section" if chosen == "cross-section" else "panel"
    )
    rel = relate_stat(
        a[["indicator", "geo", "year", "value"]],
        b[["indicator", "geo", "year", "value"]],
        stat_mode,
        year=year if stat_mode == "cross_section" else None,
    )
    d = rel.to_dict()
    stats = [
        "n",
        "n_entities",
        "n_periods",
        "pearson_r",
        "pearson_p",
        "spearman_rho",
        "spearman_p",
        "within_r",
        "elasticity",
        "elasticity_ci_low",
        "elasticity_ci_high",
        "elasticity_p",
        "elasticity_n",
        "r2",
        "excluded_nonpositive",
    ]
    frame = pd.DataFrame({"statistic": stats, "value": [d.get(k) for k in stats]})
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    notes = [f"Verdict: {rel.verdict}", f"Units: {scope} ({chosen})", *about, *rel.notes]
    title = f"{ind_x.name.get(state.lang)} ↔ {ind_y.name.get(state.lang)}"
    if format == RelateFormat.json:
        payload = {**d, "scope": scope, "inputs": about}
        write(json.dumps(json_safe(payload), ensure_ascii=False, indent=2) + "\n", output)
    else:
        table_text = render_frame(frame.assign(value=frame["value"].map(lambda v: f"{v:.4g}")), "table", title=title)
        write(table_text + "\n".join(notes) + "\n", output)
