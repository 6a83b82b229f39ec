"""The ``sandyq`` command line: a thin layer over the Python API.

Global options come from the settings registry (:mod:`sandyq.settings`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..._version import __version__
from ...settings import LANGUAGES, SETTINGS
from . import (
    _check,
    _copy,
    _data,
    _evaluate,
    _exchange,
    _flow,
    _index,
    _measures,
    _notify,
    _progress,
    _report,
    _statistics,
    _web,
)
from ._common import state

__all__ = ["app", "main"]

_S = {s.name: s for s in SETTINGS}

app = typer.Typer(
    name="sandyq",
    help="sandyq — monitor a national digital-transformation programme: framework, indicator store, analytics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sandyq {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar=_S["db"].env, show_envvar=True, help=f"{_S['db'].help} [default: {_S['db'].default}]"
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            "-l",
            envvar=_S["language"].env,
            show_envvar=True,
            help=f"{_S['language'].help} [default: {_S['language'].default}]",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    if language is not None and language not in LANGUAGES:
        raise typer.BadParameter(f"{language!r} is not one of {', '.join(LANGUAGES)}", param_hint="--language")
    state.db = db
    state.language = language


_data.register(app)
_check.register(app)
_index.register(app)
_progress.register(app)
_report.register(app)
_statistics.register(app)
_evaluate.register(app)
_exchange.register(app)
_web.register(app)
_copy.register(app)
_flow.register(app)
_notify.register(app)
_measures.register(app)


def main() -> None:
    """Entry point of the ``sandyq`` console script."""
    app()
