"""People and the submission workflow on the command line: ``user``, ``token``, ``submit``, ``review``, ``trail``.

The command line runs beside the store, so it acts for the account named by
``--user`` (or by an API token, ``--token``/``SANDYQ_TOKEN``), with that
account's role: an owner submits, a reviewer decides.  Secrets (a new
password, a new token) are printed once and never kept.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import Fmt, emit, err_console, handle_errors, state

if TYPE_CHECKING:
    from ... import Monitor
    from ...store import Account

__all__ = ["register"]

user_app = typer.Typer(help="Accounts: add, list, role, disable, enable.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for machine submissions: create, list, revoke.", no_args_is_help=True)
review_app = typer.Typer(help="Submissions awaiting review: list, show, approve, reject, return.", no_args_is_help=True)

UserOption = Annotated[
    str | None, typer.Option("--user", "-u", help="The account you act as (its role decides what you may do).")
]
TokenOption = Annotated[
    str | None, typer.Option("--token", envvar="SANDYQ_TOKEN", help="An API token instead of --user.", show_envvar=True)
]


def register(app: typer.Typer) -> None:
    """Add ``user``, ``token``, ``submit``, ``review`` and ``trail`` to ``app``."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(review_app, name="review")
    app.command("submit")(submit)
    app.command("trail")(trail)


def _acting(m: Monitor, user: str | None, token: str | None) -> tuple[Account, tuple[str, ...] | None]:
    """The account the command acts for, and the token's scopes (None: a named user, all its role allows)."""
    from ... import people
    from ...errors import AuthenticationError, UsageError
    from ...store import accounts

    if token:
        return people.token_user(m.store, token)
    if not user:
        raise UsageError("say who you act as: --user NAME or --token TOKEN")
    account, _ = accounts.account_named(m.store, user)
    if not account.active:
        raise AuthenticationError(f"account {user!r} is disabled")
    return account, None


@user_app.command("add")
@handle_errors
def user_add(
    name: Annotated[str, typer.Argument(help="The account's name (no spaces).")],
    role: Annotated[str, typer.Option("--role", help="admin, reviewer, owner or viewer.")] = "viewer",
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", "-i", help="An indicator an owner owns (repeat).")
    ] = None,
    agency: Annotated[
        str, typer.Option("--agency", help="The agency an owner speaks for: a source id or publisher.")
    ] = "",
    email: Annotated[str | None, typer.Option("--email", help="Where notifications go.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (else one is made).")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the audit trail.")] = None,
) -> None:
    """Add an account; a password made for it is printed once."""
    from ... import connect, people

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with connect(state.db_path) as m:
        account, secret = people.add_user(
            m.store, name, role, password, indicators=indicator or (), agency=agency, email=email, reason=reason
        )
    err_console.print(f"account {account.name} ({account.role}) added")
    if password is None:
        typer.echo(f"password: {secret}")


@user_app.command("list")
@handle_errors
def user_list(format: Annotated[Fmt, typer.Option("--format")] = Fmt.table) -> None:
    """List the accounts with their roles and scopes."""
    import pandas as pd

    from ... import connect
    from ...store import accounts

    with connect(state.db_path, read_only=True) as m:
        rows = [a.to_dict() | {"indicators": ",".join(a.indicators)} for a in accounts.accounts(m.store)]
    emit(pd.DataFrame(rows, columns=["name", "role", "indicators", "agency", "email", "active", "created"]), format)


def _set_active(name: str, active: bool, reason: str | None) -> None:
    from ... import connect
    from ...store import accounts

    with connect(state.db_path) as m:
        accounts.set_active(m.store, name, active, reason=reason)
    err_console.print(f"account {name} {'enabled' if active else 'disabled'}")


@user_app.command("disable")
@handle_errors
def user_disable(
    name: Annotated[str, typer.Argument(help="The account.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the audit trail.")] = None,
) -> None:
    """Disable an account: it can no longer sign in and its tokens stop working (nothing is deleted)."""
    _set_active(name, False, reason)


@user_app.command("enable")
@handle_errors
def user_enable(
    name: Annotated[str, typer.Argument(help="The account.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the audit trail.")] = None,
) -> None:
    """Enable a disabled account again."""
    _set_active(name, True, reason)


@user_app.command("role")
@handle_errors
def user_role(
    name: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Argument(help="admin, reviewer, owner or viewer.")],
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", "-i", help="The indicators an owner owns (repeat; replaces).")
    ] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="The agency an owner speaks for.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the audit trail.")] = None,
) -> None:
    """Change an account's role or what it owns (recorded in the audit trail)."""
    from ... import connect
    from ...store import accounts

    with connect(state.db_path) as m:
        account = accounts.set_role(m.store, name, role, indicators=indicator, agency=agency, reason=reason)
    err_console.print(f"account {account.name}: {account.role} {','.join(account.indicators)} {account.agency}".strip())


@token_app.command("create")
@handle_errors
def token_create(
    name: Annotated[str, typer.Argument(help="The account the token speaks for.")],
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="submit, review or read (repeat); default: submit.")
    ] = None,
    days: Annotated[float, typer.Option("--days", help="Days until it expires.")] = 90,
    note: Annotated[str | None, typer.Option("--note", help="What the token is for.")] = None,
) -> None:
    """Create an API token; the token is printed once (only its hash is kept)."""
    from ... import connect, people

    with connect(state.db_path) as m:
        token, secret = people.create_token(m.store, name, scope or ["submit"], days=days, note=note)
    err_console.print(f"token {token.id} for {name}, {','.join(token.scopes)}, expires {token.expires:%Y-%m-%d}")
    typer.echo(secret)


@token_app.command("list")
@handle_errors
def token_list(format: Annotated[Fmt, typer.Option("--format")] = Fmt.table) -> None:
    """List the tokens (never their secrets): whose, scopes, expiry, revoked."""
    import pandas as pd

    from ... import connect
    from ...store import accounts

    with connect(state.db_path, read_only=True) as m:
        rows = [t.to_dict() | {"scopes": ",".join(t.scopes)} for t in accounts.tokens(m.store)]
    emit(pd.DataFrame(rows, columns=["id", "account", "scopes", "note", "created", "expires", "revoked"]), format)


@token_app.command("revoke")
@handle_errors
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (see `sandyq token list`).")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the audit trail.")] = None,
) -> None:
    """Revoke a token: it stops working at once."""
    from ... import connect
    from ...store import accounts

    with connect(state.db_path) as m:
        accounts.revoke_token(m.store, token_id, reason=reason)
    err_console.print(f"token {token_id} revoked")


@handle_errors
def submit(
    file: Annotated[Path, typer.Argument(help="A data file in any format `sandyq load` takes.")],
    user: UserOption = None,
    token: TokenOption = None,
    format: Annotated[str | None, typer.Option("--format", help="As for `sandyq load`.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A word for the reviewer.")] = None,
) -> None:
    """Submit figures for review: validated exactly like `sandyq load`, published only when a reviewer approves."""
    from ... import alerts, connect, flow

    outbox: list[alerts.Notice] = []
    with connect(state.db_path) as m:
        account, scopes = _acting(m, user, token)
        frame = flow.read_upload(m, file, format=format)
        sid = flow.submit(
            m, account, frame, file=file.name, format=format or "file", note=note, scopes=scopes, outbox=outbox
        )
    alerts.send(outbox)  # once the store is let go: a slow mail server holds no other writer up
    err_console.print(f"submission of {len(frame)} figures awaits review")
    typer.echo(sid)


@review_app.command("list")
@handle_errors
def review_list(
    status: Annotated[str | None, typer.Option("--status", help="pending, approved, rejected, returned.")] = "pending",
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List submissions (by default those awaiting review), newest first."""
    import pandas as pd

    from ... import connect
    from ...store import submissions

    with connect(state.db_path, read_only=True) as m:
        rows = submissions.submissions(m.store, status=status or None)
    cols = ["id", "account", "status", "created", "file", "indicators", "row_count", "decided_by", "comment"]
    emit(pd.DataFrame(rows, columns=cols), format)


@review_app.command("show")
@handle_errors
def review_show(
    sid: Annotated[str, typer.Argument(help="The submission's id.")],
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Show a submission as a diff against what is published: new, revised, unchanged, with flags."""
    from ... import connect, flow
    from ...analytics.audit import finding_names
    from ...store import submissions

    with connect(state.db_path, read_only=True) as m:
        info, rows = submissions.submission(m.store, sid)
        names = finding_names(m.framework)
    err_console.print(f"submission {sid} by {info['account']}: {info['status']}, {info['row_count']} figures")
    if state.lang != "en":  # each warning said in the reader's language, joined as stored
        rows["flags"] = [flow.SEPARATOR.join(flow.said_flags(f, state.lang, names)) for f in rows["flags"]]
    emit(rows.drop(columns=["row_number"]), format)


def _decide(sid: str, decision: str, user: str | None, token: str | None, comment: str | None) -> None:
    from ... import alerts, connect, flow

    outbox: list[alerts.Notice] = []
    with connect(state.db_path) as m:
        account, scopes = _acting(m, user, token)
        report = flow.decide(m, account, sid, decision, comment, scopes, outbox=outbox)
    alerts.send(outbox)  # once the store is let go
    if report is not None:
        err_console.print(
            f"published: {report.added} added, {report.revised} revised, vintage {report.vintage.isoformat()}"
        )
    else:
        err_console.print(f"submission {sid}: {decision}ed")


CommentOption = Annotated[str | None, typer.Option("--comment", "-m", help="Why (needed to reject or return).")]


@review_app.command("approve")
@handle_errors
def review_approve(
    sid: Annotated[str, typer.Argument()],
    user: UserOption = None,
    token: TokenOption = None,
    comment: CommentOption = None,
) -> None:
    """Approve a submission: its figures are published as a new vintage."""
    _decide(sid, "approve", user, token, comment)


@review_app.command("reject")
@handle_errors
def review_reject(
    sid: Annotated[str, typer.Argument()],
    user: UserOption = None,
    token: TokenOption = None,
    comment: CommentOption = None,
) -> None:
    """Reject a submission (nothing is published), saying why."""
    _decide(sid, "reject", user, token, comment)


@review_app.command("return")
@handle_errors
def review_return(
    sid: Annotated[str, typer.Argument()],
    user: UserOption = None,
    token: TokenOption = None,
    comment: CommentOption = None,
) -> None:
    """Send a submission back to its owner to correct, saying what."""
    _decide(sid, "return", user, token, comment)


@handle_errors
def trail(
    format: Annotated[Fmt, typer.Option("--format", help="table, json or csv (every event).")] = Fmt.table,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the latest N events.")] = None,
) -> None:
    """The audit trail, newest first: every submission, decision, publication and account or token change."""
    from ... import connect
    from ...store import accounts

    with connect(state.db_path, read_only=True) as m:
        events = accounts.audit_frame(m.store, limit)
    emit(events, format)
