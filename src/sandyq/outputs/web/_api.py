"""The JSON API (``/api/...``) and the downloadable files (``/data/...``).

Every JSON answer has a CSV twin with the same filters.  Answers are computed
once per process and kept (the store is read-only while served), so a repeated
request costs a dictionary look-up.  Errors are JSON: ``{"error": {"status",
"message", "problems"}}`` with 400 for a bad parameter and 404 for an unknown id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...errors import InvalidValueError, Problem, UsageError
from ...framework import parse_dims
from ._data import Dashboard
from ._files import FILE_TYPES, csv_bytes, data_file, json_bytes, observations_frame, progress_frame, table_for
from ._i18n import LANGUAGES
from ._indicator import regions_payload
from ._unavailable import require

__all__ = ["api_router"]

JSON = "application/json"
CSV = "text/csv; charset=utf-8"

#: Answers kept per process (the oldest is dropped first).
MAX_CACHED = 4096

Lang = Annotated[str, Query(description="Language of names: kk, ru or en.")]
Ids = Annotated[list[str] | None, Query(description="Indicator id(s); repeat or separate with commas.")]
Geos = Annotated[list[str] | None, Query(description="Geography code(s) or aliases (KAZ, KZ-71, KZNS).")]
Start = Annotated[str | None, Query(description="First period (YYYY, YYYY-Qn or YYYY-MM), inclusive.")]
End = Annotated[str | None, Query(description="Last period, inclusive.")]
Dims = Annotated[str, Query(description="Disaggregation: '' totals (default), '*' all, or e.g. 'sex=F;age=Y15T24'.")]
AsOf = Annotated[str | None, Query(description="Figures as published on this date (YYYY-MM-DD).")]
Source = Annotated[str | None, Query(description="Only figures from this source id.")]
Programme = Annotated[str | None, Query(description="Programme id (default: the dashboard's programme).")]


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidValueError(
            f"unknown language {lang!r}", [Problem("", f"use one of {', '.join(LANGUAGES)}", column="lang")]
        )
    return lang


def _dims(value: str) -> str | None:
    text = value.strip()
    if text == "*":
        return None
    if text and not all("=" in part and part.split("=", 1)[0] and part.split("=", 1)[1] for part in text.split(";")):
        raise InvalidValueError(
            f"dims {value!r} is not a disaggregation key",
            [Problem("", "use '' for totals, '*' for all, or key=value pairs joined by ';'", column="dims")],
        )
    return ";".join(f"{k.strip().lower()}={v.strip()}" for k, v in sorted(parse_dims(text).items()))


def api_router(dash: Dashboard) -> APIRouter:
    """Routes of the JSON API and of the data files, bound to one dashboard."""
    router = APIRouter()
    answer = _Answers()
    for routes in (_indicator_routes, _observation_routes, _progress_routes, _summary_routes, _framework_routes):
        routes(router, dash, answer)
    _files(router, dash, answer)
    return router


class _Answers:
    """Responses computed once per process and kept by path and query (the oldest dropped beyond MAX_CACHED)."""

    def __init__(self) -> None:
        self.responses: dict[tuple[Any, ...], bytes] = {}

    async def __call__(
        self, request: Request, media: str, build: Callable[[], bytes], filename: str | None = None
    ) -> Response:
        """The response to ``request``: the kept body, else ``build()`` run in a worker thread."""
        key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
        body = self.responses.get(key)
        if body is None:
            body = await run_in_threadpool(build)
            self.responses[key] = body
            if len(self.responses) > MAX_CACHED:
                del self.responses[next(iter(self.responses))]
        headers = {"Cache-Control": "public, max-age=300"}
        if filename:
            headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return Response(body, media_type=media, headers=headers)


# -- indicators ---------------------------------------------------------------------------------------------------
def _indicators(dash: Dashboard, programme: str | None, lang: str) -> pd.DataFrame:
    """The indicator table, only the programme's indicators if one is named."""
    table = dash.indicator_table(_lang(lang))
    if programme:
        ids = dash.framework.programme(programme).indicator_ids()
        table = table[table["id"].isin(ids)]
    return table.reset_index(drop=True)


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
        "source": src.model_dump() if src else {"id": ind.source},
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

    @router.get("/api/indicators", tags=["indicators"], summary="All indicators with metadata and coverage")
    async def api_indicators(request: Request, programme: Programme = None, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes({"indicators": _indicators(dash, programme, lang)}))

    @router.get("/api/indicators.csv", tags=["indicators"], summary="All indicators (CSV)")
    async def api_indicators_csv(request: Request, programme: Programme = None, lang: Lang = "en") -> Response:
        return await answer(request, CSV, lambda: csv_bytes(_indicators(dash, programme, lang)), "indicators.csv")

    @router.get(
        "/api/indicators/{indicator_id}",
        tags=["indicators"],
        summary="One indicator: metadata, source, coverage and targets",
        responses={404: {"description": "Unknown indicator"}},
    )
    async def api_indicator(request: Request, indicator_id: str, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes(_one_indicator(dash, indicator_id, lang)))


# -- observations -------------------------------------------------------------------------------------------------
def _observation_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/api/observations`` (JSON and CSV)."""

    def observations(
        indicator: list[str] | None,
        geo: list[str] | None,
        start: str | None,
        end: str | None,
        dims: str,
        as_of: str | None,
        source: str | None,
        lang: str,
    ) -> pd.DataFrame:
        ids = _split(indicator)
        if not ids:
            raise UsageError("name at least one indicator", [Problem("", "add ?indicator=ID", column="indicator")])
        frame = dash.observations(ids, _split(geo), start=start, end=end, dims=_dims(dims), as_of=as_of, source=source)
        return observations_frame(dash, frame, _lang(lang))

    @router.get(
        "/api/observations",
        tags=["observations"],
        summary="Observations with unit, source and vintage",
        responses={400: {"description": "Bad parameter"}, 404: {"description": "Unknown indicator or geo"}},
    )
    async def api_observations(
        request: Request,
        indicator: Ids = None,
        geo: Geos = None,
        start: Start = None,
        end: End = None,
        dims: Dims = "",
        as_of: AsOf = None,
        source: Source = None,
        lang: Lang = "en",
    ) -> Response:
        def build() -> bytes:
            frame = observations(indicator, geo, start, end, dims, as_of, source, lang)
            return json_bytes({"count": len(frame), "as_of": as_of, "observations": frame})

        return await answer(request, JSON, build)

    @router.get(
        "/api/observations.csv",
        tags=["observations"],
        summary="Observations (CSV)",
        responses={400: {"description": "Bad parameter"}, 404: {"description": "Unknown indicator or geo"}},
    )
    async def api_observations_csv(
        request: Request,
        indicator: Ids = None,
        geo: Geos = None,
        start: Start = None,
        end: End = None,
        dims: Dims = "",
        as_of: AsOf = None,
        source: Source = None,
        lang: Lang = "en",
    ) -> Response:
        return await answer(
            request,
            CSV,
            lambda: csv_bytes(observations(indicator, geo, start, end, dims, as_of, source, lang)),
            "observations.csv",
        )


# -- progress -----------------------------------------------------------------------------------------------------
def _progress_routes(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/api/progress`` (JSON and CSV)."""

    def report(programme: str | None, as_of: str | None, lang: str) -> Any:
        return require(dash.progress(programme, as_of=as_of, language=_lang(lang)))

    @router.get("/api/progress", tags=["progress"], summary="Target status, projections, execution rate, risks")
    async def api_progress(
        request: Request, programme: Programme = None, as_of: AsOf = None, lang: Lang = "en"
    ) -> Response:
        return await answer(request, JSON, lambda: json_bytes(report(programme, as_of, lang).to_dict()))

    @router.get("/api/progress.csv", tags=["progress"], summary="Target progress (CSV)")
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
    )
    async def api_regions(request: Request, indicator_id: str, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes(regions_payload(dash, indicator_id, _lang(lang))))

    def summary_table(name: str, lang: str = "en") -> pd.DataFrame:
        return require(table_for(dash, name, _lang(lang)))

    def index_json() -> bytes:
        res = require(dash.composite())
        return json_bytes({k: v for k, v in res.items() if k != "table"} | {"units": res["table"]})

    @router.get("/api/index", tags=["index"], summary="Composite index: scores, ranks with 5–95 % intervals, pillars")
    async def api_index(request: Request) -> Response:
        return await answer(request, JSON, index_json)

    @router.get("/api/index.csv", tags=["index"], summary="Composite index (CSV)")
    async def api_index_csv(request: Request) -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("index")), "index.csv")

    @router.get("/api/audit", tags=["quality"], summary="Consistency-audit findings")
    async def api_audit(request: Request) -> Response:
        return await answer(request, JSON, lambda: json_bytes({"findings": summary_table("audit")}))

    @router.get("/api/audit.csv", tags=["quality"], summary="Consistency-audit findings (CSV)")
    async def api_audit_csv(request: Request) -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("audit")), "audit.csv")

    @router.get(
        "/api/coverage", tags=["quality"], summary="Coverage: geographies with a total value by indicator and year"
    )
    async def api_coverage(request: Request) -> Response:
        return await answer(request, JSON, lambda: json_bytes({"coverage": summary_table("coverage")}))

    @router.get("/api/coverage.csv", tags=["quality"], summary="Coverage (CSV)")
    async def api_coverage_csv(request: Request) -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("coverage")), "coverage.csv")

    @router.get("/api/glossary", tags=["glossary"], summary="The glossary of digitalisation concepts")
    async def api_glossary(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes({"terms": summary_table("glossary", lang)}))

    @router.get("/api/glossary.csv", tags=["glossary"], summary="The glossary (CSV)")
    async def api_glossary_csv(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, CSV, lambda: csv_bytes(summary_table("glossary", lang)), "glossary.csv")


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

    @router.get("/api/programmes", tags=["programmes"], summary="Programmes with directions, tasks and targets")
    async def api_programmes(request: Request, lang: Lang = "en") -> Response:
        return await answer(request, JSON, lambda: json_bytes(_programmes(dash, lang)))

    @router.get("/api/boundaries/{name}", tags=["geography"], summary="A boundary set as projected SVG paths")
    async def api_boundaries(request: Request, name: str) -> Response:
        return await answer(request, JSON, lambda: json_bytes(dash.boundaries(name)))


def _files(router: APIRouter, dash: Dashboard, answer: _Answers) -> None:
    """``/data/...``: the files the pages link to (the static site writes the same bytes)."""

    def route(path: str, name: str, summary: str, ext: str) -> None:
        async def endpoint(request: Request) -> Response:
            sub = request.url.path.removeprefix("/data/")
            filename = sub.rsplit("/", 1)[-1] if ext != "json" else None
            return await answer(request, FILE_TYPES[ext], lambda: data_file(dash, sub), filename)

        router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            name=name,
            summary=summary,
            tags=["files"],
            responses={404: {"description": "No such file"}},
        )

    route("/data/indicators.csv", "file_indicators", "All indicators (file)", "csv")
    for ext in ("csv", "xlsx", "json"):
        route(
            f"/data/indicator/{{indicator_id}}.{ext}",
            f"file_indicator_{ext}",
            f"Every observation of an indicator ({ext.upper()})",
            ext,
        )
        if ext != "xlsx":
            route(
                f"/data/progress/{{programme}}.{ext}",
                f"file_progress_{ext}",
                f"A programme's target progress ({ext.upper()})",
                ext,
            )
    route("/data/{name}.csv", "file_table", "audit, coverage, glossary or index as a file", "csv")
    route("/data/geo/{name}.json", "file_geo", "A boundary set as projected SVG paths", "json")
