"""The monitoring report on the command line: ``sandyq report --format pdf|docx|html --output FILE``."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ...errors import InvalidValueError
from ...settings import LANGUAGES
from ._common import err_console, handle_errors, state

__all__ = ["register"]


class ReportFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"
    html = "html"


def register(app: typer.Typer) -> None:
    """Add this module's command to ``app``."""
    app.command("report")(report)


@handle_errors
def report(
    format: Annotated[ReportFormat, typer.Option("--format", help="pdf, docx (editable) or html (one file).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    programme: Annotated[str, typer.Option(help="Programme id.")] = "digital-kazakhstan",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Write the report from the figures published by this date.")
    ] = None,
    compare_to: Annotated[
        str | None,
        typer.Option("--compare-to", help="Say what changed since this date (default: the previous vintage)."),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="kk, ru or en (default: the global --language).")
    ] = None,
) -> None:
    """The programme's monitoring report: summary, a section per direction and task, risks, regions, the
    composite index, and annexes on data quality, methods and sources — in Kazakh, Russian or English.

    The figures gathered are kept in the cache folder (SANDYQ_CACHE) by the store's change counter, so a
    report of the same store, programme and dates in another format or language is quicker."""
    from ... import connect
    from ...settings import resolve
    from ..report import write_report

    lang = language or state.lang
    if lang not in LANGUAGES:
        raise InvalidValueError(f"--language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    start = time.perf_counter()
    with connect(state.db_path, read_only=True) as m:
        doc = write_report(
            m, output, format.value, programme, as_of=as_of, compare_to=compare_to, language=lang,
            cache=resolve("cache"),
        )  # fmt: skip
    err_console.print(
        f"wrote {output} ({format.value}, {lang}, as of {doc.meta['as_of']}) in {time.perf_counter() - start:.1f} s"
    )
