"""The result of an evaluation (:class:`Evaluation`) and its plain text for the terminal, in kk, ru or en."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._messages import CATALOG, Message, number
from ..results import json_safe

__all__ = ["Evaluation", "to_text"]


@dataclass
class Evaluation:
    """The result of :func:`evaluate`: estimate, weights, gap by period, placebos, verdict and caveats."""

    indicator: str
    treated: str
    start: Any
    method: str
    effect: float
    unit: str
    periods: list[Any]
    observed: list[float]
    synthetic: list[float]
    gap: list[float]
    weights: dict[str, float]
    time_weights: dict[str, float]
    donors: list[str]
    dropped: dict[str, str]
    pre_rmspe: float
    post_rmspe: float
    placebo: dict[str, float]
    placebo_gaps: dict[str, list[float]]
    placebo_pre_rmspe: dict[str, float]
    p_value: float | None
    p_value_effect: float | None
    rank: int | None
    se: float | None
    se_exact: float | None
    replications: int
    seed: int
    in_time: dict[str, Any] | None
    leave_one_out: dict[str, float]
    verdict: Message
    caveats: list[Message] = field(default_factory=list)

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        """JSON-safe dict for the CLI and the API, the verdict and caveats in ``language``."""
        out: dict[str, Any] = json_safe(self)
        out["verdict"] = self.verdict.to(language)
        out["caveats"] = [c.to(language) for c in self.caveats]
        out["language"] = language
        return out

    def to_text(self, language: str = "en") -> str:
        """Plain text for the terminal: verdict, weights, gap by year, placebo distribution, caveats."""
        return to_text(self, language)


_LABELS = {
    "Donor weights": ("Веса доноров", "Донорлардың салмақтары"),
    "Gap by year": ("Разрыв по годам", "Жылдар бойынша алшақтық"),
    "year": ("год", "жыл"),
    "observed": ("факт", "нақты"),
    "synthetic": ("синтетический", "синтетикалық"),
    "gap": ("разрыв", "алшақтық"),
    "Placebo distribution (effect of each donor as if treated)": (
        "Распределение плацебо (эффект каждого донора, как будто у него была программа)",
        "Плацебо үлестірімі (бағдарлама болғандай әр донордың әсері)",
    ),
    "Standard error (placebo, {n} draws, seed {seed})": (
        "Стандартная ошибка (плацебо, {n} повторов, seed {seed})",
        "Стандартты қате (плацебо, {n} қайталау, seed {seed})",
    ),
    "exact limit": ("точный предел", "дәл шегі"),
    "p = {p} by the RMSPE ratio, {q} by the size of the effect": (
        "p = {p} по отношению RMSPE, {q} по величине эффекта",
        "p = {p} RMSPE қатынасы бойынша, {q} әсердің шамасы бойынша",
    ),
    "Caveats": ("Оговорки", "Ескертпелер"),
    "and {n} more": ("и ещё {n}", "және тағы {n}"),
}
for _en, (_ru, _kk) in _LABELS.items():
    CATALOG.setdefault(_en, {"ru": _ru, "kk": _kk})


def _t(text: str, language: str, **params: object) -> str:
    return Message(text, dict(params)).to(language)


def to_text(ev: Evaluation, language: str = "en") -> str:
    """The evaluation as lines of text in ``language``."""
    lines = [f"{ev.indicator} · {ev.treated} · {ev.start} · {ev.method}", "", ev.verdict.to(language), ""]
    lines.append(_t("Donor weights", language))
    shown = list(ev.weights.items())
    width = max([8, *(len(code) for code, _ in shown[:15])])
    for code, w in shown[:15]:
        lines.append(f"  {code:<{width}} {number(language, w, '.3f')}")
    if len(shown) > 15:
        lines.append("  " + _t("and {n} more", language, n=len(shown) - 15))
    lines += ["", _t("Gap by year", language)]
    head = [_t(h, language) for h in ("year", "observed", "synthetic", "gap")]
    lines.append(f"  {head[0]:<6} {head[1]:>12} {head[2]:>14} {head[3]:>10}")
    for p, o, s, g in zip(ev.periods, ev.observed, ev.synthetic, ev.gap, strict=True):
        mark = "*" if p >= ev.start else " "
        lines.append(
            f" {mark}{p!s:<6} {number(language, o, '.2f'):>12} {number(language, s, '.2f'):>14} "
            f"{number(language, g, '+.2f'):>10}"
        )
    if ev.placebo:
        taus = np.array(list(ev.placebo.values()))
        q = np.percentile(taus, [0, 5, 25, 50, 75, 95, 100])
        lines += ["", _t("Placebo distribution (effect of each donor as if treated)", language)]
        lines.append("  P0/P5/P25/P50/P75/P95/P100: " + " / ".join(number(language, float(x), ".2f") for x in q))
        p, q = number(language, ev.p_value, ".3f"), number(language, ev.p_value_effect, ".3f")
        lines.append("  " + _t("p = {p} by the RMSPE ratio, {q} by the size of the effect", language, p=p, q=q))
        lines.append(
            "  "
            + _t("Standard error (placebo, {n} draws, seed {seed})", language, n=ev.replications, seed=ev.seed)
            + f": {number(language, ev.se, '.2f')}; "
            + _t("exact limit", language)
            + f": {number(language, ev.se_exact, '.2f')}"
        )
    lines += ["", _t("Caveats", language)]
    lines += [f"  - {c.to(language)}" for c in ev.caveats]
    return "\n".join(lines) + "\n"
