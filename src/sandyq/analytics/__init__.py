"""Analytics: statistics, target tracking and composite indices computed from the indicator store.

One subpackage per noun; each has its own ``__all__``:

* :mod:`~sandyq.analytics.statistics` — changes, growth indices and rates, ratios, derived indicators,
  printed precision;
* :mod:`~sandyq.analytics.regional` — dispersion, inequality, convergence, territory, ranking and peers;
* :mod:`~sandyq.analytics.tables` — seed 000's Tables 2–5 regenerated from the store, printed vs recomputed;
* :mod:`~sandyq.analytics.relate` — correlation and elasticity between two indicators;
* :mod:`~sandyq.analytics.audit` — the consistency audit of every published figure;
* :mod:`~sandyq.analytics.progress` — target status, projections, calibration, programme roll-up;
* :mod:`~sandyq.analytics.composite` — composite indices with audit, uncertainty and sensitivity analysis;
* :mod:`~sandyq.analytics.evaluation` — policy evaluation: synthetic control, synthetic DiD, DiD, placebos;
* :mod:`~sandyq.analytics.reader` — :class:`~sandyq.analytics.reader.Reader`, what the analytics read from
  (a :class:`sandyq.Monitor` is one);
* :mod:`~sandyq.analytics.results` — results as JSON-safe values for the CLI and the API.

The package re-exports its modules only, so ``sandyq.analytics.progress`` is
always the subpackage, never a function of the same name.  No analytic imports
the public API (:mod:`sandyq`): each takes a :class:`~sandyq.analytics.reader.Reader`.
Heavy libraries (scipy, statsmodels, SALib) are imported inside the functions
that use them, so importing every subpackage here stays cheap.
"""

from . import audit, composite, evaluation, progress, reader, regional, relate, results, statistics, tables

__all__ = [
    "audit",
    "composite",
    "evaluation",
    "progress",
    "reader",
    "regional",
    "relate",
    "results",
    "statistics",
    "tables",
]
