"""Aggregation of one level into the next (COINr ``a_*`` functions), for one run or many.

Children are the columns of ``values`` (``units × children``, or
``runs × units × children``); ``weights`` is a ``children × parents`` matrix
holding each child's weight in the column of its parent (0 elsewhere), or a
stack of such matrices, one per run.  Weights are relative within a group.
Missing children are skipped: their weight is dropped and the others are
rescaled, as in COINr.  With ``dat_thresh`` an aggregate is missing when the
share of available children in its group is below the threshold.  With
``renormalise=False`` the weights are used as given (an arithmetic aggregate is
Σ w·x, as DESI adds its dimensions at 25 % each), so a missing child cannot be
skipped: the aggregate is missing.

Geometric, harmonic and generalised means with negative ``p`` need positive
values; where a group contains a non-positive value the result is NaN and the
``invalid`` mask says where (COINr stops with an error instead).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray

__all__ = ["aggregate_level", "copeland", "weight_matrix"]

BoolArray = npt.NDArray[np.bool_]


def weight_matrix(parents: list[str], parent_codes: list[str], weights: npt.ArrayLike) -> FloatArray:
    """A ``children × parents`` matrix with each child's weight in its parent's column.

    >>> weight_matrix(["A", "A", "B"], ["A", "B"], [1, 2, 1]).tolist()
    [[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]]
    """
    w = np.asarray(weights, dtype=float)
    out = np.zeros((len(parents), len(parent_codes)))
    col = {p: i for i, p in enumerate(parent_codes)}
    out[np.arange(len(parents)), [col[p] for p in parents]] = w
    return out


def aggregate_level(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    membership: npt.ArrayLike,
    method: str = "arithmetic",
    p: float | None = None,
    dat_thresh: float | None = None,
    renormalise: bool = True,
) -> tuple[FloatArray, BoolArray]:
    """Aggregate children into parents; return the scores and a mask of invalid results.

    ``membership`` (``children × parents``, boolean) says which children belong
    to which parent, independently of their weights (a child with weight 0 still
    counts for ``dat_thresh``).

    Weighted arithmetic mean (COINr ``a_amean``):

    >>> m = np.array([[True], [True], [True]])
    >>> s, bad = aggregate_level([[20.0, 40.0, 60.0]], [[1.0], [1.0], [2.0]], m)
    >>> s.tolist()
    [[45.0]]

    Geometric (``a_gmean``), harmonic (``a_hmean``), generalised (``a_genmean``):

    >>> aggregate_level([[1.0, 100.0]], [[1.0], [1.0]], m[:2], "geometric")[0].round(10).tolist()
    [[10.0]]
    >>> aggregate_level([[1.0, 4.0]], [[1.0], [1.0]], m[:2], "harmonic")[0].tolist()
    [[1.6]]
    >>> aggregate_level([[3.0, 4.0]], [[1.0], [1.0]], m[:2], "generalised", p=2)[0].round(4).tolist()
    [[3.5355]]

    Missing values are skipped, unless too few children are available:

    >>> aggregate_level([[10.0, float("nan")]], [[1.0], [1.0]], m[:2])[0].tolist()
    [[10.0]]
    >>> aggregate_level([[10.0, float("nan")]], [[1.0], [1.0]], m[:2], dat_thresh=0.75)[0].tolist()
    [[nan]]

    Weights as given, not renormalised (the sum of weighted parts; a missing part leaves no aggregate):

    >>> aggregate_level([[20.0, 40.0], [20.0, float("nan")]], [[0.25], [0.25]], m[:2], renormalise=False)[0].tolist()
    [[15.0], [nan]]
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    mem = np.asarray(membership, dtype=bool)
    if method == "copeland":
        return copeland(v, w), np.zeros(v.shape[:-1] + (w.shape[-1],), dtype=bool)
    ok = ~np.isnan(v)
    okf = ok.astype(float)
    if not renormalise:
        if method != "arithmetic":
            raise ValueError(f"weights that are not renormalised need the arithmetic mean, not {method!r}")
        missing = ((~ok).astype(float) @ mem.astype(float)) > 0
        fixed = np.where(missing, np.nan, np.where(ok, v, 0.0) @ w)
        return np.asarray(fixed, dtype=float), np.zeros(fixed.shape, dtype=bool)
    den = okf @ w
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method == "arithmetic":
            out = (np.where(ok, v, 0.0) @ w) / den
            bad = np.zeros(out.shape, dtype=bool)
        elif method == "geometric":
            pos = ok & (v > 0)
            out = np.exp((np.where(pos, np.log(np.where(pos, v, 1.0)), 0.0) @ w) / den)
            bad = ((ok & ~pos).astype(float) @ mem.astype(float)) > 0
        elif method == "harmonic":
            nz = ok & (v != 0)
            out = den / (np.where(nz, 1.0 / np.where(nz, v, 1.0), 0.0) @ w)
            bad = ((ok & ~nz).astype(float) @ mem.astype(float)) > 0
        elif method == "generalised":
            if p is None or p == 0:
                raise ValueError("the generalised mean needs a non-zero exponent p (p = 0 is the geometric mean)")
            valid = ok & (v > 0) if p < 0 else ok
            out = ((np.where(valid, np.where(valid, v, 1.0) ** p, 0.0) @ w) / den) ** (1.0 / p)
            bad = ((ok & ~valid).astype(float) @ mem.astype(float)) > 0
        else:
            raise ValueError(f"unknown aggregation method {method!r}")
    out = np.where(bad, np.nan, out)
    if dat_thresh is not None:
        n_children = mem.sum(axis=0)
        avail = (okf @ mem.astype(float)) / np.maximum(n_children, 1)
        out = np.where(avail < dat_thresh, np.nan, out)
    return np.asarray(out, dtype=float), np.asarray(bad, dtype=bool)


def copeland(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Copeland outranking scores (COINr ``a_copeland``): row sums of the outranking matrix.

    For each pair of units, the outranking share is the sum of the (normalised)
    weights of the children where the first unit is better, plus half of those
    where they tie.  A unit's score is the sum of its shares against all others.

    >>> copeland([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]], [[1.0], [1.0]]).tolist()
    [[1.0], [1.0], [1.0]]
    >>> copeland([[3.0, 3.0], [2.0, 2.0], [1.0, 1.0]], [[1.0], [1.0]]).tolist()
    [[2.0], [1.0], [0.0]]
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    wsum = w.sum(axis=-2, keepdims=True)
    wn = np.divide(w, wsum, out=np.zeros_like(w), where=wsum != 0)
    a = v[..., :, None, :]
    b = v[..., None, :, :]
    share = (a > b).astype(float) + 0.5 * (a == b).astype(float)
    wn_b = wn[..., None, :, :] if wn.ndim == 3 else wn
    orm = share @ wn_b  # (..., U, U, P)
    n = v.shape[-2]
    diag = orm[..., np.arange(n), np.arange(n), :]
    return np.asarray(orm.sum(axis=-2) - diag, dtype=float)
