"""Submission, review and the audit trail on the web: the JSON API and the pages of owners and reviewers.

JSON API (an API token, or a session with ``X-CSRF-Token``):

* ``POST /api/submissions`` — rows as JSON; ``POST /api/submissions/upload`` — a file of any format ``load`` takes;
* ``GET /api/submissions`` and ``GET /api/submissions/{id}`` — the diff against what is published, each row's
  warnings (a jump, an outlier, a declared rule broken) said in ``lang``;
* ``POST /api/submissions/check`` — what a submission of these rows would meet, row by row (the load's
  validation errors and the reviewer's warnings), said in ``lang``; nothing is kept (the entry form's live checks);
* ``POST /api/submissions/{id}/approve|reject|return`` — a reviewer's decision, once;
* ``GET /api/trail`` and ``GET /api/trail.csv`` — the audit trail (admins and reviewers).

Pages: ``/{lang}/submit/`` (an owner's indicators, an upload form and its submissions),
``/{lang}/submit/{indicator}/`` (the entry form: each series with its latest figure and target beside the
field), ``/{lang}/review/`` and ``/{lang}/review/{id}/`` (the diff, approve / reject / return),
``/{lang}/trail/`` (the audit trail).  Anonymous requests get 401 (pages: the sign-in form), a wrong role 403.

(No ``from __future__ import annotations`` here: FastAPI reads the route parameters' annotations, which name
dependencies made inside the router's functions.)
"""

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as StarletteUpload

from ... import alerts, flow, people
from ..._messages import said
from ...analytics.audit import finding_names
from ...errors import InvalidValueError, PermissionDeniedError
from ...framework import UNITS
from ...store import accounts, submissions
from ._accounts import Caller, check_csrf, csrf_token, identify, page, writing
from ._contract import CSVResponse, ErrorBody, Language
from ._data import Dashboard
from ._i18n import gettext

if TYPE_CHECKING:
    from ._pages import Pages

__all__ = ["submit_router"]

_E = {"model": ErrorBody}
ANSWERS: dict[int | str, dict[str, Any]] = {
    401: _E | {"description": "No one signed in, or a wrong, expired or revoked token"},
    403: _E | {"description": "The account's role or scope does not allow it"},
    404: _E | {"description": "Unknown submission"},
    409: _E | {"description": "Decided already, or the published figure moved since"},
}


#: What every answer of this module carries: the response cache (and any proxy) must never keep it.
PRIVATE = {"Cache-Control": "no-store"}


class Row(BaseModel):
    """One figure: as a row of a tidy CSV for ``sandyq load``."""

    indicator: str
    geo: str
    period: str
    value: float | str
    unit: str
    source: str
    dims: str = Field("", description="Disaggregation as SEX=F;AGE=Y15-24 (empty: the total)")
    status: str | None = None
    note: str | None = None


class Submission(BaseModel):
    rows: list[Row] = Field(min_length=1, max_length=10_000)
    note: str | None = None


class Check(BaseModel):
    rows: list[Row] = Field(max_length=10_000)


class Decision(BaseModel):
    comment: str | None = None


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


Lang = Annotated[Language, Query(description="Language of the warnings and problems: kk, ru or en.")]


def _names(dash: Dashboard) -> dict[str, Any]:
    """English texts of the framework (rules' texts, regions) → their trilingual texts, to say sentences by."""
    return dash.cached("finding-names", lambda: finding_names(dash.framework))


def _detail(info: dict[str, Any], rows: Any, dash: Dashboard, lang: str = "en") -> dict[str, Any]:
    """A submission as JSON: each row with ``flags`` as stored and ``warnings``, one sentence each, in ``lang``."""
    records = [
        {k: _json(v) for k, v in r.items()} | {"warnings": flow.said_flags(r["flags"], lang, _names(dash))}
        for r in rows.to_dict("records")
    ]
    return {k: _json(v) for k, v in info.items()} | {"rows": records}


def _said_check(answer: dict[str, Any], dash: Dashboard, lang: str) -> dict[str, Any]:
    """:func:`sandyq.flow.check`'s answer with its texts in ``lang``."""
    names = _names(dash)
    rows = [[p | {"text": str(said(p["text"], lang, names))} for p in row] for row in answer["rows"]]
    return answer | {"rows": rows, "problems": [str(said(p, lang, names)) for p in answer["problems"]]}


def _caller(dash: Dashboard, ability: str) -> Callable[..., Caller]:
    """A dependency: who asks; 401 for no one, 403 for a wrong role or a session write without its CSRF token."""

    def dependency(request: Request, x_csrf_token: Annotated[str | None, Header()] = None) -> Caller:
        who = identify(request, dash)
        people.require(who[0], ability, who[1])
        if request.method == "POST":
            check_csrf(request, who, x_csrf_token)
        return who

    return dependency


def _visible(who: Caller) -> str | None:
    """Whose submissions an account sees: a reviewer or admin every one (None), others their own."""
    account = who[0]
    assert account is not None
    return None if people.allowed(account, "review", who[1]) else account.name


def _signed(dash: Dashboard, request: Request, ability: str) -> Caller:
    who = identify(request, dash)
    people.require(who[0], ability, who[1])
    return who


def _upload(dash: Dashboard, who: Caller, file: StarletteUpload, format: str | None, note: str | None) -> str:
    """Keep an uploaded file's figures as a submission (read as ``load`` reads it); its id."""
    name = Path(file.filename or "upload.csv").name
    with tempfile.TemporaryDirectory(prefix="sandyq-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(file.file.read())
        outbox: list[alerts.Notice] = []
        with writing(dash) as m:
            frame = flow.read_upload(m, path, format=format or None)
            sid = flow.submit(
                m, who[0], frame, file=name, format=format or "file", note=note, scopes=who[1], outbox=outbox
            )
        alerts.send_later(outbox)  # after the write turn, from a thread: slow mail holds up no writer, no answer
        return sid


def _decide(dash: Dashboard, sid: str, decision: str, who: Caller, comment: str | None) -> dict[str, Any]:
    """A reviewer's decision; the submission as it is then (with the publication, for an approval)."""
    outbox: list[alerts.Notice] = []
    with writing(dash) as m:
        report = flow.decide(m, who[0], sid, decision, comment, who[1], outbox=outbox)
        info, _ = submissions.submission(m.store, sid)
    alerts.send_later(outbox)  # after the write turn
    answer = {k: _json(v) for k, v in info.items()}
    return answer | ({"publication": report.to_dict()} if report is not None else {})


def submit_router(dash: Dashboard, pages: "Pages") -> APIRouter:
    """The JSON API and the pages of submission, review and the audit trail."""
    import python_multipart  # noqa: F401  (FastAPI reads forms and uploads with it: fail here, not at a request)

    router = APIRouter()
    _submission_api(router, dash)
    _decision_api(router, dash)
    _owner_pages(router, dash, pages)
    _review_pages(router, dash, pages)
    return router


def _submission_api(router: APIRouter, dash: Dashboard) -> None:
    Submitter = Annotated[Caller, Depends(_caller(dash, "submit"))]
    Reader = Annotated[Caller, Depends(_caller(dash, "read"))]

    @router.post("/api/submissions", status_code=201, responses=ANSWERS, summary="Submit figures for review")
    def post_rows(body: Submission, who: Submitter) -> JSONResponse:
        outbox: list[alerts.Notice] = []
        with writing(dash) as m:
            frame = flow.read_rows(m, [r.model_dump() for r in body.rows], label="api")
            sid = flow.submit(m, who[0], frame, file="api", format="json", note=body.note, scopes=who[1], outbox=outbox)
            info, rows = submissions.submission(m.store, sid)
        alerts.send_later(outbox)  # after the write turn
        return JSONResponse(_detail(info, rows, dash), status_code=201)

    @router.post(
        "/api/submissions/check",
        responses=ANSWERS,
        summary="Check figures as a submission would, row by row, keeping nothing",
    )
    def check_rows(body: Check, who: Submitter, lang: Lang = "en") -> JSONResponse:
        with dash.reader.lease():
            answer = flow.check(dash.monitor, who[0], [r.model_dump() for r in body.rows], scopes=who[1])
        return JSONResponse(_said_check(answer, dash, lang), headers=PRIVATE)

    @router.post("/api/submissions/upload", status_code=201, responses=ANSWERS, summary="Submit a file for review")
    def post_file(
        who: Submitter,
        file: Annotated[UploadFile, File(description="A file in any format `sandyq load` takes")],
        format: Annotated[str | None, Form()] = None,
        note: Annotated[str | None, Form()] = None,
    ) -> JSONResponse:
        sid = _upload(dash, who, file, format, note)
        with dash.reader.lease():
            info, rows = submissions.submission(dash.monitor.store, sid)
        return JSONResponse(_detail(info, rows, dash), status_code=201)

    @router.get("/api/submissions", responses=ANSWERS, summary="Submissions (reviewers: all; owners: their own)")
    def list_submissions(who: Reader, status: str | None = None) -> JSONResponse:
        with dash.reader.lease():
            found = submissions.submissions(dash.monitor.store, status=status, account=_visible(who))
        return JSONResponse({"submissions": [{k: _json(v) for k, v in s.items()} for s in found]}, headers=PRIVATE)

    @router.get("/api/submissions/{sid}", responses=ANSWERS, summary="One submission as a diff against the published")
    def get_submission(sid: str, who: Reader, lang: Lang = "en") -> JSONResponse:
        with dash.reader.lease():
            info, rows = submissions.submission(dash.monitor.store, sid)
        if _visible(who) not in (None, info["account"]):
            raise PermissionDeniedError(f"submission {sid} is not yours")
        return JSONResponse(_detail(info, rows, dash, lang), headers=PRIVATE)


def _decision_api(router: APIRouter, dash: Dashboard) -> None:
    Reviewer = Annotated[Caller, Depends(_caller(dash, "review"))]

    @router.post("/api/submissions/{sid}/approve", responses=ANSWERS, summary="Approve: publish as a new vintage")
    def approve(sid: str, who: Reviewer, body: Decision | None = None) -> JSONResponse:
        return JSONResponse(_decide(dash, sid, "approve", who, body.comment if body else None))

    @router.post("/api/submissions/{sid}/reject", responses=ANSWERS, summary="Reject, saying why")
    def reject(sid: str, who: Reviewer, body: Decision | None = None) -> JSONResponse:
        return JSONResponse(_decide(dash, sid, "reject", who, body.comment if body else None))

    @router.post("/api/submissions/{sid}/return", responses=ANSWERS, summary="Send back to the owner, saying why")
    def send_back(sid: str, who: Reviewer, body: Decision | None = None) -> JSONResponse:
        return JSONResponse(_decide(dash, sid, "return", who, body.comment if body else None))

    @router.get("/api/trail", responses=ANSWERS, summary="The audit trail, newest first")
    def audit(who: Reviewer, limit: int = 1000) -> JSONResponse:
        with dash.reader.lease():
            events = accounts.audit_events(dash.monitor.store, max(1, min(limit, 100_000)))
        return JSONResponse({"events": [{k: _json(v) for k, v in e.items()} for e in events]}, headers=PRIVATE)

    @router.get("/api/trail.csv", responses=ANSWERS, response_class=CSVResponse, summary="The audit trail as CSV")
    def audit_csv(who: Reviewer) -> Response:
        from ..export import frame_csv

        with dash.reader.lease():
            frame = accounts.audit_frame(dash.monitor.store)
        return CSVResponse(
            frame_csv(frame), headers=PRIVATE | {"Content-Disposition": 'attachment; filename="audit-trail.csv"'}
        )


def _owner_pages(router: APIRouter, dash: Dashboard, pages: "Pages") -> None:
    @router.get("/{lang}/submit/", include_in_schema=False)
    def submit_home(lang: str, request: Request) -> Response:
        who = _signed(dash, request, "submit")
        account = who[0]
        assert account is not None
        fw = dash.framework
        owned = [i for i in fw.indicators if people.owns(account, i, fw)]
        with dash.reader.lease():
            mine = submissions.submissions(dash.monitor.store, account=account.name)
        ctx = {
            "csrf": csrf_token(request),
            "account": account,
            "owned": [(i, fw.indicator(i).name.get(lang)) for i in owned[:500]],
            "mine": mine[:50],
        }
        return page(pages, lang, "submit/", "submit.html", gettext(lang, "Submit figures"), ctx)

    @router.get("/{lang}/submit/{indicator}/", include_in_schema=False)
    def submit_form(lang: str, indicator: str, request: Request) -> Response:
        who = _signed(dash, request, "submit")
        assert who[0] is not None
        if not people.owns(who[0], indicator, dash.framework):
            raise PermissionDeniedError(f"account {who[0].name!r} does not own indicator {indicator}")
        with dash.reader.lease():
            series = flow.form_series(dash.monitor, indicator)
        unit = UNITS.get(series[0]["unit"])
        ctx = {
            "csrf": csrf_token(request),
            "indicator": dash.framework.indicator(indicator),
            "series": series,
            "bounds": (unit.minimum, unit.maximum) if unit else (None, None),
        }
        title = gettext(lang, "Enter figures")
        return page(pages, lang, f"submit/{indicator}/", "entry.html", title, ctx)

    @router.post("/{lang}/submit/{indicator}/", include_in_schema=False)
    async def submit_entry(lang: str, indicator: str, request: Request) -> Response:
        who = _signed(dash, request, "submit")
        form = await request.form()
        check_csrf(request, who, str(form.get("csrf") or ""))
        rows, expected = [], {}
        for i in range(int(str(form.get("count") or 0))):
            value = str(form.get(f"value_{i}") or "").strip()
            if not value:
                continue
            row = {k: str(form.get(f"{k}_{i}") or "") for k in ("geo", "dims", "source", "unit", "period")}
            rows.append(row | {"indicator": indicator, "value": value})
            key = (indicator, row["geo"], row["period"], row["dims"], row["source"])
            shown = str(form.get(f"vintage_{i}") or "")
            last = str(form.get(f"last_period_{i}") or "")
            if last == row["period"]:
                expected[key] = datetime.fromisoformat(shown) if shown else None
        if not rows:
            raise InvalidValueError("enter at least one figure")
        outbox: list[alerts.Notice] = []
        with writing(dash) as m:
            frame = flow.read_rows(m, rows)
            sid = flow.submit(
                m,
                who[0],
                frame,
                file="form",
                format="form",
                note=str(form.get("note") or "") or None,
                expected=expected,
                outbox=outbox,
            )
        alerts.send_later(outbox)  # after the write turn
        return RedirectResponse(f"/{lang}/review/{sid}/", status_code=303)

    @router.post("/{lang}/submit/", include_in_schema=False)
    async def submit_upload(lang: str, request: Request) -> Response:
        who = _signed(dash, request, "submit")
        form = await request.form()
        check_csrf(request, who, str(form.get("csrf") or ""))
        file = form.get("file")
        if not isinstance(file, StarletteUpload) or not file.filename:
            raise InvalidValueError("choose a file to upload")
        sid = _upload(dash, who, file, str(form.get("format") or "") or None, str(form.get("note") or "") or None)
        return RedirectResponse(f"/{lang}/review/{sid}/", status_code=303)


def _review_pages(router: APIRouter, dash: Dashboard, pages: "Pages") -> None:
    @router.get("/{lang}/review/", include_in_schema=False)
    def review_list(lang: str, request: Request, status: str = "pending") -> Response:
        _signed(dash, request, "review")
        with dash.reader.lease():
            found = submissions.submissions(dash.monitor.store, status=status or None)
        ctx = {"submissions": found, "status": status}
        return page(pages, lang, "review/", "review.html", gettext(lang, "Review"), ctx)

    @router.get("/{lang}/review/{sid}/", include_in_schema=False)
    def review_one(lang: str, sid: str, request: Request) -> Response:
        who = _signed(dash, request, "read")
        account = who[0]
        assert account is not None
        with dash.reader.lease():
            info, rows = submissions.submission(dash.monitor.store, sid)
        can_review = people.allowed(account, "review", who[1])
        if not can_review and info["account"] != account.name:
            raise PermissionDeniedError(f"submission {sid} is not yours")
        names = _names(dash)
        shown = [r | {"warnings": flow.said_flags(r["flags"], lang, names)} for r in rows.to_dict("records")]
        ctx = {"csrf": csrf_token(request), "info": info, "rows": shown, "can_review": can_review}
        return page(pages, lang, f"review/{sid}/", "submission.html", gettext(lang, "Submission"), ctx)

    @router.post("/{lang}/review/{sid}/", include_in_schema=False)
    async def review_decide(lang: str, sid: str, request: Request) -> Response:
        who = _signed(dash, request, "review")
        form = await request.form()
        check_csrf(request, who, str(form.get("csrf") or ""))
        _decide(dash, sid, str(form.get("decision") or ""), who, str(form.get("comment") or "") or None)
        return RedirectResponse(f"/{lang}/review/{sid}/", status_code=303)

    @router.get("/{lang}/trail/", include_in_schema=False)
    def trail(lang: str, request: Request) -> Response:
        _signed(dash, request, "review")
        with dash.reader.lease():
            events = accounts.audit_events(dash.monitor.store, 500)
        return page(pages, lang, "trail/", "trail.html", gettext(lang, "Audit trail"), {"events": events})
