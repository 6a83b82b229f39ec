"""A rebuilt index next to the published one: does sandyq's rebuild reproduce what the publisher printed?

When an index specification rebuilds a published composite from its published
components (EGDI from OSI, HCI and TII; DESI from its weighted dimensions), the
rebuild and the published values should agree within the rounding of the
printed figures.  :func:`compare_published` puts them side by side for every
unit where both exist, with the difference and whether it lies within the
tolerance; a departure is either an error in the published figures or a
difference of method (EGDI 2010), which is for the statistician to say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import NotFoundError
from ..reader import Reader
from ..statistics import shown_decimals
from ._results import IndexResult

__all__ = ["compare_published"]


def compare_published(
    result: IndexResult,
    reader: Reader,
    indicator: str,
    *,
    code: str | None = None,
    source: str | None = None,
    tolerance: float | None = None,
) -> pd.DataFrame:
    """The rebuilt scores of ``code`` (default: the index) beside the published values of ``indicator``.

    One row per unit of ``result`` that has a published value in the result's period: ``geo``,
    ``period``, ``rebuilt``, ``published``, ``difference`` (rebuilt − published), ``tolerance`` and
    ``agrees``.  The tolerance is ``tolerance`` if given, else half a unit of the last decimal
    printed in the published value.  ``source`` is the publisher's source (default: the
    indicator's own).  Units without a published value are left out (nothing to compare).
    """
    reader.framework.indicator(indicator)
    code = code or result.index_code
    scores = result.scores()
    if code not in scores.columns:
        raise NotFoundError(f"unknown code {code!r} in the index (codes: {', '.join(scores.columns)})")
    period = result.period
    src = source or reader.framework.indicators[indicator].source
    obs = reader.observations(indicator, start=period, end=period, dims="")
    obs = obs[obs["source"] == src] if period is not None else obs.iloc[0:0]
    published = obs.groupby("geo")["value"].last()
    rebuilt = scores[code].rename("rebuilt")
    both = pd.concat([rebuilt, published.rename("published")], axis=1, join="inner").dropna()
    out = both.rename_axis("geo").reset_index()
    out.insert(1, "period", period)
    out["difference"] = out["rebuilt"] - out["published"]
    if tolerance is None:
        half = 0.5 * 10.0 ** (-shown_decimals(out["published"].to_numpy(dtype=float)).astype(float))
        out["tolerance"] = half
    else:
        out["tolerance"] = float(tolerance)
    slack = 1e-9 * np.maximum(1.0, out["published"].abs().to_numpy())
    out["agrees"] = out["difference"].abs().to_numpy() <= out["tolerance"].to_numpy() + slack
    return out.sort_values(["agrees", "geo"], kind="stable").reset_index(drop=True)
