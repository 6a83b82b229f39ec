"""sandyq — monitoring a national digital-transformation programme.

The pipeline reads as the package: :mod:`sandyq.framework` (programmes, targets,
indicators, glossary, geography) → :mod:`sandyq.ingest` and :mod:`sandyq.connectors` (readers) →
:mod:`sandyq.store` (DuckDB with vintages) → :mod:`sandyq.analytics` →
:mod:`sandyq.outputs` (CLI, web, exports).

Start-up convention: ``import sandyq`` and ``sandyq --help`` take well under a
second, so nothing heavy is imported before it is used.

* This package resolves its public names on first use (:pep:`562`), so
  ``import sandyq`` loads no third-party library; ``sandyq.connect`` loads the
  API (pandas, DuckDB, pydantic) the first time it is looked up.
* pandas, numpy, DuckDB, pydantic, PyYAML, typer and rich are imported at the
  top of the modules that use them: most of the API needs them anyway.
* Every other third-party library — statsmodels, scipy, SALib, sdmx1, openpyxl,
  FastAPI/starlette/uvicorn/Jinja2, Babel, httpx/requests/wbgapi, pycountry,
  matplotlib — is imported inside the function that uses it; type annotations
  name its types under ``if TYPE_CHECKING:`` (with ``from __future__ import annotations``).
* The command modules of :mod:`sandyq.outputs.cli` import their implementation
  inside the command functions: typer needs only the signatures.

``tests/test_startup.py`` fails if one of these libraries is loaded by ``import sandyq``,
by ``from sandyq import connect`` or by ``sandyq --help``; ``benchmarks/bench_startup.py`` times them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    AuthenticationError,
    ComputationError,
    ConflictError,
    DataError,
    FrameworkError,
    InternalError,
    InvalidValueError,
    LoadError,
    NotFoundError,
    OutputError,
    PermissionDeniedError,
    Problem,
    SandyqError,
    SpecError,
    StoreError,
    TooManyAttemptsError,
    UsageError,
)

if TYPE_CHECKING:
    from . import _alerts as alerts
    from . import _flow as flow
    from . import _measures as measures
    from . import _people as people
    from ._api import InitReport, Monitor, connect, default_manifest_path, init
    from ._load import load_file, read_data, write_batch
    from .framework import Framework, load_framework
    from .store import LoadReport, Store

#: Public names defined in a submodule, imported when first looked up.
_LAZY: dict[str, str] = {
    "Framework": ".framework",
    "InitReport": "._api",
    "LoadReport": ".store",
    "Monitor": "._api",
    "Store": ".store",
    "connect": "._api",
    "default_manifest_path": "._api",
    "init": "._api",
    "load_file": "._load",
    "load_framework": ".framework",
    "read_data": "._load",
    "write_batch": "._load",
}

#: Subpackages reachable as attributes (``sandyq.analytics``) without importing them first.
_SUBMODULES = frozenset({"analytics", "connectors", "errors", "framework", "ingest", "outputs", "settings", "store"})
#: API modules reachable by a public name: accounts and roles (``sandyq.people``), submission and review
#: (``sandyq.flow``), deadline and target-status notices and the outbox of notifications (``sandyq.alerts``),
#: measures of the action plan (``sandyq.measures``).
_MODULES = {"flow": "._flow", "people": "._people", "alerts": "._alerts", "measures": "._measures"}

__all__ = [
    "AuthenticationError",
    "ComputationError",
    "ConflictError",
    "DataError",
    "Framework",
    "FrameworkError",
    "InitReport",
    "InternalError",
    "InvalidValueError",
    "LoadError",
    "LoadReport",
    "Monitor",
    "NotFoundError",
    "OutputError",
    "PermissionDeniedError",
    "Problem",
    "SandyqError",
    "SpecError",
    "Store",
    "StoreError",
    "TooManyAttemptsError",
    "UsageError",
    "__version__",
    "alerts",
    "connect",
    "default_manifest_path",
    "flow",
    "init",
    "load_file",
    "load_framework",
    "measures",
    "people",
    "read_data",
    "write_batch",
]


def __getattr__(name: str) -> Any:
    """Import a public name (or a subpackage) the first time it is looked up, and keep it."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    elif name in _MODULES:
        value = importlib.import_module(_MODULES[name], __name__)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES | set(_MODULES))
