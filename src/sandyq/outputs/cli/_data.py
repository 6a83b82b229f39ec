"""Commands on the store and the framework: init, load, indicators, show, validate, overview."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..._messages import Message
from ._choices import LAYOUTS
from ._common import AS_OF_HELP, Fmt, as_of_option, emit, err_console, handle_errors, state

if TYPE_CHECKING:
    from ...ingest import Batch
    from ...store import LoadReport

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("init")(init)
    app.command("load")(load)
    app.command("indicators")(indicators)
    app.command("show")(show)
    app.command("validate")(validate)
    app.command("overview")(overview)


@handle_errors
def init() -> None:
    """Create the store with the default content (Digital Kazakhstan); running it again changes nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ... import default_manifest_path
    from ... import init as init_store
    from ...ingest import read_manifest

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("loading default content", total=None)

        def tick(batch: Batch, report: LoadReport | None) -> None:
            if report is None:
                bar.update(task, description=f"loading {batch.file}")
            else:
                bar.advance(task)

        manifest = read_manifest(default_manifest_path())
        bar.update(task, total=len(manifest))
        result = init_store(state.db_path, progress=tick)
    err_console.print(
        f"store {result.db}: {len(result.loads)} files, {result.added} observations added, "
        f"{result.revised} revised, {result.unchanged} unchanged"
    )
    if result.admin_password:
        err_console.print("an admin account was made; its password is shown this once (change it by making another):")
        typer.echo(f"admin password: {result.admin_password}")


@handle_errors
def load(
    file: Annotated[
        Path,
        typer.Argument(
            help="A data file (.csv, .tsv, .xlsx, SDMX-CSV, SDMX-ML), an Open SDG data folder, or a manifest (.yaml)."
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", help=f"Layout: {', '.join(LAYOUTS)}, sdmx-csv or sdmx-ml (guessed if omitted)."),
    ] = None,
    indicator: Annotated[str | None, typer.Option(help="Indicator id when the file has no INDICATOR column.")] = None,
    source: Annotated[
        str | None, typer.Option(help="Source id (default: each indicator's source; required for an Open SDG folder).")
    ] = None,
    vintage: Annotated[
        str | None,
        typer.Option(
            help="Publication date or ISO 8601 date-time of these figures, UTC unless it has a zone "
            "(default: now, to the microsecond)."
        ),
    ] = None,
    default_geo: Annotated[str | None, typer.Option(help="Geography for rows with a blank REF_AREA.")] = None,
    duplicates: Annotated[str, typer.Option(help="A key with two values: error (default), first or last.")] = "error",
    out_of_range: Annotated[
        str,
        typer.Option(help="A value outside its unit's bounds: error (default) or set_aside (recorded, not loaded)."),
    ] = "error",
    encoding: Annotated[str, typer.Option(help="Text encoding of a CSV file.")] = "utf-8",
    sheet: Annotated[str | None, typer.Option(help="Worksheet of an .xlsx file (default: the first).")] = None,
) -> None:
    """Validate a file and add its observations to the store; nothing is loaded if anything is wrong."""
    from ... import connect

    with connect(state.db_path) as m:
        reports = m.load(
            file,
            format=format,
            indicator=indicator,
            source=source,
            vintage=vintage,
            default_geo=default_geo,
            duplicates=duplicates,
            out_of_range=out_of_range,
            encoding=encoding,
            sheet=sheet,
        )
    for r in reports:
        err_console.print(
            f"{r.file}: {r.rows_read} rows, {r.added} added, {r.revised} revised, "
            f"{r.unchanged} unchanged (vintage {_vintage_text(r.vintage)})",
            markup=False,
            soft_wrap=True,
        )
        for p in r.issues:
            err_console.print(f"  note: {p}", markup=False, soft_wrap=True)


@handle_errors
def indicators(
    programme: Annotated[str | None, typer.Option(help="Only the indicators of this programme.")] = None,
    format: Annotated[Fmt, typer.Option("--format", help="Output format.")] = Fmt.table,
) -> None:
    """List indicators with their unit, source and coverage in the store."""
    from ... import connect

    with connect(state.db_path, read_only=_exists(state.db_path)) as m:
        frame = m.indicators(programme, language=state.lang)
    emit(frame, format, title="Indicators" + (f" of {programme}" if programme else ""))


@handle_errors
def show(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. 17-8-1 or IT.NET.USER.ZS.")],
    geo: Annotated[list[str] | None, typer.Option("--geo", help="Geography code(s), e.g. KAZ, KZ-71, KZNS.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    start: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    all_dims: Annotated[bool, typer.Option("--all-dims", help="Include disaggregations, not only totals.")] = False,
    format: Annotated[Fmt, typer.Option("--format", help="Output format.")] = Fmt.table,
) -> None:
    """Show the observations of an indicator, each with unit, source and vintage."""
    from ... import connect

    as_of_option(as_of)
    with connect(state.db_path, read_only=True) as m:
        ind = m.framework.indicator(indicator)
        frame = m.observations(indicator, geo or None, as_of=as_of, dims=None if all_dims else "", start=start, end=end)
    cols = ["indicator", "geo", "period", "dims", "value", "unit", "status", "source", "vintage", "note"]
    frame = frame[cols]
    title = f"{ind.id} — {ind.name.get(state.lang)}"
    caption = f"{len(frame)} observations" + (f", as of {as_of}" if as_of else "")
    emit(frame, format, title=title, caption=caption)


@handle_errors
def validate(
    path: Annotated[Path, typer.Argument(help="A framework folder, or a data file to check without loading.")],
    standalone: Annotated[bool, typer.Option(help="Validate the folder without the bundled framework.")] = False,
    default_geo: Annotated[
        str | None, typer.Option(help="Data file: geography for rows with a blank REF_AREA.")
    ] = None,
    format: Annotated[str | None, typer.Option("--format", help="Data file: its layout (guessed if omitted).")] = None,
) -> None:
    """Check a framework folder or data (file, Open SDG folder, manifest) and report every problem; writes nothing."""
    from ... import read_data
    from ...framework import default_framework_path, load_framework
    from ...ingest import is_open_sdg_folder

    if path.is_dir() and not is_open_sdg_folder(path):
        default = default_framework_path().resolve()
        fw = load_framework() if path.resolve() == default else load_framework(path, include_default=not standalone)
        err_console.print(
            f"{path}: valid — {len(fw.programmes)} programmes, {len(fw.indicators)} indicators, "
            f"{len(fw.glossary)} glossary terms, {len(fw.sources)} sources, {len(fw.rules)} validation rules"
        )
        return
    for batch in read_data(path, load_framework(), default_geo=default_geo, format=format):
        if batch.format == "open-sdg":
            err_console.print(
                f"{batch.file}: valid Open SDG folder — {len(batch.staged)} observations in "
                f"{len(batch.files)} files, {len(batch.indicators)} indicators new to the framework"
            )
        else:
            err_console.print(
                f"{batch.file}: valid {batch.format} file — {len(batch.staged)} observations "
                f"({batch.skipped_missing} blank values skipped)"
            )


@handle_errors
def overview(
    programme: Annotated[str, typer.Option(help="Programme id.")] = "digital-kazakhstan",
) -> None:
    """A short overview of a programme: directions, tasks, targets and data coverage."""
    from ... import connect

    lang = state.lang
    with connect(state.db_path, read_only=_exists(state.db_path)) as m:
        prog = m.framework.programme(programme)
        cover = m.store.summary().set_index("indicator")
        report = m.progress(programme, language=lang) if prog.targets() else None
    out = [f"{prog.name.get(lang)} ({prog.start}–{prog.end})", f"  {prog.legal_basis.get(lang)}"]
    if prog.note is not None:
        out.append(f"  {prog.note.get(lang)}")
    for d in prog.directions:
        n_targets = sum(len(t.targets) for t in d.tasks)
        inds = {i for t in d.tasks for i in (*t.indicators, *(g.indicator for g in t.targets))}
        with_data = sum(1 for i in inds if i in cover.index)
        tasks = Message("{n} {n:plural:task|tasks}", {"n": len(d.tasks)})
        targets = Message("{n} {n:plural:target|targets}", {"n": n_targets})
        line = Message(
            "{name}: {tasks}, {targets}, {k}/{m} indicators with data",
            {"name": d.name.get(lang), "tasks": tasks, "targets": targets, "k": with_data, "m": len(inds)},
        )
        out.append(f"  • {line.to(lang)}")
    for fact in prog.facts:
        out.append(f"  {fact.name.get(lang)}: {fact.value:g}" + (f" ({fact.year})" if fact.year else ""))
    n_obs = int(cover["observations"].sum()) if len(cover) else 0
    if report is not None:
        n = len(report.targets)
        counts = ", ".join(
            Message("{status} {n}", {"status": _status_word(k), "n": v}).to(lang) for k, v in report.counts.items() if v
        )
        raised = sum(1 for r in report.risks if r.raised)
        targets_line = Message(
            "Targets: {n} — {counts}; risks raised {raised}/{risks}",
            {"n": n, "counts": counts, "raised": raised, "risks": len(report.risks)},
        )
        out.append(f"  {targets_line.to(lang)}")
        out.append(f"  {report.execution_text()}")
        out.append(f"  {Message('(details: sandyq progress)').to(lang)}")
    store_line = Message("Store: {n} observations of {m} indicators", {"n": _plain(n_obs), "m": len(cover)})
    out.append(f"  {store_line.to(lang)}")
    typer.echo("\n".join(out))


def _status_word(key: str) -> Message:
    """A status count's key ('achieved', 'insufficient_data') as the catalog says it."""
    text = key.replace("_", " ")
    return Message(text)


def _plain(n: int) -> str:
    """A count written as the English report always wrote it (no grouping), in any language."""
    return str(n)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _vintage_text(vintage: datetime) -> str:
    """A vintage as people read it: its date when it is midnight, else the full ISO 8601 moment (UTC).

    >>> _vintage_text(datetime(2024, 10, 24)), _vintage_text(datetime(2024, 10, 24, 9, 5, 1, 250))
    ('2024-10-24', '2024-10-24T09:05:01.000250Z')
    """
    if vintage == datetime.combine(vintage.date(), datetime.min.time()):
        return vintage.date().isoformat()
    return vintage.isoformat(timespec="microseconds") + "Z"


def _exists(path: str) -> bool:
    """Whether the store is there to be read (a database named by a URL is: the server says if it is not)."""
    from ...store import is_url

    return is_url(path) or (path != ":memory:" and Path(path).exists())
