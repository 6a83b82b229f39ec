"""``sandyq index``: build, audit and analyse the uncertainty of a composite index from its YAML spec.

A bundled index (or any specification with ``data: {store: ...}``) reads its
data from the store of ``--db``, opened read-only; one that names a data file
opens no store.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import Fmt, handle_errors, state

if TYPE_CHECKING:
    from ...analytics.reader import Reader

__all__ = ["register"]

index_app = typer.Typer(
    help="Composite indices (COINr-class): build, audit, uncertainty and sensitivity.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``index`` command group to ``app``."""
    app.add_typer(index_app, name="index")


SpecArg = Annotated[
    str,
    typer.Argument(
        help="Index specification: a YAML file (e.g. examples/coinr-asem/asem.yaml) or a bundled index "
        "(digital-development, kz-regions), which reads its data from the store."
    ),
]
YearOpt = Annotated[int | None, typer.Option("--year", help="Year of a panel to build (default: the latest).")]


@contextmanager
def _reader_for(path: Path) -> Iterator[Reader | None]:
    """The store of ``--db`` (read-only) if the specification reads from the store, else nothing."""
    from ... import connect
    from ...analytics.composite import read_spec

    if read_spec(path).data.store is None:
        yield None
        return
    with connect(state.db_path, read_only=True) as monitor:
        yield monitor


def _run(spec: str, command: Callable[..., str], **options: object) -> None:
    """Print what ``command`` returns for ``spec``, given the store it reads (if any)."""
    from ...analytics.composite import resolve_spec

    path = resolve_spec(spec)
    with _reader_for(path) as reader:
        sys.stdout.write(command(path, reader=reader, **options))


@index_app.command("build")
@handle_errors
def build(
    spec: SpecArg,
    year: YearOpt = None,
    format: Annotated[Fmt, typer.Option("--format", help="Output format.")] = Fmt.table,
) -> None:
    """Scores and ranks at every level, unit by unit."""
    from ...analytics.composite import build_command
    from ..export import safe_csv

    def command(*args: object, **options: object) -> str:  # CSV: no cell a spreadsheet would run as a formula
        text = build_command(*args, **options)  # type: ignore[arg-type]
        return safe_csv(text) if format is Fmt.csv else text

    _run(spec, command, year=year, fmt=format.value)


@index_app.command("audit")
@handle_errors
def audit(spec: SpecArg, year: YearOpt = None) -> None:
    """Statistics with flags, correlations, Cronbach's alpha, PCA and the effect of dropping each component."""
    from ...analytics.composite import audit_command

    _run(spec, audit_command, year=year)


@index_app.command("uncertainty")
@handle_errors
def uncertainty(
    spec: SpecArg,
    runs: Annotated[int | None, typer.Option("--runs", help="Monte Carlo runs (default: the spec's).")] = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Also Sobol first- and total-order indices.")
    ] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, max=2**32 - 1, help="Random seed (default: the spec's).")
    ] = None,
    year: YearOpt = None,
    memory_mb: Annotated[
        int, typer.Option("--memory-mb", min=1, help="Memory budget of the runs, in MiB (any --runs fits in it).")
    ] = 256,
) -> None:
    """Rank intervals (5th–95th percentile) under the spec's uncertain choices.

    Any number of runs fits in the memory budget; Ctrl-C stops and reports the runs done.
    """
    from ...analytics.composite import uncertainty_command

    _run(spec, uncertainty_command, runs=runs, sensitivity=sensitivity, seed=seed, year=year, memory_mb=memory_mb)
