"""The index framework: indicators, aggregates, their levels, parents and weights.

Level 1 holds the indicators; each higher level aggregates the level below,
following ``parent``.  Weights are relative within a group (COINr's convention):
only their ratios inside one parent matter.  The structure is immutable;
:meth:`Structure.with_weights` returns a copy with some weights replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from ._arrays import FloatArray

__all__ = ["Node", "Structure"]


@dataclass(frozen=True)
class Node:
    """One indicator (level 1) or aggregate (level ≥ 2) of the framework."""

    code: str
    level: int
    parent: str | None = None
    weight: float = 1.0
    direction: int = 1
    name: str = ""
    denominator: str | None = None
    unit: str | None = None
    target: float | None = None
    goalposts: tuple[float, float] | None = None


@dataclass(frozen=True)
class Structure:
    """Nodes of an index, ordered by level; see :func:`Structure.check` for the rules.

    >>> s = Structure((Node("a", 1, "P"), Node("b", 1, "P", weight=3), Node("P", 2)))
    >>> s.effective_weights().to_dict()
    {'a': 0.25, 'b': 0.75, 'P': 1.0}
    """

    nodes: tuple[Node, ...]
    level_names: tuple[str, ...] = ()

    def check(self) -> list[str]:
        """Problems with the structure (empty if it is valid)."""
        problems: list[str] = []
        codes = [n.code for n in self.nodes]
        seen: set[str] = set()
        for c in codes:
            if c in seen:
                problems.append(f"code {c!r} is used twice")
            seen.add(c)
        by_code = {n.code: n for n in self.nodes}
        if not any(n.level == 1 for n in self.nodes):
            problems.append("there are no indicators (level 1)")
        top = max((n.level for n in self.nodes), default=1)
        for n in self.nodes:
            if n.direction not in (1, -1):
                problems.append(f"{n.code}: direction must be 1 or -1, not {n.direction}")
            if not np.isfinite(n.weight) or n.weight < 0:
                problems.append(f"{n.code}: weight must be a non-negative number, not {n.weight}")
            if n.parent is None:
                if n.level != top:
                    problems.append(f"{n.code} (level {n.level}) has no parent; only level-{top} nodes may have none")
                continue
            parent = by_code.get(n.parent)
            if parent is None:
                problems.append(f"{n.code}: parent {n.parent!r} is not defined")
            elif parent.level != n.level + 1:
                problems.append(
                    f"{n.code} (level {n.level}): parent {n.parent!r} is at level {parent.level}, not {n.level + 1}"
                )
        for n in self.nodes:
            if n.level > 1 and not any(c.parent == n.code for c in self.nodes):
                problems.append(f"aggregate {n.code!r} (level {n.level}) has no children")
        return problems

    # -- lookups ---------------------------------------------------------------
    @cached_property
    def max_level(self) -> int:
        return max(n.level for n in self.nodes)

    @cached_property
    def _by_code(self) -> dict[str, Node]:
        return {n.code: n for n in self.nodes}

    def node(self, code: str) -> Node:
        return self._by_code[code]

    def codes(self, level: int | None = None) -> list[str]:
        """Codes at ``level`` (all codes, level by level, if None)."""
        if level is None:
            return [n.code for lev in range(1, self.max_level + 1) for n in self.nodes if n.level == lev]
        return [n.code for n in self.nodes if n.level == level]

    @property
    def indicators(self) -> list[str]:
        return self.codes(1)

    @property
    def top(self) -> str:
        """Code of the (first) node at the highest level, normally the index."""
        return self.codes(self.max_level)[0]

    def directions(self) -> FloatArray:
        return np.array([self.node(c).direction for c in self.indicators], dtype=float)

    def weights(self, level: int) -> FloatArray:
        return np.array([self.node(c).weight for c in self.codes(level)], dtype=float)

    def level_name(self, level: int) -> str:
        if 0 < level <= len(self.level_names):
            return self.level_names[level - 1]
        return f"Level {level}"

    def membership(self, level: int) -> np.ndarray:
        """Boolean ``children × parents`` matrix from ``level`` to ``level + 1``."""
        kids, parents = self.codes(level), self.codes(level + 1)
        col = {p: j for j, p in enumerate(parents)}
        out = np.zeros((len(kids), len(parents)), dtype=bool)
        for i, k in enumerate(kids):
            parent = self.node(k).parent
            if parent is not None:
                out[i, col[parent]] = True
        return out

    def weight_matrix(self, level: int, weights: FloatArray | None = None) -> FloatArray:
        """``children × parents`` matrix of the weights of ``level`` (or of the given weights)."""
        w = self.weights(level) if weights is None else weights
        return self.membership(level) * w[:, None]

    def ancestor(self, code: str, level: int) -> str | None:
        """The ancestor of ``code`` at ``level`` (itself if it is at that level)."""
        node: Node | None = self.node(code)
        while node is not None and node.level < level:
            node = self.node(node.parent) if node.parent else None
        return node.code if node is not None and node.level == level else None

    def effective_weights(self) -> pd.Series:
        """Weight of every node in the top-level score (COINr ``get_eff_wts``).

        Weights are first made to sum to 1 within each group, then multiplied by
        the effective weight of the parent, from the top down.
        """
        eff: dict[str, float] = {}
        for level in range(self.max_level, 0, -1):
            codes = self.codes(level)
            groups: dict[str | None, float] = {}
            for c in codes:
                groups[self.node(c).parent] = groups.get(self.node(c).parent, 0.0) + self.node(c).weight
            for c in codes:
                n = self.node(c)
                share = n.weight / groups[n.parent] if groups[n.parent] > 0 else 0.0
                eff[c] = share * (eff[n.parent] if n.parent is not None else 1.0)
        return pd.Series({c: eff[c] for c in self.codes()}, name="EffWeight", dtype=float)

    def with_weights(self, weights: Mapping[str, float]) -> Structure:
        """A copy with the weights of the named nodes replaced.

        >>> s = Structure((Node("a", 1, "P"), Node("b", 1, "P"), Node("P", 2)))
        >>> s.with_weights({"a": 3}).effective_weights()["a"]
        np.float64(0.75)
        """
        unknown = set(weights) - set(self._by_code)
        if unknown:
            raise KeyError(f"unknown codes: {', '.join(sorted(unknown))}")
        nodes = tuple(replace(n, weight=float(weights[n.code])) if n.code in weights else n for n in self.nodes)
        return Structure(nodes, self.level_names)

    def table(self) -> pd.DataFrame:
        """The structure as an iMeta-like table."""
        rows = [
            {
                "iCode": n.code,
                "iName": n.name,
                "Level": n.level,
                "Parent": n.parent,
                "Weight": n.weight,
                "Direction": n.direction,
                "Denominator": n.denominator,
                "Unit": n.unit,
                "Target": n.target,
            }
            for n in (self.node(c) for c in self.codes())
        ]
        return pd.DataFrame(rows).set_index("iCode")
