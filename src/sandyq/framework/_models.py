"""The framework model: programme → direction → task → indicator → target.

These pydantic models describe what a monitoring programme promises and how it
is measured.  They are read from YAML (see :mod:`sandyq.framework._loader`) and
validated as a whole: every reference (an indicator named by a task, a glossary
tag, a source) must resolve.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import InvalidValueError
from ._calendar import parse_lag
from ._units import UNITS

__all__ = [
    "EVENT_STATUSES",
    "Baseline",
    "Budget",
    "Citation",
    "Direction",
    "Discontinued",
    "Event",
    "Fact",
    "Formula",
    "GlossaryTerm",
    "Indicator",
    "Milestone",
    "Programme",
    "Risk",
    "Source",
    "Target",
    "Task",
    "Text",
]

Language = Literal["kk", "ru", "en"]
Polarity = Literal["higher", "lower", "neutral"]
Periodicity = Literal["annual", "quarterly", "monthly", "irregular"]
TargetKind = Literal["level", "rank", "cumulative", "flow"]
EventStatus = Literal["planned", "in_progress", "done", "cancelled", "unknown"]
#: The statuses of an event (a measure), in the order of its life.
EVENT_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done", "cancelled", "unknown")


class _Model(BaseModel):
    """Every framework model: no unknown fields, immutable, and every number finite (no NaN or infinity)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Text(_Model):
    """A text in Kazakh, Russian and English.

    >>> Text(kk="Сандық экономика", ru="Цифровая экономика", en="Digital economy").get("ru")
    'Цифровая экономика'
    """

    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str = "en") -> str:
        return str(getattr(self, language, None) or self.en)


class Citation(_Model):
    """Where a figure or a target comes from: a source id and the passage quoted.

    ``url`` is the page or file the passage was read in and ``publisher`` who published the
    figure there (an outlet and the official it quotes), when the source is a compilation of
    many pages rather than one document.
    """

    source: str
    passage: str = Field(min_length=1)
    locator: str | None = None  # e.g. "Table 2, row 1" or "p. 5"
    url: str | None = None
    publisher: str | None = None


class Source(_Model):
    """A publisher of data, with licence and how to cite it.

    ``name``, ``publisher``, ``licence`` and ``citation`` are texts in Kazakh, Russian and English, so that
    every page cites its sources in the reader's language.  A plain string (user content, a
    source read back from a store) is the same text in every language:

    >>> s = Source(id="wdi", name={"kk": "Дүниежүзілік даму индикаторлары", "ru": "Показатели мирового развития",
    ...     "en": "World Development Indicators"}, publisher="The World Bank", licence="CC BY 4.0", citation="WDI")
    >>> s.name.get("kk"), s.publisher.get("ru")
    ('Дүниежүзілік даму индикаторлары', 'The World Bank')
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: Text
    publisher: Text
    url: str | None = None
    licence: Text
    citation: Text
    note: str | None = None

    @field_validator("name", "publisher", "licence", "citation", mode="before")
    @classmethod
    def _same_in_every_language(cls, value: object) -> object:
        if isinstance(value, str):
            return {"kk": value, "ru": value, "en": value}
        return value


class Formula(_Model):
    """A derived indicator: ``numerator / denominator × factor`` (as in DHIS2)."""

    numerator: str
    denominator: str
    factor: float = 1.0


class Discontinued(_Model):
    """A series that stopped: its last year of data, the year from which that was known, and why.

    Targets on such a series cannot be judged for years after ``last_year``; ``reason`` says so in
    plain words.  Before ``known`` (e.g. judging as of an earlier date) the series is treated as
    ongoing, because nobody could know then that no further values would come.
    """

    last_year: int = Field(ge=1900, le=2100)
    known: int = Field(ge=1900, le=2100)
    reason: Text


class Indicator(_Model):
    """Indicator metadata: names, definition, unit, polarity, source, tags."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    name: Text
    definition: Text | None = None
    unit: str
    polarity: Polarity = "higher"
    periodicity: Periodicity = "annual"
    tags: tuple[str, ...] = ()
    source: str
    formula: Formula | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)
    note: str | None = None
    discontinued: Discontinued | None = None
    due: str | None = None  # how long after its period ends a figure is due (ISO 8601: P9M); None: the default

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if value not in UNITS:
            raise ValueError(f"unknown unit {value!r}; known units: {', '.join(sorted(UNITS))}")
        return value

    @field_validator("due")
    @classmethod
    def _lag(cls, value: str | None) -> str | None:
        """A release lag in its canonical form (``p9m`` is ``P9M``); anything else is refused, saying the form."""
        if value is None:
            return None
        try:
            return str(parse_lag(value))
        except InvalidValueError as exc:
            raise ValueError(exc.summary) from None

    @model_validator(mode="after")
    def _calendar(self) -> Indicator:
        if self.due is not None and self.periodicity == "irregular":
            raise ValueError("due: an irregular indicator has no release calendar; give its periodicity or drop due")
        return self


class Milestone(_Model):
    """An intermediate (or final) value to reach by a year."""

    year: int = Field(ge=1900, le=2100)
    value: float


class Baseline(_Model):
    year: int = Field(ge=1900, le=2100)
    value: float


class Target(_Model):
    """A quantified commitment on an indicator, with optional milestones.

    ``source`` is the source the target is judged on: it is declared first to
    :func:`sandyq.store.rank_sources`, before the indicator's own, so that where several
    publishers give figures the target's own measure is used and the others are shown beside
    it.  ``owner`` is the agency that owns the data, ``document`` the act or statement that
    sets the target, ``note`` its caveats in plain words (an uncertain year, a range), and
    ``references`` further sources stating the same target.
    """

    id: str
    indicator: str
    geo: str = "KAZ"
    kind: TargetKind = "level"
    value: float
    year: int = Field(ge=1900, le=2100)
    milestones: tuple[Milestone, ...] = ()
    baseline: Baseline | None = None
    description: Text | None = None
    citation: Citation
    source: str | None = None
    owner: Text | None = None
    document: str | None = None
    note: Text | None = None
    references: tuple[Citation, ...] = ()

    @model_validator(mode="after")
    def _milestones_ordered(self) -> Target:
        years = [m.year for m in self.milestones]
        if years != sorted(set(years)):
            raise ValueError("milestone years must be distinct and increasing")
        if years and years[-1] > self.year:
            raise ValueError(f"milestone year {years[-1]} is after the target year {self.year}")
        return self

    def trajectory(self) -> tuple[Milestone, ...]:
        """All milestones plus the final target, in year order."""
        final = Milestone(year=self.year, value=self.value)
        rest = tuple(m for m in self.milestones if m.year != self.year)
        return (*rest, final)


class Risk(_Model):
    """A risk to a task, and the indicators that signal it."""

    id: str
    text: Text
    indicators: tuple[str, ...] = ()
    citation: Citation | None = None


class Budget(_Model):
    """A planned amount of money and its currency unit (an ISO 4217 code, optionally scaled: ``KZT mn``).

    >>> Budget(amount=1250.5, unit="KZT mn").unit
    'KZT mn'
    """

    amount: float = Field(ge=0)
    unit: str = Field(pattern=r"^[A-Z]{3}( (thousand|mn|bn))?$")


class Event(_Model):
    """An activity or event of a programme (a measure of its action plan), with its implementation status.

    ``deadline`` is the date by which the plan says it is done, ``agency`` the responsible agency (a source id
    the framework knows, checked by the loader) and ``budget`` the planned amount.  All three are optional:
    they are set only where a source says them.  Owners report progress on a measure into the store
    (:mod:`sandyq.store._measures`); the status here is the baseline before any report.
    """

    id: str
    name: Text
    status: EventStatus = "unknown"
    year: int | None = None
    citation: Citation | None = None
    deadline: date | None = None
    agency: str | None = None
    budget: Budget | None = None


class Fact(_Model):
    """A figure reported about a programme as a whole (e.g. 83 target indicators)."""

    id: str
    name: Text
    value: float
    unit: str
    year: int | None = None
    citation: Citation

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if value not in UNITS:
            raise ValueError(f"unknown unit {value!r}")
        return value


class Task(_Model):
    id: str
    name: Text
    description: Text | None = None
    indicators: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    risks: tuple[Risk, ...] = ()
    events: tuple[Event, ...] = ()


class Direction(_Model):
    id: str
    name: Text
    description: Text | None = None
    tasks: tuple[Task, ...] = ()


class Programme(_Model):
    """A state programme: its period, legal basis and directions."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Text
    start: int = Field(ge=1900, le=2100)
    end: int = Field(ge=1900, le=2100)
    legal_basis: Text
    description: Text | None = None
    directions: tuple[Direction, ...] = ()
    facts: tuple[Fact, ...] = ()
    citation: Citation | None = None
    note: Text | None = None  # what the reader must know first (e.g. that its indicators are not bundled)
    superseded_by: str | None = None  # a draft or programme replaced by another, kept for history

    @model_validator(mode="after")
    def _period(self) -> Programme:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def tasks(self) -> list[Task]:
        return [t for d in self.directions for t in d.tasks]

    def targets(self) -> list[Target]:
        return [g for t in self.tasks() for g in t.targets]

    def indicator_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for task in self.tasks():
            for i in (*task.indicators, *(g.indicator for g in task.targets)):
                seen.setdefault(i, None)
        return list(seen)


class GlossaryTerm(_Model):
    """A concept of the conceptual apparatus of digitalisation (seed 000, Table 1)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Text
    definition: Text
    citation: Citation
