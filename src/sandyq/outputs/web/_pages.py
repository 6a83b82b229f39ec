"""HTML pages: one renderer shared by the server and the static site.

Pages live under the language, with a trailing slash (``/ru/indicator/17-8-1/``),
so the same relative links work on the server and in a static copy served
from any folder.  :meth:`Pages.render` turns a page path into HTML;
:func:`page_router` exposes it over HTTP; :meth:`Pages.paths` lists every page
for the static site.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..._messages import Message, translated
from ...errors import NotFoundError
from ...framework import Source
from ._data import Dashboard
from ._i18n import LANGUAGE_NAMES, LANGUAGES, fmt_date, fmt_number, gettext, translations
from ._indicator import indicator_payload, regional_indicators, regions_payload
from ._search import search, search_index
from ._views import (
    EVENT_MSG,
    N_,
    RISK_MSG,
    RULE_MSG,
    STATUS_CLASS,
    glossary_context,
    index_context,
    indicators_context,
    overview_context,
    quality_context,
    status_label,
    targets_context,
)

__all__ = ["JS_STRINGS", "Pages", "page_router"]

#: UI strings the browser code needs, sent translated with each page.
JS_STRINGS = [
    N_("Target"),
    N_("Projection"),
    N_("80 % interval"),
    N_("95 % interval"),
    N_("Year"),
    N_("Value"),
    N_("No data"),
    N_("Relative change"),
    N_("% change since"),
    N_("Milestone"),
    N_("Rank"),
    N_("Region"),
    N_("Change"),
    N_("no data for this year"),
    N_("Boundaries of"),
    N_("Kazakhstan"),
    N_("Coefficient of variation"),
    N_("Gini index"),
    N_("Values shown"),
    N_("Latest value"),
    N_("Geography"),
    N_("Period"),
    N_("Status"),
    N_("Source"),
    N_("Unit"),
    N_("Peers added"),
    N_("No peers available"),
    N_("selected"),
    N_("Map of"),
    N_("Chart of"),
    N_("Baseline"),
    N_("Required path"),
    N_("Vintage"),
    N_("median of"),
]

POLARITY_MSG = {"higher": N_("higher is better"), "lower": N_("lower is better"), "neutral": N_("no desired direction")}
PERIODICITY_MSG = {
    "annual": N_("annual"),
    "quarterly": N_("quarterly"),
    "monthly": N_("monthly"),
    "irregular": N_("irregular"),
}
SEVERITY_MSG = {"error": N_("error"), "warning": N_("warning"), "info": N_("information")}
#: How a search result says what it is.
RESULT_MSG = {
    "indicator": N_("Indicator"),
    "target": N_("Target"),
    "region": N_("Region"),
    "term": N_("Glossary term"),
}
KIND_MSG = (
    ("country", N_("Countries")),
    ("region", N_("Regions of Kazakhstan")),
    ("aggregate", N_("Country groups")),
    ("other", N_("Other")),
)


class Pages:
    """Renders every HTML page of the dashboard in any of the three languages."""

    def __init__(self, dash: Dashboard, *, static: bool = False, endpoints: list[dict[str, Any]] | None = None) -> None:
        self.dash = dash
        self.static = static
        self.endpoints = endpoints or []
        self.built = dt.date.today().isoformat()
        self.envs: dict[str, Environment] = {}
        for lang in LANGUAGES:
            env = Environment(
                loader=PackageLoader("sandyq.outputs.web", "templates"),
                autoescape=select_autoescape(["html"]),
                extensions=["jinja2.ext.i18n"],
                trim_blocks=False,
                lstrip_blocks=False,
            )
            env.install_gettext_translations(translations(lang), newstyle=False)  # type: ignore[attr-defined]
            env.globals.update(self._helpers(lang))
            self.envs[lang] = env

    def _helpers(self, lang: str) -> dict[str, Any]:
        return {
            "num": lambda v, d=None: fmt_number(v, lang, d),
            "date": lambda v: fmt_date(v, lang),
            "status_label": lambda s: status_label(lang, s),
            "status_class": lambda s: STATUS_CLASS.get(s, "st-none"),
            "risk_label": lambda s: gettext(lang, RISK_MSG.get(s) or str(s)),
            "event_label": lambda s: gettext(lang, EVENT_MSG.get(s) or str(s)),
            "severity_label": lambda s: gettext(lang, SEVERITY_MSG.get(s) or str(s)),
            "rule_label": lambda r: gettext(lang, RULE_MSG.get(r) or str(r)),
            "dims_label": lambda d: _dims_label(lang, d),
            "cov_class": _cov_class,
        }

    # -- the list of pages --------------------------------------------------------------------------------
    def paths(self) -> list[str]:
        """Every page path (without the language) the dashboard has, for the static site."""
        dash = self.dash
        out = ["", "targets/", "indicators/", "regions/", "index/", "quality/", "glossary/", "api/", "search/"]
        out += [f"programme/{p}/" for p in dash.framework.programmes if p != dash.default_programme]
        out += [f"indicator/{i}/" for i in dash.framework.indicators]
        out += [f"regions/{i}/" for i in regional_indicators(dash)]
        table = dash.indicator_table("en")
        out += [f"embed/indicator/{i}/" for i in table.loc[table["observations"] > 0, "id"]]
        return out

    # -- rendering ----------------------------------------------------------------------------------------------
    def render(self, lang: str, subpath: str) -> str:
        """The HTML of page ``subpath`` (e.g. ``indicator/17-8-1/``) in ``lang``; NotFoundError if none."""
        if lang not in LANGUAGES:
            raise NotFoundError(f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
        parts = [p for p in subpath.split("/") if p]
        dash = self.dash
        head = parts[0] if parts else ""
        rest = parts[1:]
        if head == "" and not rest:
            return self._page(
                lang, subpath, "overview", "overview.html", _("Overview", lang), overview_context(dash, lang)
            )
        if head == "programme" and len(rest) == 1:
            ctx = overview_context(dash, lang, rest[0])
            return self._page(lang, subpath, "overview", "overview.html", ctx["name"], ctx)
        simple = {
            "targets": ("targets.html", N_("Targets"), targets_context),
            "indicators": ("indicators.html", N_("Indicators"), indicators_context),
            "index": ("index.html", N_("Composite index"), index_context),
            "quality": ("quality.html", N_("Data quality"), quality_context),
            "glossary": ("glossary.html", N_("Glossary"), glossary_context),
        }
        if head in simple and not rest:
            template, title, build = simple[head]
            return self._page(lang, subpath, head, template, _(title, lang), build(dash, lang))
        if head == "api" and not rest:
            return self._page(
                lang, subpath, "api", "api.html", _("API and downloads", lang), {"endpoints": self.endpoints}
            )
        if head == "indicator" and len(rest) == 1:
            ctx = self._indicator(lang, rest[0])
            return self._page(lang, subpath, "indicators", "indicator.html", ctx["name"], ctx)
        if head == "search" and not rest:
            return self.render_search(lang, "")
        if head == "embed" and len(rest) == 2 and rest[0] == "indicator":
            ctx = self._embed(lang, rest[1])
            return self._page(lang, subpath, "indicators", "embed.html", ctx["name"], ctx)
        if head == "regions" and len(rest) <= 1:
            ctx = self._regions(lang, rest[0] if rest else None)
            return self._page(lang, subpath, "regions", "regions.html", _("Regions", lang), ctx)
        raise NotFoundError(f"no page {subpath!r}")

    def render_search(self, lang: str, query: str) -> str:
        """The search page: the results for ``query`` (none on the static site, where the browser fills them in)."""
        items = self.dash.cached(("search-index",), lambda: search_index(self.dash))
        results = [
            {
                "kind": gettext(lang, RESULT_MSG[it["k"]]),
                "name": it["n"].get(lang) or it["id"],
                "id": it["id"],
                "url": it["u"],
            }
            for it in search(items, query, lang)
        ]
        ctx = {"query": query, "results": results}
        return self._page(lang, "search/", "", "search.html", _("Search", lang), ctx)

    def render_error(self, lang: str, subpath: str, heading: str, message: str, depth: int | None = None) -> str:
        """An error page; ``depth`` (folders below the site root) defaults to that of ``lang/subpath``."""
        return self._page(
            lang if lang in LANGUAGES else "en",
            subpath,
            "",
            "error.html",
            heading,
            {"heading": heading, "message": message},
            depth,
        )

    def _page(
        self,
        lang: str,
        subpath: str,
        section: str,
        template: str,
        title: str,
        ctx: dict[str, Any],
        depth: int | None = None,
    ) -> str:
        if depth is None:
            depth = 1 + len([p for p in subpath.split("/") if p])
        nav = [
            ("overview", _("Overview", lang), ""),
            ("targets", _("Targets", lang), "targets/"),
            ("indicators", _("Indicators", lang), "indicators/"),
            ("regions", _("Regions", lang), "regions/"),
            ("index", _("Index", lang), "index/"),
            ("quality", _("Data quality", lang), "quality/"),
            ("glossary", _("Glossary", lang), "glossary/"),
        ]
        base = {
            "lang": lang,
            "root": "../" * depth,
            "subpath": subpath,
            "title": title,
            "section": section,
            "page": template.removesuffix(".html"),
            "languages": LANGUAGES,
            "language_names": LANGUAGE_NAMES,
            "nav": nav,
            "static": self.static,
            "built": fmt_date(self.built, lang),
            "default_programme": self.dash.default_programme,
            "search_kinds": json.dumps(
                {
                    **{k: gettext(lang, m) for k, m in RESULT_MSG.items()},
                    "none": gettext(lang, "Nothing found"),
                    "results": gettext(lang, "Results"),
                },
                ensure_ascii=False,
            ),
            "refresh": bool(self.dash.pending()),  # some answer is being computed: look again in a few seconds
        }
        return self.envs[lang].get_template(template).render(**base, **ctx)

    # -- indicator and regions pages ----------------------------------------------------------------------------
    def _strings(self, lang: str) -> dict[str, str]:
        return {s: gettext(lang, s) for s in JS_STRINGS}

    def _indicator(self, lang: str, indicator_id: str) -> dict[str, Any]:
        dash = self.dash
        ind = dash.indicator(indicator_id)
        payload = indicator_payload(dash, indicator_id, lang)
        source = dash.framework.sources.get(ind.source)
        data = dash.indicator_data(indicator_id)
        geos = payload["geos"]
        groups = []
        for kind, label in KIND_MSG:
            codes = sorted((g for g, v in geos.items() if v["kind"] == kind), key=lambda g: geos[g]["name"])
            if kind == "country" and "KAZ" in codes:
                codes.remove("KAZ")
                codes.insert(0, "KAZ")
            if kind == "aggregate":  # the peer groups' aggregates (UMC, OECD) first
                first = [g for gr in payload["groups"] for g in gr["geos"] if g in codes]
                codes = list(dict.fromkeys(first + codes))
            if codes:
                groups.append((kind, gettext(lang, label), codes))
        names = {g: v["name"] for g, v in geos.items()}
        default = payload["defaultGeos"]
        series = payload["series"].get(payload["headlineDims"], {})
        summary = _summary(lang, payload, series, names)
        vmax = dash.vintage_span(data)[1]
        citation = (
            f"{source.citation.get(lang) if source else ind.source} — {payload['name']} ({ind.id}), "
            f"{payload['unitName']}. {_('Vintage', lang)}: {fmt_date(vmax, lang)}; "
            f"{_('Retrieved from sandyq on', lang)} {fmt_date(self.built, lang)}"
        )
        return {
            "ind": ind,
            "name": payload["name"],
            "definition": ind.definition.get(lang) if ind.definition else "",
            "unit_name": payload["unitName"],
            "decimals": ind.decimals,
            "polarity_label": _(POLARITY_MSG[ind.polarity], lang),
            "periodicity_label": _(PERIODICITY_MSG[ind.periodicity], lang),
            "source": _source_view(source, ind.source, lang),
            "tags": [(t, dash.framework.glossary[t].name.get(lang)) for t in ind.tags if t in dash.framework.glossary],
            "tasks": dash.tasks_of(indicator_id),
            "targets": payload["targets"],
            "other_sources": payload.get("otherSources", []),
            "geo_names": names,
            "has_data": bool(payload["series"]),
            "geo_groups": groups,
            "default_geos": default,
            "default_names": ", ".join(names.get(g, g) for g in default),
            "peer_groups": payload["groups"],
            "dims": payload["dims"],
            "headline": payload["headlineDims"],
            "projection": payload["projection"],
            "projection_default": bool(payload["targets"]) and payload["projection"].get("available", False),
            "map_kind": payload["mapKind"],
            "years": payload["years"],
            "map_year": payload["mapYear"],
            "summary": summary,
            "citation": citation,
            "vintage": fmt_date(vmax, lang) if vmax else "",
            "table_html": _table_html(lang, series, default, names, payload["targets"], ind.decimals),
            "payload": _script_json({**self._shipped(payload), "t": self._strings(lang), "citation": citation}),
        }

    def _shipped(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The payload as the page carries it: on the static site without its series, which the browser takes
        from the indicator's data file (written once, not in each of three languages' pages)."""
        if not self.static or not payload["series"]:
            return payload
        rest = {k: v for k, v in payload.items() if k != "series"}
        return {**rest, "seriesFrom": f"data/indicator/{payload['id']}.json"}

    def _embed(self, lang: str, indicator_id: str) -> dict[str, Any]:
        """The embed page's text; its chart data are read from the indicator page, so they are not written twice."""
        dash = self.dash
        ind = dash.indicator(indicator_id)
        data = dash.indicator_data(indicator_id)
        vmax = dash.vintage_span(data)[1]
        return {
            "ind": ind,
            "name": ind.name.get(lang),
            "unit_name": dash.unit_name(ind.unit, lang),
            "source": _source_view(dash.framework.sources.get(ind.source), ind.source, lang),
            "vintage": fmt_date(vmax, lang) if vmax else "",
            "has_data": not data.empty,
        }

    def _regions(self, lang: str, indicator_id: str | None) -> dict[str, Any]:
        dash = self.dash
        ids = regional_indicators(dash)
        options = [(i, dash.indicator(i).name.get(lang)) for i in ids]
        if not ids:
            return {"indicators": []}
        ind_id = indicator_id or ("17-8-1" if "17-8-1" in ids else ids[0])
        if ind_id not in ids:
            dash.indicator(ind_id)
            raise NotFoundError(f"indicator {ind_id!r} has no values for enough regions")
        payload = regions_payload(dash, ind_id, lang)
        names = {g: v["name"] for g, v in payload["geos"].items()}
        years = payload["years"]
        last = str(years[-1]) if years else ""
        ranking = payload["ranking"].get(last, [])
        return {
            "indicators": options,
            "ind_id": ind_id,
            "payload_obj": payload,
            "years": years or [0],
            "geo_names": names,
            "region_options": sorted(((g, n) for g, n in names.items() if g != "KAZ"), key=lambda x: x[1]),
            "ranking_html": _ranking_html(lang, ranking, names, payload["decimals"]),
            "payload": _script_json({**payload, "t": self._strings(lang)}),
        }


def _source_view(source: Source | None, source_id: str, lang: str) -> dict[str, Any]:
    """A source for a template, in the reader's language (its id alone if the framework does not know it)."""
    if source is None:
        return {"name": source_id, "url": None, "publisher": "", "licence": "", "citation": source_id}
    return {
        "name": source.name.get(lang),
        "url": source.url,
        "publisher": source.publisher.get(lang),
        "licence": source.licence.get(lang),
        "citation": source.citation.get(lang),
    }


def _(message: str, lang: str) -> str:
    return gettext(lang, message)


def _dims_label(lang: str, key: str) -> str:
    if not key:
        return gettext(lang, "Total")
    return ", ".join(translated(Message(part.replace("=", ": ")), lang) for part in key.split(";"))


def _cov_class(n: int | None) -> int:
    if not n:
        return 0
    return 1 if n == 1 else 2 if n < 10 else 3 if n < 50 else 4


def _script_json(obj: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">``."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _summary(lang: str, payload: dict[str, Any], series: dict[str, list[list[Any]]], names: dict[str, str]) -> str:
    """A sentence describing the chart for screen readers and for pages without scripts."""
    parts = []
    for geo in payload["defaultGeos"]:
        pts = series.get(geo)
        if pts:
            first, last = pts[0], pts[-1]
            parts.append(
                f"{names.get(geo, geo)}: {fmt_number(first[1], lang, payload['decimals'])} ({first[2]}) → "
                f"{fmt_number(last[1], lang, payload['decimals'])} ({last[2]}), {payload['unitName']}."
            )
    for t in payload["targets"]:
        parts.append(f"{_('Target', lang)}: {fmt_number(t['value'], lang, payload['decimals'])} ({t['year']}).")
    return " ".join(parts) or _("No data", lang)


def _table_html(
    lang: str,
    series: dict[str, list[list[Any]]],
    geos: list[str],
    names: dict[str, str],
    targets: list[dict[str, Any]],
    decimals: int | None,
) -> str:
    """The data table of the default view (the browser redraws it for other choices)."""
    esc = html.escape
    periods = sorted({p[2] for g in geos for p in series.get(g, [])})
    head = "".join(f'<th scope="col" class="num">{esc(names.get(g, g))}</th>' for g in geos)
    lookup = {(g, p[2]): p[1] for g in geos for p in series.get(g, [])}
    rows = []
    for period in periods:
        cells = "".join(f'<td class="num">{fmt_number(lookup.get((g, period)), lang, decimals)}</td>' for g in geos)
        rows.append(f'<tr><th scope="row">{esc(period)}</th>{cells}</tr>')
    for t in targets:
        if t["geo"] in geos:
            cells = "".join(
                f'<td class="num">{fmt_number(t["value"], lang, decimals) if g == t["geo"] else ""}</td>' for g in geos
            )
            rows.append(f'<tr class="target-row"><th scope="row">{esc(_("Target", lang))} {t["year"]}</th>{cells}</tr>')
    return (
        f'<table class="data"><caption class="sr">{esc(_("Values shown", lang))}</caption><thead><tr>'
        f'<th scope="col">{esc(_("Period", lang))}</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _ranking_html(lang: str, ranking: list[dict[str, Any]], names: dict[str, str], decimals: int | None) -> str:
    esc = html.escape
    rows = "".join(
        f'<tr data-geo="{esc(r["geo"])}"><td class="num">{r["rank"]}</td><td>{esc(names.get(r["geo"], r["geo"]))}</td>'
        f'<td class="num">{fmt_number(r["value"], lang, decimals)}</td>'
        f'<td class="num">{_signed(r["change"])}</td></tr>'
        for r in ranking
    )
    return (
        f'<table class="data" id="rank-table"><caption class="sr">{esc(_("Rank", lang))}</caption><thead><tr>'
        f'<th scope="col" class="num">{esc(_("Rank", lang))}</th><th scope="col">{esc(_("Region", lang))}</th>'
        f'<th scope="col" class="num">{esc(_("Value", lang))}</th>'
        f'<th scope="col" class="num">{esc(_("Change", lang))}</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _signed(n: int | None) -> str:
    return "" if n is None else f"{n:+d}" if n else "0"


def page_router(pages: Pages, default_language: str) -> APIRouter:
    """HTML routes: ``/`` redirects to the default language; ``/{lang}/...`` renders a page."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def home() -> Response:
        return RedirectResponse(f"/{default_language}/", status_code=307)

    @router.get("/{lang}/{subpath:path}")
    def page(lang: str, subpath: str, request: Request) -> Response:
        if lang not in LANGUAGES:
            raise HTTPException(404)
        if subpath and not subpath.endswith("/"):
            query = f"?{request.url.query}" if request.url.query else ""  # /en/search?q=… keeps its query
            return RedirectResponse(f"/{lang}/{subpath}/{query}", status_code=308)
        if subpath == "search/":  # the search box without scripts: the server answers the query
            return HTMLResponse(pages.render_search(lang, request.query_params.get("q", "")[:200]))
        try:
            with pages.dash.deferring() as pending:
                body = pages.dash.cached(
                    ("page", lang, subpath), lambda: _complete(pages.render(lang, subpath), pending)
                )
        except NotFoundError as exc:
            return _error_page(pages, lang, 404, _("Page not found", lang), exc.summary, subpath)
        except _Partial as part:  # rendered without what is still being computed: shown, never kept
            return HTMLResponse(part.body, headers={"Cache-Control": "no-store"})
        return HTMLResponse(body)

    return router


def _complete(body: str, pending: list[str]) -> str:
    """``body``, or :class:`_Partial` if some answer it shows was still being computed."""
    if pending:
        raise _Partial(body)
    return body


class _Partial(Exception):
    """A page rendered while some of its answers were still being computed (not to be cached)."""

    def __init__(self, body: str) -> None:
        super().__init__("partial page")
        self.body = body


def _error_page(pages: Pages, lang: str, status: int, heading: str, message: str, subpath: str = "") -> Response:
    return HTMLResponse(pages.render_error(lang, subpath or "", heading, message), status_code=status)
