"""The observation store (DuckDB): atomic, append-only loads with vintages."""

from ._schema import SCHEMA_VERSION
from ._store import OBSERVATION_COLUMNS, STAGED_COLUMNS, LoadReport, Store

__all__ = [
    "OBSERVATION_COLUMNS",
    "SCHEMA_VERSION",
    "STAGED_COLUMNS",
    "LoadReport",
    "Store",
]
