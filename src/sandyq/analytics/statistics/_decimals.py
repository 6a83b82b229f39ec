"""How many decimals a stored figure was printed with, and the rounding that precision allows.

A store keeps numbers, not the text they were printed as: "32" and "32.0" are the
same float.  What survives is the number of decimals that carry information, so
a figure is taken to have been printed with the fewest decimals that reproduce
it (32 → 0, 41.1 → 1, 61.9066 → 4).  That reading errs on the lenient side (a
"32.0" is treated as "32"), which is what a consistency check wants: it never
calls a rounding difference an error.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_DECIMALS", "half_unit", "shown_decimals"]

#: Figures are read with at most this many decimals (beyond it, binary noise).
MAX_DECIMALS = 6


def shown_decimals(values: npt.ArrayLike, max_decimals: int = MAX_DECIMALS) -> np.ndarray:
    """The fewest decimals (0 … ``max_decimals``) that reproduce each value; NaN gives 0.

    >>> shown_decimals([32.0, 41.1, 61.9066, 0.26, 1571.7, float("nan")]).tolist()
    [0, 1, 4, 2, 1, 0]
    """
    x = np.asarray(values, dtype=float)
    out = np.full(x.shape, max_decimals, dtype=int)
    done = ~np.isfinite(x)
    out[done] = 0
    for d in range(max_decimals + 1):  # loops over decimals, not values
        scaled = np.abs(x) * 10.0**d
        exact = np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(scaled, 1.0)
        hit = exact & ~done
        out[hit] = d
        done |= hit
    return out


def half_unit(decimals: npt.ArrayLike) -> np.ndarray:
    """Half a unit in the last printed digit: the most rounding can move a figure.

    >>> half_unit([0, 1, 2]).tolist()
    [0.5, 0.05, 0.005]
    """
    return 0.5 * 10.0 ** -np.asarray(decimals, dtype=float)
