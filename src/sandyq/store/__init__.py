"""The observation store (DuckDB): atomic, append-only loads with vintages; the rule for choosing a source."""

from ._choice import DERIVED_SOURCE, SOURCE_GROUP, Preference, pick_source, rank_sources
from ._schema import SCHEMA_VERSION
from ._store import OBSERVATION_COLUMNS, STAGED_COLUMNS, LoadReport, Store

__all__ = [
    "DERIVED_SOURCE",
    "OBSERVATION_COLUMNS",
    "SCHEMA_VERSION",
    "SOURCE_GROUP",
    "STAGED_COLUMNS",
    "LoadReport",
    "Preference",
    "Store",
    "pick_source",
    "rank_sources",
]
