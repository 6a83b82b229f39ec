"""Measures of the action plan on the web: the public JSON list, an owner's report (API and form), the overview.

* ``GET /api/measures`` — every measure as of a date (``as_of``; default now) with the execution rate of each
  programme and task: public, as published (the reports in force then, the framework's own status before);
* ``POST /api/measures/{programme}/{measure}`` — an owner's report (an API token, or a session with
  ``X-CSRF-Token``): 401 for no one, 403 for a role, scope or owner it is not theirs, 404 for an unknown measure;
* ``/{lang}/submit/measures/`` — the form: each measure the signed-in owner may report, with its deadline,
  status, budget and whether it is overdue; posting it adds a report.

:func:`sandyq.outputs.web._views.measures_context` gives the programme overview its cards: the execution
rate of measures beside the rate of targets.

(No ``from __future__ import annotations`` here: FastAPI reads the route parameters' annotations.)
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ... import measures
from ...errors import InvalidValueError, NotFoundError
from ._accounts import Caller, check_csrf, csrf_token, page, writing
from ._api import AsOf, Lang
from ._contract import ErrorBody, security
from ._data import Dashboard
from ._i18n import gettext
from ._submit import PRIVATE, _caller, _signed

if TYPE_CHECKING:
    from ._pages import Pages

__all__ = ["measures_router"]

_E = {"model": ErrorBody}
ANSWERS: dict[int | str, dict[str, Any]] = {
    400: _E | {"description": "A bad status, date or amount"},
    401: _E | {"description": "No one signed in, or a wrong, expired or revoked token"},
    403: _E | {"description": "The account's role or scope does not allow it, or the measure is not its to report"},
    404: _E | {"description": "Unknown programme or measure"},
}
Programme = Annotated[str | None, Query(description="Programme id (default: every programme).")]
Status = Literal["planned", "in_progress", "done", "cancelled", "unknown"]


class MeasureReportBody(BaseModel):
    """A report on a measure: its status, completion date, budget planned and spent, and a comment."""

    status: Status
    completed: dt.date | None = Field(None, description="When it was done (only with status done)")
    budget_planned: float | None = Field(None, ge=0, allow_inf_nan=False)
    budget_spent: float | None = Field(None, ge=0, allow_inf_nan=False)
    currency: str | None = Field(None, max_length=20, description="e.g. KZT mn (default: the plan's)")
    comment: str | None = Field(None, max_length=2000)


def _listing(dash: Dashboard, programme: str | None, as_of: str | None, lang: str) -> dict[str, Any]:
    with dash.reader.lease():
        states = measures.measure_states(dash.framework, dash.monitor.store, programme, as_of, lang)
    return {
        "as_of": as_of,
        "rates": measures.rates(states),
        "measures": [s.to_dict() for s in states],
    }


def measures_router(dash: Dashboard, pages: "Pages") -> APIRouter:
    """The JSON API of measures and the owners' report form."""
    router = APIRouter()
    Reporter = Annotated[Caller, Depends(_caller(dash, "submit"))]

    @router.get(
        "/api/measures",
        responses={400: ANSWERS[400], 404: ANSWERS[404] | {"description": "Unknown programme"}},
        summary="Measures of the action plans with their status and execution rate",
    )
    def list_measures(programme: Programme = None, as_of: AsOf = None, lang: Lang = "en") -> JSONResponse:
        if programme is not None and programme not in dash.framework.programmes:
            raise NotFoundError(f"unknown programme {programme!r}")
        return JSONResponse(_listing(dash, programme, as_of, lang), headers=PRIVATE)

    @router.post(
        "/api/measures/{programme}/{measure}",
        status_code=201,
        responses=ANSWERS,
        openapi_extra={"security": security("submit", write=True)},
        summary="Report on a measure",
    )
    def post_report(programme: str, measure: str, body: MeasureReportBody, who: Reporter) -> JSONResponse:
        with writing(dash) as m:
            kept = measures.report(
                m.framework, m.store, who[0], programme, measure, body.status, completed=body.completed,
                budget_planned=body.budget_planned, budget_spent=body.budget_spent, currency=body.currency,
                comment=body.comment, scopes=who[1],
            )  # fmt: skip
        return JSONResponse(kept.to_dict(), status_code=201, headers=PRIVATE)

    @router.get("/{lang}/submit/measures/", include_in_schema=False)
    def measures_form(lang: str, request: Request) -> Response:
        who = _signed(dash, request, "submit")
        account = who[0]
        assert account is not None
        fw = dash.framework
        with dash.reader.lease():
            states = measures.measure_states(fw, dash.monitor.store, None, None, lang)
        mine = [
            s for s in states if measures.may_report(account, fw, *measures.find_measure(fw, s.programme, s.id)[1:])
        ]
        ctx = {"csrf": csrf_token(request), "account": account, "mine": mine[:300], "statuses": measures.STATUSES}
        return page(pages, lang, "submit/measures/", "measures.html", gettext(lang, "Report on measures"), ctx)

    @router.post("/{lang}/submit/measures/", include_in_schema=False)
    async def measures_post(lang: str, request: Request) -> Response:
        who = _signed(dash, request, "submit")
        form = await request.form()
        check_csrf(request, who, str(form.get("csrf") or ""))
        text = {k: str(form.get(k) or "").strip() for k in ("programme", "measure", "status", "completed", "comment")}
        money: dict[str, float | None] = {}
        for k in ("budget_planned", "budget_spent"):
            raw = str(form.get(k) or "").strip().replace(",", ".")
            try:
                money[k] = float(raw) if raw else None
            except ValueError:
                raise InvalidValueError(f"{k.replace('_', ' ')} {raw!r}: expected a number") from None
        with writing(dash) as m:
            measures.report(
                m.framework, m.store, who[0], text["programme"], text["measure"], text["status"],
                completed=text["completed"] or None, budget_planned=money["budget_planned"],
                budget_spent=money["budget_spent"], comment=text["comment"] or None, scopes=who[1],
            )  # fmt: skip
        return RedirectResponse(f"/{lang}/submit/measures/#m-{text['measure']}", status_code=303)

    return router
