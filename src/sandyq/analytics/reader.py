"""What the analytics read from: a framework, a store, and observations with derived values.

:class:`Reader` is the analytics layer's own description of its input, so that
no analytic imports the public API above it (:class:`sandyq.Monitor`, which is
one).  Anything with these three members will do: a test double, or a wrapper
that restricts what is visible.

>>> import sandyq
>>> with sandyq.connect(":memory:") as m:
...     isinstance(m, Reader)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, runtime_checkable

import pandas as pd

from ..framework import Framework
from ..store import Store

__all__ = ["Reader"]


@runtime_checkable
class Reader(Protocol):
    """The framework, the store, and :meth:`observations` (stored values plus values derived by formula)."""

    @property
    def framework(self) -> Framework:
        """Programmes, indicators and geography (with the indicators the store added)."""
        ...

    @property
    def store(self) -> Store:
        """The indicator store, for what only it holds: sources, documents, printed values, loads."""
        ...

    def observations(
        self,
        indicator: str | Sequence[str] | None = None,
        geo: str | Sequence[str] | None = None,
        *,
        as_of: date | datetime | str | None = None,
        dims: str | dict[str, object] | None = "",
        start: int | None = None,
        end: int | None = None,
        source: str | Sequence[str] | None = None,
        derived: bool = True,
    ) -> pd.DataFrame:
        """Observations in force ``as_of`` a date, with values of formula indicators computed from their inputs."""
        ...
