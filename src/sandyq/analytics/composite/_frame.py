"""Loading the data and the structure of an index into arrays.

The data are a table with one row per unit (and per period for a panel): a unit
code column, optionally a name and a time column, grouping columns, denominator
columns and one column per indicator.  Everything a user can get wrong (a
missing column, a non-numeric cell, a duplicated unit) is reported together,
with file, row and column.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InvalidValueError, LoadError, Problem, SpecError
from ._arrays import FloatArray
from ._spec import IndexSpec, StructureSpec
from ._structure import Node, Structure

__all__ = ["Frame", "load_frame", "read_structure"]


@dataclass(frozen=True)
class Frame:
    """Units × indicators (raw values) plus everything the steps need about the rows."""

    units: np.ndarray
    names: np.ndarray
    periods: np.ndarray | None
    values: FloatArray
    structure: Structure
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    denominators: dict[str, FloatArray] = field(default_factory=dict)
    source: str = ""


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, keep_default_na=True)
    except FileNotFoundError:
        raise LoadError("data file not found", [Problem(str(path), "no such file")]) from None
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise LoadError("cannot read the data file", [Problem(str(path), str(exc))]) from None


def _num(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = str(value).strip()
    return s or None


def _structure_from_imeta(path: Path, spec: StructureSpec) -> tuple[Structure, list[str], list[str]]:
    """The structure, grouping columns and denominator columns of a COINr ``iMeta`` table.

    Rows of type ``Group`` and ``Denominator`` name columns; ``Indicator`` and
    ``Aggregate`` rows are nodes; other types are ignored.
    """
    df = _read_csv(path)
    problems: list[Problem] = []
    missing = [c for c in ("iCode", "Level", "Parent", "Type") if c not in df.columns]
    if missing:
        raise LoadError(
            "invalid structure file", [Problem(str(path), f"missing column {c!r}", column=c) for c in missing]
        )
    nodes: list[Node] = []
    columns = {"Group": list(spec.groups), "Denominator": list(spec.denominators)}
    for i, rec in enumerate(df.to_dict("records")):
        row = i + 2
        code, kind = _text(rec.get("iCode")), _text(rec.get("Type")) or "Indicator"
        if code is None:
            problems.append(Problem(str(path), "empty iCode", row=row, column="iCode"))
        elif kind in columns:
            if code not in columns[kind]:
                columns[kind].append(code)
        elif kind in ("Indicator", "Aggregate"):
            node = _imeta_node(code, rec)
            if node is None:
                problems.append(
                    Problem(str(path), f"{code}: Level must be a positive integer", row=row, column="Level")
                )
            else:
                nodes.append(node)
    structure = Structure(tuple(sorted(nodes, key=lambda n: n.level)), tuple(spec.level_names))
    problems += [Problem(str(path), msg) for msg in structure.check()]
    if problems:
        raise LoadError("invalid structure file", problems)
    return structure, columns["Group"], columns["Denominator"]


def _imeta_node(code: str, rec: dict[Hashable, Any]) -> Node | None:
    """The node of one ``iMeta`` row of an indicator or aggregate; None if its level is not a positive integer."""
    level = _num(rec.get("Level"))
    if level is None or level < 1 or level != int(level):
        return None
    weight = _num(rec.get("Weight"))
    direction = _num(rec.get("Direction"))
    gp_lo, gp_hi = _num(rec.get("Goalpost_low")), _num(rec.get("Goalpost_high"))
    return Node(
        code=code,
        level=int(level),
        parent=_text(rec.get("Parent")),
        weight=1.0 if weight is None else weight,
        direction=1 if direction is None else int(direction),
        name=_text(rec.get("iName")) or "",
        denominator=_text(rec.get("Denominator")),
        unit=_text(rec.get("Unit")),
        target=_num(rec.get("Target")),
        goalposts=(gp_lo, gp_hi) if gp_lo is not None and gp_hi is not None else None,
    )


def read_structure(spec: IndexSpec) -> tuple[Structure, list[str], list[str]]:
    """The structure, grouping columns and denominator columns of a specification."""
    st = spec.structure
    if st.file is not None:
        return _structure_from_imeta(spec.path(st.file), st)
    nodes: list[Node] = []
    for n in st.indicators:
        nodes.append(
            Node(n.code, 1, n.parent, n.weight, n.direction, n.name, n.denominator, n.unit, n.target, n.goalposts)
        )
    levels = _infer_levels(st, spec.source)
    for n in st.aggregates:
        nodes.append(Node(n.code, levels[n.code], n.parent, n.weight, n.direction, n.name, None, n.unit, n.target))
    structure = Structure(tuple(sorted(nodes, key=lambda n: n.level)), tuple(st.level_names))
    problems = [Problem(spec.source, msg, path="structure") for msg in structure.check()]
    if problems:
        raise SpecError("invalid index structure", problems)
    return structure, list(st.groups), list(st.denominators)


def _infer_levels(st: StructureSpec, source: str) -> dict[str, int]:
    """Level of each inline aggregate: given, or one above its children."""
    level = {n.code: 1 for n in st.indicators}
    level.update({n.code: n.level for n in st.aggregates if n.level is not None})
    todo = [n for n in st.aggregates if n.code not in level]
    for _ in range(len(todo) + 1):
        for n in list(todo):
            kids = [k.code for k in st.indicators + st.aggregates if k.parent == n.code]
            if kids and all(k in level for k in kids):
                level[n.code] = 1 + max(level[k] for k in kids)
                todo.remove(n)
    if todo:
        raise SpecError(
            "invalid index structure",
            [
                Problem(
                    source,
                    f"cannot work out the level of {n.code!r} (no children, or a cycle)",
                    path="structure.aggregates",
                )
                for n in todo
            ],
        )
    return level


def load_frame(spec: IndexSpec) -> Frame:
    """Read the data file and structure of ``spec`` and check they fit together.

    A specification that reads from the store (``data: {store: ...}``) is read
    by :func:`~sandyq.analytics.composite.read_store_data` from a reader instead.
    """
    if spec.data.store is not None or spec.data.file is None:
        raise InvalidValueError(
            "the specification reads its data from the store",
            [Problem(spec.source, "give the store to read from, e.g. CompositeIndex.from_spec(spec, monitor)")],
        )
    structure, group_cols, denom_cols = read_structure(spec)
    path = spec.path(spec.data.file)
    df = _read_csv(path)
    ds = spec.data
    problems: list[Problem] = []
    codes = structure.indicators
    needed = [ds.unit, *codes, *group_cols]
    for col in needed:
        if col not in df.columns:
            problems.append(Problem(str(path), "column not found", column=col))
    if problems:
        raise LoadError(f"the data file does not match the specification {spec.source}".strip(), problems)
    values = np.empty((len(df), len(codes)))
    for j, col in enumerate([*codes]):
        raw = df[col]
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() & raw.notna()
        for i in np.flatnonzero(bad.to_numpy())[:20]:
            problems.append(Problem(str(path), f"not a number: {raw.iloc[i]!r}", row=int(i) + 2, column=col))
        values[:, j] = num.to_numpy(dtype=float)
    units = df[ds.unit].astype(str).to_numpy(dtype=object)
    names = df[ds.name].astype(str).to_numpy(dtype=object) if ds.name and ds.name in df.columns else units.copy()
    periods = None
    if ds.time and ds.time in df.columns:
        t = pd.to_numeric(df[ds.time], errors="coerce")
        if t.isna().any():
            problems.append(Problem(str(path), "time must be a whole number (a year)", column=ds.time))
        else:
            periods = t.to_numpy(dtype=np.int64)
    keys = pd.Series(list(zip(units, periods if periods is not None else np.zeros(len(units)), strict=True)))
    for i in np.flatnonzero(keys.duplicated().to_numpy())[:20]:
        problems.append(Problem(str(path), f"unit {units[i]!r} appears twice for the same period", row=int(i) + 2))
    denominators = {}
    for col in denom_cols:
        if col in df.columns:
            denominators[col] = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    if problems:
        raise LoadError("invalid data file", problems)
    groups = {g: df[g].to_numpy(dtype=object) for g in group_cols}
    return Frame(units, names, periods, values, structure, groups, denominators, str(path))
