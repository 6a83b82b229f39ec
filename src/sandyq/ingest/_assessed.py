"""Values a source marks as "not assessed": missing with a status, never a 0 that enters averages.

Some sources print a placeholder where they did not assess a unit: the UN
E-Government Survey 2012 gives Libya, the Central African Republic and Guinea
an EGDI of 0 and an Online Service Index of 0 because they were not assessed.
Loaded as figures, those zeros would pull every mean and rank down.  A file's
``not_assessed`` option says which cells are such placeholders:

* ``values``: for each column, the cell texts that mean "not assessed";
* ``when`` (optional): a column whose cell marks the whole row: the cells of
  ``values`` count as not assessed only in rows where this column's cell is one
  of its own ``values`` (a real score of 0 elsewhere stays a score).

Such cells are not loaded: each is recorded as a load issue of kind
``not_assessed`` (file, row, column, the key and the printed placeholder), so the
audit reports them (rule ``not_assessed``) and a reader sees a gap, not a zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import LoadError, Problem
from ._layouts import COL
from ._read import ROW

__all__ = ["NotAssessed", "not_assessed_cells"]


@dataclass(frozen=True)
class NotAssessed:
    """Which cells of a file a source marks as not assessed (see the module).

    >>> NotAssessed.of({"values": {"osi": ["0"]}, "when": "osi"}).when
    'osi'
    >>> NotAssessed.of({"osi": ["0"]}).values
    {'osi': ('0',)}
    """

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    when: str | None = None

    @classmethod
    def of(cls, spec: NotAssessed | Mapping[str, object] | None) -> NotAssessed:
        """The option from a manifest's mapping (``values``/``when``, or just column → texts), or as given."""
        if spec is None:
            return cls()
        if isinstance(spec, NotAssessed):
            return spec
        raw = spec.get("values") if "values" in spec else spec
        when = spec.get("when") if "values" in spec else None
        if not isinstance(raw, Mapping) or not all(isinstance(v, Sequence) for v in raw.values()):
            raise LoadError("not_assessed: give values as a mapping of column → list of texts")
        if when is not None and (not isinstance(when, str) or when not in raw):
            raise LoadError(f"not_assessed: 'when' must name one of the columns of 'values', not {when!r}")
        values = {str(k): tuple(str(t) for t in v) for k, v in raw.items()}
        return cls(values, when)

    def __bool__(self) -> bool:
        return bool(self.values)


def not_assessed_cells(long: pd.DataFrame, text: pd.Series, spec: NotAssessed) -> np.ndarray:
    """Which rows of a long table (one cell each, with its source row ``ROW`` and column ``COL``) are not assessed.

    >>> long = pd.DataFrame({ROW: [2, 2, 3, 3], COL: ["egdi", "osi", "egdi", "osi"]})
    >>> text = pd.Series(["0", "0", "0.5", "0"])
    >>> not_assessed_cells(long, text, NotAssessed({"egdi": ("0",), "osi": ("0",)}, when="egdi")).tolist()
    [True, True, False, False]
    """
    marked = np.zeros(len(long), dtype=bool)
    if not spec or not len(long):
        return marked
    col = long[COL].astype(str)
    for column, tokens in spec.values.items():
        marked |= (col == column).to_numpy(dtype=bool) & text.isin(list(tokens)).to_numpy(dtype=bool)
    if spec.when is not None:
        rows = set(long.loc[marked & (col == spec.when).to_numpy(dtype=bool), ROW].tolist())
        marked &= long[ROW].isin(rows).to_numpy(dtype=bool)
    return marked


def messages(text: pd.Series, spec: NotAssessed) -> list[str]:
    """The load issue's text for each not-assessed cell."""
    row = f" (the row's {spec.when} marks it not assessed)" if spec.when else ""
    return [f"{t} marks a unit the source did not assess{row}; recorded as missing, not loaded" for t in text]


def problems(rows: pd.DataFrame, file: str, texts: list[str]) -> list[Problem]:
    """One resolved problem per set-aside cell (file, row, column, message)."""
    return [Problem(file, m, row=int(r), column=str(c)) for r, c, m in zip(rows[ROW], rows[COL], texts, strict=True)]
