"""Importers: tidy (SDMX-style), wide-years (World Bank) and panel layouts in CSV or XLSX; Open SDG folders; SDMX."""

from ._layouts import COL, FORMATS, LONG, detect_format
from ._load import load_file, read_file, write_checked
from ._manifest import ManifestEntry, load_manifest, read_manifest
from ._opensdg import OpenSdgFolder, is_open_sdg_folder, load_open_sdg, read_open_sdg
from ._read import ROW
from ._sdmx import is_sdmx_file, load_sdmx, read_sdmx, sdmx_version
from ._validate import STATUS_CODES, check

__all__ = [
    "COL",
    "FORMATS",
    "LONG",
    "ROW",
    "STATUS_CODES",
    "ManifestEntry",
    "OpenSdgFolder",
    "check",
    "detect_format",
    "is_open_sdg_folder",
    "is_sdmx_file",
    "load_file",
    "load_manifest",
    "load_open_sdg",
    "load_sdmx",
    "read_file",
    "read_manifest",
    "read_open_sdg",
    "read_sdmx",
    "sdmx_version",
    "write_checked",
]
