"""The report's policy-evaluation chapter: what the programme's indicators would have been without it.

For the indicators of the programme that other countries publish too, Kazakhstan is
compared with its peers (the dashboard's CIS peer group) from the programme's first
year, as ``sandyq evaluate INDICATOR --treated KAZ --from START --donors cis
--method M --as-of DAY`` would: difference-in-differences, synthetic control and
synthetic difference-in-differences (:mod:`sandyq.analytics.evaluation`), each with
its placebo standard error, the 95 % interval it gives, and the permutation p-value
over the donors; the verdict is the analysis' own sentence, said through the catalog.
Where no indicator can be evaluated (an indicator of Kazakhstan only, too few
years after the start), the chapter says so in one sentence; the methods annex
describes the estimators either way.  The estimates are computed once per report
(:func:`evaluations`, in no language) and at most for :data:`LIMIT` indicators,
since each takes seconds.

>>> interval(2.0, 1.0, "en")
'0.04 – 3.96'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..._messages import CATALOG, number
from ._chart import HEIGHT, WIDTH, Line, chart
from ._model import Chart, Document, Heading, Paragraph, Table
from ._words import say

if TYPE_CHECKING:
    import pandas as pd

    from ... import Monitor
    from ...analytics.evaluation import Evaluation

__all__ = ["DONORS", "LIMIT", "METHODS", "Evaluations", "evaluation_chapter", "evaluations", "interval", "methods"]

#: The treated unit, the donors (a peer group of content/geography/peer_groups.csv) and the estimators shown.
TREATED, DONORS, METHODS = "KAZ", "cis", ("did", "sc", "sdid")
#: At most this many indicators are evaluated (three estimates with placebos: seconds per indicator).
LIMIT = 1
#: The estimate whose verdict the chapter says (the synthdid paper's recommended estimator).
HEADLINE = "sdid"
_Z95 = 1.959964
#: The estimators' names, as the analysis says them in its verdicts (its catalog has them in kk and ru).
_METHOD_NAMES = {
    "did": "difference-in-differences", "sc": "synthetic control", "sdid": "synthetic difference-in-differences",
}  # fmt: skip
#: The donors' name (content/geography/peer_groups.csv).
_PEERS = "Commonwealth of Independent States"

_WORDS: tuple[tuple[str, str, str], ...] = (
    # (en, ru, kk)
    ("Policy evaluation", "Оценка политики", "Саясатты бағалау"),
    (_PEERS, "Содружество Независимых Государств", "Тәуелсіз Мемлекеттер Достастығы"),
    ("{treated} compared with its peers ({donors}) from {start}, the programme's first year: what each indicator "
     "would have been without the programme, by three estimators, with placebo tests over the donors.",
     "{treated} в сравнении с сопоставимыми странами ({donors}) с {start} года, первого года программы: каким был бы "
     "каждый показатель без программы, по трём методам оценки, с плацебо-тестами по донорам.",
     "{treated} {start} жылдан, бағдарламаның бірінші жылынан бастап ұқсас елдермен ({donors}) салыстырылады: "
     "бағдарламасыз әр көрсеткіш қандай болар еді, үш бағалау әдісімен, донорлар бойынша плацебо сынақтарымен."),
    ("No indicator of this programme can be evaluated against other countries as of {day}.",
     "На {day} ни один показатель программы нельзя оценить в сравнении с другими странами.",
     "{day} жағдай бойынша бағдарламаның бірде-бір көрсеткішін басқа елдермен салыстырып бағалау мүмкін емес."),
    ("The policy evaluation was not computed for this report.", "Оценка политики для этого отчёта не вычислялась.",
     "Бұл есеп үшін саясатты бағалау есептелмеді."),
    ("synthetic counterpart", "синтетический двойник", "синтетикалық егіз"),
    ("{name}: observed and synthetic counterpart ({method}); the programme starts in {start}.",
     "{name}: наблюдаемые значения и синтетический двойник ({method}); программа начинается в {start} году.",
     "{name}: байқалған мәндер және синтетикалық егіз ({method}); бағдарлама {start} жылы басталады."),
    ("Method", "Метод", "Әдіс"),
    ("Effect", "Эффект", "Әсер"),
    ("Placebo standard error", "Плацебо-стандартная ошибка", "Плацебо стандартты қатесі"),
    ("95 % interval", "95 % интервал", "95 % аралығы"),
    ("Permutation p-value", "Перестановочное p-значение", "Алмастыру p-мәні"),
    ("Donors", "Доноры", "Донорлар"),
    ("{name}: effect of the programme in {first}–{last} ({unit}); computed as `sandyq evaluate {indicator} "
     "--treated {treated} --from {start} --donors {donors} --as-of {day}`.",
     "{name}: эффект программы в {first}–{last} ({unit}); вычислено как `sandyq evaluate {indicator} "
     "--treated {treated} --from {start} --donors {donors} --as-of {day}`.",
     "{name}: {first}–{last} жылдардағы бағдарлама әсері ({unit}); `sandyq evaluate {indicator} "
     "--treated {treated} --from {start} --donors {donors} --as-of {day}` арқылы есептелді."),
    ("Policy evaluation: difference-in-differences compares the change in Kazakhstan after the programme's start "
     "with the average change in the donor countries; synthetic control weights the donors so that their weighted "
     "path matches Kazakhstan's before the start (Abadie, Diamond and Hainmueller, 2010); synthetic "
     "difference-in-differences weights both donors and years before the start (Arkhangelsky et al., 2021). The "
     "effect is the average gap after the start; its standard error comes from placebo draws among the donors, the "
     "95 % interval is the effect plus or minus 1.96 standard errors, and the p-value is the share of donors that, "
     "treated as if they had had the programme, show a gap at least as large relative to their fit before it.",
     "Оценка политики: метод разности разностей сравнивает изменение в Казахстане после начала программы со средним "
     "изменением в странах-донорах; синтетический контроль взвешивает доноров так, чтобы их взвешенная траектория "
     "совпадала с траекторией Казахстана до начала (Abadie, Diamond и Hainmueller, 2010); синтетическая разность "
     "разностей взвешивает и доноров, и годы до начала (Arkhangelsky и др., 2021). Эффект — средний разрыв после "
     "начала; его стандартная ошибка получена по плацебо-выборкам из доноров, 95 % интервал — эффект плюс-минус 1,96 "
     "стандартной ошибки, а p-значение — доля доноров, которые, если считать, что у них была программа, показывают "
     "не меньший разрыв относительно своей точности до начала.",
     "Саясатты бағалау: айырмалар айырмасы әдісі бағдарлама басталғаннан кейінгі Қазақстандағы өзгерісті донор "
     "елдердегі орташа өзгеріспен салыстырады; синтетикалық бақылау донорларды олардың салмақталған траекториясы "
     "басталғанға дейін Қазақстанның траекториясымен сәйкес келетіндей етіп салмақтайды (Abadie, Diamond және "
     "Hainmueller, 2010); синтетикалық айырмалар айырмасы басталғанға дейінгі донорларды да, жылдарды да "
     "салмақтайды (Arkhangelsky және т.б., 2021). Әсер — басталғаннан кейінгі орташа алшақтық; оның стандартты қатесі "
     "донорлар арасындағы плацебо іріктемелерінен алынады, 95 % аралығы — әсер плюс-минус 1,96 стандартты қате, ал "
     "p-мәні — бағдарлама болғандай қаралған донорлардың басталғанға дейінгі дәлдігіне қатысты кем дегенде сондай "
     "алшақтық көрсететін үлесі."),
)  # fmt: skip

for _en, _ru, _kk in _WORDS:
    CATALOG.setdefault(_en, {"ru": _ru, "kk": _kk})


@dataclass
class Evaluations:
    """The report's estimates: per indicator evaluated, one :class:`Evaluation` per method (in no language)."""

    start: int
    as_of: str
    results: dict[str, dict[str, Evaluation]] = field(default_factory=dict)


def _candidates(monitor: Monitor, ids: list[str], start: int, now: pd.DataFrame) -> list[str]:
    """The programme's indicators with annual figures for Kazakhstan and at least two donors, the longest
    record before ``start`` first (a longer pre-period makes a better-identified counterpart), then in its order."""
    from ...analytics.evaluation import peer_group_members

    donors = set(peer_group_members()[DONORS]) - {TREATED}
    found = []
    for n, ind in enumerate(ids):
        part = now[(now["indicator"] == ind) & (now["source"] != "sandyq")]  # published statistics, not sandyq's
        if part.empty or TREATED not in set(part["geo"]) or len(donors.intersection(part["geo"])) < 2:
            continue
        periods = part["period"].astype(str)
        if not periods.str.fullmatch(r"\d{4}").all():
            continue
        own = periods[part["geo"] == TREATED].astype(int)
        if (own >= start).any():
            found.append((-int((own < start).sum()), n, ind))
    return [ind for *_, ind in sorted(found)]


def evaluations(monitor: Monitor, ids: list[str], start: int, as_of: str, now: pd.DataFrame) -> Evaluations:
    """Estimate the programme's effect from ``start`` on up to :data:`LIMIT` of the indicators ``ids``."""
    from ...errors import SandyqError

    out = Evaluations(start, as_of)
    for ind in _candidates(monitor, ids, start, now):
        if len(out.results) >= LIMIT:
            break
        try:
            out.results[ind] = {
                m: monitor.evaluate(ind, TREATED, start, donors=DONORS, method=m, as_of=as_of) for m in METHODS
            }
        except SandyqError:  # too few years or donors for this indicator at this date: the next one
            continue
    return out


def interval(effect: float, se: float | None, language: str) -> str:
    """The 95 % interval ``effect ± 1.96 se`` as the report writes it (two decimals, as ``sandyq evaluate``)."""
    if se is None:
        return number(language, None)
    lo, hi = effect - _Z95 * se, effect + _Z95 * se
    return f"{number(language, lo, '.2f')} – {number(language, hi, '.2f')}"


def _row(ev: Evaluation, language: str) -> tuple[str, ...]:
    return (
        say(language, _METHOD_NAMES[ev.method]),
        number(language, ev.effect, "+.2f"),
        number(language, ev.se, ".2f"),
        interval(ev.effect, ev.se, language),
        number(language, ev.p_value, ".3f"),
        str(len(ev.donors)),
    )


def evaluation_chapter(doc: Document, facts: Any, language: str) -> None:
    """Add the policy-evaluation chapter of ``facts.evaluations`` (a :class:`._facts.Facts`, which imports this
    module to compute them) to ``doc``."""
    doc.add(Heading(1, say(language, "Policy evaluation"), "evaluation"))
    ev: Evaluations | None = getattr(facts, "evaluations", None)
    if ev is None:
        doc.add(Paragraph(say(language, "The policy evaluation was not computed for this report.")))
        return
    if not ev.results:
        day = ev.as_of
        doc.add(Paragraph(say(language, "No indicator of this programme can be evaluated against other countries "
                                        "as of {day}.", day=day)))  # fmt: skip
        return
    geo = facts.framework.geography
    peers = say(language, _PEERS)
    doc.add(Paragraph(say(language, "{treated} compared with its peers ({donors}) from {start}, the programme's first "
                          "year: what each indicator would have been without the programme, by three estimators, "
                          "with placebo tests over the donors.", treated=geo.name(TREATED, language), donors=peers,
                          start=ev.start)))  # fmt: skip
    head = tuple(say(language, w) for w in ("Method", "Effect", "Placebo standard error", "95 % interval",
                                            "Permutation p-value", "Donors"))  # fmt: skip
    for ind, by_method in ev.results.items():
        name = facts.framework.indicators[ind].name.get(language)
        doc.add(Heading(2, name, f"evaluation-{ind}"))
        main = by_method[HEADLINE]
        doc.add(Paragraph(main.verdict.to(language), "lead"))
        doc.add(_paths(main, name, _unit(facts, ind, language), language))
        rows = tuple(_row(by_method[m], language) for m in METHODS)
        post = [p for p in main.periods if int(p) >= ev.start]
        caption = say(language, "{name}: effect of the programme in {first}–{last} ({unit}); computed as "
                      "`sandyq evaluate {indicator} --treated {treated} --from {start} --donors {donors} "
                      "--as-of {day}`.", name=name, first=post[0], last=post[-1], unit=_unit(facts, ind, language),
                      indicator=ind, treated=TREATED, start=ev.start, donors=DONORS, day=ev.as_of)  # fmt: skip
        doc.add(Table(head, rows, caption, (False, True, True, True, True, True)))


def _paths(ev: Evaluation, name: str, unit: str, language: str) -> Chart:
    """Kazakhstan's observed path and its synthetic counterpart's, by year (the programme starts between them)."""
    years = [float(p) for p in ev.periods]
    lines = [
        Line(say(language, "observed"), tuple(zip(years, ev.observed, strict=True))),
        Line(say(language, "synthetic counterpart"), tuple(zip(years, ev.synthetic, strict=True)), "projection",
             dashed=True),
    ]  # fmt: skip
    caption = say(language, "{name}: observed and synthetic counterpart ({method}); the programme starts in {start}.",
                  name=name, method=say(language, _METHOD_NAMES[ev.method]), start=ev.start)  # fmt: skip
    return Chart(chart(lines, unit=unit), WIDTH, HEIGHT, caption, alt=caption)


def _unit(facts: Any, indicator: str, language: str) -> str:
    from ...framework import UNITS

    unit = facts.framework.indicators[indicator].unit
    return UNITS[unit].name(language) if unit in UNITS else ""


def methods(doc: Document, language: str) -> None:
    """The methods annex's paragraph on the estimators of the policy evaluation."""
    doc.add(Paragraph(_annex_text(language), "bullet"))


def _annex_text(language: str) -> str:
    return say(language, _WORDS[-1][0])
