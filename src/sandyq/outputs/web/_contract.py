"""The API's contract: the error body, the statuses each route documents, media types, the OpenAPI text.

Every error is JSON ``{"error": {"status", "message", "problems"}}`` (:class:`ErrorBody`):
400 for a bad parameter (FastAPI's own 422 is answered as 400, so the
description says 400), 404 for an unknown id of any kind (indicator, geography,
programme, source, boundary set, file), 405 with an ``Allow`` header for a
method a route does not take, and 503 for a result the data cannot give — or, with a ``Retry-After``
header, when the server is at capacity or the store is being written (every route may answer it).
CSV and XLSX routes are documented with their own media types.
:func:`openapi` writes the description with those statuses and nothing else.

Routes that need an account (the ones documenting 401) declare how to sign in
(:data:`SECURITY_SCHEMES`, :func:`security`): an API token as ``Authorization:
Bearer``, listing the token scope the route needs, or the dashboard's session
cookie — with the session's ``X-CSRF-Token`` header for a write.  Public routes
declare none, so ``/api/docs`` shows which is which and lets one sign in to try.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic import BaseModel, Field

__all__ = [
    "BAD",
    "CSVResponse",
    "ErrorBody",
    "JSONBytes",
    "Language",
    "NOT_FOUND",
    "UNAVAILABLE",
    "XLSXResponse",
    "openapi",
    "SECURITY_SCHEMES",
    "security",
]

#: The languages of names; a parameter of this type is an enum in the OpenAPI description.
Language = Literal["kk", "ru", "en"]


class ProblemBody(BaseModel):
    """One thing wrong with the request, and where (``column`` is the parameter's name)."""

    file: str = ""
    row: int | None = None
    column: str | None = None
    path: str | None = None
    message: str


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    message: str = Field(description="What is wrong, naming the parameter or the unknown id.")
    problems: list[ProblemBody] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


BAD: dict[int | str, dict[str, Any]] = {400: {"model": ErrorBody, "description": "Bad parameter"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "Unknown id"}}
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorBody, "description": "The data cannot give this result (the message says why)"}
}


#: What a 503 means when the data can give the answer: the server is busy now (each route may answer it).
BUSY = "The server is at capacity or the store is being written: ask again after Retry-After seconds"


class JSONBytes(Response):
    """A JSON body already encoded."""

    media_type = "application/json"


class CSVResponse(Response):
    """A CSV body (UTF-8)."""

    media_type = "text/csv"


class XLSXResponse(Response):
    """An Excel workbook."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: How a caller signs in, as OpenAPI security schemes (``components.securitySchemes``).
SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "apiToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token, made by `sandyq token create NAME --scope submit --scope review --scope read` "
        "and shown once: `Authorization: Bearer TOKEN`. It does no more than its scopes (listed by each route) and "
        "its account's role allow; an unknown, expired or revoked token is 401.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "sandyq_session",
        "description": "The dashboard's signed session cookie, set by signing in at /{lang}/login/ (8 hours).",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": "With the session cookie, a write sends the session's CSRF token (the `csrf` field of the "
        "dashboard's forms); without it the answer is 403. A request with an API token needs none.",
    },
}


def security(scope: str, write: bool) -> list[dict[str, list[str]]]:
    """The security requirement of a private route: a token with ``scope``, or a session (+ CSRF for a write).

    >>> security("review", write=True)
    [{'apiToken': ['review']}, {'session': [], 'csrf': []}]
    """
    return [{"apiToken": [scope]}, {"session": [], "csrf": []} if write else {"session": []}]


#: The schema of a successful body by media type (JSON answers are objects; files are text or bytes).
_BODIES: dict[str, dict[str, Any]] = {"application/json": {"type": "object"}, "text/csv": {"type": "string"}}


def openapi(app: FastAPI, description: str) -> dict[str, Any]:
    """The OpenAPI description of ``app``: FastAPI's, with 422 (never answered) replaced by the 400 it documents."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=description, routes=app.routes)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for ops in schema.get("paths", {}).values():
        for method, op in ops.items():
            responses = op.setdefault("responses", {})
            if "401" in responses and "security" not in op:  # private, without a scope of its own: say read
                op["security"] = security("read", write=method not in ("get", "head"))
            if responses.pop("422", None) is not None and "400" not in responses:
                responses["400"] = {"description": "Bad parameter"}
            busy = responses.setdefault("503", {"description": BUSY})
            if busy["description"] != BUSY:
                busy["description"] += "; or " + BUSY[0].lower() + BUSY[1:]
            busy["headers"] = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
            for status, answer in responses.items():
                if not status.startswith("2"):
                    answer["content"] = error  # errors are JSON whatever the route answers
                    continue
                media = next(iter(answer.get("content") or {"application/json": {}}))
                answer["content"] = {media: {"schema": _BODIES.get(media, {"type": "string", "format": "binary"})}}
    if any("security" in op for ops in schema.get("paths", {}).values() for op in ops.values()):
        schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    schemas = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    app.openapi_schema = schema
    return schema
