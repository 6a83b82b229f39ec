"""Errors that sandyq reports to its users.

Every error a user can cause (a bad file, an unknown code, a broken framework)
is a :class:`SandyqError` carrying one or more :class:`Problem` records, each of
which names *where* the problem is (file, row, column or field path) and *what*
is wrong.  The CLI prints these and exits with a non-zero status instead of a
traceback.

Code raises one of the subclasses, never the base class itself, so that a caller
can tell the kinds apart (the web layer answers :class:`NotFoundError` with 404)
while ``except SandyqError`` still catches them all:

* :class:`InvalidValueError`: a parameter or option has a value sandyq cannot use;
* :class:`UsageError`: arguments that do not fit together (one contradicts or needs another);
* :class:`NotFoundError`: an indicator, geography, source or other id does not exist;
* :class:`DataError`: data handed to a computation lack the form it needs (columns, one value per key);
* :class:`ComputationError`: the data have the right form, but the result is undefined for them;
* :class:`SpecError`: a composite-index specification is invalid or does not fit its data;
* :class:`FrameworkError`: the framework (programmes, indicators, geography) is invalid;
* :class:`LoadError`: a data file was refused; nothing from it was loaded;
* :class:`StoreError`: the store cannot be opened or used as it is;
* :class:`OutputError`: a file or folder cannot be written, or data cannot take the requested form;
* :class:`AuthenticationError`: no one is signed in, or the password or token is wrong, expired or revoked (401);
* :class:`TooManyAttemptsError`: too many failed sign-ins lately (429);
* :class:`PermissionDeniedError`: the signed-in account may not do this (403);
* :class:`ConflictError`: the change clashes with one made meanwhile (409);
* :class:`InternalError`: an invariant of sandyq itself broke (a bug to report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "AuthenticationError",
    "ComputationError",
    "ConflictError",
    "DataError",
    "FrameworkError",
    "InternalError",
    "InvalidValueError",
    "LoadError",
    "NotFoundError",
    "OutputError",
    "PermissionDeniedError",
    "Problem",
    "SandyqError",
    "SpecError",
    "StoreError",
    "TooManyAttemptsError",
    "UsageError",
    "refused",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where it is.

    >>> str(Problem("data.csv", "bad value 'x'", row=3, column="OBS_VALUE"))
    "data.csv, row 3, column 'OBS_VALUE': bad value 'x'"
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.path:
            parts.append(f"at {self.path}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


@dataclass
class SandyqError(Exception):
    """Base class: a summary line plus the problems behind it.

    Catch it to handle every sandyq error; raise one of its subclasses.
    """

    summary: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary)

    def __str__(self) -> str:
        lines = [self.summary]
        shown = self.problems[:50]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  … and {len(self.problems) - len(shown)} more problems")
        return "\n".join(lines)


def refused(where: str, problems: list[Problem]) -> LoadError:
    """The error for a file (or folder) refused with ``problems``: nothing from it is loaded.

    >>> refused("data.csv", [Problem("data.csv", "x")]).summary
    'data.csv: refused: 1 problem; nothing was loaded'
    """
    n = len(problems)
    return LoadError(f"{where}: refused: {n} problem{'s' if n != 1 else ''}; nothing was loaded", problems)


class FrameworkError(SandyqError):
    """The framework (programmes, indicators, glossary, geography) is invalid."""


class LoadError(SandyqError):
    """A data file was refused; nothing from it was loaded."""


class NotFoundError(SandyqError):
    """An indicator, geography, programme or other id does not exist."""


class InvalidValueError(SandyqError, ValueError):
    """A parameter has a value sandyq cannot use (e.g. a date that is not a date).

    It is also a :class:`ValueError`, so code that validates values can catch either.
    """


class UsageError(SandyqError):
    """Arguments that do not fit together: one contradicts another, or needs one that is missing.

    >>> isinstance(UsageError("--target needs --target-year"), SandyqError)
    True
    """


class DataError(SandyqError):
    """Data handed to a computation lack the form it needs.

    A frame without a required column, a Series not indexed by year, several rows
    for one key where one is expected, or arrays of different lengths.
    """


class ComputationError(SandyqError):
    """The data have the right form, but the result is undefined for them.

    No values at all, too few points, values that are all 0 or negative, or no
    indicator that varies, so the statistic cannot be computed.
    """


class SpecError(SandyqError):
    """A composite-index specification is invalid, cannot be read, or does not fit its data."""


class StoreError(SandyqError):
    """The store cannot be opened or used as it is (missing, too new a schema, inconsistent)."""


class OutputError(SandyqError):
    """A file or folder cannot be written, or the data cannot take the requested output form."""


class AuthenticationError(SandyqError):
    """No one is signed in, or the name, password or token given is wrong, disabled, expired or revoked (401)."""


class TooManyAttemptsError(AuthenticationError):
    """Too many failed sign-ins of one account from one address lately: wait before trying again (429)."""

    retry_after: int = 900


class PermissionDeniedError(SandyqError):
    """The account is known, but its role or scope does not allow what it asked (403)."""


class ConflictError(SandyqError):
    """The change clashes with one made meanwhile: already decided, or the published figure moved (409)."""


class InternalError(SandyqError):
    """An invariant of sandyq itself broke: a bug to report, not a user's mistake."""
