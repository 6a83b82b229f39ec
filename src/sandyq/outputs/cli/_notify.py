"""Notices on the command line: ``sandyq notify due`` tells owners and admins of the figures past their due day.

Meant for cron (e.g. daily): each figure is told once per indicator and period (the audit trail keeps what was
told), so running it again sends nothing new.  The notices are sent after the store is let go.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import Fmt, emit, err_console, handle_errors, state

__all__ = ["register"]

notify_app = typer.Typer(help="Notifications: figures past their due day (due).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``notify`` to ``app``."""
    app.add_typer(notify_app, name="notify")


@notify_app.command("due")
@handle_errors
def due(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to judge deadlines on, YYYY-MM-DD (default: today, UTC).")
    ] = None,
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", "-i", help="Only this indicator (repeat).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the overdue figures; tell nobody and record nothing.")
    ] = False,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List the figures past their due day (release calendar: periodicity + lag) and tell owners and admins once."""
    from datetime import date

    import pandas as pd

    from ... import alerts, connect
    from ...errors import UsageError

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise UsageError(f"--as-of {as_of!r}: expected a date, YYYY-MM-DD") from None
    outbox: list[alerts.Notice] = []
    with connect(state.db_path, read_only=dry_run) as m:
        if dry_run:
            found = [(o, False) for o in alerts.overdue(m, day, indicator or None)]
        else:
            found = alerts.notify_due(m, day, indicators=indicator or None, actor="notify due", outbox=outbox)
    alerts.send(outbox)  # once the store is let go
    columns = ["indicator", "period", "due", "lag", "missing", "last_period", "geo", "last_value", "unit", "source"]
    rows = [[getattr(o, c) for c in columns] + [told] for o, told in found]
    emit(pd.DataFrame(rows, columns=[*columns, "notified_now"]), format)
    err_console.print(
        f"{len(found)} figures overdue; {len(outbox)} notices sent now"
        + (" (dry run: nothing sent or recorded)" if dry_run else "")
    )
