"""Statistical audit of a built index (the JRC/COINr coherence checks).

* indicator statistics with flags (skew and kurtosis, availability, zeros);
* correlations of each indicator/aggregate with its parent and with the index,
  flagging weak, negative or non-significant ones;
* pairs of highly correlated indicators inside the same group (double counting);
* Cronbach's alpha and the first principal component of each group;
* the rank change when each component is dropped (COINr ``remove_elements``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._arrays import rank_descending
from ._pipeline import aggregate_all
from ._results import IndexResult
from ._stats import cronbach_alpha, describe
from ._structure import Node, Structure
from ._weights import first_component_loadings

__all__ = [
    "AuditReport",
    "audit",
    "collinear_pairs",
    "cronbach",
    "drop_one",
    "group_coherence",
    "parent_correlations",
]


def _example() -> IndexResult:
    """A four-unit, two-pillar index used by the examples below."""
    s = Structure(
        (
            Node("a", 1, "P"),
            Node("b", 1, "P"),
            Node("c", 1, "Q"),
            Node("d", 1, "Q"),
            Node("P", 2, "I"),
            Node("Q", 2, "I"),
            Node("I", 3),
        )
    )
    norm = pd.DataFrame(
        {"a": [0, 50, 100, 20.0], "b": [10, 40, 90, 30.0], "c": [100, 0, 50, 60.0], "d": [80, 20, 40, 70.0]},
        index=list("WXYZ"),
    )
    return IndexResult.from_normalised(s, norm)


def _corr_p(x: pd.Series, y: pd.Series, method: str) -> tuple[float, float, int]:
    from scipy import stats as sps

    ok = x.notna() & y.notna()
    n = int(ok.sum())
    if n < 3 or x[ok].nunique() < 2 or y[ok].nunique() < 2:
        return float("nan"), float("nan"), n
    a, b = x[ok].to_numpy(), y[ok].to_numpy()
    if method == "pearson":
        r, p = sps.pearsonr(a, b)
    elif method == "spearman":
        r, p = sps.spearmanr(a, b)
    else:
        r, p = sps.kendalltau(a, b)
    return float(r), float(p), n


def cronbach(result: IndexResult, group: str, dataset: str = "Normalised", level: int = 1) -> float:
    """Cronbach's alpha of the level-``level`` members of ``group`` in ``dataset`` (``COINr::get_cronbach``).

    ``cronbach(result, "P2P", "Raw")`` is COINr's
    ``get_cronbach(coin, dset = "Raw", iCodes = "P2P", Level = 1)``.

    >>> round(cronbach(_example(), "P"), 4)
    0.9777
    """
    s = result.structure
    codes = [c for c in s.codes(level) if s.ancestor(c, s.node(group).level) == group]
    data = result.scores() if dataset == "Aggregated" else result.dataset(dataset)
    return cronbach_alpha(data[codes].to_numpy())


def parent_correlations(
    result: IndexResult, method: str = "pearson", weak: float = 0.3, pval: float = 0.05
) -> pd.DataFrame:
    """Correlation of every node with its parent and with the index, with flags.

    Flags: ``negative`` (r < 0), ``weak`` (|r| < ``weak``), ``not significant``
    (p > ``pval``).  Computed on the aggregated data set (normalised indicators
    and their aggregates).

    >>> t = parent_correlations(_example())
    >>> round(float(t.loc["a", "r_parent"]), 3), t.loc["a", "Flag"], t.loc["P", "Flag"]
    (0.997, 'ok', 'not significant')
    """
    s = result.structure
    data = result.scores()
    top = s.top
    rows = []
    for code in s.codes():
        node = s.node(code)
        if node.parent is None:
            continue
        r, p, n = _corr_p(data[code], data[node.parent], method)
        r_top, _, _ = _corr_p(data[code], data[top], method)
        flags = [f for f, bad in (("negative", r < 0), ("weak", abs(r) < weak), ("not significant", p > pval)) if bad]
        rows.append(
            {
                "Code": code,
                "Level": node.level,
                "Parent": node.parent,
                "r_parent": r,
                "p_parent": p,
                "r_index": r_top,
                "n": n,
                "Flag": ", ".join(flags) or "ok",
            }
        )
    return pd.DataFrame(rows).set_index("Code")


def collinear_pairs(
    result: IndexResult,
    threshold: float = 0.9,
    level: int = 1,
    group_level: int = 2,
    method: str = "pearson",
    dataset: str = "Normalised",
) -> pd.DataFrame:
    """Pairs within the same group at ``group_level`` correlated above ``threshold`` (``get_corr_flags``).

    >>> collinear_pairs(_example(), threshold=0.95).round(3).to_dict("records")
    [{'Group': 'P', 'Ind1': 'a', 'Ind2': 'b', 'Corr': 0.985}]
    """
    s = result.structure
    data = result.scores() if dataset == "Aggregated" or level > 1 else result.dataset(dataset)
    codes = s.codes(level)
    corr = data[codes].corr(method=method)
    rows = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            g = s.ancestor(a, group_level)
            if g is not None and g == s.ancestor(b, group_level) and corr.loc[a, b] > threshold:
                rows.append({"Group": g, "Ind1": a, "Ind2": b, "Corr": float(corr.loc[a, b])})
    return pd.DataFrame(rows, columns=["Group", "Ind1", "Ind2", "Corr"])


def group_coherence(result: IndexResult, dataset: str = "Normalised") -> pd.DataFrame:
    """For each aggregate: members, Cronbach's alpha and the first principal component.

    Level-2 groups use ``dataset`` (indicators); higher groups use the aggregates below.

    >>> group_coherence(_example()).loc["P", ["Members", "Cronbach"]].round(3).tolist()
    [2.0, 0.978]
    """
    s = result.structure
    agg = result.scores()
    base = result.dataset(dataset) if dataset != "Aggregated" else agg
    rows = []
    for level in range(2, s.max_level + 1):
        for parent in s.codes(level):
            kids = [c for c in s.codes(level - 1) if s.node(c).parent == parent]
            data = (base if level == 2 else agg)[kids].to_numpy()
            load, share = first_component_loadings(data) if len(kids) > 1 else (np.array([1.0]), 1.0)
            rows.append(
                {
                    "Code": parent,
                    "Level": level,
                    "Members": len(kids),
                    "Cronbach": cronbach_alpha(data) if len(kids) > 1 else float("nan"),
                    "PC1_share": share,
                    "PC1_min_loading": float(np.nanmin(load)) if load.size else float("nan"),
                }
            )
    return pd.DataFrame(rows).set_index("Code")


def drop_one(result: IndexResult, level: int, target: str | None = None) -> pd.DataFrame:
    """Rank change of ``target`` when each component of ``level`` is dropped (``COINr::remove_elements``).

    A component is dropped by setting its weight to zero and re-aggregating the
    normalised data; returns, per dropped component, the mean and the largest
    absolute rank change over units.

    >>> drop_one(_example(), level=1)["MeanAbsDiff"].to_dict()
    {'c': 0.5, 'a': 0.0, 'b': 0.0, 'd': 0.0}
    """
    s = result.structure
    target = target or s.top
    x = result.dataset("Normalised")[s.indicators].to_numpy()
    col = s.codes().index(target)
    nominal = rank_descending(aggregate_all(s, x, result.aggregation)[:, col])
    rows = []
    for code in s.codes(level):
        scores = aggregate_all(s.with_weights({code: 0.0}), x, result.aggregation)[:, col]
        diff = np.abs(rank_descending(scores) - nominal)
        rows.append(
            {
                "Code": code,
                "MeanAbsDiff": float(np.nanmean(diff)) if (~np.isnan(diff)).any() else np.nan,
                "MaxAbsDiff": float(np.nanmax(diff)) if (~np.isnan(diff)).any() else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("Code").sort_values("MeanAbsDiff", ascending=False)


@dataclass(frozen=True)
class AuditReport:
    """All audit tables of one build."""

    statistics: pd.DataFrame
    statistics_treated: pd.DataFrame
    correlations: pd.DataFrame
    collinear: pd.DataFrame
    coherence: pd.DataFrame
    drop_one: dict[int, pd.DataFrame]
    treatment: pd.DataFrame | None

    def flagged(self) -> pd.DataFrame:
        """Indicators with at least one statistical flag."""
        flags = self.statistics[[c for c in self.statistics.columns if c.startswith("Flag.")]]
        bad = (flags != "ok").any(axis=1)
        return self.statistics.loc[bad, ["Skew", "Kurt", "Frc.Avail", "Frc.NonZero", *flags.columns]]


def audit(result: IndexResult, method: str = "pearson", collinear: float = 0.9) -> AuditReport:
    """Run every audit check on a built index."""
    s = result.structure
    return AuditReport(
        statistics=describe(result.dataset("Raw")),
        statistics_treated=describe(result.dataset("Treated"))
        if "Treated" in result.datasets
        else describe(result.dataset("Raw")),
        correlations=parent_correlations(result, method),
        collinear=collinear_pairs(result, collinear, method=method),
        coherence=group_coherence(result),
        drop_one={lev: drop_one(result, lev) for lev in range(1, s.max_level)},
        treatment=result.treatment,
    )
