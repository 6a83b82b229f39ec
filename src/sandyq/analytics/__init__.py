"""Analytics: statistics, target tracking and composite indices computed from the indicator store.

* :mod:`~sandyq.analytics.growth` — changes, growth indices and rates, average annual growth, ratios;
* :mod:`~sandyq.analytics.derived` — indicators defined by a formula, computed on read;
* :mod:`~sandyq.analytics.regional` — dispersion, inequality, convergence, ranking and peers;
* :mod:`~sandyq.analytics.relate` — correlation and elasticity between two indicators;
* :mod:`~sandyq.analytics.tables` — seed 000's Tables 2–5 regenerated from the store, printed vs recomputed;
* :mod:`~sandyq.analytics.audit` — the consistency audit of every published figure;
* :mod:`~sandyq.analytics.progress` — target status, projections, calibration, programme roll-up;
* :mod:`~sandyq.analytics.composite` — composite indices with audit, uncertainty and sensitivity analysis.
"""

from .audit import Finding, audit
from .derived import DERIVED, derive, derive_all
from .growth import (
    absolute_change,
    average_growth,
    base_index,
    chain_index,
    compare_printed,
    matches_printed,
    moving_average,
    per_100,
    per_capita,
    ratio,
    round_half_up,
    share,
    shares_of_total,
)
from .progress import Assessment, Calibration, ProgressReport, assess, assess_status, backtest, progress, project
from .regional import beta_convergence, dispersion, gini, peer_groups, rank, sigma_convergence, theil
from .relate import Relation, relate
from .tables import SeedTable, seed_table, table_names

__all__ = [
    "DERIVED",
    "Assessment",
    "Calibration",
    "Finding",
    "ProgressReport",
    "Relation",
    "SeedTable",
    "absolute_change",
    "assess",
    "audit",
    "assess_status",
    "average_growth",
    "backtest",
    "base_index",
    "beta_convergence",
    "chain_index",
    "compare_printed",
    "derive",
    "derive_all",
    "dispersion",
    "gini",
    "matches_printed",
    "moving_average",
    "peer_groups",
    "per_100",
    "per_capita",
    "progress",
    "project",
    "rank",
    "ratio",
    "relate",
    "round_half_up",
    "seed_table",
    "share",
    "shares_of_total",
    "sigma_convergence",
    "table_names",
    "theil",
]
