"""The import graph of ``src/sandyq`` obeys the layers: calls go downwards only, without cycles.

Every module is parsed with :mod:`ast`; every import counts (module level, inside
functions and under ``TYPE_CHECKING``), relative imports are resolved, and each
module is mapped to its layer (lowest first): foundation → framework → ingest
(with connectors) → store → analytics → API (``sandyq._api`` and the package
root) → outputs (with ``sandyq.__main__``).  The rules, each one test case:

* **upward** — no module imports a module of a higher layer;
* **cycles** — no two modules import each other, directly or through others
  (strongly connected components of the graph);
* **private** — outputs and connectors import other packages by their public
  names, never their ``_private`` modules (private siblings within one package
  are fine);
* **analytics-modules** — every attribute of the :mod:`sandyq.analytics` package
  is a module, so ``sandyq.analytics.progress`` is never a function of that name.

A small test plants an upward import and a cycle in a temporary tree to prove
the checker catches both.
"""

from __future__ import annotations

import ast
import importlib
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "sandyq"

#: Layers, lowest first.  A module belongs to the layer of its longest matching prefix;
#: the package root ``sandyq`` is matched exactly (it is the API, not every module).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("sandyq.errors", "sandyq.settings", "sandyq._version", "sandyq._messages", "sandyq.passwords"),
    ("sandyq.framework",),
    ("sandyq.ingest", "sandyq.connectors"),
    ("sandyq.store",),
    ("sandyq.analytics",),
    (
        "sandyq._api",
        "sandyq._load",
        "sandyq._people",
        "sandyq._flow",
        "sandyq._notify",
        "sandyq._alerts",
        "sandyq._measures",
        "sandyq",
    ),
    ("sandyq.outputs", "sandyq.__main__"),
)
LAYER_NAMES = ("foundation", "framework", "ingest", "store", "analytics", "api", "outputs")

#: Packages whose modules must import other packages by their public names only.
PUBLIC_ONLY = ("sandyq.outputs", "sandyq.connectors")
#: Private modules every layer may read: the version is written once, in a foundation module, so that a lower
#: layer (the connectors' user agent, the store's schema record) can read it without importing the package root.
SHARED_PRIVATE = frozenset({"sandyq._version", "sandyq._messages"})


@dataclass(frozen=True)
class Edge:
    """One import: ``source`` imports ``target`` at ``line`` of ``path``."""

    source: str
    target: str
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} imports {self.target}"


def module_names(src: Path, root: str = ROOT) -> dict[str, Path]:
    """Every module of the package ``root`` under ``src``, by dotted name (packages by their ``__init__``)."""
    out: dict[str, Path] = {}
    for path in sorted((src / root).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or its nearest ancestor that is a module of the tree (``None`` outside it)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names an import statement may bind to a module (before resolution to the tree)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = package[: len(package) - (node.level - 1)]
        base_name = ".".join(base + ([node.module] if node.module else []))
    else:
        base_name = node.module or ""
    yield base_name
    yield from (f"{base_name}.{alias.name}" for alias in node.names if alias.name != "*")


def import_graph(src: Path, root: str = ROOT) -> list[Edge]:
    """Every import between modules of ``root`` (all statements anywhere in a module), resolved to the tree.

    ``from package import name`` is an edge to ``package.name`` when that is a
    module, else to ``package``; self-imports are dropped.
    """
    modules = module_names(src, root)
    edges: list[Edge] = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = list(_imported(node, module, is_package))
            if isinstance(node, ast.ImportFrom):
                # ``from a import b``: b is a submodule (edge to it) or a name of a (edge to a).
                base, *subs = names
                targets = {s if s in modules else base for s in subs} or {base}
            else:
                targets = set(names)
            for target in sorted(targets):
                known = _known(target, modules)
                if known is not None and known != module:
                    edges.append(Edge(module, known, path.relative_to(src), node.lineno))
    return edges


def layer_of(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS, root: str = ROOT) -> int | None:
    """The rank of a module's layer (0 = lowest); ``None`` if no layer claims it."""
    best: tuple[int, int] | None = None  # (prefix length, rank)
    for rank, prefixes in enumerate(layers):
        for prefix in prefixes:
            matches = module == prefix or (prefix != root and module.startswith(prefix + "."))
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), rank)
    return None if best is None else best[1]


def upward_imports(
    edges: list[Edge],
    layers: tuple[tuple[str, ...], ...] = LAYERS,
    root: str = ROOT,
) -> list[str]:
    """Imports of a higher layer than the importer's (and modules that no layer claims)."""
    problems = []
    for e in edges:
        src_rank, dst_rank = layer_of(e.source, layers, root), layer_of(e.target, layers, root)
        if src_rank is None or dst_rank is None:
            unclaimed = e.source if src_rank is None else e.target
            problems.append(f"{e}: {unclaimed} belongs to no layer")
        elif dst_rank > src_rank:
            problems.append(f"{e}: {LAYER_NAMES[src_rank]} must not import {LAYER_NAMES[dst_rank]}")
    return problems


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of a directed graph (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
    return out


def import_cycles(edges: list[Edge]) -> list[str]:
    """Every group of modules that import each other, with the imports that close the loop."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    problems = []
    for component in _components(graph):
        if len(component) > 1:
            members = set(component)
            inside = [str(e) for e in edges if e.source in members and e.target in members]
            problems.append(f"cycle between {', '.join(component)}:\n    " + "\n    ".join(inside))
    return problems


def _owner(module: str) -> str | None:
    """The package that owns a private module (``a.b._c.d`` → ``a.b``); ``None`` if nothing in it is private."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def private_imports(edges: list[Edge], public_only: tuple[str, ...] = PUBLIC_ONLY, root: str = ROOT) -> list[str]:
    """Imports by outputs/connectors of another package's ``_private`` module."""
    problems = []
    for e in edges:
        if not any(e.source == p or e.source.startswith(p + ".") for p in public_only):
            continue
        owner = _owner(e.target)
        if owner is None or e.target in SHARED_PRIVATE:
            continue
        inside = owner != root and (e.source == owner or e.source.startswith(owner + "."))
        if not inside:
            problems.append(f"{e}: a private module of {owner}; import its public name from {owner}")
    return problems


def analytics_attributes() -> list[str]:
    """Attributes of :mod:`sandyq.analytics` that are not modules (the package re-exports subpackages only)."""
    package = importlib.import_module("sandyq.analytics")
    return [
        f"sandyq.analytics.{name} is {type(value).__name__}, not a module"
        for name, value in sorted(vars(package).items())
        if not name.startswith("__") and not isinstance(value, types.ModuleType)
    ]


_EDGES = import_graph(SRC)
RULES: dict[str, Callable[[], list[str]]] = {
    "upward": lambda: upward_imports(_EDGES),
    "cycles": lambda: import_cycles(_EDGES),
    "private": lambda: private_imports(_EDGES),
    "analytics-modules": analytics_attributes,
}


def test_graph_is_read() -> None:
    """The walker sees the package: many modules and imports, among them known edges of every kind."""
    pairs = {(e.source, e.target) for e in _EDGES}
    assert len(module_names(SRC)) > 100
    assert ("sandyq", "sandyq._api") in pairs  # relative, module level
    assert ("sandyq.analytics", "sandyq.analytics.composite") in pairs  # ``from . import composite``
    assert all(e.source != e.target for e in _EDGES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule(rule: str) -> None:
    problems = RULES[rule]()
    assert not problems, f"{len(problems)} violation(s) of '{rule}':\n" + "\n".join(problems)


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


_TOY_LAYERS: tuple[tuple[str, ...], ...] = (("toy.low",), ("toy.high", "toy"))


def test_checker_catches_a_planted_upward_import(tmp_path: Path) -> None:
    src = _plant(
        tmp_path,
        {
            "toy/__init__.py": "from . import high, low\n",
            "toy/low/__init__.py": "def f() -> None:\n    from ..high import _impl  # hidden in a function\n",
            "toy/high/__init__.py": "from ..low import f\n",
            "toy/high/_impl.py": "",
        },
    )
    edges = import_graph(src, "toy")
    problems = upward_imports(edges, _TOY_LAYERS, "toy")
    assert problems == ["toy/low/__init__.py:2: toy.low imports toy.high._impl: foundation must not import framework"]


def test_checker_catches_a_planted_cycle(tmp_path: Path) -> None:
    src = _plant(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/low/__init__.py": "",
            "toy/low/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
            "toy/low/b.py": "from . import c\n",
            "toy/low/c.py": "import toy.low.a\n",
            "toy/low/d.py": "from .a import x\n",
        },
    )
    problems = import_cycles(import_graph(src, "toy"))
    assert len(problems) == 1
    assert problems[0].startswith("cycle between toy.low.a, toy.low.b, toy.low.c:")
    assert "toy/low/a.py:3: toy.low.a imports toy.low.b" in problems[0]
    assert "toy.low.d" not in problems[0]


def test_checker_catches_a_planted_private_import(tmp_path: Path) -> None:
    src = _plant(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/low/__init__.py": "",
            "toy/low/_impl.py": "",
            "toy/outputs/__init__.py": "",
            "toy/outputs/_own.py": "",
            "toy/outputs/web.py": "from ._own import x\nfrom toy.low._impl import y\n",
        },
    )
    problems = private_imports(import_graph(src, "toy"), ("toy.outputs",), "toy")
    assert problems == [
        "toy/outputs/web.py:2: toy.outputs.web imports toy.low._impl: a private module of toy.low; "
        "import its public name from toy.low"
    ]
