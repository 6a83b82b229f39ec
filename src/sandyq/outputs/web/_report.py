"""The monitoring report from the dashboard: ``/<lang>/report/?format=pdf|docx|html`` and ``/api/report``.

The figures are gathered once per programme, date and comparison while the store
is held (:meth:`Dashboard.bounded`, so they are kept like any answer and dropped
when the store changes; and on disk, :func:`sandyq.outputs.report.kept_gather`,
when ``sandyq serve`` keeps answers); the document is then said in the language asked and rendered
without the store (see :mod:`sandyq.outputs.report`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from ..report import REPORT_FORMATS, build_document, facts_key, kept_gather, render
from ._contract import BAD, NOT_FOUND, UNAVAILABLE
from ._data import Dashboard
from ._i18n import LANGUAGES

__all__ = ["report_router"]

Format = Annotated[str, Query(pattern="^(pdf|docx|html)$", description="pdf, docx (editable) or html (one file).")]
Day = Annotated[
    str | None,
    Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="A date (YYYY-MM-DD).", json_schema_extra={"format": "date"}),
]


def report_bytes(
    dash: Dashboard, fmt: str, language: str, programme: str | None, as_of: str | None, compare_to: str | None
) -> tuple[bytes, str]:
    """The report file and its name."""
    prog = dash.programme(programme)
    if as_of is not None or compare_to is not None:
        dash.check_filters(None, None, as_of)
        dash.check_filters(None, None, compare_to)
    key = facts_key(dash.monitor, prog.id, as_of, compare_to)  # kept on disk too when the dashboard keeps answers
    facts = dash.bounded(key, lambda: kept_gather(dash.monitor, prog.id, as_of, compare_to, disk=dash.disk))
    doc = build_document(facts, language)
    name = f"{prog.id}-report-{doc.meta['as_of']}-{language}.{fmt}"
    return render(doc, fmt), name


def _response(body: bytes, name: str, fmt: str) -> Response:
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        body, media_type=REPORT_FORMATS[fmt], headers={"Content-Disposition": f'{disposition}; filename="{name}"'}
    )


def report_router(dash: Dashboard) -> APIRouter:
    """The report's two routes: the dashboard's link and the API's."""
    router = APIRouter()

    @router.get("/{lang}/report/", include_in_schema=False)
    def page_report(
        lang: str, format: Format = "pdf", programme: str | None = None, as_of: Day = None, compare_to: Day = None
    ) -> Response:
        if lang not in LANGUAGES:
            raise HTTPException(404)
        body, name = report_bytes(dash, format, lang, programme, as_of, compare_to)
        return _response(body, name, format)

    @router.get(
        "/api/report",
        # Not in the OpenAPI document: a whole report takes seconds to tens of seconds, beyond the contract's
        # response-time check (tests/outputs/web/test_contract.py); tests/outputs/web/test_web_report.py covers it.
        include_in_schema=False,
        tags=["progress"],
        summary="The programme's monitoring report (PDF, DOCX or HTML) in kk, ru or en",
        response_class=Response,
        responses={
            200: {"content": {m.split(";")[0]: {} for m in REPORT_FORMATS.values()}},
            **BAD,
            **NOT_FOUND,
            **UNAVAILABLE,
        },
    )
    def api_report(
        format: Format = "pdf",
        lang: Annotated[str, Query(pattern="^(kk|ru|en)$", description="Language: kk, ru or en.")] = "en",
        programme: Annotated[str | None, Query(description="Programme id (default: the dashboard's).")] = None,
        as_of: Day = None,
        compare_to: Day = None,
    ) -> Response:
        body, name = report_bytes(dash, format, lang, programme, as_of, compare_to)
        return _response(body, name, format)

    return router
