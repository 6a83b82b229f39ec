"""The ``check`` command: does the store hold what sandyq wrote, and can all of it be read?"""

from __future__ import annotations

from typing import Annotated

import typer

from ..._messages import Message
from ._common import Fmt, emit, err_console, handle_errors, state

__all__ = ["check", "register"]


def register(app: typer.Typer) -> None:
    """Add ``check`` to ``app``."""
    app.command("check")(check)


@handle_errors
def check(
    format: Annotated[Fmt, typer.Option("--format", help="Output format of the table of problems.")] = Fmt.table,
) -> None:
    """Check the store's integrity and list every problem; exit status 1 if there is any, 2 if it cannot be opened.

    Checks the schema version and tables, that every row can be read, that every key is in sandyq's forms (period,
    vintage, geography, disaggregation) and known to the framework, that values are finite, that no key has two
    rows at one vintage, and that the loads the rows name exist.  Writes nothing.
    """
    from ... import connect

    with connect(state.db_path, read_only=True) as m:
        problems = m.check()
        observations, loads = m.store.count(), len(m.store.loads())
    if problems.empty:
        line = Message(
            "{db}: no problems — {n} observations from {loads} loads, schema version {version}",
            {"db": m.store.path, "n": str(observations), "loads": loads, "version": m.store.schema_version},
        )
        err_console.print(
            line.to(state.lang),
            markup=False,
            soft_wrap=True,
        )
        return
    n = len(problems)
    emit(problems, format, title=Message("{db}: {n} {n:plural:problem|problems}", {"db": m.store.path, "n": n}))
    raise typer.Exit(1)
