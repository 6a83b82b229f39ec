"""Content assembly: a programme's monitoring report as a :class:`~._model.Document`, in one language.

The order is the one a delivery unit hands to a minister: a one-page summary
(status counts, execution rate, the targets most at risk, what changed since
the previous vintage), one section per direction and task with a chart and the
verdict of every target, then the risk register, regional differentiation, the
composite index, and the annexes (data quality, methods, sources and citation).
Every figure is the analysis' own (:meth:`sandyq.Monitor.progress`, the audit,
the composite index), said through the same catalog as the dashboard.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..._messages import number, translated
from ..._version import __version__
from ._annex import annexes
from ._changes import changes
from ._chart import Bar, Line, Mark, chart
from ._model import Chart, Document, Heading, Paragraph, Table
from ._words import say

if TYPE_CHECKING:
    from ... import Monitor
    from ...analytics.progress import ProgressReport, TargetProgress
    from ._facts import Facts

__all__ = ["build_document", "build_report"]

#: Statuses of a target off track, the worst first (the summary's "most at risk").
_AT_RISK = ("significant_movement_away", "moving_away", "missed", "moderate_movement_away", "insufficient_progress")


def build_report(
    monitor: Monitor,
    programme: str = "digital-kazakhstan",
    *,
    as_of: str | dt.date | None = None,
    compare_to: str | dt.date | None = None,
    language: str = "en",
) -> Document:
    """The monitoring report of ``programme`` as of ``as_of`` (today if None), in ``language``.

    ``compare_to`` adds what changed since that date; by default, since the
    vintage before the newest one among the report's figures.
    """
    from ._facts import gather

    return build_document(gather(monitor, programme, as_of, compare_to), language)


def build_document(facts: Facts, language: str) -> Document:
    """The report of the figures ``facts`` (see :func:`._facts.gather`), said in ``language``."""
    from ._facts import in_language

    report = in_language(facts.report, facts.programme, facts.framework, language)
    doc = Document(f"{say(language, 'Monitoring report')}: {report.programme_name}", language)
    doc.meta.update(programme=report.programme_id, as_of=report.as_of, version=__version__, vintages=_vintages(report))
    doc.add(Paragraph(say(language, "As of {day}: every figure as published by that day.", day=report.as_of), "lead"))
    _summary(doc, facts, report, language)
    _sections(doc, report, language)
    annexes(doc, facts, report, language)
    return doc


_MEASURES = (
    "Measures of the action plan: {done} of {measures} done ({rate}); of those due by this date, {done_due} of "
    "{due} done ({rate_due}); overdue: {overdue}."
)


def _vintages(report: ProgressReport) -> list[str]:
    return sorted({t.vintage for t in report.targets if t.vintage})


def _pct(language: str, p: float | None) -> str:
    return number(language, None) if p is None else number(language, p * 100, ".0f") + " %"


def _measures(doc: Document, facts: Facts, language: str) -> None:
    """The execution rate of the action plan's measures beside that of the targets, and the overdue measures."""
    from ... import measures

    states = getattr(facts, "measures", None) or []  # facts kept by an earlier version have none
    if not states:
        return
    rate = measures.execution_rate(states)
    doc.add(
        Paragraph(
            say(language, _MEASURES, done=rate["done"], measures=rate["measures"],
                rate=_pct(language, rate["rate_all"]), done_due=rate["done_due"], due=rate["due"],
                rate_due=_pct(language, rate["rate_due"]), overdue=rate["overdue"]),
            "lead",
        )
    )  # fmt: skip
    events = {e.id: e for t in facts.programme.tasks() for e in t.events}
    late = [s for s in states if s.overdue]
    if late:
        rows = tuple(
            (str(events[s.id].name.get(language)), str(s.deadline), s.agency or "—", _status_word(s.status, language))
            for s in late
        )
        head = (say(language, "Measure"), say(language, "Deadline"), say(language, "Agency"), say(language, "Status"))
        doc.add(Table(head, rows, say(language, "Overdue measures")))


def _status_word(status: str, language: str) -> str:
    """A measure's status in ``language`` (the words the CLI uses).

    >>> _status_word("in_progress", "ru"), _status_word("done", "en")
    ('выполняется', 'done')
    """
    from .._terminal import WORDS

    forms = WORDS.get(status)
    return status if forms is None or language == "en" else forms[0 if language == "ru" else 1]


def _summary(doc: Document, facts: Facts, report: ProgressReport, language: str) -> None:
    doc.add(Heading(1, say(language, "Summary"), "summary"))
    doc.add(Paragraph(report.execution_text(), "lead"))
    _measures(doc, facts, language)
    rows = tuple(
        (say(language, label), str(report.counts.get(code, 0))) for code, label in _labels() if code in report.counts
    )
    doc.add(
        Table(
            (say(language, "Status"), say(language, "Targets")), rows, say(language, "Targets by status"), (False, True)
        )
    )
    doc.add(Heading(2, say(language, "Targets most at risk")))
    risky = sorted(
        (t for t in report.targets if t.status in _AT_RISK),
        key=lambda t: (_AT_RISK.index(t.status), t.probability if t.probability is not None else 2.0),
    )[:5]
    if not risky:
        doc.add(Paragraph(say(language, "No target is judged off track.")))
    else:
        head = tuple(say(language, w) for w in ("Target", "Status", "Latest value", "Probability"))
        doc.add(Table(head, tuple(_risk_row(t, language) for t in risky), numeric=(False, False, True, True)))
    changes(doc, facts, report, language)


def _labels() -> list[tuple[str, str]]:
    from ...analytics.progress import STATUSES

    return list(STATUSES.items())


def _risk_row(t: TargetProgress, language: str) -> tuple[str, ...]:
    r = t.row()
    latest = "" if r["latest_value"] is None else f"{_value(t, r['latest_value'])} ({r['latest_year']})"
    return (t.indicator_name, say(language, t.label), latest, _pct(language, t.probability))


def _value(t: TargetProgress, v: float | None) -> str:
    from ...analytics.progress import with_unit

    return with_unit(v, t.unit, t.language)


def _sections(doc: Document, report: ProgressReport, language: str) -> None:
    doc.add(Heading(1, say(language, "Progress by direction and task"), "progress"))
    current: tuple[str | None, str | None] = (None, None)
    for t in report.targets:
        if t.direction_id != current[0]:
            doc.add(Heading(2, say(language, "Direction: {name}", name=t.direction_name), t.direction_id))
        if (t.direction_id, t.task_id) != current:
            doc.add(Heading(3, say(language, "Task: {name}", name=t.task_name), t.task_id))
            current = (t.direction_id, t.task_id)
        _target(doc, t, language)


def _target(doc: Document, t: TargetProgress, language: str) -> None:
    """One target: its name, the verdict in a sentence, the chart, the facts with source and vintage."""
    doc.add(Heading(4, t.indicator_name, t.target_id))
    why = translated(t.explanation if t.assessment is None else t.assessment.status.explanation, language)
    doc.add(Paragraph(say(language, "Verdict: {status}. {why}", status=say(language, t.label), why=why), "lead"))
    p = t.probability
    if t.probability_of is not None and p is not None:
        doc.add(Paragraph(f"{t.probability_of}: {number(language, p * 100, '.0f')} %."))
    if t.assessment is not None and t.assessment.status.points:
        doc.add(_target_chart(t, language))
    for line in t.text_lines()[1:]:
        text = line.strip()
        if text and not text.startswith(t.probability_of or "\0"):
            doc.add(Paragraph(text, "note"))


def _target_chart(t: TargetProgress, language: str) -> Chart:
    a = t.assessment
    assert a is not None
    lines = [Line(say(language, "observed"), tuple(a.status.points))]
    if a.required:
        lines.append(Line(say(language, "required trajectory"), tuple(a.required), "required", dashed=True))
    bars: list[Bar] = []
    p = a.projection if t.shows_projection else None
    if p is not None and p.value is not None:
        last = a.status.points[-1]
        path = ((last[0], last[1]), *p.points) if p.points else ((last[0], last[1]), (p.year, p.value))
        lines.append(Line(say(language, "projection"), tuple(path), "projection", dashed=True))
        for level, weight in (("95", 1.0), ("80", 2.0)):
            if level in p.intervals:
                lo, hi = p.intervals[level]
                bars.append(Bar(f"{level} %", p.year, lo, hi, weight))
    marks = [Mark(f"{say(language, 'milestone')}: {m.year}", m.year, m.target, m.state == "met") for m in a.milestones]
    note = say(language, "Source: {source}; vintage {vintage}.", source=t.source or "", vintage=t.vintage or "")
    unit = t.unit_name or ""
    svg = chart(lines, marks, bars, unit=unit, note=note, language=language)
    caption = say(
        language,
        "{name}: observed values, milestones, projection with its 80 % and 95 % prediction intervals, "
        "and the required trajectory.",
        name=t.indicator_name,
    )
    from ._chart import HEIGHT, WIDTH

    return Chart(svg, WIDTH, HEIGHT, caption + " " + note, alt=caption)
