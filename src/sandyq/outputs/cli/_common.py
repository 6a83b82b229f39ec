"""Shared pieces of the command line: global settings, output, error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ...errors import InvalidValueError, NotFoundError, SandyqError
from ...settings import resolve
from .. import _terminal  # noqa: F401  (its catalog: the command line's sentences in kk and ru)

if TYPE_CHECKING:
    import pandas as pd

    from ... import Monitor

__all__ = [
    "AS_OF_HELP",
    "Fmt",
    "State",
    "as_of_option",
    "check_sources",
    "emit",
    "err_console",
    "handle_errors",
    "state",
]

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True, highlight=False)


#: Help of every ``--as-of`` option.
AS_OF_HELP = (
    "Figures as published by then: a date (its whole day) or an ISO 8601 date-time, UTC unless it has a zone, "
    "e.g. 2025-03-01 or 2025-03-01T10:30:00+05:00."
)


def as_of_option(value: str | None) -> str | None:
    """``value`` of an ``--as-of`` option if it is a date or a date-time; else an error saying what it must be.

    >>> as_of_option("2025-03-01T10:30Z")
    '2025-03-01T10:30Z'
    """
    from ...framework import as_of_bound

    if value is not None:
        try:
            as_of_bound(value)
        except InvalidValueError:
            raise InvalidValueError(
                f"--as-of {value!r} is not a date or a date-time (YYYY-MM-DD, or ISO 8601 such as 2025-03-01T10:30:00Z)"
            ) from None
    return value


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class State:
    """Values of the global options for this invocation (from the settings registry)."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.language: str | None = None

    @property
    def db_path(self) -> str:
        return str(resolve("db", self.db))

    @property
    def lang(self) -> str:
        return str(resolve("language", self.language))


state = State()


def check_sources(monitor: Monitor, ids: list[str] | None) -> None:
    """Refuse ``--source`` ids that neither the framework nor the store knows, naming them (``derived`` is known)."""
    if not ids:
        return
    known = {*monitor.framework.sources, *monitor.store.sources()["id"].astype(str), "derived"}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise NotFoundError(f"unknown source {', '.join(map(repr, unknown))} (known: {', '.join(sorted(known))})")


def handle_errors(func: F) -> F:
    """Turn a :class:`SandyqError` into a clear message and exit status 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SandyqError as exc:
            err_console.print(f"[bold red]error:[/] {escape(exc.summary)}", soft_wrap=True)
            for p in exc.problems[:50]:
                err_console.print(f"  - {p}", soft_wrap=True, markup=False)
            if len(exc.problems) > 50:
                err_console.print(f"  … and {len(exc.problems) - 50} more problems")
            raise typer.Exit(2) from None
        except OSError as exc:  # a file or folder we were asked to read or write
            where = exc.filename or ""
            err_console.print(
                f"[bold red]error:[/] {escape(str(where))}: {escape(exc.strerror or str(exc))}", soft_wrap=True
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def emit(frame: pd.DataFrame, fmt: Fmt | str, *, title: str | None = None, caption: str | None = None) -> None:
    """Write a frame to standard output in the chosen format."""
    from .._render import render_frame

    value = fmt.value if isinstance(fmt, Fmt) else fmt
    sys.stdout.write(render_frame(frame, value, title=title, caption=caption, language=state.lang))
