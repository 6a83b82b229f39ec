"""Import SDMX-CSV (1.0 and 2.0) and SDMX-ML data messages.

SDMX-CSV 1.0 starts with a ``DATAFLOW`` column, 2.0 with ``STRUCTURE,
STRUCTURE_ID`` (and usually ``ACTION``); SDMX-ML is an XML data message,
structure-specific or generic.  Each becomes sandyq's long form and goes
through the same validation as every file, so every problem names the file,
the row (for SDMX-ML: the observation's number) and the column.

How components map:

* ``INDICATOR``, ``REF_AREA``, ``TIME_PERIOD``, ``OBS_VALUE``, ``UNIT_MEASURE``,
  ``OBS_STATUS``, ``SOURCE`` are sandyq's own; ``COMMENT``/``COMMENT_OBS``/
  ``OBS_COMMENT`` become the note;
* every other dimension is a disaggregation, where ``_T`` (total) and ``_Z``
  (not applicable) mean the total, as a blank cell does;
* columns that describe the message rather than the figure (``DATAFLOW``,
  ``STRUCTURE*``, ``ACTION``, ``FREQ`` — the period says it —, ``VINTAGE``,
  ``DECIMALS``, ``TITLE`` …) are not loaded; ``UNIT_MULT`` other than 0 and
  ``ACTION`` ``D`` (delete; in SDMX-ML a data set's ``action="Delete"``) are
  refused, because sandyq never rescales or deletes silently;
* an SDMX-ML message with a DOCTYPE is refused (its entities could expand
  without bound).

SDMX-CSV is parsed with pandas, not sdmx1, because sdmx1 reads only SDMX-CSV
2.0, needs the data structure beforehand and drops row numbers.  SDMX-ML is
read with sdmx1, with a data structure inferred from the message itself.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import LoadError, Problem, refused
from ..framework import Source
from ._batch import Batch, file_batch
from ._header import header_names
from ._layouts import COL, LONG, to_long
from ._read import ROW, read_table, require_rows
from ._validate import check

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["IGNORED_COMPONENTS", "TOTAL_CODES", "is_sdmx_file", "read_sdmx", "sdmx_version"]

#: Codes that mean "no breakdown" in a disaggregation.
TOTAL_CODES = ("_T", "_Z")
#: Components that describe the message or the series, not the figure: not loaded.
IGNORED_COMPONENTS = frozenset(
    {
        "DATAFLOW",
        "STRUCTURE",
        "STRUCTURE_ID",
        "STRUCTURE_NAME",
        "ACTION",
        "SERIES_KEY",
        "OBS_KEY",
        "FREQ",
        "VINTAGE",
        "DECIMALS",
        "TITLE",
        "TITLE_COMPL",
        "TIME_FORMAT",
        "CONF_STATUS",
        "OBS_CONF",
        "EMBARGO_TIME",
        "COMPILING_ORG",
        "DATA_COMP",
        "SOURCE_DETAIL",
        "NATURE",
        "OBS_PRE_BREAK",
        "BASE_PER",
        "UNIT_MULT",
        "REF_PERIOD_DETAIL",
        "TIME_DETAIL",
    }
)
_NOTE = {"COMMENT", "COMMENT_OBS", "OBS_COMMENT"}
_V2_HEAD = re.compile(r"STRUCTURE(\[.\])?")


def sdmx_version(path: str | Path) -> str | None:
    """``"1.0"``/``"2.0"`` for SDMX-CSV, ``"ml"`` for SDMX-ML, None if the file is neither.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "x.csv")
    >>> _ = open(f, "w").write("DATAFLOW,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\\n")
    >>> sdmx_version(f)
    '1.0'
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    except OSError:
        return None
    if head.startswith("<"):
        return "ml" if re.search(r"<(\w+:)?(StructureSpecific|Generic)\w*Data\b", head) else None
    first = head.split("\n", 1)[0].split(",", 1)[0].strip().strip('"')
    if first == "DATAFLOW":
        return "1.0"
    return "2.0" if _V2_HEAD.fullmatch(first) else None


def _starts_like_xml(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    except OSError:
        return False


def is_sdmx_file(path: str | Path) -> bool:
    """Whether ``path`` is an SDMX-CSV or SDMX-ML data file (by its content, not its name)."""
    return sdmx_version(path) is not None


def _csv_frame(path: Path, problems: list[Problem]) -> tuple[pd.DataFrame, str]:
    raw = read_table(path)
    cols = list(raw.columns)
    version = sdmx_version(path)
    if version not in ("1.0", "2.0"):
        raise LoadError(
            f"{path}: refused: not SDMX-CSV; nothing was loaded",
            [
                Problem(
                    str(path),
                    f"the first column must be DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (SDMX-CSV 2.0), not {cols[0]!r}",
                    row=1,
                    column=cols[0],
                )
            ],
        )
    if version == "2.0":
        if len(cols) < 2 or cols[1] != "STRUCTURE_ID":
            raise LoadError(
                f"{path}: refused: malformed SDMX-CSV 2.0; nothing was loaded",
                [
                    Problem(
                        str(path),
                        "the second column must be STRUCTURE_ID",
                        row=1,
                        column=cols[1] if len(cols) > 1 else None,
                    )
                ],
            )
        kind = raw[cols[0]].str.strip().str.lower()
        bad = ~kind.isin(["dataflow", "datastructure", "dataprovision"])
        problems += [
            Problem(
                str(path),
                f"STRUCTURE must be dataflow, datastructure or dataprovision, not {v!r}",
                row=int(r),
                column=cols[0],
            )
            for v, r in zip(raw.loc[bad, cols[0]], raw.loc[bad, ROW], strict=True)
        ]
        raw = raw.rename(columns={cols[0]: "STRUCTURE"})
    require_rows(raw, path)
    # labels "both": headers and codes read "ID: name"
    named = {c: c.split(": ", 1)[0].strip() for c in raw.columns if ": " in c}
    dupes = [c for c, base in named.items() if base in raw.columns]
    raw = raw.drop(columns=dupes).rename(columns={c: b for c, b in named.items() if c not in dupes})
    for c in {b for c, b in named.items() if c not in dupes} - {"OBS_VALUE", *_NOTE}:
        raw[c] = raw[c].str.split(": ", n=1).str[0]
    return raw, f"sdmx-csv-{version}"


def _ml_frame(path: Path) -> pd.DataFrame:
    """The observations of an SDMX-ML data message as text columns, one row per observation."""
    import sdmx
    from lxml import etree
    from sdmx.model import common, v21

    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        line = getattr(exc, "lineno", None)
        raise LoadError(
            f"{path}: refused: malformed XML; nothing was loaded",
            [Problem(str(path), str(exc).split(" (", 1)[0], row=line)],
        ) from None
    if tree.docinfo.doctype:
        raise LoadError(
            f"{path}: refused: the message declares a DOCTYPE; nothing was loaded",
            [
                Problem(
                    str(path),
                    "SDMX-ML needs no DOCTYPE, and its entities could expand without bound: remove it",
                    row=1,
                )
            ],
        )
    root = etree.QName(tree.getroot()).localname
    if not re.fullmatch(r"(StructureSpecific|Generic)\w*Data", root):
        raise LoadError(
            f"{path}: refused: not an SDMX-ML data message; nothing was loaded",
            [
                Problem(
                    str(path),
                    f"root element is {root!r}, expected StructureSpecificData or GenericData",
                    row=tree.getroot().sourceline,
                )
            ],
        )
    names: dict[str, None] = {}
    for el in tree.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname in ("Obs", "Series") and not el.prefix:
            names.update(dict.fromkeys(k for k in el.attrib if not k.startswith("{")))
    structure = None
    if names:
        dsd = v21.DataStructureDefinition(id="INFERRED", maintainer=common.Agency(id="SANDYQ"), version="1.0")
        for n in names:
            kind = unicodedata.normalize("NFKC", n).strip()  # ＴＩＭＥ_PERIOD is TIME_PERIOD, as in a CSV header
            if kind == "TIME_PERIOD":
                dsd.dimensions.getdefault(id=n, cls=v21.TimeDimension)
            elif kind == "OBS_VALUE":
                dsd.measures.getdefault(id=n)
            elif kind in IGNORED_COMPONENTS or kind in {"UNIT_MEASURE", "OBS_STATUS", "SOURCE", *_NOTE}:
                dsd.attributes.getdefault(id=n)
            else:
                dsd.dimensions.getdefault(id=n)
        structure = dsd
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # sdmx1 prints diagnostics on some failures
            msg = sdmx.read_sdmx(str(path), structure=structure)
    except Exception as exc:  # sdmx1 raises many kinds on bad content; none may escape as a traceback
        raise LoadError(
            f"{path}: refused: sdmx1 cannot read this SDMX-ML message; nothing was loaded",
            [Problem(str(path), f"{type(exc).__name__}: {exc}"[:300])],
        ) from None
    actions = _actions(tree)
    records = []
    for k, ds in enumerate(getattr(msg, "data", [])):
        ds_attrs = {k: str(v.value) for k, v in ds.attrib.items()}
        if k < len(actions) and actions[k]:
            ds_attrs["ACTION"] = actions[k]
        for obs in ds.obs:
            rec = dict(ds_attrs)
            rec.update({k: str(v.value) for k, v in obs.key.values.items()})
            rec.update({k: str(getattr(v, "value", v)) for k, v in obs.attrib.items()})
            rec["OBS_VALUE"] = "" if obs.value is None else str(obs.value)
            records.append(rec)
    frame = (
        pd.DataFrame.from_records(records).fillna("").astype("string")
        if records
        else pd.DataFrame(columns=["OBS_VALUE"], dtype="string")
    )
    frame.columns = header_names(path, list(frame.columns))  # NFKC names, no repeats: as a CSV header
    frame[ROW] = range(1, len(frame) + 1)
    return frame


#: SDMX-ML data set actions by their SDMX-CSV codes.
_ACTIONS = {"delete": "D", "replace": "R", "append": "A", "information": "I"}


def _actions(tree: Any) -> list[str]:
    """The action of every data set of an SDMX-ML message, as its SDMX-CSV code ("" if none).

    sdmx1 does not read it, and ``action="Delete"`` must not be taken for new figures.
    """
    from lxml import etree

    out = []
    for el in tree.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == "DataSet":
            value = next((v for k, v in el.attrib.items() if etree.QName(k).localname == "action"), "")
            out.append(_ACTIONS.get(value.strip().lower(), value.strip()))
    return out


def read_sdmx(
    path: str | Path,
    framework: Framework,
    *,
    known_sources: Iterable[Source] = (),
    source: str | None = None,
    indicator: str | None = None,
    ignore: Sequence[str] = (),
    duplicates: str = "error",
    out_of_range: str = "error",
    vintage: date | datetime | str | None = None,
    label: str | None = None,
) -> Batch:
    """Read and validate an SDMX-CSV or SDMX-ML file; return its rows as a batch whose format is the one found.

    ``known_sources`` count as known besides the framework's (for example the
    sources recorded in a store, such as ``wdi-api`` from a connector), so a
    sandyq export can be loaded back.  ``label`` is the name recorded for the
    file (default: its path).  Raises :class:`~sandyq.errors.LoadError` with
    every problem if anything is wrong.
    """
    p = Path(path)
    extra = list(known_sources)
    framework = framework.with_indicators({}, extra) if extra else framework
    problems: list[Problem] = []
    if sdmx_version(p) == "ml" or _starts_like_xml(p):
        frame, layout = _ml_frame(p), "sdmx-ml"
        if frame.empty:
            raise LoadError(
                f"{p}: refused: the message has no observations; nothing was loaded",
                [Problem(str(p), "no observations (Obs elements) in any data set")],
            )
    else:
        frame, layout = _csv_frame(p, problems)
    f = str(p)
    if "ACTION" in frame.columns:
        act = frame["ACTION"].str.strip().str.upper()
        for code, message in (
            (
                "D",
                "ACTION D (delete) is not supported: sandyq never deletes figures; remove "
                "these rows or load a revision instead",
            ),
        ):
            problems += [Problem(f, message, row=int(r), column="ACTION") for r in frame.loc[act == code, ROW]]
        other = ~act.isin(["", "I", "A", "R", "D"])
        problems += [
            Problem(f, f"unknown ACTION {v!r} (I, A, R or D)", row=int(r), column="ACTION")
            for v, r in zip(frame.loc[other, "ACTION"], frame.loc[other, ROW], strict=True)
        ]
    if "UNIT_MULT" in frame.columns:
        mult = frame["UNIT_MULT"].str.strip()
        bad = ~mult.isin(["", "0"])
        problems += [
            Problem(
                f,
                f"UNIT_MULT {v!r} is not supported: give values in the unit itself (sandyq does not rescale)",
                row=int(r),
                column="UNIT_MULT",
            )
            for v, r in zip(frame.loc[bad, "UNIT_MULT"], frame.loc[bad, ROW], strict=True)
        ]
    if problems:
        raise refused(str(p), problems)
    unknown_ignored = [c for c in ignore if c not in frame.columns]
    if unknown_ignored:
        raise LoadError(
            f"{p}: refused: options name columns the file lacks",
            [Problem(f, "column named in 'ignore' is not in the file", column=c) for c in unknown_ignored],
        )
    drop = [c for c in frame.columns if c in IGNORED_COMPONENTS or c in ignore]
    frame = frame.drop(columns=drop).rename(columns={c: "COMMENT" for c in frame.columns if c in _NOTE})
    dims = [c for c in frame.columns if c not in (*LONG, ROW, COL)]
    for c in dims:
        frame[c] = frame[c].where(~frame[c].str.strip().isin(TOTAL_CODES), "")
    long = to_long(frame, p, "tidy", indicator=indicator, known_indicators=framework.indicators)
    checked = check(long, p, framework, source=source, duplicates=duplicates, out_of_range=out_of_range)
    return file_batch(checked, p, framework, format=layout, source=source, vintage=vintage, label=label)
