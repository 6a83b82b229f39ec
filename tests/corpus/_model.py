"""What a corpus case is: an input built at test time, how it is run, and the outcome it must have.

A :class:`Case` writes its input into a folder (a file, a folder, command-line arguments or an HTTP request)
and declares what must happen:

* :class:`Refused` — a :class:`sandyq.errors.SandyqError` subclass (the CLI: exit status ≠ 0 without a
  traceback; the API: a 4xx JSON error) whose text names where the problem is (file, row, column, field or
  option), with every store table unchanged;
* :class:`Loads` — accepted, with exactly the expected observations (or framework ids, or an HTTP 200);
* :class:`Either` — one of two precise outcomes, only where the fix may legitimately go either way (a
  full-width digit may be normalised by NFKC or refused, never stored as it is).

The runner (:mod:`tests.corpus._run`) turns running a case into an :class:`Outcome`, and :func:`judge`
lists what is wrong with it (nothing: the case passes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ApiCall",
    "Case",
    "CliCall",
    "Either",
    "Expectation",
    "FrameworkCall",
    "LoadCall",
    "Loads",
    "Obs",
    "Outcome",
    "Refused",
    "judge",
]

#: One observation as compared: indicator, geo, period, dims, source, value, unit, status, note.
Obs = tuple[str, str, str, str, str, float, str, str | None, str | None]


@dataclass(frozen=True)
class LoadCall:
    """``sandyq.load_file(store, path, framework, **options)``."""

    path: Path
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FrameworkCall:
    """``sandyq.load_framework(folder, include_default=...)``."""

    folder: Path
    include_default: bool = False


@dataclass(frozen=True)
class CliCall:
    """``sandyq <args>`` in-process (``{db}`` in an argument is the corpus store's path)."""

    args: tuple[str, ...]
    writes: bool = False  # the command may write to the store: run it on a scratch copy


@dataclass(frozen=True)
class ApiCall:
    """One HTTP request to the dashboard's application over the corpus store."""

    path: str
    method: str = "GET"


Call = LoadCall | FrameworkCall | CliCall | ApiCall


@dataclass(frozen=True)
class Refused:
    """Refused with a clear error that names where the problem is; nothing is loaded.

    ``error`` is the kind expected (a subclass name of :class:`~sandyq.errors.SandyqError`; ``SandyqError``
    accepts any kind).  ``names`` are words the error's text must contain (a file name, an option or a
    parameter).  ``row`` and ``column`` must both be named by one problem (a column may be given under any of
    several names: the file's header or sandyq's canonical one); a row is also accepted as "row N"/"line N"
    in the text.  ``field`` must be part of one problem's path (a framework field such as ``targets[0].value``).
    ``status`` is the HTTP status of an API refusal (default: any 4xx).
    """

    error: str = "SandyqError"
    names: tuple[str, ...] = ()
    row: int | None = None
    column: tuple[str, ...] = ()
    field: str | None = None
    status: int | None = None


@dataclass(frozen=True)
class Loads:
    """Accepted, with exactly the expected result.

    For a data file: the store holds exactly ``rows`` afterwards, or the rows of the reference load
    ``reference`` (the pristine file the case was made from), changed by ``edit``.  ``vintage`` (a date
    ``YYYY-MM-DD``), if given, is the vintage every row must carry.  For a framework folder: ``ids`` are the
    ids it must define.  For the CLI: exit status 0.  For the API: HTTP 200 with a JSON or CSV body.
    """

    rows: tuple[Obs, ...] | None = None
    reference: str | None = None
    edit: Callable[[list[Obs]], list[Obs]] | None = None
    vintage: str | None = None
    ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Either:
    """One of two outcomes, each precise (used only where a fix may go either way)."""

    first: Refused | Loads
    second: Refused | Loads


Expectation = Refused | Loads | Either


@dataclass(frozen=True)
class Case:
    """One bad or borderline input and what must happen to it.

    ``make`` writes the input under the given folder and returns the call to make.  ``isolate`` runs the
    case in a forked process under a memory limit of that many bytes (bombs and resource hogs); every case
    runs under a time limit of ``seconds``.  A ``bounded`` case may still be running at its time limit (within
    its memory budget): that counts as accepted (a computation asked to run for hours, e.g. ``--runs 10⁹``).
    """

    id: str
    make: Callable[[Path], Call]
    expect: Expectation
    isolate: int | None = None
    seconds: float = 10.0
    bounded: bool = False

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass
class Outcome:
    """What running a case did.

    ``error`` is the exception's class name (None: no exception), ``kinds`` the names of its classes (to
    compare with an expected kind), ``text`` its message with every problem (the CLI's output, the API's
    body), ``problems`` the problems as dicts.  ``status`` is the CLI's exit status or the HTTP status.
    ``rows`` are the observations stored after an accepted load (``ids`` the framework's ids), ``changed``
    whether any store table changed, ``crash`` a description of a crash, a hang or a traceback.
    """

    error: str | None = None
    kinds: tuple[str, ...] = ()
    text: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    status: int | None = None
    rows: list[Obs] | None = None
    vintages: tuple[str, ...] = ()
    ids: tuple[str, ...] | None = None
    changed: bool = False
    crash: str | None = None
    seconds: float = 0.0


def judge(outcome: Outcome, expect: Expectation, reference: Callable[[str], list[Obs]]) -> list[str]:
    """Everything wrong with ``outcome`` given ``expect`` (empty: as expected).

    ``reference(name)`` gives the observations of a reference load.
    """
    if outcome.crash:
        return [f"crashed: {outcome.crash}"]
    if isinstance(expect, Either):
        first = judge(outcome, expect.first, reference)
        if not first:
            return []
        second = judge(outcome, expect.second, reference)
        if not second:
            return []
        return [f"neither outcome: ({'; '.join(first)}) nor ({'; '.join(second)})"]
    if isinstance(expect, Refused):
        return _judge_refused(outcome, expect)
    return _judge_loads(outcome, expect, reference)


_ROW_WORDS = "(?:row|line|observation|obs)"


def _judge_refused(outcome: Outcome, expect: Refused) -> list[str]:
    if outcome.error is None:
        wrong = [f"accepted (status {outcome.status}); expected a refusal"]
        return wrong + (["the store changed"] if outcome.changed else [])
    wrong = []
    if expect.error not in outcome.kinds:
        wrong.append(f"raised {outcome.error}, expected {expect.error}: {outcome.text[:300]!r}")
    if expect.status is not None and outcome.status != expect.status:
        wrong.append(f"status {outcome.status}, expected {expect.status}")
    text = outcome.text
    for word in expect.names:
        if word.lower() not in text.lower():
            wrong.append(f"the error does not name {word!r}: {text[:400]!r}")
    if (expect.row is not None or expect.column) and not _names_cell(outcome, expect):
        where = f"row {expect.row}" if expect.row is not None else ""
        where += f" column {'/'.join(expect.column)}" if expect.column else ""
        wrong.append(f"no problem names {where.strip()}: {_problems_text(outcome)[:500]!r}")
    named = expect.field is None or expect.field in text
    if not named and not any(str(expect.field) in str(p.get("path") or "") for p in outcome.problems):
        wrong.append(f"no problem names the field {expect.field!r}: {_problems_text(outcome)[:500]!r}")
    if outcome.changed:
        wrong.append("the store changed although the input was refused")
    return wrong


def _problems_text(outcome: Outcome) -> str:
    if not outcome.problems:
        return outcome.text
    return "; ".join(f"row={p.get('row')} column={p.get('column')} {p.get('message')}" for p in outcome.problems[:8])


def _row_in(text: str, row: int) -> bool:
    return bool(re.search(rf"\b{_ROW_WORDS}s? {row}\b", text, re.IGNORECASE))


def _names_cell(outcome: Outcome, expect: Refused) -> bool:
    """Whether one problem names the expected row and column (structured, or in its message)."""
    columns = {c.lower() for c in expect.column}
    for p in outcome.problems:
        message = str(p.get("message") or "")
        if expect.row is not None and p.get("row") != expect.row and not _row_in(message, expect.row):
            continue
        column = str(p.get("column") or "").lower()
        if columns and column not in columns and not any(c in message.lower() for c in columns):
            continue
        return True
    if outcome.problems:
        return False
    # the CLI and the API report problems as text
    row_ok = expect.row is None or _row_in(outcome.text, expect.row)
    return row_ok and (not columns or any(c in outcome.text.lower() for c in columns))


def _judge_loads(outcome: Outcome, expect: Loads, reference: Callable[[str], list[Obs]]) -> list[str]:
    if outcome.error is not None:
        return [f"refused ({outcome.error}), expected to load: {outcome.text[:500]!r}"]
    if outcome.status is not None and outcome.status not in (0, 200):
        return [f"status {outcome.status}, expected success: {outcome.text[:400]!r}"]
    if expect.ids is not None:
        if outcome.ids is None or sorted(outcome.ids) != sorted(expect.ids):
            return [f"defined {outcome.ids}, expected {expect.ids}"]
        return []
    if expect.rows is None and expect.reference is None:
        return []
    wanted = list(expect.rows) if expect.rows is not None else list(reference(str(expect.reference)))
    if expect.edit is not None:
        wanted = expect.edit(wanted)
    got = outcome.rows or []
    wrong = []
    if sorted(got, key=_sort_key) != sorted(wanted, key=_sort_key):
        missing = [r for r in wanted if r not in got][:3]
        extra = [r for r in got if r not in wanted][:3]
        wrong.append(f"stored {len(got)} observations, expected {len(wanted)}; missing {missing}, unexpected {extra}")
    if expect.vintage is not None and set(outcome.vintages) != {expect.vintage}:
        wrong.append(f"vintages {sorted(set(outcome.vintages))}, expected {expect.vintage}")
    return wrong


def _sort_key(row: Obs) -> tuple[str, ...]:
    return tuple("" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row)
