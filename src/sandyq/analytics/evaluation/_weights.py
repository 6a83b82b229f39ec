"""Weights on the simplex: the synthdid Frank-Wolfe solver and an exact simplex least-squares solver.

Both solve ``min ||A w - b||² (+ ridge)`` over ``w ≥ 0, Σ w = 1``.  :func:`frank_wolfe` is the solver of the
``synthdid`` R package (``sc.weight.fw``), step for step, so the published estimates are reproduced to the
digit; :func:`simplex_least_squares` is exact (Lawson–Hanson active set, with the sum constraint as a heavily
weighted row), for the synthetic control of Abadie, Diamond & Hainmueller (2010) with a predictor weighting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["FitResult", "frank_wolfe", "frank_wolfe_many", "simplex_least_squares", "sparsify", "sum_normalize"]

Array = Any  # numpy arrays (numpy is imported at module level: this module is never loaded at CLI start)


class FitResult:
    """Weights and the objective's value after each Frank-Wolfe iteration."""

    __slots__ = ("values", "weights")

    def __init__(self, weights: Array, values: list[float]) -> None:
        self.weights = weights
        self.values = values


def sum_normalize(x: Array) -> Array:
    """``x`` scaled to sum to one; uniform when it sums to zero (synthdid's ``sum_normalize``).

    >>> sum_normalize(np.array([1.0, 3.0])).tolist(), sum_normalize(np.zeros(2)).tolist()
    ([0.25, 0.75], [0.5, 0.5])
    """
    x = np.asarray(x, dtype=float)
    total = x.sum()
    return x / total if total != 0 else np.full(len(x), 1.0 / len(x))


def sparsify(v: Array) -> Array:
    """synthdid's two-step sparsification: weights at or below a quarter of the largest set to zero, renormalised.

    >>> np.round(sparsify(np.array([0.1, 0.5, 0.4])), 6).tolist()
    [0.0, 0.555556, 0.444444]
    """
    v = np.where(v <= v.max() / 4, 0.0, v)
    return v / v.sum()


def frank_wolfe(
    y: Array,
    zeta: float,
    *,
    intercept: bool = True,
    start: Array | None = None,
    min_decrease: float = 1e-3,
    max_iter: int = 1000,
) -> FitResult:
    """synthdid's ``sc.weight.fw``: weights ``w`` on the columns of ``y[:, :-1]`` that fit its last column.

    Minimises ``zeta² Σw² + ||y[:, :-1] w − y[:, -1]||² / n`` over the simplex (rows demeaned first when
    ``intercept``), stopping when an iteration improves the objective by less than ``min_decrease²``.  Each step
    is the package's (``fw.step``: the vertex of the smallest gradient, the exact line search clipped to [0, 1]).

    >>> y = np.array([[1.0, 3.0, 2.0], [2.0, 4.0, 3.0], [0.0, 2.0, 1.0]])
    >>> np.round(frank_wolfe(y, 1e-6, intercept=False, max_iter=10000).weights, 4).tolist()
    [0.5, 0.5]
    """
    fits = frank_wolfe_many(
        [y],
        [zeta],
        intercept=intercept,
        starts=None if start is None else [start],
        min_decrease=[min_decrease],
        max_iter=max_iter,
    )
    return fits[0]


def _frank_wolfe_one(
    y: Array, zeta: float, intercept: bool, start: Array | None, min_decrease: float, max_iter: int
) -> FitResult:
    """One problem: the same steps as :func:`frank_wolfe_many`, with the scalars as Python floats (faster)."""
    y = np.asarray(y, dtype=float)
    n, k = y.shape[0], y.shape[1] - 1
    x = np.full(k, 1.0 / k) if start is None else np.asarray(start, dtype=float).copy()
    if intercept:
        y = y - y.mean(axis=0)
    a, b = y[:, :k], y[:, k]
    eta, z2 = n * zeta**2, zeta**2
    gram, c, bb = a.T @ a, a.T @ b, float(b @ b)
    diag = np.diag(gram).tolist()
    cols = (gram - c[:, None]).T.copy()  # row i: A'a_i − A'b, how the half gradient moves toward vertex i
    cl = c.tolist()
    h = gram @ x - c + eta * x  # the half gradient A'(Ax − b) + eta x
    xgx, cx, xx = float(x @ gram @ x), float(c @ x), float(x @ x)
    values: list[float] = []
    limit = min_decrease**2
    while len(values) < max_iter and (len(values) < 2 or values[-2] - values[-1] > limit):
        i = int(h.argmin())
        xi, hi = float(x[i]), float(h[i])
        gi = hi + cl[i] - eta * xi  # (A'A x)_i
        denom = (diag[i] - 2.0 * gi + xgx) + eta * (xx - 2.0 * xi + 1.0)
        step = 0.0 if denom <= 0.0 else min(1.0, max(0.0, (xgx - cx + eta * xx - hi) / denom))
        if step > 0.0:  # x ← x + step (e_i − x); a zero direction (x already the vertex) leaves x unchanged
            r = 1.0 - step
            xgx = r * r * xgx + 2.0 * step * r * gi + step * step * diag[i]
            xx = r * r * xx + 2.0 * step * r * xi + step * step
            cx = r * cx + step * cl[i]
            x *= r
            x[i] += step
            h *= r
            h += step * cols[i]
            h[i] += eta * step
        values.append(z2 * xx + (xgx - 2.0 * cx + bb) / n)
    return FitResult(x, values)


def frank_wolfe_many(
    ys: Sequence[Array],
    zetas: Sequence[float],
    *,
    intercept: bool = True,
    starts: Sequence[Array | None] | None = None,
    min_decrease: Sequence[float],
    max_iter: int = 1000,
) -> list[FitResult]:
    """:func:`frank_wolfe` on many problems at once (placebos, jackknife and bootstrap samples), in lockstep.

    Each problem keeps its own stopping rule; problems of different sizes are padded (rows of zeros after
    demeaning, columns the step never chooses).  The products are kept up to date in the Gram matrix's terms, so
    an iteration costs a few array operations for all problems together.

    >>> y = np.array([[1.0, 3.0, 2.0], [2.0, 4.0, 3.0], [0.0, 2.0, 1.0]])
    >>> fits = frank_wolfe_many([y, y[:2, 1:]], [1e-6, 1e-6], intercept=False, min_decrease=[1e-3, 1e-3])
    >>> [np.round(f.weights, 4).tolist() for f in fits]
    [[0.5, 0.5], [1.0]]
    """
    count = len(ys)
    if count == 1:
        return [
            _frank_wolfe_one(
                ys[0], zetas[0], intercept, None if starts is None else starts[0], min_decrease[0], max_iter
            )
        ]
    mats = [np.asarray(m, dtype=float) for m in ys]
    if intercept:
        mats = [m - m.mean(axis=0) for m in mats]
    sizes = np.array([m.shape[0] for m in mats], dtype=float)
    widths = [m.shape[1] - 1 for m in mats]
    n_max, k_max = int(sizes.max()), max(widths)
    a = np.zeros((count, n_max, k_max))
    b = np.zeros((count, n_max))
    x = np.zeros((count, k_max))
    block = np.zeros((count, k_max))
    for j, m in enumerate(mats):
        rows, k = m.shape[0], widths[j]
        a[j, :rows, :k], b[j, :rows] = m[:, :k], m[:, k]
        start = None if starts is None else starts[j]
        x[j, :k] = np.full(k, 1.0 / k) if start is None else np.asarray(start, dtype=float)
        block[j, k:] = np.inf
    z2 = np.asarray(zetas, dtype=float) ** 2
    eta = sizes * z2
    limit = np.asarray(min_decrease, dtype=float) ** 2
    gram = np.einsum("bni,bnj->bij", a, a)
    c = np.einsum("bni,bn->bi", a, b)
    bb = np.einsum("bn,bn->b", b, b)
    diag = np.einsum("bii->bi", gram).copy()
    cols = gram - c[:, None, :]  # [b, i, :]: A'a_i − A'b (the Gram matrix is symmetric)
    gx = np.einsum("bij,bj->bi", gram, x)
    h = gx - c + eta[:, None] * x  # the half gradient A'(Ax − b) + eta x
    xgx, cx, xx = np.einsum("bi,bi->b", x, gx), np.einsum("bi,bi->b", c, x), np.einsum("bi,bi->b", x, x)
    padded = any(w != k_max for w in widths)
    trail = np.full((max_iter, count), np.nan)  # the objective after each iteration
    last = np.zeros(count, dtype=int)
    out_x = x.copy()
    ids = np.arange(count)  # the problems still in the batch (finished ones are dropped from time to time)
    active = np.ones(count, dtype=bool)
    t = 0
    while t < max_iter:
        rows_idx = np.arange(len(ids))
        i = (h + block).argmin(axis=1) if padded else h.argmin(axis=1)
        xi, hi, di, ci = x[rows_idx, i], h[rows_idx, i], diag[rows_idx, i], c[rows_idx, i]
        gi = hi + ci - eta * xi  # (A'A x)_i
        denom = (di - 2.0 * gi + xgx) + eta * (xx - 2.0 * xi + 1.0)
        step = np.divide(xgx - cx + eta * xx - hi, denom, out=np.zeros(len(ids)), where=active & (denom > 0.0))
        np.clip(step, 0.0, 1.0, out=step)  # a zero direction (x already the vertex) leaves x unchanged
        r = 1.0 - step
        sr2 = 2.0 * step * r
        r2, s2 = r * r, step * step
        xgx = r2 * xgx + sr2 * gi + s2 * di
        xx = r2 * xx + sr2 * xi + s2
        cx = r * cx + step * ci
        rc = r[:, None]
        x *= rc
        x[rows_idx, i] += step
        h *= rc
        toward = cols[rows_idx, i]
        toward *= step[:, None]
        h += toward
        h[rows_idx, i] += eta * step
        trail[t, ids] = z2 * xx + (xgx - 2.0 * cx + bb) / sizes
        last[ids[active]] = t
        t += 1
        if t < 2:
            continue
        active &= trail[t - 2, ids] - trail[t - 1, ids] > limit
        if not active.any():
            break
        if t % 50 == 0 and active.sum() < 0.75 * len(ids):  # compact: keep the problems still running
            out_x[ids[~active]] = x[~active]
            keep = active
            ids, x, h, block, cols, diag, c = ids[keep], x[keep], h[keep], block[keep], cols[keep], diag[keep], c[keep]
            eta, z2, limit, sizes, bb = eta[keep], z2[keep], limit[keep], sizes[keep], bb[keep]
            xgx, cx, xx = xgx[keep], cx[keep], xx[keep]
            active = np.ones(len(ids), dtype=bool)
    out_x[ids] = x
    x = out_x
    values = [trail[: last[j] + 1, j].tolist() for j in range(count)]
    return [FitResult(x[j, : widths[j]].copy(), values[j]) for j in range(count)]


def simplex_least_squares(a: Array, b: Array, v: Array | None = None) -> Array:
    """Exact ``argmin_w (b − A w)' diag(v) (b − A w)`` over ``w ≥ 0, Σ w = 1`` (ADH's W given V).

    The sum constraint enters as a row weighted far above the data, so Lawson–Hanson non-negative least squares
    (``scipy.optimize.nnls``, an exact active-set method) solves the constrained problem.

    >>> a = np.array([[1.0, 3.0], [2.0, 4.0], [0.0, 2.0]])
    >>> np.round(simplex_least_squares(a, np.array([2.0, 3.0, 1.0])), 6).tolist()
    [0.5, 0.5]
    """
    from scipy.optimize import nnls

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    root = np.sqrt(np.ones(len(b)) if v is None else np.asarray(v, dtype=float))
    aw, bw = a * root[:, None], b * root
    big = 1e4 * max(1.0, float(np.abs(aw).max(initial=0.0)), float(np.abs(bw).max(initial=0.0)))
    w, _ = nnls(np.vstack([aw, np.full(a.shape[1], big)]), np.append(bw, big), maxiter=50 * a.shape[1] + 100)
    return sum_normalize(np.clip(w, 0.0, None))
