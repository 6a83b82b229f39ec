"""The header of a table file, checked before its rows are read: names, how many, no repeats.

A table's header is read raw — before pandas or pyarrow could rename a
repeated ``OBS_VALUE`` to ``OBS_VALUE.1`` — and refused, naming the column, if

* it has more than :data:`MAX_COLUMNS` columns (a table with 20,000 columns
  is not statistics and would take minutes to validate);
* a name appears twice (after stripping spaces): which of the two columns
  holds the figure would be a guess;
* a name holds a control character (NUL, a line feed…) or is one sandyq
  keeps for itself (:data:`RESERVED`).

A blank name becomes ``Unnamed: <position>``, as pandas names it (a trailing
comma of a spreadsheet export).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ..errors import LoadError, Problem

__all__ = ["CONTROL", "MAX_COLUMNS", "RESERVED", "header_names"]

#: The most columns a table file may have.
MAX_COLUMNS = 1000
#: Names sandyq gives its own columns (the row and the value column of each record): not for a file's header.
RESERVED = frozenset({"__row__", "__col__"})
#: Control characters (C0, DEL, C1): never part of a name, code or key.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def header_names(path: Path, raw: Sequence[object]) -> list[str]:
    """The column names of ``raw`` (a header row), stripped and NFKC-normalised, or a refusal naming each bad one.

    >>> header_names(Path("f.csv"), [" INDICATOR", "", "ＯＢＳ_VALUE"])
    ['INDICATOR', 'Unnamed: 1', 'OBS_VALUE']
    """
    f = str(path)
    if len(raw) > MAX_COLUMNS:
        raise LoadError(
            f"{path}: refused: {len(raw)} columns; a table may have at most {MAX_COLUMNS}; nothing was loaded",
            [Problem(f, f"the header has {len(raw)} columns (at most {MAX_COLUMNS})", row=1)],
        )
    names = []
    problems = []
    for i, value in enumerate(raw):
        name = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
        if CONTROL.search(name):
            problems.append(Problem(f, f"column name {name!r} holds a control character", row=1, column=name))
        elif name in RESERVED:
            problems.append(Problem(f, f"{name} is a name sandyq keeps for itself; rename the column", 1, name))
        names.append(name or f"Unnamed: {i}")
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            problems.append(
                Problem(
                    f,
                    f"column appears more than once (columns {seen[name] + 1} and {i + 1}); "
                    "which one holds the figures would be a guess",
                    row=1,
                    column=name,
                )
            )
        else:
            seen[name] = i
    if problems:
        raise LoadError(f"{path}: refused: the header is not usable; nothing was loaded", problems)
    return names
