"""``sandyq index``: build, audit and analyse the uncertainty of a composite index from its YAML spec."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ._common import Fmt, handle_errors, state

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


@index_app.command("build")
@handle_errors
def build(
    spec: SpecArg,
    year: YearOpt = None,
    format: Annotated[Fmt, typer.Option("--format", help="Output format.")] = Fmt.table,
) -> None:
    """Scores and ranks at every level, unit by unit."""
    from ...analytics.composite import build_command, resolve_spec, using_store

    with using_store(state.db_path):
        sys.stdout.write(build_command(resolve_spec(spec), year=year, fmt=format.value))


@index_app.command("audit")
@handle_errors
def audit(spec: SpecArg, year: YearOpt = None) -> None:
    """Statistics with flags, correlations, Cronbach's alpha, PCA and the effect of dropping each component."""
    from ...analytics.composite import audit_command, resolve_spec, using_store

    with using_store(state.db_path):
        sys.stdout.write(audit_command(resolve_spec(spec), year=year))


@index_app.command("uncertainty")
@handle_errors
def uncertainty(
    spec: SpecArg,
    runs: Annotated[int | None, typer.Option("--runs", help="Monte Carlo runs (default: the spec's).")] = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Also Sobol first- and total-order indices.")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the spec's).")] = None,
    year: YearOpt = None,
) -> None:
    """Rank intervals (5th–95th percentile) under the spec's uncertain choices."""
    from ...analytics.composite import resolve_spec, uncertainty_command, using_store

    with using_store(state.db_path):
        sys.stdout.write(
            uncertainty_command(resolve_spec(spec), runs=runs, sensitivity=sensitivity, seed=seed, year=year)
        )
