"""Render a frame as a terminal table, JSON records, CSV or Markdown.

Every rendered table of observations keeps its ``unit``, ``source`` and
``vintage`` columns, so no figure leaves sandyq without them.  No CSV cell runs
as a formula in a spreadsheet (:func:`sandyq.outputs.export.frame_csv`).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["FORMATS", "frame_records", "render_frame"]

FORMATS = ("table", "json", "csv", "markdown")


def _stamp(value: pd.Timestamp) -> str:
    """A timestamp as text: a bare date when it is midnight (vintages are dates), else ISO 8601."""
    return value.date().isoformat() if value == value.normalize() else value.isoformat()


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else _stamp(value)
    if hasattr(value, "item"):
        return _jsonable(value.item())
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records (NaN → null, timestamps → ISO 8601).

    >>> frame_records(pd.DataFrame({"a": [1.5, float("nan")]}))
    [{'a': 1.5}, {'a': None}]
    """
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _cell(value: Any) -> str:
    v = _jsonable(value)
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) >= 1e6 else f"{v:.6g}"
    return str(v)


def render_frame(
    frame: pd.DataFrame,
    fmt: str = "table",
    *,
    title: str | None = None,
    caption: str | None = None,
    width: int | None = None,
    language: str = "en",
    names: Mapping[str, Any] | None = None,
) -> str:
    """The text of ``frame`` in format ``fmt`` (one of :data:`FORMATS`).

    In ``language`` kk or ru a table's or Markdown's headers, words, sentences, title and caption are said in it
    (:mod:`._terminal`); CSV and JSON keep the English column names.

    >>> print(render_frame(pd.DataFrame({"geo": ["KZ-71"], "value": [88.2]}), "csv"), end="")
    geo,value
    KZ-71,88.2
    """
    render = _RENDERERS.get(fmt)
    if render is None:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if language in ("kk", "ru") and fmt in ("table", "markdown"):
        from ._terminal import lines, localised

        frame = localised(frame, language, names)
        title, caption = lines(title, language, names), lines(caption, language, names)
    return render(frame, title, caption, width)


def _json(frame: pd.DataFrame, title: str | None, caption: str | None, width: int | None) -> str:
    """JSON records, indented; title, caption and width do not apply."""
    return json.dumps(frame_records(frame), ensure_ascii=False, indent=2) + "\n"


def _csv(frame: pd.DataFrame, title: str | None, caption: str | None, width: int | None) -> str:
    """CSV with timestamps as dates or ISO 8601, formula-like text escaped; title, caption and width do not apply."""
    from .export import frame_csv

    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].map(lambda t: _stamp(t) if pd.notna(t) else "")
    return frame_csv(out)


def _markdown(frame: pd.DataFrame, title: str | None, caption: str | None, width: int | None) -> str:
    """A Markdown table, the title in bold above it and the caption below; width does not apply."""
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    sep = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    parts = ([f"**{title}**", ""] if title else []) + [head, sep, *body]
    if caption:
        parts += ["", caption]
    return "\n".join(parts) + "\n"


def _table(frame: pd.DataFrame, title: str | None, caption: str | None, width: int | None) -> str:
    """A terminal table without colours (numbers right-aligned), ``width`` characters wide (default 160)."""
    table = Table(title=Text(title) if title else None, caption=Text(caption) if caption else None, show_lines=False)
    for c in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[c])
        table.add_column(str(c), justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(_cell(v)) for v in row))  # Text: brackets in data are not markup
    console = Console(file=io.StringIO(), width=width or 160, force_terminal=False, color_system=None)
    console.print(table)
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


#: The renderer of each format in :data:`FORMATS`.
_RENDERERS: dict[str, Callable[[pd.DataFrame, str | None, str | None, int | None], str]] = {
    "table": _table,
    "json": _json,
    "csv": _csv,
    "markdown": _markdown,
}
