"""Exports: CSV, Excel, SDMX-CSV 1.0/2.0, SDMX-ML, Frictionless data package and zip, each with citation.

Every exported row carries its unit, source and vintage; the Excel workbook,
the data package and the zip also carry the licence and citation of every
source.  No exported cell runs as a formula in a spreadsheet: the CSV writers
of every output (exports, ``--format csv``, the web API) call :func:`frame_csv`
or :func:`safe_csv`, and workbooks store strings as text (:func:`xlsx_text`,
:func:`xlsx_row`).
"""

from ._cells import FORMULA_SIGNS, frame_csv, safe_cell, safe_csv, safe_frame, unescape_cell, xlsx_row, xlsx_text
from ._export import EXPORT_FORMATS, ExportReport, export, structure_path, write
from ._frame import LABEL_COLUMNS, Selection, citation_text, data_table, metadata_table, select, sources_table
from ._package import datapackage, write_datapackage, write_zip
from ._sdmx import build_structure, data_message, write_sdmx_csv, write_sdmx_ml, write_sdmx_structure
from ._tabular import csv_text, write_csv, write_xlsx

__all__ = [
    "EXPORT_FORMATS",
    "FORMULA_SIGNS",
    "LABEL_COLUMNS",
    "ExportReport",
    "Selection",
    "build_structure",
    "citation_text",
    "csv_text",
    "data_message",
    "data_table",
    "datapackage",
    "export",
    "frame_csv",
    "metadata_table",
    "safe_cell",
    "safe_csv",
    "safe_frame",
    "select",
    "sources_table",
    "structure_path",
    "unescape_cell",
    "write",
    "write_csv",
    "write_datapackage",
    "write_sdmx_csv",
    "write_sdmx_ml",
    "write_sdmx_structure",
    "write_xlsx",
    "write_zip",
    "xlsx_row",
    "xlsx_text",
]
