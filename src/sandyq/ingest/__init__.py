"""Importers: tidy (SDMX-style), wide-years (World Bank) and panel layouts, in CSV or XLSX."""

from ._layouts import FORMATS, detect_format
from ._load import load_file, read_file
from ._manifest import ManifestEntry, load_manifest, read_manifest
from ._validate import STATUS_CODES

__all__ = [
    "FORMATS",
    "STATUS_CODES",
    "ManifestEntry",
    "detect_format",
    "load_file",
    "load_manifest",
    "read_file",
    "read_manifest",
]
