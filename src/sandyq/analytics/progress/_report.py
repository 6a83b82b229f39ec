"""The programme roll-up as a report: one answer per target, the counts, the honest execution rate, the text.

Every target answers the same questions, in this order: its status; the latest
value with its unit, source and publication date, and the other sources' figures
beside it; the milestone judged and the next one due; the projection with its
80 % and 95 % intervals and the probability of reaching the milestone — or, in
plain words, why there is none; for a target still open, the annual growth it
needs from the latest value next to the growth achieved so far; and, where the
status and the probability seem to disagree, the sentence that says why.

The execution rate counts only the targets that can be judged (those with a
verdict from data); the report says how many cannot be judged and why.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..._messages import CATALOG, Message, number, translated
from ...errors import InvalidValueError, Problem
from ...framework._units import UNITS
from ..results import json_safe
from ._assess import Assessment
from ._projection import Projection
from ._status import STATUSES

__all__ = [
    "NOT_JUDGED",
    "MIN_PROJECTION_POINTS",
    "OtherSource",
    "ProgressReport",
    "RiskWarning",
    "TargetProgress",
    "probability_sentence",
]

#: Statuses without a verdict from data: such targets are left out of the execution rate (and counted apart).
NOT_JUDGED = frozenset({"no_data", "insufficient_data", "not_assessed"})

#: Why a target is left out of the execution rate, in words (status codes, and ``overdue``).
_REASONS = {**STATUSES, "overdue": "target year passed without its figure"}

#: The fewest observations for which the roll-up shows a projection, its intervals and a probability.
MIN_PROJECTION_POINTS = 3


def with_unit(value: float | None, unit: str | None, language: str = "en") -> str:
    """A value with its unit in words: '87.3 %', 'rank 52', '2 trillion tenge', '300,000 persons'.

    >>> with_unit(87.3, "PT"), with_unit(52, "RANK"), with_unit(2, "TN_KZT"), with_unit(300000, "PERSONS")
    ('87.3 %', 'rank 52', '2 trillion tenge', '300,000 persons')
    >>> with_unit(1000, "MN_USD", "ru"), with_unit(None, "PT")
    ('1000 млн долларов США', 'n/a')
    >>> with_unit(87.3, "PT", "ru")
    '87,3 %'
    """
    text = number(language, value)
    if value is None or unit is None or unit not in UNITS:
        return text
    if unit in ("PT", "RATE_PT"):
        return f"{text} %"
    if unit == "RANK":
        return {"ru": f"{text}-е место", "kk": f"{text}-орын"}.get(language, f"rank {text}")
    if unit == "NUMBER":
        return text
    return f"{text} {UNITS[unit].name(language)}"


_SENTENCES = {
    "en": ("Probability that “{name}” reaches {value} by {year}",
           "Probability that “{name}” falls to {value} by {year}", ", judged from the values before {year}"),
    "ru": ("Вероятность того, что «{name}» достигнет {value} к {year} году",
           "Вероятность того, что «{name}» снизится до {value} к {year} году", " (по данным до {year} года)"),
    "kk": ("«{name}» көрсеткішінің {year} жылға қарай {value} деңгейіне жету ықтималдығы",
           "«{name}» көрсеткішінің {year} жылға қарай {value} деңгейіне дейін төмендеу ықтималдығы",
           " ({year} жылға дейінгі деректер бойынша)"),
}  # fmt: skip
#: The probability sentences by (lower is better, prior) as msgids, with their kk and ru forms in the catalog.
_PROBABILITY = {
    (down, prior): _SENTENCES["en"][down] + (_SENTENCES["en"][2] if prior else "")
    for down in (0, 1)
    for prior in (False, True)
}
for (_down, _prior), _msgid in _PROBABILITY.items():
    CATALOG[_msgid] = {lang: _SENTENCES[lang][_down] + (_SENTENCES[lang][2] if _prior else "") for lang in ("kk", "ru")}


@dataclass(frozen=True)
class _WithUnit:
    """A value with its unit, said in the language of the sentence it is in."""

    value: float | None
    unit: str | None

    def get(self, language: str) -> str:
        return with_unit(self.value, self.unit, language)


def probability_sentence(
    name: str, target: float, unit: str | None, year: int, polarity: str = "higher", language: str = "en",
    prior: bool = False,
) -> str:  # fmt: skip
    """What a target's probability is the probability of, in words (``prior``: computed before its year).

    >>> probability_sentence("Internet users", 80.0, "PT", 2025)
    'Probability that “Internet users” reaches 80 % by 2025'
    >>> probability_sentence("Rank", 30, "RANK", 2022, "lower", prior=True)
    'Probability that “Rank” falls to rank 30 by 2022, judged from the values before 2022'
    """
    k = (1 if polarity == "lower" else 0, prior)
    msg = Message(_PROBABILITY[k], {"name": name, "value": _WithUnit(target, unit), "year": year})
    return msg if language == "en" else msg.to(language)


def _rate(rate: float | None, kind: str | None, unit: str | None, language: str = "en") -> str:
    """An annual rate in words: '+2.4 % a year' (compound) or '+25,000 persons a year' (linear)."""
    if rate is None:
        return number(language, None)
    if kind == "cagr":
        return Message("{rate:+.1f} % a year", {"rate": rate * 100}).to(language)
    sign = "+" if rate >= 0 else ""
    if unit in ("PT", "RATE_PT"):
        return Message("{rate:+} points a year", {"rate": rate}).to(language)
    if unit == "RANK":
        return Message("{rate:+.1f} places a year", {"rate": rate}).to(language)
    return Message("{value} a year", {"value": sign + with_unit(rate, unit, language)}).to(language)


def _say(language: str, msgid: str, **params: Any) -> str:
    """A line of the terminal report in ``language``."""
    return Message(msgid, params).to(language)


@dataclass(frozen=True)
class OtherSource:
    """Another publisher's figure for a target's indicator, shown beside the one the target is judged on."""

    source: str
    year: int
    value: float
    vintage: str | None
    same_year: bool  # the figure is for the year the target was judged on (else the source's latest)

    def to_dict(self) -> dict[str, Any]:
        return dict(json_safe(self))


@dataclass(frozen=True)
class TargetProgress:
    """One target of a programme with its assessment (None when there are no data)."""

    target_id: str
    indicator_id: str
    indicator_name: str
    direction_id: str
    direction_name: str
    task_id: str
    task_name: str
    geo: str
    kind: str
    unit: str | None
    status: str
    explanation: str
    source: str | None = None
    source_note: str = ""
    assessment: Assessment | None = None
    vintage: str | None = None  # newest publication date of the values used
    unit_name: str | None = None
    declared_source: str | None = None  # the source the target says it is judged on
    others: tuple[OtherSource, ...] = ()
    owner: str | None = None  # the agency that owns the data
    note: str | None = None  # the target's caveats, in plain words
    projection_note: str | None = None  # why no projection is shown, in plain words
    n_observations: int = 0
    language: str = "en"
    prior: Projection | None = None  # for a target whose year has passed: the projection from the values before it

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def overdue(self) -> bool:
        """The milestone judged is past but no figure for its year is in the data: a pace, not a verdict."""
        a = self.assessment
        if a is None or self.status in NOT_JUDGED or self.status == "achieved":
            return False
        st = a.status
        return (
            st.target_year is not None
            and not st.target_year_passed
            and a.as_of is not None
            and (st.target_year < a.as_of)
        )

    @property
    def judgeable(self) -> bool:
        """Whether the data give a verdict (the target counts in the execution rate)."""
        return self.status not in NOT_JUDGED and not self.overdue

    @property
    def not_judged_reason(self) -> str | None:
        """Why the target is left out of the execution rate: a status code or ``overdue`` (None if it counts)."""
        if self.judgeable:
            return None
        return "overdue" if self.overdue else self.status

    @property
    def shows_projection(self) -> bool:
        """Whether a projection is shown: one was made, and on at least :data:`MIN_PROJECTION_POINTS` values."""
        a = self.assessment
        return (
            a is not None
            and a.projection is not None
            and a.projection.value is not None
            and self.n_observations >= MIN_PROJECTION_POINTS
        )

    @property
    def open(self) -> bool:
        """Whether the milestone judged is still ahead (its year not before the year judged as of)."""
        a = self.assessment
        st = None if a is None else a.status
        if st is None or st.target_year is None or st.target_year_passed:
            return False
        return a is not None and (a.as_of is None or st.target_year >= a.as_of)

    @property
    def probability(self) -> float | None:
        """The probability of reaching the milestone judged: projected, or (its year passed) from before its year."""
        a = self.assessment
        if a is not None and self.shows_projection:
            return a.probability
        return None if self.prior is None else self.prior.probability

    @property
    def probability_of(self) -> str | None:
        """What :attr:`probability` is the probability of, in words (None without a probability)."""
        if self.probability is None:
            return None
        p = self.prior if not self.shows_projection else self.assessment.projection  # type: ignore[union-attr]
        if p is None or p.target is None:
            return None
        return probability_sentence(
            self.indicator_name, p.target, self.unit, p.year, p.polarity, self.language, prior=p is self.prior
        )

    def next_milestone(self) -> tuple[int, float] | None:
        """The first milestone due in or after the year judged as of (None when all are past)."""
        a = self.assessment
        if a is None:
            return None
        ref = a.as_of
        ahead = [m for m in a.milestones if ref is None or m.year >= ref]
        return None if not ahead else (ahead[0].year, ahead[0].target)

    def other_text(self) -> str:
        """The other sources' figures in one line: "kz-bns-6plus 85.3 % (2021); …"."""
        return "; ".join(f"{o.source} {with_unit(o.value, self.unit, self.language)} ({o.year})" for o in self.others)

    def row(self) -> dict[str, Any]:
        """A flat row for tables and CSV."""
        a = self.assessment
        st = a.status if a is not None else None
        p = a.projection if a is not None and self.shows_projection else None
        iv = p.intervals.get("95") if p is not None else None
        iv80 = p.intervals.get("80") if p is not None else None
        nxt = self.next_milestone()
        return {
            "direction": self.direction_id,
            "task": self.task_id,
            "target": self.target_id,
            "indicator": self.indicator_id,
            "geo": self.geo,
            "status": self.status,
            "label": self.label,
            "judgeable": self.judgeable,
            "latest_year": st.latest_year if st else None,
            "latest_value": st.latest_value if st else None,
            "target_year": st.target_year if st else None,
            "target_value": st.target if st else None,
            "next_milestone_year": nxt[0] if nxt else None,
            "next_milestone_value": nxt[1] if nxt else None,
            "ratio": st.ratio if st else None,
            "achieved_rate": st.observed_rate if st else None,
            "needed_rate": st.needed_rate if st and self.open and st.method != "none" else None,
            "rate_kind": st.rate_kind if st else None,
            "projection_year": p.year if p else None,
            "projection": p.value if p else None,
            "lower80": iv80[0] if iv80 else None,
            "upper80": iv80[1] if iv80 else None,
            "lower95": iv[0] if iv else None,
            "upper95": iv[1] if iv else None,
            "probability": self.probability,
            "probability_of": self.probability_of,
            "projection_note": self.projection_note,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "source": self.source,
            "vintage": self.vintage,
            "other_sources": self.other_text(),
            "owner": self.owner,
            "reconciliation": a.reconciliation if a is not None else None,
            "note": self.note,
            "explanation": self.explanation,
        }

    def to_dict(self) -> dict[str, Any]:
        skip = {"assessment", "others"}
        out = {k: json_safe(getattr(self, k)) for k in self.__dataclass_fields__ if k not in skip}
        out["label"] = self.label
        out["judgeable"] = self.judgeable
        out["others"] = [o.to_dict() for o in self.others]
        nxt = self.next_milestone()
        out["next_milestone"] = None if nxt is None else {"year": nxt[0], "value": nxt[1]}
        out["shows_projection"] = self.shows_projection
        out["probability"] = self.probability
        out["probability_of"] = self.probability_of
        out["prior"] = None if self.prior is None else self.prior.to_dict()
        out["assessment"] = None if self.assessment is None else self.assessment.to_dict()
        return out

    def text_lines(self) -> list[str]:
        """The target's answer for the terminal, one fact a line."""
        lang, unit = self.language, self.unit
        r = self.row()
        head = f"{self.target_id}: {_say(lang, self.label)} — {self.indicator_name}"
        owner = [f"  {_say(lang, 'Owner of the data: {owner}', owner=self.owner)}"] if self.owner else []
        if self.assessment is None or r["latest_value"] is None:
            return [head, f"  {translated(self.explanation, lang)}", *owner]
        said = {"value": with_unit(r["latest_value"], unit, lang), "year": r["latest_year"], "source": r["source"]}
        if r["vintage"]:
            latest = _say(
                lang, "Latest: {value} ({year}; source {source}, vintage {vintage})", **said, vintage=r["vintage"]
            )
        else:
            latest = _say(lang, "Latest: {value} ({year}; source {source})", **said)
        if self.others:
            latest += "; " + _say(lang, "also: {others}", others=self.other_text())
        lines = [head, "  " + latest, "  " + self._target_line()]
        if self.shows_projection:
            lines.append("  " + self._projection_line())
        elif self.projection_note:
            lines.append(f"  {translated(self.projection_note, lang)}")
        if self.prior is not None and self.prior.probability is not None and not self.shows_projection:
            lines.append(f"  {self.probability_of}: {number(lang, self.prior.probability * 100, '.0f')} %.")
        if r["needed_rate"] is not None:
            lines.append("  " + _say(
                lang, "Needed: {needed} from {latest} to reach {target} by {year}; achieved since {since}: {achieved}.",
                needed=_rate(r["needed_rate"], r["rate_kind"], unit, lang), latest=r["latest_year"],
                target=with_unit(r["target_value"], unit, lang), year=r["target_year"],
                since=self.assessment.status.base_year, achieved=_rate(r["achieved_rate"], r["rate_kind"], unit, lang),
            ))  # fmt: skip
        lines.append("  " + _say(lang, "Why: {why}", why=self.assessment.status.explanation))
        if r["reconciliation"]:
            lines.append(f"  {translated(r['reconciliation'], lang)}")
        if self.note:
            lines.append("  " + _say(lang, "Note: {note}", note=self.note))
        return lines + owner

    def _target_line(self) -> str:
        """The milestone judged, every milestone's state, and the next one due."""
        a = self.assessment
        assert a is not None
        lang, unit, st = self.language, self.unit, a.status
        text = _say(lang, "Target: {value} by {year}", value=with_unit(st.target, unit, lang), year=st.target_year)
        if len(a.milestones) > 1:
            states = ", ".join(
                f"{m.year}: {with_unit(m.target, unit, lang)} {_say(lang, m.state.replace('_', ' '))}"
                for m in a.milestones
            )
            text += " " + _say(lang, "(milestones {states})", states=states)
        nxt = self.next_milestone()
        if nxt is None:
            last = max((m.year for m in a.milestones), default=st.target_year)
            return text + _say(lang, "; no milestone ahead (the last was due in {last}).", last=last)
        return text + _say(
            lang, "; next milestone: {value} in {year}.", value=with_unit(nxt[1], unit, lang), year=nxt[0]
        )

    def _projection_line(self) -> str:
        a = self.assessment
        assert a is not None and a.projection is not None
        p, lang, unit = a.projection, self.language, self.unit
        ivs = "; ".join(
            f"{k} %: {with_unit(lo, unit, lang)}–{with_unit(hi, unit, lang)}" for k, (lo, hi) in p.intervals.items()
        )
        text = _say(lang, "Projection {year}: {value}", year=p.year, value=with_unit(p.value, unit, lang))
        text += f" ({ivs})" if ivs else ""
        if p.probability is not None and p.target is not None:
            text += f"; {self.probability_of}: {number(lang, p.probability * 100, '.0f')} %"
        return text + "."


@dataclass(frozen=True)
class RiskWarning:
    """A task's risk and whether its indicators raise it, with the reasons."""

    task_id: str
    task_name: str
    risk_id: str
    risk_text: str
    raised: bool
    level: str  # "high", "elevated", "none", "unknown"
    indicators: tuple[str, ...]
    reasons: tuple[str, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return dict(json_safe(self))


@dataclass(frozen=True)
class ProgressReport:
    """The roll-up of a programme as of a date.

    ``execution_rate`` is the share of the targets that can be judged that are
    achieved; ``execution_rate_all`` the share of all targets (the figure a
    programme report such as "40 % performance after three years" gives) and
    ``execution_rate_with_data`` the share of those with any data.
    """

    programme_id: str
    programme_name: str
    as_of: str
    targets: tuple[TargetProgress, ...]
    counts: dict[str, int]
    execution_rate: float | None
    execution_rate_with_data: float | None
    risks: tuple[RiskWarning, ...]
    calibrated: bool
    method: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    judged: int = 0
    execution_rate_all: float | None = None
    programme_note: str | None = None
    superseded_by: str | None = None
    language: str = "en"  # the language of the terminal report (``to_text``)

    @property
    def not_judged(self) -> dict[str, int]:
        """How many targets cannot be judged, by reason."""
        reasons = [t.not_judged_reason for t in self.targets]
        return dict(Counter(r for r in reasons if r is not None))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([t.row() for t in self.targets])

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme_id,
            "name": self.programme_name,
            "as_of": self.as_of,
            "superseded_by": self.superseded_by,
            "programme_note": self.programme_note,
            "counts": dict(self.counts),
            "judged": self.judged,
            "not_judged": self.not_judged,
            "execution_rate": json_safe(self.execution_rate),
            "execution_rate_all": json_safe(self.execution_rate_all),
            "execution_rate_with_data": json_safe(self.execution_rate_with_data),
            "calibrated": self.calibrated,
            "method": self.method,
            "notes": list(self.notes),
            "targets": [t.to_dict() for t in self.targets],
            "risks": [r.to_dict() for r in self.risks],
        }

    def execution_text(self) -> str:
        """The execution rate in a sentence, with how many targets cannot be judged and why."""
        n = len(self.targets)
        achieved = self.counts.get("achieved", 0)
        missing = n - self.judged
        lang = self.language
        why = ", ".join(f"{_say(lang, _REASONS.get(k, k))} {v}" for k, v in self.not_judged.items())
        if not self.judged:
            if not n:
                return _say(lang, "No targets.")
            return _say(lang, "Execution rate: none of the {n} targets can be judged ({why}).", n=n, why=why)
        rate = (
            number(lang, None) if self.execution_rate is None else f"{number(lang, self.execution_rate * 100, '.0f')} %"
        )
        text = _say(
            lang,
            "Execution rate: {a} of {j} targets that can be judged achieved ({rate})",
            a=achieved,
            j=self.judged,
            rate=rate,
        )
        if missing:
            text += _say(lang, "; {m} of {n} cannot be judged ({why})", m=missing, n=n, why=why)
        return text + "."

    def to_text(self) -> str:
        lang = self.language
        lines = [
            _say(lang, "{name} ({id}) — progress as of {day}", name=self.programme_name, id=self.programme_id,
                 day=self.as_of)
        ]  # fmt: skip
        if self.superseded_by:
            lines.append(_say(lang, "Superseded by {id}; kept for history.", id=self.superseded_by))
        if self.programme_note:
            lines.append(self.programme_note)
        lines.append(self.execution_text())
        by = " · ".join(f"{_say(lang, STATUSES[k])} {v}" for k, v in self.counts.items() if v)
        lines.append(_say(lang, "By status: {counts}", counts=by))
        current: tuple[str | None, str | None] = (None, None)
        for t in self.targets:
            if (t.direction_id, t.task_id) != current:
                if t.direction_id != current[0]:
                    lines += ["", f"{t.direction_name} [{t.direction_id}]"]
                lines.append(f"  {t.task_name} [{t.task_id}]")
                current = (t.direction_id, t.task_id)
            lines += [f"    {line}" for line in t.text_lines()]
        raised = [r for r in self.risks if r.raised]
        lines += ["", _say(lang, "Risks raised: {n} of {m}", n=len(raised), m=len(self.risks))]
        lines += [
            f"  [{_say(lang, r.level)}] {r.task_id} / {r.risk_id}: {translated(r.explanation, lang)}" for r in raised
        ]
        lines += ["", _say(lang, "Method: {method}", method=self.method)]
        lines += [_say(lang, "Note: {note}", note=n) + "." for n in self.notes]
        return "\n".join(lines)

    def format(self, fmt: str = "table") -> str:
        """The report as text for ``sandyq progress --format table|json|csv``."""
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if fmt == "csv":
            return str(self.to_frame().to_csv(index=False))
        if fmt == "table":
            return self.to_text()
        raise InvalidValueError("unknown format", [Problem("", f"{fmt!r}; use table, json or csv")])


def count_statuses(rows: list[TargetProgress]) -> dict[str, int]:
    """How many targets have each status, in the order of :data:`STATUSES`."""
    counts = Counter(r.status for r in rows)
    return {k: counts[k] for k in STATUSES if counts.get(k, 0)}
