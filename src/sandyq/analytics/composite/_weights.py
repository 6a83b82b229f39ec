"""Weights: equal, PCA-based, and noisy replications for uncertainty analysis.

PCA weights follow ``COINr::get_PCA``: within each group, the loadings of the
first principal component of the standardised children (complete rows only).
Loadings are oriented so that they sum to a positive number; they can still be
negative or very unequal, which the caller reports.  Noisy weights follow
``COINr::get_noisy_weights``: each weight of a chosen level is multiplied by
``1 + u`` with ``u`` uniform on ``[-f, f]``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray
from ._structure import Structure

__all__ = ["first_component_loadings", "pca_weights"]


def first_component_loadings(x: npt.ArrayLike) -> tuple[FloatArray, float]:
    """Loadings of the first principal component of the standardised columns, and its variance share.

    Rows with a missing value are dropped (``prcomp`` on complete cases).

    >>> load, share = first_component_loadings([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.0]])
    >>> load.round(3).tolist(), round(share, 3)
    ([0.707, 0.707], 1.0)
    """
    a = np.asarray(x, dtype=float)
    a = a[~np.isnan(a).any(axis=1)]
    if a.shape[0] < 2 or a.shape[1] == 0:
        return np.full(a.shape[1], np.nan), float("nan")
    sd = a.std(axis=0, ddof=1)
    z = (a - a.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    load = vt[0]
    if load.sum() < 0:
        load = -load
    var = s**2
    return np.asarray(load, dtype=float), float(var[0] / var.sum()) if var.sum() > 0 else float("nan")


def pca_weights(structure: Structure, level: int, values: npt.ArrayLike) -> dict[str, float]:
    """PCA weights of the nodes of ``level`` from their ``values`` (rows × codes of that level)."""
    v = np.asarray(values, dtype=float)
    codes = structure.codes(level)
    out: dict[str, float] = {}
    for parent in structure.codes(level + 1):
        idx = [i for i, c in enumerate(codes) if structure.node(c).parent == parent]
        if len(idx) == 1:
            out[codes[idx[0]]] = 1.0
            continue
        load, _ = first_component_loadings(v[:, idx])
        for i, w in zip(idx, load, strict=True):
            out[codes[i]] = float(w)
    return out
