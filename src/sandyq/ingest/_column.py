"""A column of text cells, factorised: a code per row into its distinct values, each cleaned once.

Validating a million rows cell by cell in Python is slow, but a column of
codes, geographies or periods holds few distinct values.  :func:`factorise`
finds them (with pyarrow, in C), cleans each once — stripped, compatibility
forms normalised (NFKC: full-width ``２０２３`` is ``2023``) — and every check
then runs once per distinct value and is spread to the rows by their codes
with numpy.  The values handed on are the cleaned distinct strings themselves,
so a million rows of a column share a handful of string objects.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CONTROL_IN_NOTE", "Applied", "Column", "blank", "clean", "factorise"]

#: Control characters refused in a note (tab and line breaks are allowed there, nowhere else).
CONTROL_IN_NOTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(value: object, normalise: bool = True) -> str:
    """A cell's text stripped, with compatibility forms normalised (NFKC) when it is not ASCII and ``normalise``.

    >>> clean("  ＫＡＺ "), clean(None), clean("2023"), clean(" ＫＡＺ ", normalise=False)
    ('KAZ', '', '2023', 'ＫＡＺ')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if normalise and not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


@dataclass
class Column:
    """A text column as ``codes`` (one per row, into ``values``) and its distinct cleaned ``values``.

    ``values`` ends with ``""``, the value of a missing cell (code -1).
    """

    codes: np.ndarray
    values: list[str]

    def __len__(self) -> int:
        return len(self.codes)

    def rows(self, per_value: Sequence[Any], dtype: Any = object) -> np.ndarray:
        """``per_value`` (one entry per distinct value) spread to the rows."""
        return np.asarray(per_value, dtype=dtype)[self.codes]

    def where(self, test: Callable[[str], bool]) -> np.ndarray:
        """A boolean per row: ``test`` of its value (called once per distinct value)."""
        return self.rows([test(v) for v in self.values], dtype=bool)

    def text(self) -> np.ndarray:
        """The cleaned value of every row (an object array sharing the distinct strings)."""
        return self.rows(self.values)

    def map(self, fn: Callable[[str], Any]) -> np.ndarray:
        """``fn`` of each row's value (called once per distinct value), as an object array."""
        return self.apply(fn).rows()

    def apply(self, fn: Callable[[str], Hashable]) -> Applied:
        """``fn`` of each distinct value, to spread to the rows as values, ids or a test of being None."""
        return Applied(self, [fn(v) for v in self.values])

    def describe(self, fn: Callable[[str], str]) -> Callable[[np.ndarray], list[str]]:
        """Messages for the rows at given positions: ``fn`` of each one's value (built only for those rows)."""
        return lambda at: [fn(self.values[c]) for c in self.codes[at]]

    def take(self, keep: np.ndarray) -> Column:
        """The rows where ``keep`` is true."""
        return Column(self.codes[keep], self.values)


@dataclass
class Applied:
    """A function's result for each distinct value of a column (``per_value``), spread to its rows on demand."""

    column: Column
    per_value: list[Any]

    def rows(self) -> np.ndarray:
        """The result of every row, as an object array."""
        out = np.empty(len(self.per_value), dtype=object)
        out[:] = self.per_value
        return out[self.column.codes]

    def ids(self) -> np.ndarray:
        """An id per row: rows with equal results have equal ids."""
        seen: dict[Hashable, int] = {}
        ids = np.fromiter((seen.setdefault(x, len(seen)) for x in self.per_value), dtype=np.int64)
        return ids[self.column.codes]

    def none(self) -> np.ndarray:
        """Whether each row's result is None."""
        return self.column.rows([x is None for x in self.per_value], dtype=bool)


def blank(n: int) -> Column:
    """A column of ``n`` blank cells (one a file does not have)."""
    return Column(np.zeros(n, dtype=np.int32), [""])


def factorise(series: pd.Series, normalise: bool = True) -> Column:
    """The :class:`Column` of ``series`` (any dtype; missing cells are blank); ``normalise``: NFKC (not for notes)."""
    if series.dtype == object:  # pandas < 3 hashes object text as C strings: "a\x00b" would equal "a"
        return _factorise_objects(series, normalise)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return Column(np.asarray(codes, dtype=np.int32), [clean(u, normalise) for u in uniques] + [""])


def _factorise_objects(series: pd.Series, normalise: bool) -> Column:
    """:func:`factorise` of an object column, through pyarrow's dictionary encoding (exact for any text)."""
    import pyarrow as pa

    try:
        encoded = pa.array(series, from_pandas=True).dictionary_encode()
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python objects: compare them as text
        encoded = pa.array(series.map(lambda v: None if v is None or v != v else str(v)), pa.string())
        encoded = encoded.dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    uniques = encoded.dictionary.to_pylist()
    return Column(np.asarray(codes, dtype=np.int32), [clean(u, normalise) for u in uniques] + [""])
