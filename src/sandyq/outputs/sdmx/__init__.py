"""SDMX for clients: the structures derived from the framework, data queries over vintages, and the messages.

:class:`Catalog` holds the structures of a store; :func:`parse_flow` and
:class:`DataQuery` read an SDMX REST data query; :mod:`._message` writes
SDMX-ML 2.1 (generic and structure-specific), SDMX-JSON 1.0 and SDMX-CSV 1.0,
and SDMX error messages.  The web endpoint (:mod:`sandyq.outputs.web`) serves
them under ``/sdmx/``.
"""

from ._catalog import AGENCY, ATTRIBUTES, DSD_ID, TOTAL, VERSION, Catalog, Flow, sdmx_id

__all__ = ["AGENCY", "ATTRIBUTES", "DSD_ID", "TOTAL", "VERSION", "Catalog", "Flow", "sdmx_id"]
