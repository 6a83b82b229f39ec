"""The SDMX REST endpoint under ``/sdmx/``: structures and data for SDMX clients (sdmx1, .Stat, rsdmx).

Paths follow SDMX REST v1 (``/sdmx/data/{flow}/{key}``, ``/sdmx/dataflow/{agency}/{id}/{version}``,
also under ``/sdmx/structure/``), with the v2 vintage parameters ``asOf``,
``updatedAfter`` and ``includeHistory`` answered from sandyq's vintages.  The
format is chosen by the ``Accept`` header (or ``format=``): SDMX-ML 2.1 generic
(the default) or structure-specific, SDMX-JSON 1.0, SDMX-CSV 1.0.  Errors are
SDMX-ML error messages: 400 (code 140) for a bad query, 404 (code 100) when
nothing matches, 406 for a format sandyq does not write, 501 for what it does
not implement.  Where the standard leaves a choice, sandyq does as the .Stat
Suite's NSI web service does.  See ``docs/sdmx.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import InvalidValueError, NotFoundError, SandyqError
from ...framework import as_of_bound
from ..sdmx import (
    AGENCY,
    DETAILS,
    MEDIA,
    VERSION,
    Catalog,
    DataQuery,
    csv_data,
    error_message,
    first_last,
    generic_data,
    json_data,
    parse_count,
    parse_flow,
    parse_key,
    select_data,
    ss_namespace,
    structure_message,
    structure_schema,
    structure_specific_data,
)
from ._data import Dashboard

__all__ = ["STRUCTURES", "negotiate", "sdmx_router"]

#: Structure resources served, and the sdmx1 objects of each.
STRUCTURES: dict[str, Callable[[Catalog], list[Any]]] = {
    "dataflow": lambda c: list(c.dataflows.values()),
    "datastructure": lambda c: [c.dsd],
    "codelist": lambda c: list(c.codelists.values()),
    "conceptscheme": lambda c: [c.concepts],
    "agencyscheme": lambda c: [c.agencies],
}
#: Other structure resources of SDMX REST: known, but sandyq has none of them (404, no results).
OTHER_STRUCTURES = {
    "metadatastructure", "categorisation", "categoryscheme", "contentconstraint",
    "actualconstraint", "allowedconstraint", "attachmentconstraint", "dataconsumerscheme",
    "dataproviderscheme", "hierarchicalcodelist", "metadataflow", "organisationscheme",
    "organisationunitscheme", "process", "provisionagreement", "reportingtaxonomy", "structureset",
}  # fmt: skip
_DATA_TYPES = {
    "application/vnd.sdmx.genericdata+xml": "generic",
    "application/vnd.sdmx.structurespecificdata+xml": "structurespecific",
    "application/vnd.sdmx.data+json": "json",
    "application/json": "json",
    "application/vnd.sdmx.data+csv": "csv",
    "text/csv": "csv",
    "application/xml": "generic",
    "text/xml": "generic",
    "application/*": "generic",
    "*/*": "generic",
}
_FORMATS = {
    "genericdata": "generic",
    "structurespecificdata": "structurespecific",
    "jsondata": "json",
    "csv": "csv",
    "csvfile": "csv",
}
_STRUCTURE_TYPES = {"application/vnd.sdmx.structure+xml", "application/xml", "text/xml", "application/*", "*/*"}
_XML_VERSIONS = {"", "2.1"}
_PERIOD = re.compile(r"^\d{4}(-(\d{2}(-\d{2})?|Q[1-4]|S[12]|W\d{2}|M\d{2}|A1))?$")


class NotAcceptable(SandyqError):
    """The client accepts no format sandyq writes (HTTP 406)."""


class NotImplementedQuery(SandyqError):
    """A query the standard defines but sandyq does not answer (HTTP 501)."""


def negotiate(accept: str | None, choices: dict[str, str] | set[str], fmt: str | None = None) -> str:
    """The format to answer in: ``format=`` first, then the ``Accept`` header's best match (q values honoured).

    >>> negotiate("application/vnd.sdmx.data+json;version=1.0.0, */*;q=0.1", _DATA_TYPES)
    'json'
    >>> negotiate(None, _DATA_TYPES)
    'generic'
    """
    if fmt:
        if fmt not in _FORMATS:
            raise NotAcceptable(f"format {fmt!r} is not one of {', '.join(_FORMATS)}")
        return _FORMATS[fmt]
    offered: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        opts = dict(p.split("=", 1) for p in params if "=" in p)
        q = float(opts.get("q", "1") or 1)
        version = opts.get("version", "")
        if "xml" in media and version not in _XML_VERSIONS:
            continue
        if media.lower() in choices and q > 0:
            offered.append((-q, i, media.lower()))
    if not offered:
        raise NotAcceptable(f"none of the formats accepted ({accept}) is one sandyq writes")
    best = min(offered)[2]
    return choices[best] if isinstance(choices, dict) else "structure"


def _error(status: int, code: int, text: str) -> Response:
    return Response(error_message(code, text), status_code=status, media_type="application/xml")


def _answer(compute: Callable[[], Response]) -> Response:
    try:
        return compute()
    except NotAcceptable as exc:
        return _error(406, 406, f"Not acceptable: {exc.summary}")
    except NotImplementedQuery as exc:
        return _error(501, 501, f"Not implemented: {exc.summary}")
    except NotFoundError as exc:
        return _error(
            404, 100, exc.summary if exc.summary.startswith("No results") else f"No results found: {exc.summary}"
        )
    except InvalidValueError as exc:
        return _error(400, 140, f"Syntax error: {exc.summary}")


def _catalog(dash: Dashboard) -> Catalog:
    def compute() -> Catalog:
        store, fw = dash.monitor.store, dash.framework
        rows = {r["id"]: r for r in store.source_rows()}
        sources = {}
        for s in store.codes("source"):
            if s in fw.sources:
                n = fw.sources[s].name
                sources[s] = {"kk": n.kk, "ru": n.ru, "en": n.en}
            else:
                sources[s] = {"en": str(rows.get(s, {}).get("name") or s)}
        return Catalog.build(
            fw,
            indicators=store.codes("indicator"),
            geos=store.codes("geo"),
            dims=store.codes("dims"),
            units=store.codes("unit"),
            sources=sources,
        )

    return dash.cached("sdmx-catalog", compute)


def _references(cat: Catalog, resource: str, refs: str) -> list[Any]:
    """The structures ``references=`` adds to those of ``resource`` (parents, children, all, or a resource type)."""
    children = {"dataflow": ["datastructure"], "datastructure": ["codelist", "conceptscheme"]}
    parents = {"datastructure": ["dataflow"], "codelist": ["datastructure"], "conceptscheme": ["datastructure"]}
    kinds: list[str] = []
    if refs in ("children", "all"):
        kinds += children.get(resource, [])
    if refs in ("descendants", "all"):
        kinds += children.get(resource, [])
        for k in children.get(resource, []):
            kinds += children.get(k, [])
    if refs in ("parents", "parentsandsiblings", "all"):
        kinds += parents.get(resource, [])
    if refs == "parentsandsiblings":
        kinds += [k for p in parents.get(resource, []) for k in children.get(p, [])]
    if refs in STRUCTURES:
        kinds.append(refs)
    elif refs not in ("none", "parents", "parentsandsiblings", "children", "descendants", "all") and refs not in (
        OTHER_STRUCTURES
    ):
        raise InvalidValueError(f"references={refs!r} is not an SDMX value")
    return [obj for k in dict.fromkeys(kinds) if k != resource for obj in STRUCTURES[k](cat)]


def _structure(dash: Dashboard, request: Request, resource: str, agency: str, rid: str, version: str) -> Response:
    negotiate(request.headers.get("accept"), _STRUCTURE_TYPES)
    if resource in OTHER_STRUCTURES:
        raise NotFoundError(f"No results found: sandyq has no {resource}")
    if resource not in STRUCTURES:
        raise InvalidValueError(f"{resource!r} is not an SDMX structure resource")
    cat = _catalog(dash)
    objects = [
        o
        for o in STRUCTURES[resource](cat)
        if agency in ("all", "*", o.maintainer.id)
        and rid in ("all", "*", o.id)
        and version in ("latest", "all", "*", "+", "~", o.version)
    ]
    if not objects:
        raise NotFoundError(f"No results found: no {resource} {agency}/{rid}/{version}")
    refs = request.query_params.get("references", "none")
    body = structure_message([*objects, *_references(cat, resource, refs)])
    return Response(body, media_type=MEDIA["structure"])


def _period(text: str | None, name: str) -> str | None:
    if text is not None and not _PERIOD.match(text):
        raise InvalidValueError(f"{name}={text!r} is not an SDMX period (2020, 2020-Q1, 2020-03, 2020-03-31)")
    return text


def _query(cat: Catalog, flow: str, key: str, params: dict[str, str]) -> DataQuery:
    q = DataQuery(parse_flow(cat, flow), parse_key(cat, key))
    q.start = _period(params.get("startPeriod"), "startPeriod")
    q.end = _period(params.get("endPeriod"), "endPeriod")
    q.as_of = params.get("asOf")
    as_of_bound(q.as_of)  # a bad asOf is a syntax error before anything is read
    q.updated_after = as_of_bound(params.get("updatedAfter"))
    history = params.get("includeHistory", "false").lower()
    if history not in ("true", "false"):
        raise InvalidValueError(f"includeHistory={history!r}: use true or false")
    q.include_history = history == "true"
    q.detail = params.get("detail", "full")
    if q.detail not in DETAILS:
        raise InvalidValueError(f"detail={q.detail!r} is not one of {', '.join(DETAILS)}")
    q.dimension_at_observation = params.get("dimensionAtObservation", "TIME_PERIOD")
    if q.dimension_at_observation not in (*cat.dimension_ids, "TIME_PERIOD", "AllDimensions"):
        raise InvalidValueError(f"dimensionAtObservation={q.dimension_at_observation!r} is not a dimension")
    q.first_n = parse_count(params.get("firstNObservations"), "firstNObservations")
    q.last_n = parse_count(params.get("lastNObservations"), "lastNObservations")
    return q


_WRITERS = {
    "generic": generic_data,
    "structurespecific": structure_specific_data,
    "json": json_data,
    "csv": csv_data,
}


def _data(dash: Dashboard, request: Request, flow: str, key: str, provider: str) -> Response:
    params = dict(request.query_params)
    kind = negotiate(request.headers.get("accept"), _DATA_TYPES, params.get("format"))
    if provider not in ("all", AGENCY, f"{AGENCY},{AGENCY}"):
        raise NotFoundError(f"No results found: no data provider {provider!r}")
    cat = _catalog(dash)
    q = _query(cat, flow, key, params)
    cache_key = ("sdmx-data", q.flow.id, key, q.start, q.end, dash.visible_vintage(q.as_of), q.updated_after,
                 q.include_history)  # fmt: skip
    frame = first_last(dash.bounded(cache_key, lambda: select_data(dash.monitor.store, cat, q)), q.first_n, q.last_n)
    body = _WRITERS[kind](frame, cat, q)
    return Response(body, media_type=MEDIA[kind])


def _schema(dash: Dashboard, request: Request, context: str, agency: str, rid: str, version: str) -> Response:
    """The XSD of structure-specific data for the DSD (or a dataflow's DSD) and ``dimensionAtObservation``."""
    cat = _catalog(dash)
    ids = {"datastructure": [cat.dsd.id], "dataflow": list(cat.flows)}.get(context)
    if ids is None:
        raise NotImplementedQuery(f"schemas for {context!r}")
    if agency not in (AGENCY, "all") or rid not in ids or version not in (VERSION, "latest"):
        raise NotFoundError(f"No results found: no {context} {agency}/{rid}/{version}")
    q = DataQuery(next(iter(cat.flows.values())))
    q.dimension_at_observation = request.query_params.get("dimensionAtObservation", "TIME_PERIOD")
    if q.dimension_at_observation not in (*cat.dimension_ids, "TIME_PERIOD", "AllDimensions"):
        raise InvalidValueError(f"dimensionAtObservation={q.dimension_at_observation!r} is not a dimension")
    body = structure_schema(cat, ss_namespace(q), q.dimension_at_observation)
    return Response(body, media_type="application/xml")


def sdmx_router(dash: Dashboard) -> APIRouter:
    """The ``/sdmx/`` routes over ``dash`` (not in the OpenAPI description: SDMX REST describes them)."""
    router = APIRouter(prefix="/sdmx", include_in_schema=False)

    @router.get("/data/{flow}")
    @router.get("/data/{flow}/{key}")
    @router.get("/data/{flow}/{key}/{provider}")
    def data(request: Request, flow: str, key: str = "all", provider: str = "all") -> Response:
        return _answer(lambda: _data(dash, request, flow, key, provider))

    @router.get("/schema/{context}/{agency}/{rid}")
    @router.get("/schema/{context}/{agency}/{rid}/{version}")
    def schema(request: Request, context: str, agency: str, rid: str, version: str = "latest") -> Response:
        return _answer(lambda: _schema(dash, request, context, agency, rid, version))

    for prefix in ("/structure", ""):  # /structure/... first, or it would read as a resource named "structure"

        @router.get(prefix + "/{resource}")
        @router.get(prefix + "/{resource}/{agency}")
        @router.get(prefix + "/{resource}/{agency}/{rid}")
        @router.get(prefix + "/{resource}/{agency}/{rid}/{version}")
        def structure(
            request: Request, resource: str, agency: str = "all", rid: str = "all", version: str = "latest"
        ) -> Response:
            return _answer(lambda: _structure(dash, request, resource, agency, rid, version))

    @router.get("/{rest:path}")
    def unknown(rest: str) -> Response:
        return _error(404, 100, f"No results found: /sdmx/{rest} is not an SDMX REST resource")

    return router
