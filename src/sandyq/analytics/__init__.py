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
always the subpackage, never a function of the same name.
"""

from . import audit, composite, progress, regional, relate, statistics, tables
from ._results import TOO_FEW, json_safe, to_records

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
