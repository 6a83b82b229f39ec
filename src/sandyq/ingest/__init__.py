"""Readers: tidy (SDMX-style), wide-years (World Bank) and panel layouts in CSV or XLSX; Open SDG folders; SDMX.

Ingest reads, it does not write: every reader validates what it reads and
returns a :class:`Batch` (or raises :class:`~sandyq.errors.LoadError` naming
every problem).  Writing a batch to a store is the API's job
(:func:`sandyq.load_file`, :func:`sandyq.write_batch`).
"""

from ._assessed import NotAssessed
from ._batch import Batch, file_digest
from ._file import read_file
from ._layouts import COL, FORMATS, LONG, detect_format
from ._manifest import ManifestEntry, read_manifest
from ._opensdg import is_open_sdg_folder, read_open_sdg
from ._read import ROW
from ._sdmx import is_sdmx_file, read_sdmx, sdmx_version
from ._stream import Chunk, Irregular, Stream, open_stream
from ._validate import STATUS_CODES, check

__all__ = [
    "COL",
    "FORMATS",
    "LONG",
    "ROW",
    "STATUS_CODES",
    "Batch",
    "Chunk",
    "Irregular",
    "ManifestEntry",
    "NotAssessed",
    "Stream",
    "check",
    "detect_format",
    "file_digest",
    "is_open_sdg_folder",
    "is_sdmx_file",
    "open_stream",
    "read_file",
    "read_manifest",
    "read_open_sdg",
    "read_sdmx",
    "sdmx_version",
]
