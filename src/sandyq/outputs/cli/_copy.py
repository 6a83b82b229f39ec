"""The ``copy-store`` command: move a store between backends (DuckDB file ↔ PostgreSQL database)."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import err_console, handle_errors

__all__ = ["copy_store", "register"]


def register(app: typer.Typer) -> None:
    """Add ``copy-store`` to ``app``."""
    app.command("copy-store")(copy_store)


@handle_errors
def copy_store(
    source: Annotated[str, typer.Argument(help="The store to copy: a DuckDB file or a postgresql:// URL.")],
    destination: Annotated[
        str, typer.Argument(help="An empty store to copy into (created if missing): a file or a postgresql:// URL.")
    ],
) -> None:
    """Copy a whole store — every vintage, load, load issue, source and document — into an empty one.

    DuckDB → PostgreSQL when one user's store becomes a server's; PostgreSQL → DuckDB for a copy to take away.
    A destination that holds data is refused and nothing is written.
    """
    from ...store import copy_store as copy

    report = copy(source, destination)
    err_console.print(report.summary(), markup=False, soft_wrap=True)
