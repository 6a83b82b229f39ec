"""Turning analytic results into JSON-safe values for the CLI and the API.

Results hold numpy scalars, ``NaN``, ``pandas.Timestamp`` and nested
dataclasses; JSON knows none of them.  :func:`json_safe` converts recursively
(``NaN``/``inf`` become ``None``), and :func:`to_records` does the same for the
rows of a result table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["TOO_FEW", "json_safe", "to_records"]

#: The verdict when the data are too few to estimate anything.
TOO_FEW = "too few observations to say anything"


def json_safe(value: Any) -> Any:
    """Convert ``value`` (recursively) into plain JSON types.

    >>> json_safe({"r": np.float64(0.5), "p": float("nan"), "n": np.int64(3), "years": (2010, 2011)})
    {'r': 0.5, 'p': None, 'n': 3, 'years': [2010, 2011]}
    """
    out = _scalar(value)
    return _container(value) if out is _NOT_SCALAR else out


#: What :func:`_scalar` returns for a value that is not a scalar.
_NOT_SCALAR = object()


def _scalar(value: Any) -> Any:
    """A scalar as a JSON value (non-finite numbers and missing times become None); else ``_NOT_SCALAR``."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return None if pd.isna(value) else value.isoformat()
    if value is pd.NaT or value is pd.NA:
        return None
    return _NOT_SCALAR


def _container(value: Any) -> Any:
    """A table, series, dataclass, mapping or sequence as JSON, its items converted; anything else as a string."""
    if isinstance(value, pd.DataFrame):
        return to_records(value)
    if isinstance(value, pd.Series):
        return [json_safe(v) for v in value.tolist()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        return [json_safe(v) for v in value]
    return str(value)


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON-safe dicts (the index is kept if it is named).

    >>> to_records(pd.DataFrame({"year": [2010], "value": [float("nan")]}))
    [{'year': 2010, 'value': None}]
    """
    data = frame.reset_index() if frame.index.name is not None else frame
    return [json_safe(row) for row in data.to_dict(orient="records")]
