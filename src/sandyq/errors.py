"""Errors that sandyq reports to its users.

Every error a user can cause (a bad file, an unknown code, a broken framework)
is a :class:`SandyqError` carrying one or more :class:`Problem` records, each of
which names *where* the problem is (file, row, column or field path) and *what*
is wrong.  The CLI prints these and exits with a non-zero status instead of a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FrameworkError", "InvalidValueError", "LoadError", "NotFoundError", "Problem", "SandyqError", "refused"]


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
    """Base class: a summary line plus the problems behind it."""

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
