"""Connectors to statistical services: the World Bank (WDI) and Taldau (Bureau of National Statistics).

Each connector asks a service through :class:`HttpClient` (disk cache, rate
limit, retries), turns the answer into sandyq's long form, validates it like a
file and returns it as one :class:`~sandyq.ingest.Batch` with its source and
vintage; the caller writes it as one atomic load (:func:`sandyq.write_batch`).
A refused request or an unexpected answer raises :class:`ConnectorError`, so
nothing is loaded.
"""

from ._http import (
    ConnectorError,
    HttpClient,
    HttpStats,
    RequestsTransport,
    Response,
    Transport,
    TransportError,
    default_cache_dir,
)
from .taldau import KNOWN_INDEXES, TALDAU_SOURCE_ID, Taldau, fetch_taldau, read_taldau
from .wdi import WDI_SOURCE_ID, fetch_wdi, read_wdi

__all__ = [
    "KNOWN_INDEXES",
    "TALDAU_SOURCE_ID",
    "WDI_SOURCE_ID",
    "ConnectorError",
    "HttpClient",
    "HttpStats",
    "RequestsTransport",
    "Response",
    "Taldau",
    "Transport",
    "TransportError",
    "default_cache_dir",
    "fetch_taldau",
    "fetch_wdi",
    "read_taldau",
    "read_wdi",
]
