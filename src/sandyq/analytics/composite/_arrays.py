"""Array types and the ranking rule shared by every step.

Ranks follow COINr (``rank(-x, ties.method = "min", na.last = "keep")``): the
highest score is rank 1, tied units share the best rank of their tie, and a
missing score has a missing rank.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "rank_ascending", "rank_descending"]

FloatArray = npt.NDArray[np.float64]


def rank_descending(scores: npt.ArrayLike, axis: int = 0) -> FloatArray:
    """Rank 1 for the highest score, ties share the lowest rank, NaN stays NaN.

    >>> rank_descending([68.4, 64.8, 64.8, float("nan"), 30.0]).tolist()
    [1.0, 2.0, 2.0, nan, 4.0]
    """
    from scipy.stats import rankdata

    a = np.asarray(scores, dtype=float)
    if a.size == 0:
        return a.copy()
    return np.asarray(rankdata(-a, method="min", axis=axis, nan_policy="omit"), dtype=float)


def rank_ascending(values: npt.ArrayLike, axis: int = 0) -> FloatArray:
    """Rank 1 for the lowest value (COINr's ``n_rank``), ties "min", NaN stays NaN.

    >>> rank_ascending([3.0, 1.0, float("nan"), 3.0, 2.0]).tolist()
    [3.0, 1.0, nan, 3.0, 2.0]
    """
    from scipy.stats import rankdata

    a = np.asarray(values, dtype=float)
    if a.size == 0:
        return a.copy()
    return np.asarray(rankdata(a, method="min", axis=axis, nan_policy="omit"), dtype=float)
