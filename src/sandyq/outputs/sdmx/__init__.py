"""SDMX for clients: the structures derived from the framework, data queries over vintages, and the messages.

:class:`Catalog` holds the structures of a store; :func:`parse_flow`,
:func:`parse_key` and :class:`DataQuery` read an SDMX REST data query and
:func:`select_data` answers it from the store; the writers make SDMX-ML 2.1
(generic and structure-specific), SDMX-JSON 1.0 and SDMX-CSV 1.0, structure
messages and SDMX error messages; :func:`structure_schema` is the XML schema of
the structure-specific messages.  The web endpoint (:mod:`sandyq.outputs.web`)
serves them under ``/sdmx/``.
"""

from ._catalog import AGENCY, ATTRIBUTES, DSD_ID, TOTAL, VERSION, Catalog, Flow, sdmx_id
from ._message import (
    MEDIA,
    csv_data,
    error_message,
    generic_data,
    json_data,
    ss_namespace,
    structure_message,
    structure_specific_data,
)
from ._query import DETAILS, DataQuery, first_last, parse_count, parse_flow, parse_key
from ._query import select as select_data
from ._schema import structure_schema

__all__ = [
    "AGENCY",
    "ATTRIBUTES",
    "DETAILS",
    "DSD_ID",
    "MEDIA",
    "TOTAL",
    "VERSION",
    "Catalog",
    "DataQuery",
    "Flow",
    "csv_data",
    "error_message",
    "first_last",
    "generic_data",
    "json_data",
    "parse_count",
    "parse_flow",
    "parse_key",
    "sdmx_id",
    "select_data",
    "ss_namespace",
    "structure_message",
    "structure_schema",
    "structure_specific_data",
]
