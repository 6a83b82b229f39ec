"""The measures of an action plan on the command line: ``measures`` (list), ``measures report``, ``measures escalate``.

``sandyq measures`` lists every measure with its status, deadline, agency, budget planned and spent and whether
it is overdue, as of a date, with the execution rate of each programme as the caption.  ``measures report``
records an owner's report (as ``--user`` or ``--token``, like ``submit``), and ``measures escalate`` (for
cron) sends one notice per overdue measure and deadline.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import Fmt, emit, err_console, handle_errors, state
from ._flow import TokenOption, UserOption, _acting

__all__ = ["register"]

measures_app = typer.Typer(
    help="Measures of the action plan: list them (status, deadline, agency, budget, overdue), report one, escalate.",
    invoke_without_command=True,
)

ProgrammeOption = Annotated[str | None, typer.Option("--programme", "-p", help="One programme (default: all).")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="As of this date (YYYY-MM-DD); default: now.")]


def register(app: typer.Typer) -> None:
    """Add ``measures`` and its subcommands to ``app``."""
    app.add_typer(measures_app, name="measures")


@measures_app.callback()
@handle_errors
def measures_list(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    as_of: AsOfOption = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only the overdue measures.")] = False,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List the measures with their status as of a date, and each programme's execution rate."""
    if ctx.invoked_subcommand is not None:
        return
    import pandas as pd

    from ... import connect, measures

    with connect(state.db_path, read_only=True) as m:
        states = measures.measure_states(m.framework, m.store, programme, as_of, state.lang)
    rates = measures.rates(states)
    rows = [s.to_dict() for s in states if s.overdue or not overdue]
    cols = [
        "programme", "task", "id", "status", "deadline", "agency", "budget_planned", "budget_spent", "currency",
        "completed", "overdue", "reported_by",
    ]  # fmt: skip
    sentences = [measures.rate_sentence(p, r) for p, r in rates.items()]
    caption = "\n".join(sentences) if sentences else None
    frame = pd.DataFrame(rows, columns=cols)
    if format == Fmt.table:  # the columns a reader scans; JSON and CSV keep every one
        frame = frame[["id", "status", "deadline", "agency", "budget_planned", "budget_spent", "overdue"]]
    emit(frame, format, caption=caption)


@measures_app.command("report")
@handle_errors
def measures_report(
    programme: Annotated[str, typer.Argument(help="The programme's id.")],
    measure: Annotated[str, typer.Argument(help="The measure's (event's) id.")],
    status: Annotated[str, typer.Option("--status", help="planned, in_progress, done, cancelled or unknown.")],
    completed: Annotated[str | None, typer.Option("--completed", help="Completion date (YYYY-MM-DD).")] = None,
    planned: Annotated[float | None, typer.Option("--budget-planned", help="Budget planned.")] = None,
    spent: Annotated[float | None, typer.Option("--budget-spent", help="Budget spent.")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="Currency unit, e.g. 'KZT mn'.")] = None,
    comment: Annotated[str | None, typer.Option("--comment", "-m", help="What was done, or why not.")] = None,
    user: UserOption = None,
    token: TokenOption = None,
) -> None:
    """Report a measure's status, completion date and budget (a new report; earlier ones are kept)."""
    from ... import connect, measures

    with connect(state.db_path) as m:
        account, scopes = _acting(m, user, token)
        kept = measures.report(
            m.framework, m.store, account, programme, measure, status, completed=completed, budget_planned=planned,
            budget_spent=spent, currency=currency, comment=comment, scopes=scopes,
        )  # fmt: skip
    err_console.print(f"measure {programme}/{measure}: {kept.status}, reported by {kept.reported_by}")
    typer.echo(kept.id)


@measures_app.command("escalate")
@handle_errors
def measures_escalate(programme: ProgrammeOption = None, as_of: AsOfOption = None) -> None:
    """Send one notice per overdue measure (e-mail to its agency's owners and admins, and the webhook); a
    measure already escalated for its deadline is not sent again.  Safe to run from cron."""
    from ... import connect, measures

    with connect(state.db_path) as m:
        sent = measures.escalate(m.framework, m.store, programme, as_of)
    for note in sent:
        typer.echo(f"{note['programme']}/{note['measure']}\t{note['deadline']}\t{','.join(note['to']) or '-'}")
    err_console.print(f"{len(sent)} overdue measure(s) escalated")
