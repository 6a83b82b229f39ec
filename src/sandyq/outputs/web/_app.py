"""The FastAPI application: pages, JSON API, data files and bundled static assets.

``create_app(db)`` reads the store where it lies (:mod:`._reader`: the file is
held read-only only while answers are computed and let go when a writer waits,
so commands that write work while the dashboard runs) and serves everything
from the package: templates, JavaScript, CSS and boundary files; nothing is
fetched from the internet (FastAPI's Swagger and ReDoc pages, which load
scripts from a CDN, are switched off; the OpenAPI description is at
``/api/openapi.json``).  Each request first lets the dashboard look whether the
store changed (:class:`StoreWatch`), then may be answered from the response cache.
When the server is at capacity (:mod:`._gate`) or a writer holds the store for
longer than a request may wait, the answer is 503 with ``Retry-After``.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..._version import __version__
from ...errors import NotFoundError, SandyqError
from ...settings import resolve
from .._disk import DiskAnswers
from ._accounts import account_router, install_sessions
from ._api import api_router
from ._cache import ASGIApp, Receive, ResponseCache, Scope, Send
from ._contract import openapi
from ._data import Dashboard
from ._evaluate import evaluate_router
from ._gate import BusyError
from ._i18n import LANGUAGES, gettext
from ._indicator import warm_indicator_pages
from ._measures import measures_router
from ._pages import Pages, page_router
from ._query import warm_rows
from ._report import report_router
from ._sdmx import sdmx_router
from ._submit import submit_router
from ._unavailable import NotAvailableError

__all__ = ["StoreWatch", "create_app", "endpoints", "static_dir"]

DESCRIPTION = (
    "The JSON API of sandyq: indicators, observations (with unit, source and vintage, filterable by indicator, "
    "geography, period range, disaggregation and publication date), target progress, the composite index, audit "
    "findings and the glossary. Every JSON route has a CSV twin. Errors are JSON with a message: 400 for a bad "
    "parameter, 404 for an unknown id of any kind, 405 (with Allow) for a method a route does not take, 503 for a "
    "result the data cannot give. List parameters take at most 100 distinct values; observations come in pages "
    "(limit, offset, total and a next link). Figures follow the store: a load shows within seconds."
)


def N_(message: str) -> str:
    """Mark a string for the catalogs without translating it here."""
    return message


#: What a page says when the server is at capacity (msgid of the catalogs).
BUSY_PAGE = N_("Too many visitors are asking at once, or the data are being updated. Try again in a few seconds.")


#: Libraries the analytics import on first use, each taking up to seconds to import (statsmodels ~3 s on 2 cores).
HEAVY_MODULES = (
    "scipy.stats",
    "statsmodels.api",
    "statsmodels.tsa.exponential_smoothing.ets",
    "statsmodels.tsa.forecasting.theta",
)


def preload(modules: tuple[str, ...] = HEAVY_MODULES) -> None:
    """Import ``modules`` now, so that no visitor's first request waits for an import (missing ones are skipped)."""
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def static_dir() -> Path:
    """The folder of the bundled JavaScript and CSS."""
    return Path(str(resources.files("sandyq") / "outputs" / "web" / "static"))


def _with_value(error: Mapping[str, Any]) -> str:
    """A validation message that quotes the value it refused (users see what they sent, not only the rule)."""
    message = str(error.get("msg", ""))
    value = error.get("input")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        shown = str(value) if len(str(value)) <= 80 else str(value)[:77] + "..."
        return f"{shown!r}: {message}"
    return message


def _error(
    status: int, message: str, problems: list[dict[str, Any]] | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "message": message, "problems": problems or []}},
        status_code=status,
        headers=headers,
    )


class StoreWatch:
    """ASGI middleware: before each HTTP request, let the dashboard look whether the store changed.

    The look is a clock comparison, and at most once a second one ``stat`` of
    the store file (see :meth:`~._data.Dashboard.refresh_if_changed`), so it
    costs nothing measurable on the event loop.
    """

    def __init__(self, app: ASGIApp, dash: Dashboard) -> None:
        self.app = app
        self.dash = dash

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.dash.refresh_if_changed()
        with self.dash.visiting():  # the warming waits between its steps while visitors are answered
            await self.app(scope, receive, send)


def endpoints(app: FastAPI) -> list[dict[str, Any]]:
    """The GET routes of the OpenAPI description, for the API page."""
    out = []
    for path, ops in app.openapi().get("paths", {}).items():
        op = ops.get("get")
        if op:
            out.append(
                {
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": [p["name"] for p in op.get("parameters", [])],
                }
            )
    return out


def create_app(
    db: str | Path | None = None,
    *,
    language: str | None = None,
    programme: str | None = None,
    warm: bool = False,
    keep: bool = False,
) -> FastAPI:
    """The dashboard and API over the store at ``db`` (read where it lies; writers are let in while it runs).

    With ``warm`` the results that take seconds to compute (progress, audit,
    composite index) are computed in the background as soon as the server
    starts and after each change of the store, so no visitor waits for them.
    With ``keep`` they are also kept on disk in the cache folder (setting
    ``cache``) by the store's change counter (:mod:`sandyq.outputs._disk`), so a restart over
    an unchanged store answers them at once.
    """
    path = str(resolve("db", db))
    lang = str(resolve("language", language))
    disk = DiskAnswers(str(resolve("cache")), path) if keep else None
    dash = Dashboard(path, programme=programme, disk=disk)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:  # the server listens once the libraries are imported: a first visitor waits for no import
            preload()
            dash.warm_in_background(tuple(dict.fromkeys([lang, "en"])))
        yield
        dash.close()

    app = FastAPI(
        title="sandyq",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.dash = dash
    app.openapi = lambda: openapi(app, DESCRIPTION)  # type: ignore[method-assign]

    @app.exception_handler(BusyError)
    async def _busy(request: Request, exc: BusyError) -> Response:
        retry = {"Retry-After": str(exc.retry_after)}
        if request.url.path.startswith(("/api/", "/data/")):
            return _error(503, exc.summary, [p.to_dict() for p in exc.problems], headers=retry)
        page_lang = request.url.path.strip("/").split("/")[0]
        page_lang = page_lang if page_lang in LANGUAGES else lang
        body = pages.render_error(
            page_lang,
            request.url.path.strip("/").partition("/")[2],
            gettext(page_lang, "The server is busy"),
            gettext(page_lang, BUSY_PAGE),
        )
        return Response(body, status_code=503, media_type="text/html; charset=utf-8", headers=retry)

    @app.exception_handler(NotAvailableError)
    async def _not_ready(request: Request, exc: NotAvailableError) -> Response:
        return _error(503, exc.summary, [p.to_dict() for p in exc.problems])

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(404, exc.summary, [p.to_dict() for p in exc.problems])

    @app.exception_handler(SandyqError)
    async def _bad(request: Request, exc: SandyqError) -> Response:
        return _error(400, exc.summary, [p.to_dict() for p in exc.problems])

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "file": "",
                "row": None,
                "column": ".".join(str(x) for x in e.get("loc", ())[1:]) or None,
                "path": None,
                "message": _with_value(e),
            }
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"column": "", "message": "invalid request"}
        return _error(400, f"bad parameter {first['column']!r}: {first['message']}", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(("/api/", "/data/", "/static/")) or exc.status_code != 404:
            message = "not found" if exc.status_code == 404 else str(exc.detail)
            return _error(exc.status_code, f"{message}: {request.url.path}", headers=exc.headers)
        page_lang = request.url.path.strip("/").split("/")[0]
        page_lang = page_lang if page_lang in LANGUAGES else lang
        body = pages.render_error(
            page_lang,
            request.url.path.strip("/").partition("/")[2],
            gettext(page_lang, "Page not found"),
            request.url.path,
        )
        return Response(body, status_code=404, media_type="text/html; charset=utf-8")

    app.include_router(api_router(dash))
    app.include_router(sdmx_router(dash))  # SDMX REST under /sdmx/ (before the pages' catch-all routes)
    dash.warmers.append(warm_rows)
    dash.late_warmers.append(warm_indicator_pages)
    pages = Pages(dash)
    app.state.pages = pages
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.include_router(evaluate_router(pages))  # before the pages' catch-all route
    app.include_router(report_router(dash))  # before the pages: /<lang>/report/ is a file, not a page
    app.include_router(account_router(dash, pages))  # people and their work: before the catch-all page route
    app.include_router(measures_router(dash, pages))  # before /{lang}/submit/{indicator}/: /submit/measures/ is its own
    app.include_router(submit_router(dash, pages))
    app.include_router(page_router(pages, lang))
    pages.endpoints = [e for e in endpoints(app) if e["path"].startswith("/api/")]
    app.add_middleware(ResponseCache, cache=dash.cache)  # one byte budget for computed answers and responses
    install_sessions(app, dash)  # outside the cache: a kept answer never carries anyone's cookie
    app.add_middleware(StoreWatch, dash=dash)  # added last, so it runs first: a cached answer is never stale
    return app
