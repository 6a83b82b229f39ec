"""The evaluation page ``/<lang>/evaluate/<indicator>/`` and its JSON twin ``/api/evaluate/<indicator>``.

Server-rendered, with two SVG charts drawn here (no script): the treated unit against its synthetic
counterpart, and the gap by year among the placebo gaps of the donors (Abadie, Diamond & Hainmueller 2010,
Figure 4: the placebos whose pre-period fit is more than five times worse than the treated unit's are left out
of the chart, as there). The labels are said through :mod:`sandyq._messages`, in kk, ru and en.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from ..._messages import CATALOG, Message, number
from ...errors import NotFoundError, SandyqError
from ...settings import LANGUAGES
from ._contract import BAD, NOT_FOUND, UNAVAILABLE, JSONBytes

if TYPE_CHECKING:
    from ...analytics.evaluation import Evaluation
    from ._pages import Pages

__all__ = ["evaluate_router", "gap_chart", "path_chart"]

_LABELS = {
    "Policy evaluation": ("Оценка политики", "Саясатты бағалау"),
    "What {indicator} would have been in {treated} without the programme": (
        "Каким был бы {indicator} в {treated} без программы",
        "Бағдарламасыз {treated} үшін {indicator} қандай болар еді",
    ),
    "Effect": ("Эффект", "Әсер"),
    "Method": ("Метод", "Әдіс"),
    "Donors": ("Доноры", "Донорлар"),
    "left out": ("исключены", "алынып тасталды"),
    "Placebo standard error": ("Плацебо-стандартная ошибка", "Плацебо стандартты қатесі"),
    "Permutation p-value (post/pre RMSPE)": (
        "Перестановочное p-значение (RMSPE после/до)",
        "Алмастыру p-мәні (RMSPE кейін/дейін)",
    ),
    "Observed and synthetic": ("Факт и синтетический двойник", "Нақты мән және синтетикалық егіз"),
    "Gap by year, among the placebo gaps": (
        "Разрыв по годам среди плацебо-разрывов",
        "Жылдар бойынша алшақтық плацебо алшақтықтары арасында",
    ),
    "observed": ("факт", "нақты"),
    "synthetic": ("синтетический", "синтетикалық"),
    "gap": ("разрыв", "алшақтық"),
    "year": ("год", "жыл"),
    "weight": ("вес", "салмақ"),
    "Donor weights": ("Веса доноров", "Донорлардың салмақтары"),
    "Gap by year": ("Разрыв по годам", "Жылдар бойынша алшақтық"),
    "Caveats": ("Оговорки", "Ескертпелер"),
    "JSON of this evaluation": ("JSON этой оценки", "Осы бағалаудың JSON-ы"),
    "How it is computed": ("Как это вычисляется", "Бұл қалай есептеледі"),
}
for _en, (_ru, _kk) in _LABELS.items():
    CATALOG.setdefault(_en, {"ru": _ru, "kk": _kk})

_W, _H, _PAD = 640, 260, 44
Method = Literal["sdid", "sc", "adh", "did"]
Lang = Literal["kk", "ru", "en"]


def _t(text: str, lang: str, **params: Any) -> str:
    return Message(text, dict(params)).to(lang)


def _scale(values: list[float], lo_px: float, hi_px: float) -> tuple[float, float, Any]:
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    return lo, hi, lambda v: hi_px - (v - lo) / (hi - lo) * (hi_px - lo_px)


def _frame(ev: Evaluation, values: list[float], lang: str, title: str) -> tuple[list[str], Any, Any]:
    """The axes of a chart over the evaluation's years: (SVG parts, x of a year, y of a value)."""
    years = [int(p) for p in ev.periods]
    x0, x1 = _PAD, _W - 10

    def x(year: float) -> float:
        return x0 + (year - years[0]) / max(1, years[-1] - years[0]) * (x1 - x0)

    lo, hi, yv = _scale(values, 10, _H - 24)
    parts = [f'<svg class="eval-chart" viewBox="0 0 {_W} {_H}" role="img" aria-label="{html.escape(title)}">']
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        parts.append(f'<line x1="{x0}" x2="{x1}" y1="{yv(v):.1f}" y2="{yv(v):.1f}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{x0 - 4}" y="{yv(v) + 4:.1f}" font-size="10" text-anchor="end">'
            f"{html.escape(number(lang, v, '.1f'))}</text>"
        )
    step = max(1, len(years) // 8)
    for y in years[::step]:
        parts.append(f'<text x="{x(y):.1f}" y="{_H - 8}" font-size="10" text-anchor="middle">{y}</text>')
    xs = x(int(ev.start) - 0.5)
    parts.append(f'<line x1="{xs:.1f}" x2="{xs:.1f}" y1="6" y2="{_H - 22}" stroke="#888" stroke-dasharray="4 3"/>')
    return parts, x, yv


def _line(points: list[tuple[float, float]], colour: str, width: float = 2, dash: str = "") -> str:
    d = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline fill="none" stroke="{colour}" stroke-width="{width}"{extra} points="{d}"/>'


def path_chart(ev: Evaluation, lang: str) -> str:
    """SVG: the treated unit's observed values and its synthetic counterpart, the programme's start marked."""
    title = _t("Observed and synthetic", lang)
    parts, x, y = _frame(ev, ev.observed + ev.synthetic, lang, title)
    years = [int(p) for p in ev.periods]
    parts.append(_line([(x(a), y(b)) for a, b in zip(years, ev.synthetic, strict=True)], "#8a5a00", 2, "6 4"))
    parts.append(_line([(x(a), y(b)) for a, b in zip(years, ev.observed, strict=True)], "#1f4e9a", 2.5))
    parts.append(
        f'<text x="{_PAD + 6}" y="18" font-size="11" fill="#1f4e9a">— {html.escape(ev.treated)} '
        f"({html.escape(_t('observed', lang))})</text>"
    )
    parts.append(
        f'<text x="{_PAD + 6}" y="32" font-size="11" fill="#8a5a00">- - {html.escape(_t("synthetic", lang))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def gap_chart(ev: Evaluation, lang: str) -> str:
    """SVG: the gap by year (thick) among the donors' placebo gaps (thin grey), as ADH (2010) Figure 4."""
    title = _t("Gap by year, among the placebo gaps", lang)
    limit = 5 * ev.pre_rmspe if ev.pre_rmspe > 0 else float("inf")
    shown = [g for u, g in ev.placebo_gaps.items() if ev.placebo_pre_rmspe.get(u, 0.0) <= limit]
    values = ev.gap + [v for g in shown for v in g] + [0.0]
    parts, x, y = _frame(ev, values, lang, title)
    years = [int(p) for p in ev.periods]
    parts.append(f'<line x1="{_PAD}" x2="{_W - 10}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#555"/>')
    for g in shown:
        parts.append(_line([(x(a), y(b)) for a, b in zip(years, g, strict=True)], "#c8c8c8", 1))
    parts.append(_line([(x(a), y(b)) for a, b in zip(years, ev.gap, strict=True)], "#1f4e9a", 2.5))
    parts.append("</svg>")
    return "".join(parts)


def context(ev: Evaluation, lang: str) -> dict[str, Any]:
    """What the template shows, every label and sentence in ``lang``."""
    labels = {k: _t(k, lang) for k in _LABELS if "{" not in k}
    return {
        "ev": ev,
        "t": labels,
        "heading": _t(
            "What {indicator} would have been in {treated} without the programme",
            lang,
            indicator=ev.indicator,
            treated=ev.treated,
        ),
        "verdict": ev.verdict.to(lang),
        "caveats": [c.to(lang) for c in ev.caveats],
        "path_svg": path_chart(ev, lang),
        "gap_svg": gap_chart(ev, lang),
        "rows": list(zip(ev.periods, ev.observed, ev.synthetic, ev.gap, strict=True)),
    }


def evaluate_router(pages: Pages) -> APIRouter:
    """``/api/evaluate/{indicator}`` (JSON) and ``/{lang}/evaluate/{indicator}/`` (HTML)."""
    dash = pages.dash
    router = APIRouter()

    def result(indicator: str, treated: str, start: int, donors: str | None, method: str) -> Evaluation:
        if indicator not in dash.framework.indicators:
            raise NotFoundError(f"indicator {indicator!r} is unknown")
        key = ("evaluate", indicator, treated, start, donors, method)
        return dash.cached(key, lambda: dash.monitor.evaluate(indicator, treated, start, donors=donors, method=method))

    @router.get(
        "/api/evaluate/{indicator}",
        tags=["evaluation"],
        summary="Policy evaluation: synthetic counterpart, gap by year, placebos, verdict",
        response_class=JSONBytes,
        responses={**BAD, **NOT_FOUND, **UNAVAILABLE},
    )
    def api_evaluate(
        indicator: str,
        treated: str = "KAZ",
        start: int = Query(2018, alias="from", ge=1900, le=2100),
        donors: str | None = None,
        method: Method = "sdid",
        lang: Lang = "en",
    ) -> Response:
        ev = result(indicator, treated, start, donors, method)
        body = json.dumps(ev.to_dict(lang), ensure_ascii=False, allow_nan=False)
        return JSONBytes(body.encode("utf-8"))

    @router.get("/{lang}/evaluate/{indicator}/", include_in_schema=False)
    def page(
        lang: str,
        indicator: str,
        treated: str = "KAZ",
        start: int = Query(2018, alias="from", ge=1900, le=2100),
        donors: str | None = None,
        method: Method = "sdid",
    ) -> HTMLResponse:
        if lang not in LANGUAGES:
            raise NotFoundError(f"unknown language {lang!r}")
        subpath = f"evaluate/{indicator}/"
        try:
            ev = result(indicator, treated, start, donors, method)
        except SandyqError as exc:
            status = 404 if isinstance(exc, NotFoundError) else 400
            body = pages.render_error(lang, subpath, _t("Policy evaluation", lang), exc.summary)
            return HTMLResponse(body, status_code=status)
        ctx = context(ev, lang)
        query = f"treated={treated}&from={start}&method={method}" + (f"&donors={donors}" if donors else "")
        ctx["json_url"] = f"/api/evaluate/{indicator}?{html.escape(query)}&lang={lang}"
        return HTMLResponse(pages._page(lang, subpath, "indicators", "evaluate.html", ctx["heading"], ctx))

    return router
