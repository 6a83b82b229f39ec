"""A result the dashboard cannot show, and why: the page and the API say so instead of making one up.

>>> require(Unavailable("index", "no data in the store"))
Traceback (most recent call last):
...
sandyq.outputs.web._unavailable.NotAvailableError: index is not available: no data in the store
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from ...errors import SandyqError

__all__ = ["NotAvailableError", "Unavailable", "require"]

T = TypeVar("T")


@dataclass(frozen=True)
class Unavailable:
    """A computation that cannot be shown, and why (e.g. it failed on the data in the store)."""

    what: str
    reason: str
    #: Not yet: being computed in the background (the page says so and looks again in a few seconds).
    pending: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"available": False, "what": self.what, "reason": self.reason}


class NotAvailableError(SandyqError):
    """A computation this installation cannot provide (the API answers 503)."""


def require(value: T | Unavailable) -> T:
    """``value`` itself, or :class:`NotAvailableError` saying why it is unavailable."""
    if isinstance(value, Unavailable):
        raise NotAvailableError(f"{value.what} is not available: {value.reason}")
    return value
