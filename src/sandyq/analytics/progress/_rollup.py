"""Programme roll-up: every target's status and projection, counts, execution rate and risk warnings.

For each target the total (dims '') series of its indicator at its geography is
taken from the source the target declares it is judged on, else the indicator's
own source, else the fullest other source — the one rule of
:func:`sandyq.store.rank_sources` — and the other sources' figures are kept
beside it.  Targets without data are listed as such, with the reason in plain
words, never dropped.  The execution rate counts the targets that can be judged
(see :mod:`._report`).  A task's risk is raised when an indicator linked to it is
off track or moving away, with the reason shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..._messages import CATALOG, Message, joined
from ...framework._models import Indicator, Programme, Target, Task
from ...framework._units import UNITS
from ._assess import Assessment, assess_series, required_path
from ._calibration import DEFAULT_CALIBRATION, Calibration
from ._peers import PeerPanel, panel_from_annual
from ._projection import Projection, ProjectionInput, forecast_many
from ._report import (
    MIN_PROJECTION_POINTS,
    NOT_JUDGED,
    OtherSource,
    ProgressReport,
    RiskWarning,
    TargetProgress,
    count_statuses,
)
from ._series import SeriesChoice, SeriesRequest, annual_series, as_of_date, select_many, select_series
from ._status import DEFAULT_THRESHOLDS, STATUSES, Thresholds, assess_status

__all__ = ["ProgressReport", "RiskWarning", "TargetProgress", "progress", "required_trajectory"]

_HIGH = frozenset({"moving_away", "missed", "significant_movement_away"})
_ELEVATED = frozenset({"insufficient_progress", "moderate_movement_away"})


def _base_year(years: tuple[int, ...], start: int) -> int | None:
    """The programme's starting point: the latest year at or before its start, else the first year."""
    before = [y for y in years if y <= start]
    return max(before) if before else (min(years) if years else None)


def _assess_target(
    target: Target,
    ind: Indicator | None,
    annual: pd.DataFrame,
    programme: Programme,
    as_of_year: int,
    calibration: Calibration | None,
    thresholds: Thresholds,
    names: dict[str, str],
    language: str,
    peers: PeerPanel | None = None,
    choices: Mapping[SeriesRequest, SeriesChoice | None] | None = None,
) -> TargetProgress:
    common: dict[str, Any] = {
        "target_id": target.id, "indicator_id": target.indicator, "geo": target.geo, "kind": target.kind,
        "declared_source": target.source, "owner": None if target.owner is None else target.owner.get(language),
        "note": None if target.note is None else target.note.get(language), "language": language, **names,
    }  # fmt: skip
    if ind is None:
        return TargetProgress(
            indicator_name=target.indicator, unit=None, status="no_data",
            explanation=Message(
                "The indicator {id} is not defined, so there are no data.", {"id": repr(target.indicator)}
            ),
            **common,
        )  # fmt: skip
    name = ind.name.get(language)
    unit_name = UNITS[ind.unit].name(language) if ind.unit in UNITS else None
    request = (target.indicator, target.geo, ind.source, target.source)
    choice = choices[request] if choices is not None and request in choices else select_series(annual, *request)
    if choice is None:
        return TargetProgress(
            indicator_name=name, unit=ind.unit, unit_name=unit_name, status="no_data",
            explanation=_no_data_text(ind.name, target, as_of_year, target.note),
            projection_note=Message("No projection: there are no data."), **common,
        )  # fmt: skip
    baseline = None if target.baseline is None else (target.baseline.year, target.baseline.value)
    ended = _series_end(ind, choice, as_of_year, language)
    assessment = assess_series(
        choice.years, choice.values, [(m.year, m.value) for m in target.trajectory()], polarity=ind.polarity,
        kind=target.kind, unit=ind.unit, baseline=baseline,
        base_year=None if baseline else _base_year(choice.years, programme.start), as_of_year=as_of_year,
        calibration=calibration, thresholds=thresholds, series_end=ended, peers=peers, group=target.indicator,
    )  # fmt: skip
    explanation = assessment.explanation
    if not choice.preferred:
        explanation += f" Data: {choice.note}."
    status = assessment.status.status
    if status in ("no_data", "insufficient_data") and common["note"] and common["note"] not in explanation:
        explanation = joined(explanation, target.note)
    return TargetProgress(
        indicator_name=name, unit=ind.unit, unit_name=unit_name, status=status, explanation=explanation,
        prior=_prior(assessment, choice, target.kind, ind.unit, calibration),
        source=choice.source, source_note=choice.note, assessment=assessment, vintage=choice.vintage,
        others=_others(annual, target, choice, assessment), n_observations=len(choice.years),
        projection_note=_projection_note(assessment, choice, ended is not None), **common,
    )  # fmt: skip


def _prior(
    a: Assessment, choice: SeriesChoice, kind: str, unit: str | None, calibration: Calibration | None
) -> Projection | None:
    """For a judged target whose year the data reach: the projection to that year from the values before it.

    What sandyq would have said the year before the outcome was known, so that
    every judged target with at least :data:`MIN_PROJECTION_POINTS` values has
    a probability.  Two values before the year suffice here (the projection
    then uses the calibration's typical spread and says so); None with fewer.
    """
    st = a.status
    if not st.target_year_passed or st.target_year is None or st.target is None or st.status in NOT_JUDGED:
        return None
    before = [(y, v) for y, v in zip(choice.years, choice.values, strict=True) if y < st.target_year]
    if len(before) < 2 or len(choice.years) < MIN_PROJECTION_POINTS:
        return None
    years, values = zip(*before, strict=True)
    item = ProjectionInput(list(years), list(values), int(st.target_year), unit=unit, kind=kind)
    return forecast_many([item], calibration)[0].at(int(st.target_year), st.target, st.polarity)


def _no_data_text(name: Any, target: Target, as_of_year: int, note: Any) -> Message:
    """Why a target has no data, in plain words (names, not codes), with the target's own caveat.

    ``name`` and ``note`` are the framework's trilingual texts, so the sentence can be said in any language.
    """
    where = Message("Kazakhstan") if target.geo == "KAZ" else target.geo
    text = Message(
        "No data: no annual figures for “{name}” in {where} are in the bundled sources up to {year}.",
        {"name": name, "where": where, "year": as_of_year},
    )
    return text if not note else joined(text, note)


def _series_end(ind: Indicator, choice: SeriesChoice, as_of_year: int, language: str) -> tuple[int, Any] | None:
    """(last year, why) when the indicator's series is known, as of that year, to have ended with the data at hand."""
    stop = ind.discontinued
    if stop is None or as_of_year < stop.known or max(choice.years) > stop.last_year:
        return None
    return stop.last_year, stop.reason  # the framework's trilingual text: said in the reader's language


def _others(annual: pd.DataFrame, target: Target, choice: SeriesChoice, a: Assessment) -> tuple[OtherSource, ...]:
    """Every other source's figure for the indicator: for the year judged if it has one, else its latest."""
    rows = annual[
        (annual["indicator"] == target.indicator)
        & (annual["geo"] == target.geo)
        & (annual["dims"] == "")
        & (annual["source"] != choice.source)
    ]
    year = a.status.latest_year
    out = []
    for source, part in rows.groupby("source", sort=True):
        hit = part[part["year"] == year]
        same = not hit.empty
        row = (hit if same else part.sort_values("year")).iloc[-1]
        vintage = pd.to_datetime(row["vintage"]) if "vintage" in part.columns else pd.NaT
        out.append(
            OtherSource(
                str(source), int(row["year"]), float(row["value"]),
                None if pd.isna(vintage) else vintage.date().isoformat(), same,
            )
        )  # fmt: skip
    return tuple(out)


def _projection_note(a: Assessment, choice: SeriesChoice, ended: bool) -> str | None:
    """Why the roll-up shows no projection for a target, in plain words (None when it shows one)."""
    st, years = a.status, choice.years
    if ended and a.projection is None:
        return Message("No projection: the series ended with its {year} value.", {"year": max(years)})
    if st.target_year_passed:
        return Message("No projection needed: the data reach the target year {year}.", {"year": st.target_year})
    if len(years) == 1:
        return Message("No projection: one observation only ({year}).", {"year": years[0]})
    if len(years) < MIN_PROJECTION_POINTS:
        a0, *rest = sorted(years)
        return Message(
            "No projection: {n} observations only ({a} and {b}); at least {m} are needed to see how much the series "
            "varies.",
            {"n": len(years), "a": a0, "b": rest[-1], "m": MIN_PROJECTION_POINTS},
        )
    p = a.projection
    if p is None:
        return Message("No projection: there is no milestone after the latest value.")
    if p.value is None:
        return p.explanation
    return None


def _risks(
    programme: Programme,
    rows: list[TargetProgress],
    indicators: Mapping[str, Indicator],
    annual: pd.DataFrame,
    as_of_year: int,
    thresholds: Thresholds,
    low_probability: float,
    language: str,
    choices: Mapping[SeriesRequest, SeriesChoice | None] | None = None,
) -> list[RiskWarning]:
    """One warning per risk of every task, judged on the indicators linked to it (else the task's own)."""
    by_indicator: dict[str, list[TargetProgress]] = {}
    for r in rows:
        by_indicator.setdefault(r.indicator_id, []).append(r)
    out = []
    for task in programme.tasks():
        for risk in task.risks:
            linked = risk.indicators or _task_indicators(task)
            evidence = _RiskEvidence()
            for ind_id in linked:
                for status, text, prob in _indicator_states(
                    ind_id, by_indicator, indicators, annual, as_of_year, thresholds, choices
                ):
                    evidence.add(ind_id, status, text, prob, low_probability)
            level = evidence.level
            explanation = evidence.explanation()
            if not risk.indicators:
                explanation = joined(
                    explanation, Message("(No indicator is linked to this risk; the task's indicators are used.)")
                )
            out.append(
                RiskWarning(
                    task.id,
                    task.name.get(language),
                    risk.id,
                    risk.text.get(language),
                    level in ("high", "elevated"),
                    level,
                    tuple(linked),
                    tuple(evidence.reasons),
                    explanation,
                )
            )
    return out


@dataclass
class _RiskEvidence:
    """What the linked indicators say about one risk: the level each gives and why."""

    reasons: list[str] = field(default_factory=list)  # why the risk is raised
    fine: list[str] = field(default_factory=list)  # indicators on track
    missing: list[str] = field(default_factory=list)  # indicators without usable data
    levels: list[str] = field(default_factory=list)

    def add(self, ind_id: str, status: str, text: str, prob: float | None, low_probability: float) -> None:
        """Record one state of an indicator: off track (high), lagging or unlikely (elevated), fine or no data."""
        low = prob is not None and prob < low_probability
        label = Message("{id}: {status}", {"id": ind_id, "status": Message(STATUSES[status])})
        if status not in _HIGH and status not in _ELEVATED and not low:
            if status in ("no_data", "insufficient_data"):
                self.missing.append(ind_id)
            else:
                self.levels.append("none")
                self.fine.append(label)
            return
        self.levels.append("high" if status in _HIGH else "elevated")
        if low and prob is not None:
            label = Message(
                "{label}, probability of reaching the milestone {p:.0f} %", {"label": label, "p": prob * 100}
            )
        self.reasons.append(Message("{label} — {text}", {"label": label, "text": text}))

    @property
    def level(self) -> str:
        """The highest level given: high, elevated, none, or unknown when no indicator has usable data."""
        for level in ("high", "elevated", "none"):
            if level in self.levels:
                return level
        return "unknown"

    def explanation(self) -> str:
        """Why the risk is raised, not raised, or cannot be judged; and which indicators lack data."""
        level = self.level
        if level in ("high", "elevated"):
            text = Message("Raised: {list}", {"list": joined(*self.reasons, sep="; ")})
        elif level == "none":
            text = Message("Not raised: {list}.", {"list": joined(*self.fine, sep="; ")})
        else:
            return Message("Cannot be judged: the linked indicators have no usable data.")
        if self.missing:
            ids = ", ".join(dict.fromkeys(self.missing))
            return joined(text, Message("No usable data for {ids}.", {"ids": ids}))
        return text


def _task_indicators(task: Task) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*(t.indicator for t in task.targets), *task.indicators)))


def _indicator_states(
    ind_id: str,
    by_indicator: dict[str, list[TargetProgress]],
    indicators: Mapping[str, Indicator],
    annual: pd.DataFrame,
    as_of_year: int,
    thresholds: Thresholds,
    choices: Mapping[SeriesRequest, SeriesChoice | None] | None = None,
) -> list[tuple[str, str, float | None]]:
    """(status, why, probability of reaching the current milestone) for an indicator's targets, or its trend."""
    if ind_id in by_indicator:
        return [
            (r.status, r.explanation if r.assessment is None else r.assessment.status.explanation,
             r.assessment.probability if r.assessment is not None and r.shows_projection else None)
            for r in by_indicator[ind_id]
        ]  # fmt: skip
    ind = indicators.get(ind_id)
    request = (ind_id, "KAZ", None if ind is None else ind.source, None)
    if ind is None:
        choice = None
    else:
        choice = choices[request] if choices is not None and request in choices else select_series(annual, *request)
    if ind is None or choice is None:
        return [("no_data", Message("no data"), None)]
    a = assess_series(choice.years, choice.values, polarity=ind.polarity, unit=ind.unit, thresholds=thresholds)
    return [(a.status.status, a.status.explanation, None)]


METHOD = Message(
    "Each target's series comes from the source it declares it is judged on (else the indicator's own source, else "
    "the fullest other one); other sources' figures are shown beside it. "
    "Each target is judged by the Eurostat/Open SDG ratio of observed to required annual growth since the programme's "
    "baseline (or the latest value at the programme's start), against the next milestone not yet past; a latest value "
    "that meets it counts as achieved. Projections combine Theta, damped-trend exponential smoothing and random walk "
    "with drift on a scale that respects the unit's bounds, blended with the peer path (how other countries' series "
    "of the same indicator at the same level and pace moved next, as known on the day) where there are enough peers; "
    "the probability of reaching the milestone comes from the "
    "projection's predictive distribution, shown for series of at least 3 values. The execution rate is the share of "
    "the targets that can be judged (those with a verdict from data) that are achieved."
)
#: The method in Kazakh and Russian.
CATALOG[METHOD] = {
    "ru": "Ряд каждой цели берётся из источника, по которому, согласно цели, она оценивается (иначе — из основного "
    "источника индикатора, иначе — из наиболее полного другого); значения других источников показаны рядом. "
    "Каждая цель оценивается по методике Евростата/Open SDG — отношению фактического среднегодового темпа роста к "
    "требуемому начиная с базового года программы (или с последнего значения на её начало) — относительно "
    "ближайшей ещё не прошедшей промежуточной цели; последнее значение, которое её достигает, считается "
    "достижением. Прогнозы объединяют модели Theta, экспоненциального сглаживания с затухающим трендом и "
    "случайного блуждания со сносом на шкале, учитывающей границы единицы измерения, и смешиваются с траекторией "
    "стран-аналогов (как дальше менялись ряды того же индикатора в других странах при том же уровне и темпе, по "
    "данным на дату оценки), если аналогов достаточно; вероятность достичь промежуточной цели берётся из "
    "прогнозного распределения и показывается для рядов не менее чем из 3 значений. Уровень исполнения — доля "
    "достигнутых целей среди тех, что можно оценить (имеющих вывод по данным).",
    "kk": "Әр нысананың қатары нысана бағаланатын деп көрсетілген дереккөзден алынады (болмаса — индикатордың "
    "негізгі дереккөзінен, болмаса — ең толық басқа дереккөзден); басқа дереккөздердің мәндері қатар көрсетіледі. "
    "Әр нысана Еуростат/Open SDG әдісімен — бағдарламаның базалық жылынан (немесе бағдарлама басталғандағы соңғы "
    "мәннен) бастап нақты жылдық өсу қарқынының қажетті қарқынға арақатынасы бойынша — әлі өтпеген ең жақын "
    "аралық нысанаға қатысты бағаланады; оған жеткен соңғы мән нысанаға қол жеткізу болып саналады. Болжамдар "
    "Theta, бәсеңдейтін трендті экспоненциалдық тегістеу және дрейфі бар кездейсоқ кезбе модельдерін өлшем "
    "бірлігінің шектерін ескеретін шкалада біріктіреді және аналогтар жеткілікті болса, аналог елдердің "
    "траекториясымен (басқа елдерде сол индикатордың қатарлары сол деңгей мен қарқында әрі қарай қалай "
    "өзгергені, бағалау күнгі деректер бойынша) араластырылады; аралық нысанаға жету ықтималдығы болжамның "
    "үлестірімінен алынады және кемінде 3 мәні бар қатарлар үшін көрсетіледі. Орындалу деңгейі — бағалауға "
    "болатын (деректер бойынша қорытындысы бар) нысаналар ішінде қол жеткізілгендерінің үлесі.",
}


def progress(
    programme: Programme,
    indicators: Mapping[str, Indicator],
    observations: pd.DataFrame,
    as_of: dt.date | str | None = None,
    calibration: Calibration | None = None,
    *,
    thresholds: Thresholds | None = None,
    low_probability: float = 0.2,
    language: str = "en",
) -> ProgressReport:
    """Roll up every target of ``programme`` as of ``as_of`` (default: today).

    Only observations published by ``as_of`` (by vintage) and for years up to it
    are used.  A risk is raised ("high") when a linked indicator moves away from
    its target, missed it or declines without one; "elevated" when progress is
    insufficient or the probability of reaching the current milestone is below
    ``low_probability``.
    """
    day = as_of_date(as_of) or dt.date.today()
    th = thresholds or DEFAULT_THRESHOLDS
    flows = {t.indicator for t in programme.targets() if t.kind == "flow"}
    annual = annual_series(observations, day, sums=flows)
    # peer paths from every series of the targets' indicators, as known on the day
    wanted = {t.indicator for t in programme.targets()}
    peers = panel_from_annual(annual[annual["indicator"].isin(wanted)], indicators)
    choices = select_many(annual, _requests(programme, indicators))
    rows: list[TargetProgress] = []
    for direction in programme.directions:
        for task in direction.tasks:
            for target in task.targets:
                names = {
                    "direction_id": direction.id, "direction_name": direction.name.get(language),
                    "task_id": task.id, "task_name": task.name.get(language),
                }  # fmt: skip
                ind = indicators.get(target.indicator)
                rows.append(
                    _assess_target(
                        target, ind, annual, programme, day.year, calibration, th, names, language, peers, choices
                    )
                )
    counts = count_statuses(rows)
    achieved = counts.get("achieved", 0)
    with_data = sum(1 for r in rows if r.status != "no_data")
    judged = sum(1 for r in rows if r.judgeable)
    notes = []
    used = DEFAULT_CALIBRATION if calibration is None else calibration
    if not used.fitted:
        notes.append(Message("intervals and probabilities are the models' own, not calibrated by backtests"))
    elif calibration is None:
        notes.append(
            Message(
                "intervals and probabilities use the built-in calibration (World Bank WDI backtest); "
                "run sandyq backtest to calibrate on the store"
            )
        )
    return ProgressReport(
        programme.id,
        programme.name.get(language),
        day.isoformat(),
        tuple(rows),
        counts,
        achieved / judged if judged else None,
        achieved / with_data if with_data else None,
        tuple(_risks(programme, rows, indicators, annual, day.year, th, low_probability, language, choices)),
        used.fitted,
        METHOD,
        tuple(notes),
        judged=judged,
        execution_rate_all=achieved / len(rows) if rows else None,
        programme_note=None if programme.note is None else programme.note.get(language),
        superseded_by=programme.superseded_by,
        language=language,
    )


def _requests(programme: Programme, indicators: Mapping[str, Indicator]) -> list[SeriesRequest]:
    """Every series the roll-up judges: each target's, then each risk's indicator without a target (at KAZ)."""
    out: list[SeriesRequest] = []
    for t in programme.targets():
        ind = indicators.get(t.indicator)
        if ind is not None:
            out.append((t.indicator, t.geo, ind.source, t.source))
    judged = {t.indicator for t in programme.targets()}
    for task in programme.tasks():
        for risk in task.risks:
            for ind_id in risk.indicators or _task_indicators(task):
                ind = indicators.get(ind_id)
                if ind is not None and ind_id not in judged:
                    out.append((ind_id, "KAZ", ind.source, None))
    return list(dict.fromkeys(out))


def required_trajectory(
    target: Target,
    indicator: Indicator,
    programme: Programme,
    observations: pd.DataFrame,
    as_of: dt.date | str | None = None,
) -> tuple[tuple[int, float], ...]:
    """The required path of one target, year by year, as :func:`progress` sets it — without projecting anything.

    Same series (the target's declared source first), same base (the target's
    baseline, else the latest value at the programme's start) and same kind of
    rate as the roll-up, so a chart can draw the path the verdict is measured
    against.  Empty when there are no data.
    """
    day = as_of_date(as_of) or dt.date.today()
    annual = annual_series(observations, day, sums={target.indicator} if target.kind == "flow" else ())
    choice = select_series(annual, target.indicator, target.geo, indicator.source, declared=target.source)
    if choice is None:
        return ()
    baseline = None if target.baseline is None else (target.baseline.year, target.baseline.value)
    status = assess_status(
        choice.years, choice.values, target=target.value, target_year=target.year, polarity=indicator.polarity,
        kind=target.kind, unit=indicator.unit, baseline=baseline,
        base_year=None if baseline else _base_year(choice.years, programme.start),
    )  # fmt: skip
    return required_path(status, [(m.year, m.value) for m in target.trajectory()])
