"""Outputs: the command line, rendering of tables, the web dashboard and exports.

The names below are imported on first use (:pep:`562`), so ``sandyq --help``, which
imports :mod:`sandyq.outputs.cli`, does not pay for pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._render import FORMATS, render_frame

__all__ = ["FORMATS", "render_frame"]


def __getattr__(name: str) -> Any:
    """Import ``FORMATS`` and ``render_frame`` from the renderer the first time they are looked up."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("._render", __name__), name)
    globals()[name] = value
    return value
