"""Analytics: statistics, target tracking and composite indices computed from the indicator store.

One subpackage per noun; each has its own ``__all__``:

* :mod:`~sandyq.analytics.statistics` — changes, growth indices and rates, ratios, derived indicators,
  printed precision;
* :mod:`~sandyq.analytics.regional` — dispersion, inequality, convergence, territory, ranking and peers;
* :mod:`~sandyq.analytics.tables` — seed 000's Tables 2–5 regenerated from the store, printed vs recomputed;
* :mod:`~sandyq.analytics.relate` — correlation and elasticity between two indicators;
* :mod:`~sandyq.analytics.audit` — the consistency audit of every published figure;
* :mod:`~sandyq.analytics.progress` — target status, projections, calibration, programme roll-up;
* :mod:`~sandyq.analytics.composite` — composite indices with audit, uncertainty and sensitivity analysis.

The package re-exports the subpackages only, so ``sandyq.analytics.progress`` is
always the subpackage, never a function of the same name.  Each subpackage is
imported when it is first used (:pep:`562`), so target tracking does not pay for
the statistics libraries of composite indices or regional convergence.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from ._results import TOO_FEW, json_safe, to_records

if TYPE_CHECKING:
    from . import audit, composite, progress, regional, relate, statistics, tables

_SUBPACKAGES = frozenset({"audit", "composite", "progress", "regional", "relate", "statistics", "tables"})

__all__ = [
    "TOO_FEW",
    "audit",
    "composite",
    "json_safe",
    "progress",
    "regional",
    "relate",
    "statistics",
    "tables",
    "to_records",
]


def __getattr__(name: str) -> ModuleType:
    """Import a subpackage the first time it is looked up as an attribute."""
    if name not in _SUBPACKAGES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f".{name}", __name__)
