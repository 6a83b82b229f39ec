"""The JSON API (``/api/...``) and the downloadable files (``/data/...``).

Every JSON answer has a CSV twin with the same filters.  An answer is built in a
worker thread (never on the event loop) and kept by :class:`~._cache.ResponseCache`
until the store changes, so a repeated request costs a dictionary look-up.
Errors are JSON: ``{"error": {"status", "message", "problems"}}`` with 400 for a
bad parameter and 404 for an unknown id of any kind (see :mod:`._contract`).
List parameters hold at most :data:`~._query.MAX_LIST` distinct values; the
observations are paginated (``limit``, ``offset``, ``total`` and a ``next`` link).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import StringConstraints
from starlette.concurrency import run_in_threadpool

from ..._messages import said
from ...analytics.audit import finding_names
from ...errors import InvalidValueError, Problem
from ...framework import parse_dims
from ._contract import BAD, NOT_FOUND, UNAVAILABLE, CSVResponse, JSONBytes, Language, XLSXResponse
from ._data import Dashboard
from ._files import FILE_TYPES, csv_bytes, data_file, json_bytes, progress_frame, table_for
from ._i18n import LANGUAGES
from ._indicator import regions_payload
from ._query import (
    BLANKS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_LIST,
    QUICK_ROWS,
    ObservationQuery,
    next_link,
    page_json,
    ready,
    select,
)
from ._search import search, search_index
from ._unavailable import require

__all__ = ["api_router"]

JSON = "application/json"
CSV = "text/csv; charset=utf-8"

#: What the parameters accept, written as patterns so the OpenAPI description says exactly what is valid.
PERIOD = r"^(18[0-9][0-9]|19[0-9][0-9]|20[0-9][0-9]|2100)(-([Qq][1-4]|0[1-9]|1[0-2]))?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DIMS = r"^([ \t\r\n]*[*][ \t\r\n]*|[^=;]+=[^=;]+(;[^=;]+=[^=;]+)*)?$"
#: The largest offset (beyond any store's row count; larger numbers are refused, not wrapped).
MAX_OFFSET = 2**31 - 1

Lang = Annotated[Language, Query(description="Language of names: kk, ru or en.")]
SearchQuery = Annotated[
    str,
    Query(
        max_length=200,
        description="Words to find in names (kk, ru or en) and ids; case, accents and Kazakh letters do not matter.",
        examples=["акмола"],
    ),
]
SearchLimit = Annotated[int, Query(ge=1, le=100, description="At most this many results, best first.")]
AnId = Annotated[str, StringConstraints(pattern=r"[^, \t\r\n]")]  # explicit classes: \s differs by engine
Ids = Annotated[
    list[AnId],
    Query(description=f"Indicator id(s), required; repeat or separate with commas (at most {MAX_LIST} distinct)."),
]
Geos = Annotated[
    list[str] | None,
    Query(description=f"Geography code(s) or aliases (KAZ, KZ-71, KZNS); at most {MAX_LIST} distinct."),
]
Start = Annotated[
    str | None,
    Query(pattern=PERIOD, description="First period (YYYY, YYYY-Qn or YYYY-MM; years 1800–2100), inclusive."),
]
End = Annotated[str | None, Query(pattern=PERIOD, description="Last period, inclusive.")]
Dims = Annotated[
    str,
    Query(pattern=DIMS, description="Disaggregation: '' totals (default), '*' all, or e.g. 'sex=F;age=Y15T24'."),
]
AsOf = Annotated[
    str | None,
    Query(
        pattern=DATE,
        description="Figures as published on this date (YYYY-MM-DD).",
        json_schema_extra={"format": "date"},
    ),
]
Source = Annotated[str | None, Query(description="Only figures from this source id (404 if unknown).")]
Programme = Annotated[str | None, Query(description="Programme id (default: the dashboard's programme).")]
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per answer (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}).")
]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (the `next` link of an answer sets it).")]
IndicatorId = Annotated[str, Path(description="An indicator id (404 if unknown)", examples=["17-8-1"])]
BoundarySet = Annotated[str, Path(description="A boundary set (404 if unknown)", examples=["kz-adm1-2024"])]
CACHE_CONTROL = {"Cache-Control": "no-cache"}  # figures change when the store does: browsers ask again


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidValueError(
            f"unknown language {lang!r}", [Problem("", f"use one of {', '.join(LANGUAGES)}", column="lang")]
        )
    return lang


#: Fields of a JSON answer that explain (a status reason, a projection sentence, a note, a finding): said in the
#: request's language; every other field (ids, codes, names in ``names``) is left as it is.
EXPLAINED = frozenset(
    {"explanation", "projection_note", "source_note", "method", "notes", "note", "message", "tolerance", "changes",
     "excluded", "verdict", "reason", "reasons", "caution", "cautions", "text"}
)  # fmt: skip


def said_json(payload: Any, lang: str, names: Any = None, *, inside: bool = False) -> Any:
    """``payload`` with its explanation fields (:data:`EXPLAINED`) in ``lang`` (the same object for English).

    >>> said_json({"id": "17-8-1", "projection_note": "No projection: there are no data."}, "ru")
    {'id': '17-8-1', 'projection_note': 'Прогноза нет: данных нет.'}
    """
    if lang == "en":
        return payload
    if isinstance(payload, dict):
        return {k: said_json(v, lang, names, inside=inside or k in EXPLAINED) for k, v in payload.items()}
    if isinstance(payload, list | tuple):
        return [said_json(v, lang, names, inside=inside) for v in payload]
    if inside and isinstance(payload, str):
        return str(said(payload, lang, names))
    return payload


def _names(dash: Dashboard) -> Any:
    """English texts of the framework found in explanations → their trilingual text (regions, boundary changes)."""
    return dash.cached("finding-names", lambda: finding_names(dash.framework))


def _audit_json(dash: Dashboard, findings: pd.DataFrame, lang: str) -> bytes:
    """The audit's findings as JSON, their messages and tolerances in ``lang``."""
    if lang != "en" and len(findings):
        said_columns = {c: [said(t, lang, _names(dash)) for t in findings[c]] for c in ("message", "tolerance")}
        findings = findings.assign(**said_columns)
    return json_bytes({"findings": findings})


def _dims(value: str) -> str | None:
    """The canonical disaggregation key of ``dims`` (None for ``*``); checked on the text as given, like the pattern.

    >>> _dims(" SEX = F;age=Y15T24"), _dims(""), _dims("*")
    ('age=Y15T24;sex=F', '', None)
    """
    if value.strip(BLANKS) == "*":
        return None
    if value and not all("=" in part and part.split("=", 1)[0] and part.split("=", 1)[1] for part in value.split(";")):
        raise InvalidValueError(
            f"dims {value!r} is not a disaggregation key",
            [Problem("", "use '' for totals, '*' for all, or key=value pairs joined by ';'", column="dims")],
        )
    pairs = {k.strip().lower(): v.strip() for k, v in parse_dims(value).items()}
    return ";".join(f"{k}={v}" for k, v in sorted(pairs.items()))


def api_router(dash: Dashboard) -> APIRouter:
    """Routes of the JSON API and of the data files, bound to one dashboard."""
    router = APIRouter()
    answer = _Answers(dash)
    for routes in (_indicator_routes, _observation_routes, _progress_routes, _summary_routes, _framework_routes):
        routes(router, dash, answer)
    _files(router, dash, answer)
    return router


class _Answers:
    """Build a response body in a worker thread, in a slot of the dashboard's gate (the response cache keeps it).

    ``inline`` builds it on the event loop instead: for an answer assembled from
    precomputed parts in a fraction of a millisecond, handing it to a thread
    (and the GIL back and forth) costs more than the work and is what made
    answers wait under load.
    """

    def __init__(self, dash: Dashboard) -> None:
        self.dash = dash

    def _gated(self, build: Callable[[], bytes]) -> bytes:
        """Build in one of the gate's slots: fifty downloads of a large file at once would exhaust memory."""
        with self.dash.gate.slot():
            return build()

    async def __call__(
        self,
        request: Request,
        media: str,
        build: Callable[[], bytes],
        filename: str | None = None,
        headers: dict[str, str] | None = None,
        *,
        inline: bool = False,
    ) -> Response:
        body = build() if inline else await run_in_threadpool(self._gated, build)
        out = {**CACHE_CONTROL, **(headers or {})}
        if filename:
            out["Content-Disposition"] = f'attachment; filename="{filename}"'
        return Response(body, media_type=media, headers=out)


# -- indicators ---------------------------------------------------------------------------------------------------
def _indicators(dash: Dashboard, programme: str | None, lang: str) -> pd.DataFrame:
    """The indicator table, only the programme's indicators if one is named."""
    table = dash.indicator_table(_lang(lang))
    if programme:
        ids = dash.framework.programme(programme).indicator_ids()
        table = table[table["id"].isin(ids)]
    return table.reset_index(drop=True)


def _source_json(src: Any, lang: str) -> dict[str, Any]:
    """A source as JSON: name, publisher, licence and citation in the request's language; all names in ``names``."""
    data: dict[str, Any] = src.model_dump()
    for key in ("name", "publisher", "licence", "citation"):
        data[key] = getattr(src, key).get(lang)
    data["names"] = src.name.model_dump()
    return data


def _one_indicator(dash: Dashboard, indicator_id: str, lang: str) -> dict[str, Any]:
    """One indicator's metadata, source, coverage, programmes and targets."""
    _lang(lang)
    ind = dash.indicator(indicator_id)
    row = dash.indicator_table(lang).set_index("id").loc[indicator_id]
    src = dash.framework.sources.get(ind.source)
    data = dash.indicator_data(indicator_id)
    first, last = dash.vintage_span(data)
    return {
        "id": ind.id,
        "name": ind.name.get(lang),
        "names": ind.name.model_dump(),
        "definition": ind.definition.get(lang) if ind.definition else None,
        "unit": ind.unit,
        "unit_name": dash.unit_name(ind.unit, lang),
        "polarity": ind.polarity,
        "periodicity": ind.periodicity,
        "decimals": ind.decimals,
        "tags": list(ind.tags),
        "formula": ind.formula.model_dump() if ind.formula else None,
        "source": _source_json(src, lang) if src else {"id": ind.source},
        "coverage": {
            "observations": int(row["observations"]),
            "geos": int(row["geos"]),
            "first_year": row["first_year"],
            "last_year": row["last_year"],
            "first_vintage": first,
            "last_vintage": last,
            "dims": sorted(data["dims"].unique().tolist()),
            "sources": sorted(data["source"].unique().tolist()),
        },
        "programmes": [p for p in str(row["programmes"]).split(",") if p],
        "targets": [{"programme": p.id, **t.model_dump(mode="json")} for p, t in dash.targets_of(indicator_id)],
    }


def _indicator_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/api/indicators`` (JSON and CSV) and ``/api/indicators/{id}``."""

    @router.get(
        "/api/indicators",
        tags=["indicators"],
        summary="All indicators with metadata and coverage",
        response_class=JSONBytes,
        responses={**BAD, **NOT_FOUND},
    )
    async def api_indicators(request: Request, programme: Programme = None, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes({"indicators": _indicators(dash, programme, lang)}))

    @router.get(
        "/api/indicators.csv",
        tags=["indicators"],
        summary="All indicators (CSV)",
        response_class=CSVResponse,
        responses={**BAD, **NOT_FOUND},
    )
    async def api_indicators_csv(request: Request, programme: Programme = None, lang: Lang = "en") -> Response:
        return await answer(request, CSV, lambda: csv_bytes(_indicators(dash, programme, lang)), "indicators.csv")

    @router.get(
        "/api/indicators/{indicator_id}",
        tags=["indicators"],
        summary="One indicator: metadata, source, coverage and targets",
        response_class=JSONBytes,
        responses={**BAD, **NOT_FOUND},
    )
    async def api_indicator(request: Request, indicator_id: IndicatorId, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes(_one_indicator(dash, indicator_id, lang)))


# -- observations -------------------------------------------------------------------------------------------------
def _observation_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/api/observations`` (JSON and CSV), paginated."""

    def query(
        request: Request,
        indicator: list[str],
        geo: list[str] | None,
        start: str | None,
        end: str | None,
        dims: str,
        as_of: str | None,
        source: str | None,
        lang: str,
        limit: int,
        offset: int,
    ) -> tuple[ObservationQuery, Callable[[int | None], str | None]]:
        q = ObservationQuery.check(
            dash,
            indicator,
            geo,
            start=start,
            end=end,
            dims=_dims(dims),
            as_of=as_of,
            source=source,
            language=_lang(lang),
            limit=limit,
            offset=offset,
        )
        params = request.query_params.multi_items()
        return q, lambda at: next_link(request.url.path, params, at)

    @router.get(
        "/api/observations",
        tags=["observations"],
        summary="Observations with unit, source and vintage (paginated: limit, offset, total, next)",
        response_class=JSONBytes,
        responses={**BAD, **NOT_FOUND},
    )
    async def api_observations(
        request: Request,
        indicator: Ids,
        geo: Geos = None,
        start: Start = None,
        end: End = None,
        dims: Dims = "",
        as_of: AsOf = None,
        source: Source = None,
        lang: Lang = "en",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        def build() -> bytes:
            q, link = query(request, indicator, geo, start, end, dims, as_of, source, lang, limit, offset)
            page = select(dash, q, as_json=True)
            return page_json(page, q, link(page.next_offset))

        quick = as_of is None and limit <= QUICK_ROWS and ready(dash, indicator, lang, source)
        return await answer(request, JSON, build, inline=quick)

    @router.get(
        "/api/observations.csv",
        tags=["observations"],
        summary="Observations (CSV; paginated like the JSON: headers X-Total-Count and Link rel=next)",
        response_class=CSVResponse,
        responses={**BAD, **NOT_FOUND},
    )
    async def api_observations_csv(
        request: Request,
        indicator: Ids,
        geo: Geos = None,
        start: Start = None,
        end: End = None,
        dims: Dims = "",
        as_of: AsOf = None,
        source: Source = None,
        lang: Lang = "en",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        q, link = await run_in_threadpool(
            query, request, indicator, geo, start, end, dims, as_of, source, lang, limit, offset
        )
        page = await run_in_threadpool(select, dash, q, as_json=False)
        assert page.frame is not None
        frame = page.frame
        headers = {"X-Total-Count": str(page.total)}
        url = link(page.next_offset)
        if url:
            headers["Link"] = f'<{url}>; rel="next"'
        return await answer(request, CSV, lambda: csv_bytes(frame), "observations.csv", headers)


# -- progress -----------------------------------------------------------------------------------------------------
def _progress_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/api/progress`` (JSON and CSV)."""

    def report(programme: str | None, as_of: str | None, lang: str) -> Any:
        return require(dash.progress(programme, as_of=as_of, language=_lang(lang)))

    @router.get(
        "/api/progress",
        tags=["progress"],
        summary="Target status, projections, execution rate, risks",
        response_class=JSONBytes,
        responses={**BAD, **NOT_FOUND, **UNAVAILABLE},
    )
    async def api_progress(
        request: Request, programme: Programme = None, as_of: AsOf = None, lang: Lang = "en"
    ) -> Response:
        return await answer(
            request, JSON, lambda: json_bytes(said_json(report(programme, as_of, lang).to_dict(), lang, _names(dash)))
        )

    @router.get(
        "/api/progress.csv",
        tags=["progress"],
        summary="Target progress (CSV)",
        response_class=CSVResponse,
        responses={**BAD, **NOT_FOUND, **UNAVAILABLE},
    )
    async def api_progress_csv(
        request: Request, programme: Programme = None, as_of: AsOf = None, lang: Lang = "en"
    ) -> Response:
        return await answer(
            request, CSV, lambda: csv_bytes(progress_frame(dash, report(programme, as_of, lang))), "progress.csv"
        )


# -- regions, index, audit, glossary, coverage --------------------------------------------------------------------
def _summary_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """Regions, the composite index, the audit, coverage and the glossary (JSON and CSV)."""

    @router.get(
        "/api/regions/{indicator_id}",
        tags=["regions"],
        summary="Regional differentiation: values, ranking, dispersion and convergence by year",
        response_class=JSONBytes,
        responses={**BAD, **NOT_FOUND},
    )
    async def api_regions(request: Request, indicator_id: IndicatorId, lang: Lang = "en") -> Response:
        return await answer(
            request,
            JSON,
            lambda: json_bytes(said_json(regions_payload(dash, indicator_id, _lang(lang)), lang, _names(dash))),
        )

    def summary_table(name: str, lang: str = "en") -> pd.DataFrame:
        return require(table_for(dash, name, _lang(lang)))

    def index_json(lang: str) -> bytes:
        res = require(dash.composite())
        body = {k: v for k, v in res.items() if k != "table"}
        return json_bytes(said_json(body, _lang(lang), _names(dash)) | {"units": res["table"]})

    @router.get(
        "/api/index",
        tags=["index"],
        summary="Composite index: scores, ranks with 5–95 % intervals, pillars",
        response_class=JSONBytes,
        responses=UNAVAILABLE,
    )
    async def api_index(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: index_json(lang))

    @router.get(
        "/api/index.csv",
        tags=["index"],
        summary="Composite index (CSV)",
        response_class=CSVResponse,
        responses=UNAVAILABLE,
    )
    async def api_index_csv(request: Request) -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("index")), "index.csv")

    @router.get(
        "/api/audit",
        tags=["quality"],
        summary="Consistency-audit findings",
        response_class=JSONBytes,
        responses=UNAVAILABLE,
    )
    async def api_audit(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: _audit_json(dash, summary_table("audit"), _lang(lang)))

    @router.get(
        "/api/audit.csv",
        tags=["quality"],
        summary="Consistency-audit findings (CSV)",
        response_class=CSVResponse,
        responses=UNAVAILABLE,
    )
    async def api_audit_csv(request: Request) -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("audit")), "audit.csv")

    @router.get(
        "/api/coverage",
        tags=["quality"],
        summary="Coverage: geographies with a total value by indicator and year",
        response_class=JSONBytes,
    )
    async def api_coverage(request: Request) -> Response:
        return await answer(request, JSON, lambda: json_bytes({"coverage": summary_table("coverage")}))

    @router.get(
        "/api/coverage.csv",
        tags=["quality"],
        summary="Coverage (CSV)",
        response_class=CSVResponse,
    )
    async def api_coverage_csv(request: Request) -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("coverage")), "coverage.csv")

    @router.get(
        "/api/glossary",
        tags=["glossary"],
        summary="The glossary of digitalisation concepts",
        response_class=JSONBytes,
        responses=BAD,
    )
    async def api_glossary(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes({"terms": summary_table("glossary", lang)}))

    @router.get(
        "/api/glossary.csv",
        tags=["glossary"],
        summary="The glossary (CSV)",
        response_class=CSVResponse,
        responses=BAD,
    )
    async def api_glossary_csv(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("glossary", lang)), "glossary.csv")

    @router.get(
        "/api/search",
        tags=["glossary"],
        summary="Search indicators, targets, regions and glossary terms by name or id, in any of the three languages",
        response_class=JSONBytes,
        responses=BAD,
    )
    async def api_search(request: Request, q: SearchQuery = "", lang: Lang = "en", limit: SearchLimit = 20) -> Response:
        def build() -> bytes:
            items = dash.cached(("search-index",), lambda: search_index(dash))
            found = [
                {"kind": it["k"], "id": it["id"], "name": it["n"][lang], "names": it["n"], "url": f"/{lang}/{it['u']}"}
                for it in search(items, q, lang, limit)
            ]
            return json_bytes({"query": q, "lang": lang, "results": found})

        return await answer(request, JSON, build)


# -- programmes and boundaries ------------------------------------------------------------------------------------
def _programmes(dash: Dashboard, lang: str) -> dict[str, Any]:
    """Every programme with its directions and tasks (the ids of their indicators, targets and risks)."""
    _lang(lang)
    return {
        "programmes": [
            {
                "id": p.id,
                "name": p.name.get(lang),
                "start": p.start,
                "end": p.end,
                "directions": [
                    {
                        "id": d.id,
                        "name": d.name.get(lang),
                        "tasks": [
                            {
                                "id": t.id,
                                "name": t.name.get(lang),
                                "indicators": list(t.indicators),
                                "targets": [g.id for g in t.targets],
                                "risks": [r.id for r in t.risks],
                            }
                            for t in d.tasks
                        ],
                    }
                    for d in p.directions
                ],
            }
            for p in dash.framework.programmes.values()
        ]
    }


def _framework_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/api/programmes`` and ``/api/boundaries/{name}``."""

    @router.get(
        "/api/programmes",
        tags=["programmes"],
        summary="Programmes with directions, tasks and targets",
        response_class=JSONBytes,
        responses=BAD,
    )
    async def api_programmes(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes(_programmes(dash, lang)))

    @router.get(
        "/api/boundaries/{name}",
        tags=["geography"],
        summary="A boundary set as projected SVG paths",
        response_class=JSONBytes,
        responses=NOT_FOUND,
    )
    async def api_boundaries(request: Request, name: BoundarySet) -> Response:
        return await answer(request, JSON, lambda: json_bytes(dash.boundaries(name)))


def _files(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/data/...``: the files the pages link to (the static site writes the same bytes)."""

    def route(path: str, name: str, summary: str, ext: str, param: str | None, example: str = "") -> None:
        async def endpoint(request: Request, **ids: str) -> Response:
            sub = request.url.path.removeprefix("/data/")
            filename = sub.rsplit("/", 1)[-1] if ext != "json" else None
            return await answer(request, FILE_TYPES[ext], lambda: data_file(dash, sub), filename)

        # the path parameter is declared (so the OpenAPI description names it), then read from the path itself
        params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
        if param:
            params.append(
                inspect.Parameter(
                    param,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[str, Path(description="An id (404 if unknown)", examples=[example])],
                )
            )
        endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
        router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            name=name,
            summary=summary,
            tags=["files"],
            response_class={"csv": CSVResponse, "xlsx": XLSXResponse, "json": JSONBytes}[ext],
            responses={**NOT_FOUND, **UNAVAILABLE},
        )

    route("/data/indicators.csv", "file_indicators", "All indicators (file)", "csv", None)
    for ext in ("csv", "xlsx", "json"):
        route(
            f"/data/indicator/{{indicator_id}}.{ext}",
            f"file_indicator_{ext}",
            f"Every observation of an indicator ({ext.upper()})",
            ext,
            "indicator_id",
            "17-8-1",
        )
        if ext != "xlsx":
            route(
                f"/data/progress/{{programme}}.{ext}",
                f"file_progress_{ext}",
                f"A programme's target progress ({ext.upper()})",
                ext,
                "programme",
                "digital-kazakhstan",
            )
    route("/data/{name}.csv", "file_table", "audit, coverage, glossary or index as a file", "csv", "name", "coverage")
    route(
        "/data/search.json",
        "file_search",
        "The search index: indicators, targets, regions and glossary terms with names in kk, ru and en",
        "json",
        None,
    )
    route("/data/geo/{name}.json", "file_geo", "A boundary set as projected SVG paths", "json", "name", "kz-adm1-2024")
