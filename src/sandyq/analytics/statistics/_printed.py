"""Is a printed figure consistent with the figure computed from its inputs?

Statistical tables print rounded numbers ("109,8 %", "62,5 %", "32").  A printed
figure with ``d`` decimals is consistent with a computed value when rounding the
computed value *half up* (half away from zero, as statistical offices do) to
``d`` decimals gives the printed figure.  This is what the consistency audit
uses to tell a rounding difference from a real discrepancy.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["compare_printed", "matches_printed", "round_half_up"]

ArrayLike = npt.ArrayLike


def _scaled(values: ArrayLike, decimals: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    scale = 10.0 ** np.asarray(decimals, dtype=float)
    # Round away binary noise first: 2.675 is stored as 2.67499999…, printed as 2.68.
    return np.round(x * scale, 9), scale


@overload
def round_half_up(values: float, decimals: int = 0) -> float: ...
@overload
def round_half_up(values: ArrayLike, decimals: ArrayLike = 0) -> np.ndarray | float: ...
def round_half_up(values: ArrayLike, decimals: ArrayLike = 0) -> np.ndarray | float:
    """Round half away from zero to ``decimals`` places (``numpy.round`` rounds half to even).

    >>> round_half_up(2.5), round_half_up(-2.5), round_half_up(2.675, 2)
    (3.0, -3.0, 2.68)
    >>> round_half_up([31.599, 55.516], 0).tolist()
    [32.0, 56.0]
    """
    scaled, scale = _scaled(values, decimals)
    out = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale
    return float(out) if out.ndim == 0 else out


@overload
def matches_printed(computed: float, printed: float, decimals: int) -> bool: ...
@overload
def matches_printed(computed: ArrayLike, printed: ArrayLike, decimals: ArrayLike) -> np.ndarray | bool: ...
def matches_printed(computed: ArrayLike, printed: ArrayLike, decimals: ArrayLike) -> np.ndarray | bool:
    """Whether ``printed`` (with ``decimals`` places) is ``computed`` rounded half up.

    A computed ``NaN`` matches nothing.  Scalars give a ``bool``, arrays an array.

    >>> matches_printed(8376478 / 5154157 * 100 - 100, 62.5, 1)
    True
    >>> matches_printed(120.66, 109.8, 1)
    False
    >>> matches_printed([31.6, 41.178], [32, 41.1], [0, 1]).tolist()
    [True, False]
    """
    rounded = np.asarray(round_half_up(computed, decimals), dtype=float)
    shown = np.asarray(printed, dtype=float)
    tolerance = 1e-6 * 10.0 ** -np.asarray(decimals, dtype=float)
    ok = np.isfinite(rounded) & (np.abs(rounded - shown) <= tolerance)
    return bool(ok) if ok.ndim == 0 else ok


def compare_printed(computed: ArrayLike, printed: ArrayLike, decimals: ArrayLike) -> pd.DataFrame:
    """A table of computed vs printed figures: what rounding gives, the difference, and a verdict.

    ``difference`` is printed − computed; ``off_by`` is that difference in units of
    the last printed digit (beyond ±0.5 the printed figure cannot be a rounding).

    >>> t = compare_printed([62.5189, 41.1784], [62.5, 41.1], 1)
    >>> t[["rounded", "matches", "off_by"]].to_dict("list")
    {'rounded': [62.5, 41.2], 'matches': [True, False], 'off_by': [-0.19, -0.78]}
    >>> t["reason"].tolist()
    ['', 'printed 41.1, but 41.1784 rounds to 41.2']
    """
    comp = np.asarray(computed, dtype=float).ravel()
    shown = np.broadcast_to(np.asarray(printed, dtype=float), comp.shape)
    dec = np.broadcast_to(np.asarray(decimals, dtype=int), comp.shape)
    rounded = np.asarray(round_half_up(comp, dec), dtype=float).reshape(comp.shape)
    ok = np.asarray(matches_printed(comp, shown, dec), dtype=bool).reshape(comp.shape)
    diff = shown - comp
    off_by = np.round(diff * 10.0**dec, 2)
    fmt = np.vectorize(lambda v, d: f"{v:.{int(d)}f}", otypes=[object])
    reason = np.where(
        ~np.isfinite(comp),
        "the computed value is not available",
        np.where(
            ok,
            "",
            "printed "
            + fmt(shown, dec).astype(str)
            + ", but "
            + np.char.mod("%.6g", comp)
            + " rounds to "
            + fmt(np.nan_to_num(rounded), dec).astype(str),
        ),
    )
    return pd.DataFrame(
        {
            "computed": comp,
            "printed": shown,
            "decimals": dec,
            "rounded": rounded,
            "difference": diff,
            "off_by": off_by,
            "matches": ok,
            "reason": reason,
        }
    )
