"""Dependencies are honest: declared where they are imported, each with a lower bound that ``make test-min`` tests.

* every runtime dependency is imported by ``src`` and every third-party module
  ``src`` imports comes from a runtime dependency;
* what only the tests and benchmarks import is a ``dev`` dependency, or a ``bench`` one (the comparison
  forecasters only ``benchmarks/bench_forecast.py`` imports);
* ``constraints/min.txt`` pins every dependency to the lower bound declared in
  ``pyproject.toml``, so the two cannot drift apart.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME: list[str] = PYPROJECT["project"]["dependencies"]
DEV: list[str] = PYPROJECT["project"]["optional-dependencies"]["dev"]
BENCH: list[str] = PYPROJECT["project"]["optional-dependencies"]["bench"]
#: Dev dependencies never imported: tools run from the command line or by mypy (schemathesis: its command line
#: checks the web API against its OpenAPI in tests/outputs/web/test_contract.py), and click, which typer brings
#: but whose CliRunner separates stderr (read by the CLI tests) only from 8.2 on, and pytest-xdist, the pytest
#: plugin that ``make test`` runs the tests with on every core (``-n auto``).
NOT_IMPORTED = {"mypy", "ruff", "types-pyyaml", "click", "schemathesis", "pytest-xdist"}
_REQUIREMENT = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*)(?:\[[^\]]*\])?>=(?P<low>[0-9][^,;\s]*)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(requirement: str) -> tuple[str, str]:
    match = _REQUIREMENT.fullmatch(requirement)
    assert match, f"{requirement!r}: give a lower bound as NAME>=VERSION (and nothing else)"
    return match["name"], match["low"]


def _imports(folder: Path) -> set[str]:
    """Top-level names of the absolute imports in the Python files under ``folder``."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("sandyq", "tests")}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    """Module → the (normalised) names of the installed distributions that provide it."""
    provided = packages_distributions()
    return {m: {_norm(d) for d in provided.get(m, [])} for m in modules}


def test_every_dependency_has_a_lower_bound() -> None:
    for requirement in RUNTIME + DEV + BENCH:
        _parse(requirement)


def test_constraints_pin_every_lower_bound() -> None:
    expected = [f"{name}=={low}" for name, low in map(_parse, RUNTIME + DEV + BENCH)]
    lines = (ROOT / "constraints" / "min.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert pins == expected, "constraints/min.txt must be, in order:\n" + "\n".join(expected)


def test_src_imports_come_from_runtime_dependencies_and_each_is_used() -> None:
    runtime = {_norm(_parse(r)[0]) for r in RUNTIME}
    by_module = _distributions(_imports(ROOT / "src"))
    undeclared = {m: d for m, d in by_module.items() if not d & runtime}
    assert not undeclared, f"src imports modules no runtime dependency declares: {undeclared}"
    used = set().union(*by_module.values())
    assert runtime <= used, f"runtime dependencies src never imports: {sorted(runtime - used)}"


def test_tests_and_benchmarks_import_only_declared_dependencies() -> None:
    declared = {_norm(_parse(r)[0]) for r in RUNTIME + DEV + BENCH}
    by_module = _distributions(_imports(ROOT / "tests") | _imports(ROOT / "benchmarks"))
    # a module of an extra that is not installed here (``bench``) has no distribution: its name must be declared
    undeclared = {m: d for m, d in by_module.items() if not d & declared and not (not d and _norm(m) in declared)}
    assert not undeclared, f"tests or benchmarks import modules no dependency declares: {undeclared}"
    dev_only = {_norm(_parse(r)[0]) for r in DEV} - NOT_IMPORTED
    used = set().union(*by_module.values())
    assert dev_only <= used, f"dev dependencies nothing imports: {sorted(dev_only - used)}"


@pytest.mark.parametrize("requirement", DEV + BENCH, ids=[_parse(r)[0] for r in DEV + BENCH])
def test_dev_dependencies_are_not_needed_at_run_time(requirement: str) -> None:
    name = _norm(_parse(requirement)[0])
    by_module = _distributions(_imports(ROOT / "src"))
    assert not any(name in d for d in by_module.values()), f"src imports {name}: make it a runtime dependency"
