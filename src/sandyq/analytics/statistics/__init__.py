"""Statistics of series: changes, growth indices and rates, ratios, derived indicators, printed precision.

All functions are vectorised over many series at once: pass a ``Series`` indexed
by year, or a long DataFrame with ``year``, ``value`` and key columns
(``indicator``, ``geo``, ``dims``).  Every result row carries ``flag`` and
``reason``; a value that cannot be computed is ``NaN`` *with* a reason
(:data:`FLAGS`).  Indices are in percent of the base (``GROWTH_INDEX_PT``), rates
in percent (``RATE_PT``).

:func:`matches_printed` tells whether a rounded figure printed in a source is
consistent with the figure recomputed from the source's own inputs; the
consistency audit relies on it.

>>> import pandas as pd
>>> users = pd.Series([5154157, 8376478], index=[2010, 2011])
>>> rate = chain_index(users).loc[2011, "rate"]
>>> matches_printed(rate, 62.5, 1)
True
"""

from __future__ import annotations

from ._decimals import MAX_DECIMALS, half_unit, shown_decimals
from ._derived import DERIVED, derive, derive_all
from ._frames import gap_text
from ._growth import FLAGS, absolute_change, average_growth, base_index, chain_index
from ._printed import compare_printed, matches_printed, round_half_up
from ._rates import moving_average, per_100, per_capita, ratio, share, shares_of_total

__all__ = [
    "DERIVED",
    "FLAGS",
    "MAX_DECIMALS",
    "absolute_change",
    "average_growth",
    "base_index",
    "chain_index",
    "compare_printed",
    "derive",
    "derive_all",
    "gap_text",
    "half_unit",
    "matches_printed",
    "moving_average",
    "per_100",
    "per_capita",
    "ratio",
    "round_half_up",
    "share",
    "shares_of_total",
    "shown_decimals",
]
