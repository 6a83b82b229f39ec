"""Layouts of statistical tables, each turned into one long form.

Three layouts are understood, in CSV or XLSX:

``tidy``
    One observation per row with SDMX-style columns ``INDICATOR, REF_AREA,
    TIME_PERIOD, OBS_VALUE`` (optional ``UNIT_MEASURE, OBS_STATUS, COMMENT,
    SOURCE``); every other column is a disaggregation dimension.  Common
    synonyms are accepted (Open SDG's ``Year``/``Value``/``GeoCode``, the World
    Bank's ``Country Code``/``Year``/``Value``).  Without an ``INDICATOR`` column
    the indicator is the ``indicator`` option or the file name
    (``indicator_17-8-1.csv`` → ``17-8-1``; ``IT.CEL.SETS.P2.csv``).
``wide-years``
    One column per year (the World Bank download layout): a geography column,
    an optional indicator column, and year columns ``2019`` or ``2019 [YR2019]``.
``panel``
    One column per indicator: a geography column, a time column, and columns
    that are indicator ids or are mapped to them with the ``columns`` option.

The long form has the columns in :data:`LONG` that the file gives (at least
``INDICATOR, REF_AREA, TIME_PERIOD, OBS_VALUE``; validation takes a missing one
as blank), plus dimension columns, plus ``__row__`` (row in the file) and
``__col__`` (the column the value came from).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..errors import LoadError, Problem
from ._read import ROW

__all__ = ["COL", "FORMATS", "LONG", "detect_format", "to_long"]

COL = "__col__"
LONG = ("INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "COMMENT", "SOURCE")
FORMATS = ("tidy", "wide-years", "panel")

_SYNONYMS: dict[str, str] = {
    "indicator": "INDICATOR",
    "indicator code": "INDICATOR",
    "series code": "INDICATOR",
    "indicator_code": "INDICATOR",
    "ref_area": "REF_AREA",
    "geocode": "REF_AREA",
    "country code": "REF_AREA",
    "geo": "REF_AREA",
    "iso3": "REF_AREA",
    "country-code": "REF_AREA",
    "country_code": "REF_AREA",
    "region_code": "REF_AREA",
    "time_period": "TIME_PERIOD",
    "year": "TIME_PERIOD",
    "time": "TIME_PERIOD",
    "period": "TIME_PERIOD",
    "obs_value": "OBS_VALUE",
    "value": "OBS_VALUE",
    "unit_measure": "UNIT_MEASURE",
    "unit": "UNIT_MEASURE",
    "units": "UNIT_MEASURE",
    "obs_status": "OBS_STATUS",
    "status": "OBS_STATUS",
    "comment": "COMMENT",
    "note": "COMMENT",
    "comment_obs": "COMMENT",
    "source": "SOURCE",
}
#: Label columns that repeat what a code column says; never treated as dimensions.
_LABELS = {
    "country name",
    "indicator name",
    "series name",
    "country",
    "country-name",
    "ref_area_name",
    # the label columns of sandyq's own exports, so an export loads back as it is
    "indicator_name",
    "geo_name",
    "unit_name",
    "vintage",
}
_YEAR_COL = re.compile(r"^(\d{4})(?: \[YR\d{4}\])?$")


def _rename(frame: pd.DataFrame, path: Path, mapping: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with its columns renamed; two columns that would get one name (``Value``, ``OBS_VALUE``): refused.

    Keeping either silently would load the figures of one column and drop the other's.
    """
    sources: dict[str, list[str]] = {}
    for c in frame.columns:
        sources.setdefault(mapping.get(c, c), []).append(c)
    clashes = {name: cs for name, cs in sources.items() if len(cs) > 1}
    if clashes:
        raise LoadError(
            f"{path}: refused: two columns hold one field; nothing was loaded",
            [
                Problem(
                    str(path),
                    f"columns {' and '.join(map(repr, cs))} both mean {name}; keep one "
                    "(or name the other in the 'ignore' option)",
                    row=1,
                    column=cs[-1],
                )
                for name, cs in clashes.items()
            ],
        )
    return frame.rename(columns=dict(mapping))


def _synonyms(frame: pd.DataFrame, columns: Mapping[str, str]) -> dict[str, str]:
    mapping = {}
    for c in frame.columns:
        if c in columns:
            mapping[c] = columns[c]
        elif c.lower() in _SYNONYMS:
            mapping[c] = _SYNONYMS[c.lower()]
    return mapping


def detect_format(frame: pd.DataFrame) -> str:
    """Guess the layout of a raw table from its header."""
    names = {_SYNONYMS.get(c.lower(), c) for c in frame.columns}
    if sum(bool(_YEAR_COL.match(c)) for c in frame.columns) >= 2:
        return "wide-years"
    if "OBS_VALUE" in names:
        return "tidy"
    return "panel"


def _indicator_from_name(path: Path) -> str:
    stem = path.stem
    return stem[len("indicator_") :] if stem.lower().startswith("indicator_") else stem


def _require(frame: pd.DataFrame, path: Path, needed: Sequence[str], hint: str = "") -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise LoadError(
            f"{path}: refused: missing required columns; nothing was loaded",
            [Problem(str(path), f"missing required column{hint}", row=1, column=c) for c in missing],
        )


def to_long(
    frame: pd.DataFrame,
    path: Path,
    format: str,
    *,
    indicator: str | None = None,
    columns: Mapping[str, str] | None = None,
    ignore: Sequence[str] = (),
    known_indicators: Mapping[str, object] | None = None,
    default_geo: str | None = None,
) -> pd.DataFrame:
    """The long form of a raw table in the given layout (see module docs).

    With ``default_geo``, a table without a geography column is about that geography.
    """
    columns = dict(columns or {})
    ignore_set = set(ignore)
    unknown_ignored = [c for c in ignore_set if c not in frame.columns]
    if unknown_ignored:
        raise LoadError(
            f"{path}: refused: options name columns the file lacks",
            [Problem(str(path), "column named in 'ignore' is not in the file", column=c) for c in unknown_ignored],
        )
    raw = frame.drop(columns=[c for c in frame.columns if c in ignore_set or c.lower() in _LABELS])
    if format == "tidy":
        long = _rename(raw, path, _synonyms(raw, columns))
        long[COL] = "OBS_VALUE"
    elif format == "wide-years":
        long = _wide_years(_rename(raw, path, _synonyms(raw, columns)), path)
    elif format == "panel":
        long = _panel(raw, path, columns, known_indicators or {})
    else:
        raise LoadError(f"{path}: unknown format {format!r}", [Problem(str(path), f"format must be one of {FORMATS}")])
    if "INDICATOR" not in long.columns:
        long["INDICATOR"] = indicator or _indicator_from_name(path)
    elif indicator:
        long["INDICATOR"] = long["INDICATOR"].where(long["INDICATOR"].str.strip() != "", indicator)
    if "REF_AREA" not in long.columns and default_geo:
        long["REF_AREA"] = ""
    _require(long, path, ["REF_AREA", "TIME_PERIOD", "OBS_VALUE"])
    return long


def _wide_years(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    years = [c for c in frame.columns if _YEAR_COL.match(c)]
    if not years:
        raise LoadError(
            f"{path}: refused: not a wide-years table (no year columns); nothing was loaded",
            [Problem(str(path), "no column is a year (2019 or 2019 [YR2019]); is the file tidy or a panel?", row=1)],
        )
    if "OBS_VALUE" in frame.columns or "TIME_PERIOD" in frame.columns:
        name = "OBS_VALUE" if "OBS_VALUE" in frame.columns else "TIME_PERIOD"
        raise LoadError(
            f"{path}: refused: a wide-years table has its years as columns; nothing was loaded",
            [Problem(str(path), "a value or period column beside year columns: is the file tidy?", row=1, column=name)],
        )
    ids = [c for c in frame.columns if c not in years]
    long = frame.melt(id_vars=ids, value_vars=years, var_name=COL, value_name="OBS_VALUE")
    long["TIME_PERIOD"] = long[COL].str.slice(0, 4)
    return long


def _panel(frame: pd.DataFrame, path: Path, columns: Mapping[str, str], known: Mapping[str, object]) -> pd.DataFrame:
    renamed = _rename(
        frame,
        path,
        {
            c: _SYNONYMS[c.lower()]
            for c in frame.columns
            if c.lower() in _SYNONYMS and _SYNONYMS[c.lower()] in ("REF_AREA", "TIME_PERIOD") and c not in columns
        },
    )
    _require(renamed, path, ["REF_AREA", "TIME_PERIOD"], " (geography and time columns of the panel)")
    value_cols: dict[str, str] = {}
    problems = []
    for c in renamed.columns:
        if c in (ROW, "REF_AREA", "TIME_PERIOD"):
            continue
        target = columns.get(c, c)
        if target in known:
            value_cols[c] = target
        else:
            problems.append(
                Problem(
                    str(path),
                    "column is neither a known indicator id nor mapped to one "
                    "(use the 'columns' option) nor ignored ('ignore')",
                    row=1,
                    column=c,
                )
            )
    if problems:
        raise LoadError(f"{path}: refused: unrecognised panel columns; nothing was loaded", problems)
    if not value_cols:
        raise LoadError(
            f"{path}: refused: the panel has no indicator columns", [Problem(str(path), "no indicator columns", row=1)]
        )
    long = renamed.melt(
        id_vars=[ROW, "REF_AREA", "TIME_PERIOD"], value_vars=list(value_cols), var_name=COL, value_name="OBS_VALUE"
    )
    long["INDICATOR"] = long[COL].map(value_cols)
    return long
