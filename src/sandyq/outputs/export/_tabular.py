"""Exports for people: CSV, and an Excel workbook with data, metadata, sources and citation sheets.

No cell of either runs as a formula in a spreadsheet (:mod:`._cells`): CSV text cells that begin like a
formula get a leading quote, and the workbook stores every string as text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._cells import frame_csv, xlsx_text
from ._frame import Selection, citation_text, data_table, metadata_table, sources_table

__all__ = ["csv_text", "write_csv", "write_xlsx"]


def csv_text(sel: Selection) -> str:
    """The flat table as UTF-8 CSV text (one observation per row, unit, source and vintage on each)."""
    return frame_csv(data_table(sel))


def write_csv(sel: Selection, path: str | Path) -> Path:
    """Write :func:`csv_text` to ``path``."""
    p = Path(path)
    p.write_text(csv_text(sel), encoding="utf-8")
    return p


def _sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, name: str, widths: dict[str, int] | None = None) -> None:
    frame.to_excel(writer, sheet_name=name, index=False)
    ws = writer.sheets[name]
    ws.freeze_panes = "A2"
    for i, col in enumerate(frame.columns, start=1):
        longest = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = min((widths or {}).get(str(col), longest + 2), 60)


def write_xlsx(sel: Selection, path: str | Path) -> Path:
    """A workbook: ``data`` (the flat table), ``metadata`` (indicators), ``sources`` and ``citation``.

    The ``citation`` sheet holds the README text, one line per row, so the
    workbook can travel alone and still say where every figure comes from.
    """
    p = Path(path)
    citation = pd.DataFrame({"citation": citation_text(sel).splitlines()})
    with pd.ExcelWriter(p, engine="openpyxl") as writer:
        _sheet(writer, data_table(sel), "data")
        _sheet(writer, metadata_table(sel), "metadata")
        _sheet(writer, sources_table(sel), "sources")
        _sheet(writer, citation, "citation", {"citation": 120})
        xlsx_text(writer.book)
    return p
