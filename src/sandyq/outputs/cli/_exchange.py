"""Data exchange commands: ``fetch wdi``, ``fetch taldau`` and ``export``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import InvalidValueError, UsageError
from ._common import AS_OF_HELP, as_of_option, check_sources, err_console, handle_errors, state

if TYPE_CHECKING:
    from ...connectors import HttpClient
    from ...store import LoadReport

__all__ = ["register"]


class ExportFormat(StrEnum):
    """The formats of :data:`~sandyq.outputs.export.EXPORT_FORMATS`, as a CLI choice.

    Declared here so ``--help`` need not import the exports; ``tests/test_startup.py`` checks they are the same.
    """

    csv = "csv"
    xlsx = "xlsx"
    sdmx_csv = "sdmx-csv"
    sdmx_ml = "sdmx-ml"
    datapackage = "datapackage"
    zip = "zip"


def register(app: typer.Typer) -> None:
    """Add ``fetch`` (a group: ``wdi``, ``taldau``) and ``export`` to ``app``."""
    fetch = typer.Typer(
        name="fetch",
        no_args_is_help=True,
        help="Fetch figures from statistical services into the store (cached, rate-limited, atomic).",
    )
    fetch.command("wdi")(wdi)
    fetch.command("taldau")(taldau)
    app.add_typer(fetch, name="fetch")
    app.command("export")(export)


CacheOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache", envvar="SANDYQ_CACHE", show_envvar=True, help="Folder of cached responses (default ~/.cache/sandyq)."
    ),
]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Ask the service again even if a response is cached.")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Use cached responses only; never ask the service.")]
VintageOpt = Annotated[str | None, typer.Option(help="Publication date of these figures (YYYY-MM-DD).")]


def _client(cache: Path | None, refresh: bool, offline: bool, min_interval: float) -> HttpClient:
    from ...connectors import HttpClient

    if refresh and offline:
        raise UsageError("--refresh and --offline contradict each other; give one")
    return HttpClient(cache_dir=cache, refresh=refresh, offline=offline, min_interval=min_interval)


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def _report(r: LoadReport) -> None:
    err_console.print(
        f"{r.file}: {r.rows_read} rows, {r.added} added, {r.revised} revised, {r.unchanged} unchanged "
        f"(source {r.source}, vintage {r.vintage:%Y-%m-%d})",
        markup=False,
        soft_wrap=True,
    )
    for p in r.issues:
        err_console.print(f"  note: {p}", markup=False, soft_wrap=True)


@handle_errors
def wdi(
    codes: Annotated[list[str], typer.Argument(help="WDI indicator codes, e.g. IT.CEL.SETS.P2 IT.NET.BBND.P2.")],
    countries: Annotated[
        list[str] | None,
        typer.Option(
            "--countries", help="Economies (ISO3 or World Bank aggregate codes; repeat or comma-separate; default KAZ)."
        ),
    ] = None,
    start: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    vintage: VintageOpt = None,
    cache: CacheOpt = None,
    refresh: RefreshOpt = False,
    offline: OfflineOpt = False,
) -> None:
    """Fetch World Development Indicators from the World Bank API (source wdi-api; vintage = the Bank's update)."""
    from ... import connect
    from ...connectors import fetch_wdi

    client = _client(cache, refresh, offline, 0.5)
    with connect(state.db_path) as m:
        batch = fetch_wdi(
            m.framework, _split(codes), _split(countries) or ["KAZ"], start, end, vintage=vintage, client=client
        )
        report = m.write(batch)
    _report(report)


@handle_errors
def taldau(
    index_ids: Annotated[list[int], typer.Argument(help="Taldau index ids, e.g. 703651 19096214.")],
    indicator: Annotated[
        str | None,
        typer.Option(
            help="Framework indicator the index measures (needed for an index sandyq does not know; one index only)."
        ),
    ] = None,
    period: Annotated[str, typer.Option(help="Period type to fetch: year, quarter or month.")] = "year",
    vintage: VintageOpt = None,
    cache: CacheOpt = None,
    refresh: RefreshOpt = False,
    offline: OfflineOpt = False,
) -> None:
    """Fetch indices from Taldau, the Bureau of National Statistics' database (source taldau)."""
    from ... import connect
    from ...connectors import fetch_taldau

    if indicator is not None and len(index_ids) > 1:
        raise UsageError("--indicator applies to one index; fetch the others separately")
    if period not in ("year", "quarter", "month"):
        raise InvalidValueError(f"--period {period!r}: use year, quarter or month")
    client = _client(cache, refresh, offline, 2.0)
    with connect(state.db_path) as m:
        reports = [
            m.write(fetch_taldau(m.framework, i, indicator=indicator, period=period, vintage=vintage, client=client))
            for i in index_ids
        ]
    for r in reports:
        _report(r)


@handle_errors
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File (a folder for datapackage). CSV goes to standard output if omitted."),
    ] = None,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", help="Indicator id(s); default: all.")] = None,
    geo: Annotated[list[str] | None, typer.Option("--geo", help="Geography code(s), e.g. KAZ, KZ-71, KZNS.")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only figures from these source ids.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    start: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    sdmx_version: Annotated[str, typer.Option("--sdmx-version", help="SDMX-CSV version: 2.0 or 1.0.")] = "2.0",
) -> None:
    """Export observations with unit, source and vintage on every row, and the citation of every source."""
    from ... import connect
    from ..export import csv_text, select, write

    fmt = format.value
    as_of_option(as_of)
    if output is None and fmt != "csv":
        raise UsageError(f"--format {fmt} needs --output")
    with connect(state.db_path, read_only=True) as m:
        check_sources(m, _split(source) or None)
        sel = select(
            m,
            _split(indicator) or None,
            _split(geo) or None,
            as_of=as_of,
            start=start,
            end=end,
            source=_split(source) or None,
            language=state.lang,
        )
        if output is None:
            sys.stdout.write(csv_text(sel))
            return
        paths = write(sel, output, fmt, sdmx_version=sdmx_version)
    err_console.print(
        f"exported {len(sel.observations)} observations of {len(sel.indicators)} indicators "
        f"({', '.join(sel.sources)}) to {', '.join(str(p) for p in paths)}",
        markup=False,
        soft_wrap=True,
    )
