"""Start-up stays light: ``import sandyq``, the API and ``sandyq --help`` load no heavy library.

Each check runs in a fresh interpreter and looks at ``sys.modules`` (not at the
clock, so it cannot be flaky).  The convention behind it is in the docstring of
:mod:`sandyq`; ``benchmarks/bench_startup.py`` measures the time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sandyq

#: Libraries that only the functions using them may import (the brief's list).
HEAVY = ("statsmodels", "scipy.stats", "SALib", "sdmx", "openpyxl", "fastapi", "uvicorn", "wbgapi")

SRC = str(Path(sandyq.__file__).resolve().parents[1])


def loaded_after(code: str) -> set[str]:
    """The module names in ``sys.modules`` after running ``code`` in a new interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def under(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The ``names`` of which ``modules`` holds the module itself or one inside it."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in modules))


def cli_help(*args: str) -> str:
    """Code that runs ``python -m sandyq ARGS --help`` in-process (its help text is thrown away)."""
    argv = ["sandyq", *args, "--help"]
    return (
        "import contextlib, io, runpy, sys\n"
        f"sys.argv = {argv!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    runpy.run_module('sandyq', run_name='__main__', alter_sys=True)\n"
    )


def test_import_sandyq_loads_no_library() -> None:
    """``import sandyq`` resolves its names on first use: not even pandas or DuckDB is loaded."""
    loaded = loaded_after("import sandyq")
    assert under(loaded, HEAVY) == []
    assert under(loaded, ("pandas", "duckdb", "numpy", "pydantic", "sandyq._api")) == []


def test_public_names_still_resolve() -> None:
    """Every name of ``sandyq.__all__`` resolves (``from sandyq import *`` works), and subpackages are attributes."""
    loaded = loaded_after(
        "import sandyq\nns = {}\nexec('from sandyq import *', ns)\n"
        "assert set(sandyq.__all__) <= set(ns), set(sandyq.__all__) - set(ns)\n"
        "assert sandyq.analytics.progress.__name__ == 'sandyq.analytics.progress'\n"
        "assert sandyq.store.Store is sandyq.Store"
    )
    assert "sandyq._api" in loaded


def test_api_loads_no_heavy_library() -> None:
    """Connecting to a store needs pandas, DuckDB and pydantic, never the statistics, web or exchange libraries."""
    loaded = loaded_after("import sandyq\nwith sandyq.connect(':memory:') as m:\n    m.observations('17-8-1')")
    assert under(loaded, (*HEAVY, "scipy")) == []


@pytest.mark.parametrize(
    "args",
    [(), ("load",), ("table",), ("export",), ("regions",), ("index", "build"), ("fetch", "wdi"), ("serve",)],
    ids=lambda a: " ".join(a) or "sandyq",
)
def test_cli_help_imports_no_implementation(args: tuple[str, ...]) -> None:
    """``sandyq [COMMAND] --help`` needs typer and the signatures only: no analytics, web, export or pandas."""
    loaded = loaded_after(cli_help(*args))
    assert "sandyq.outputs.cli" in loaded
    assert under(loaded, HEAVY) == []
    layers = ("sandyq._api", "sandyq.analytics", "sandyq.outputs.web", "sandyq.outputs.export", "sandyq.connectors")
    assert under(loaded, (*layers, "pandas", "duckdb")) == []


def test_cli_choices_match_the_implementation() -> None:
    """The names the CLI's signatures list without importing the implementation are the implementation's."""
    from sandyq.analytics.tables import table_names
    from sandyq.ingest import FORMATS
    from sandyq.outputs.cli._choices import LAYOUTS, SEED_TABLES
    from sandyq.outputs.cli._exchange import ExportFormat
    from sandyq.outputs.export import EXPORT_FORMATS

    assert LAYOUTS == FORMATS
    assert list(SEED_TABLES) == table_names()
    assert tuple(f.value for f in ExportFormat) == EXPORT_FORMATS
