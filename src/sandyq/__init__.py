"""sandyq — monitoring a national digital-transformation programme.

The pipeline reads as the package: :mod:`sandyq.framework` (programmes, targets,
indicators, glossary, geography) → :mod:`sandyq.ingest` (importers) →
:mod:`sandyq.store` (DuckDB with vintages) → :mod:`sandyq.analytics` →
:mod:`sandyq.outputs` (CLI, web, exports).
"""

__version__ = "0.1.0"

from ._api import InitReport, Monitor, connect, default_manifest_path, init
from .errors import (
    ComputationError,
    DataError,
    FrameworkError,
    InternalError,
    InvalidValueError,
    LoadError,
    NotFoundError,
    OutputError,
    Problem,
    SandyqError,
    SpecError,
    StoreError,
    UsageError,
)
from .framework import Framework, load_framework
from .ingest import load_file, load_manifest
from .store import LoadReport, Store

__all__ = [
    "ComputationError",
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
    "Problem",
    "SandyqError",
    "SpecError",
    "Store",
    "StoreError",
    "UsageError",
    "__version__",
    "connect",
    "default_manifest_path",
    "init",
    "load_file",
    "load_framework",
    "load_manifest",
]
