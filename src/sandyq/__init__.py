"""sandyq — monitoring a national digital-transformation programme.

The pipeline reads as the package: :mod:`sandyq.framework` (programmes, targets,
indicators, glossary, geography) → :mod:`sandyq.ingest` and :mod:`sandyq.connectors` (readers) →
:mod:`sandyq.store` (DuckDB with vintages) → :mod:`sandyq.analytics` →
:mod:`sandyq.outputs` (CLI, web, exports).
"""

from ._api import InitReport, Monitor, connect, default_manifest_path, init
from ._load import load_file, read_data, write_batch
from ._version import __version__
from .errors import FrameworkError, InvalidValueError, LoadError, NotFoundError, Problem, SandyqError
from .framework import Framework, load_framework
from .store import LoadReport, Store

__all__ = [
    "Framework",
    "FrameworkError",
    "InitReport",
    "InvalidValueError",
    "LoadError",
    "LoadReport",
    "Monitor",
    "NotFoundError",
    "Problem",
    "SandyqError",
    "Store",
    "__version__",
    "connect",
    "default_manifest_path",
    "init",
    "load_file",
    "load_framework",
    "read_data",
    "write_batch",
]
