"""Cases of SDMX-CSV 1.0/2.0 and SDMX-ML data messages.

SDMX-CSV tables are the real samples (Open SDG 17-8-1 and seed 000) written in SDMX-CSV at collection time,
then changed like every table plus the SDMX-specific mistakes (``ACTION D``, ``UNIT_MULT``, a bad
``STRUCTURE``).  SDMX-ML messages are written by sandyq's own exporter from the same samples when a case
runs, then edited as text: delete actions, wrong namespaces, missing attributes, entities.
"""

from __future__ import annotations

import functools
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from ._cells import CELL_MUTATIONS, Made, Mutation, fullwidth
from ._model import Case, Either, LoadCall, Loads, Refused
from ._sources import Roles, Table, rng, tables
from ._tables import WHOLE_FILE, table_case

__all__ = ["SDMX_FAMILY", "SDMX_SOURCES", "sdmx_cases", "sources_reference"]

SDMX_FAMILY = "sdmx"
#: The samples the SDMX files are made of; their manifest load is the reference of a harmless change.
SDMX_SOURCES = ("sdg-17-8-1", "seed000")
REFERENCE = "sdmx-sources"
_COLUMNS = (
    "INDICATOR",
    "REF_AREA",
    "SEX",
    "URBANISATION",
    "WINDOW",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    "COMMENT",
    "SOURCE",
)
_ROLES = Roles(
    period="TIME_PERIOD",
    values=("OBS_VALUE",),
    geo="REF_AREA",
    indicator="INDICATOR",
    dims=("SEX", "URBANISATION", "WINDOW"),
    note="COMMENT",
    status="OBS_STATUS",
    unit="UNIT_MEASURE",
)


def _records() -> list[dict[str, str]]:
    """The samples' rows in SDMX terms (``_T`` for a total)."""
    out = []
    for key in SDMX_SOURCES:
        t = tables()[key]
        for row in t.rows:
            cell = dict(zip(t.header, row, strict=True))
            if key == "seed000":
                rec = {c: cell.get(c, "") for c in _COLUMNS}
                rec["WINDOW"] = cell["WINDOW"] or "_T"
                rec["SEX"] = rec["URBANISATION"] = "_T"
            else:
                rec = {
                    "INDICATOR": "17-8-1",
                    "REF_AREA": cell["REF_AREA"] or "KAZ",
                    "SEX": cell["SEX"] or "_T",
                    "URBANISATION": cell["URBANISATION"] or "_T",
                    "WINDOW": "_T",
                    "TIME_PERIOD": cell["Year"],
                    "OBS_VALUE": cell["Value"],
                    "UNIT_MEASURE": cell["UNIT_MEASURE"],
                    "OBS_STATUS": "",
                    "COMMENT": "",
                    "SOURCE": "kz-sdg",
                }
            out.append(rec)
    return out


@functools.cache
def sdmx_tables() -> dict[str, Table]:
    """The samples as SDMX-CSV 1.0 and 2.0 tables (the reference: the samples' own load)."""
    recs = _records()
    v1 = Table(
        key="sdmx-csv-1.0",
        name="flow-1.0.csv",
        header=("DATAFLOW", *_COLUMNS),
        rows=tuple(("SANDYQ:DF_SANDYQ(1.0)", *(r[c] for c in _COLUMNS)) for r in recs),
        roles=_ROLES,
        options={"vintage": "2024-10-24"},
    )
    v2 = Table(
        key="sdmx-csv-2.0",
        name="flow-2.0.csv",
        header=("STRUCTURE", "STRUCTURE_ID", "ACTION", *_COLUMNS),
        rows=tuple(("dataflow", "SANDYQ:DF_SANDYQ(1.0)", "I", *(r[c] for c in _COLUMNS)) for r in recs),
        roles=_ROLES,
        options={"vintage": "2024-10-24"},
    )
    return {v1.key: v1, v2.key: v2}


def sources_reference(folder: Path) -> LoadCall:
    """The SDMX files' sources loaded as the bundled manifest loads them (one manifest of both samples)."""
    loads = []
    for key in SDMX_SOURCES:
        t = tables()[key]
        (folder / t.name).write_bytes(t.csv())
        loads.append({"file": t.name, **t.options})
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"loads": loads}, allow_unicode=True), encoding="utf-8")
    return LoadCall(path, {})


@functools.cache
def exports() -> dict[str, bytes]:
    """The samples exported by sandyq as SDMX-ML and SDMX-CSV 1.0 and 2.0 (made once per process)."""
    import sandyq
    from sandyq.outputs.export import select, write
    from sandyq.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        call = sources_reference(folder)
        with sandyq.Monitor(Store(":memory:"), sandyq.load_framework()) as m:
            m.load(call.path)
            sel = select(m)
            write(sel, folder / "out.xml", "sdmx-ml")
            write(sel, folder / "out10.csv", "sdmx-csv", sdmx_version="1.0")
            write(sel, folder / "out20.csv", "sdmx-csv", sdmx_version="2.0")
        return {
            "ml": (folder / "out.xml").read_bytes(),
            "1.0": (folder / "out10.csv").read_bytes(),
            "2.0": (folder / "out20.csv").read_bytes(),
        }


# -- SDMX-CSV ---------------------------------------------------------------------------------------------------
def _column_cell(column: str, value: str, *, v2: bool = True) -> Callable[[Table, random.Random], Made | None]:
    """One row's ``column`` (added if missing) set to ``value``: refused naming that row and column."""

    def apply(t: Table, r: random.Random) -> Made | None:
        if v2 and "ACTION" not in t.header:
            return None
        i = r.randrange(len(t.rows))
        if column in t.header:
            rows = [list(row) for row in t.rows]
            rows[i][t.col(column)] = value
            table = t.with_rows(rows)
        else:
            rows = [[*row, value if k == i else ""] for k, row in enumerate(t.rows)]
            table = t.with_rows(rows, header=[*t.header, column])
        return Made(table.csv(), Refused("LoadError", row=i + 2, column=(column,)))

    return apply


def _action_replace(t: Table, r: random.Random) -> Made | None:
    if "ACTION" not in t.header:
        return None
    j = t.col("ACTION")
    rows = [[("R" if k == j else c) for k, c in enumerate(row)] for row in t.rows]
    return Made(t.with_rows(rows).csv(), Loads(reference=t.key))


def _unit_mult_zero(t: Table, r: random.Random) -> Made | None:
    table = t.with_rows([[*row, "0"] for row in t.rows], header=[*t.header, "UNIT_MULT"])
    return Made(table.csv(), Loads(reference=t.key))


def _structure_id_renamed(t: Table, r: random.Random) -> Made | None:
    if t.header[1] != "STRUCTURE_ID":
        return None
    header = ["STRUCTURE", "ID", *t.header[2:]]
    return Made(t.with_rows(list(t.rows), header=header).csv(), Refused("LoadError", row=1, column=("ID",)))


def _labelled(t: Table, r: random.Random) -> Made | None:
    """Headers and codes with labels (``REF_AREA: Reference area``, ``KAZ: Kazakhstan``), as 'labels=both'."""
    labelled = {"REF_AREA": "Reference area", "SEX": "Sex", "TIME_PERIOD": "Time"}
    header = [f"{h}: {labelled[h]}" if h in labelled else h for h in t.header]
    rows = []
    for row in t.rows:
        rows.append([f"{c}: label" if t.header[k] in ("REF_AREA", "SEX") and c else c for k, c in enumerate(row)])
    return Made(t.with_rows(rows, header=header).csv(), Loads(reference=t.key))


def _semicolons(t: Table, r: random.Random) -> Made | None:
    """SDMX-CSV 2.0 declaring ``;`` as its delimiter (``STRUCTURE[;]``) and using it."""
    if t.header[0] != "STRUCTURE":
        return None
    lines = [";".join(["STRUCTURE[;]", *t.header[1:]]), *(";".join(row) for row in t.rows)]
    if any(";" in c for row in t.rows for c in row):
        return None
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return Made(data, Either(Refused("LoadError", row=1), Loads(reference=t.key)))


def _permuted_message_column(t: Table, r: random.Random) -> Made | None:
    """The DATAFLOW/STRUCTURE columns moved to the end: still SDMX (loads), or refused — never dimensions."""
    n = 1 if t.header[0] == "DATAFLOW" else 3
    header = [*t.header[n:], *t.header[:n]]
    rows = [[*row[n:], *row[:n]] for row in t.rows]
    return Made(
        t.with_rows(rows, header=header).csv(), Either(Refused("LoadError", names=(t.name,)), Loads(reference=t.key))
    )


_SDMX_CSV: tuple[Mutation, ...] = (
    Mutation("action-delete", _column_cell("ACTION", "D")),
    Mutation("action-delete-lowercase", _column_cell("ACTION", "d")),
    Mutation("action-unknown", _column_cell("ACTION", "X")),
    Mutation("action-replace", _action_replace),
    Mutation("unit-multiplier-3", _column_cell("UNIT_MULT", "3", v2=False)),
    Mutation("unit-multiplier-0", _unit_mult_zero),
    Mutation("structure-kind-unknown", _column_cell("STRUCTURE", "table")),
    Mutation("structure-id-renamed", _structure_id_renamed),
    Mutation("labels-both", _labelled),
    Mutation("semicolon-delimiter-declared", _semicolons),
    Mutation("message-columns-last", _permuted_message_column),
)
#: The table mutations that also make sense for an SDMX-CSV file.
_FROM_TABLES = {
    "row-truncated",
    "row-extra-fields",
    "header-repeated-value",
    "header-repeated-period",
    "header-value-and-synonym",
    "header-line-inside",
    "header-only",
    "crlf",
    "bom-crlf",
    "quote-all",
    "row-duplicated",
    "row-conflicting",
    "unbalanced-quote",
    "option-source-unknown",
    "option-vintage-words",
}


def _csv_cases() -> list[Case]:
    cases = []
    versions = sdmx_tables()
    mutations = [*CELL_MUTATIONS, *(m for m in WHOLE_FILE if m.name in _FROM_TABLES), *_SDMX_CSV]
    for mutation in mutations:
        keys = sorted(versions)
        rng("sdmx-order", mutation.name).shuffle(keys)
        specific = mutation in _SDMX_CSV
        for key in keys if specific else keys[:1]:
            t = versions[key]
            made = mutation.apply(t, rng(SDMX_FAMILY, key, mutation.name))
            if made is not None:
                cases.append(table_case(SDMX_FAMILY, t, mutation, made))
    return cases


# -- SDMX-ML ----------------------------------------------------------------------------------------------------
ML_NAME = "message.xml"
MESSAGE_NS = b"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"


def _obs(data: bytes, k: int, change: Callable[[bytes], bytes]) -> bytes:
    """The message with its ``k``-th ``<Obs .../>`` element changed."""
    start = -1
    for _ in range(k + 1):
        start = data.index(b"<Obs ", start + 1)
    end = data.index(b"/>", start) + 2
    return data[:start] + change(data[start:end]) + data[end:]


def _attr(name: str, value: bytes | None) -> Callable[[bytes], bytes]:
    """An Obs element with attribute ``name`` set to ``value`` (None removes it)."""

    def change(obs: bytes) -> bytes:
        key = f' {name}="'.encode()
        if key in obs:
            start = obs.index(key)
            end = obs.index(b'"', start + len(key)) + 1
            return obs[:start] + (b"" if value is None else key + value + b'"') + obs[end:]
        return obs if value is None else obs.replace(b"<Obs ", b"<Obs " + key[1:] + value + b'" ', 1)

    return change


def _fullwidth_attr(name: str) -> Callable[[bytes], bytes]:
    """An Obs element with attribute ``name``'s own value in full-width digits (NFKC gives it back)."""

    def change(obs: bytes) -> bytes:
        key = f' {name}="'.encode()
        start = obs.index(key) + len(key)
        end = obs.index(b'"', start)
        return obs[:start] + fullwidth(obs[start:end].decode()).encode() + obs[end:]

    return change


def _fullwidth_names(data: bytes, names: tuple[str, ...]) -> bytes:
    """The message with attributes ``names`` in full-width letters (``ＲＥＦ_ＡＲＥＡ``): NFKC gives them back."""
    for name in names:
        wide = "".join(chr(ord(c) + 0xFEE0) if "A" <= c <= "Z" else c for c in name)
        data = data.replace(f" {name}=".encode(), f" {wide}=".encode())
    return data


def _dtd(entities: str, use: str) -> Callable[[bytes], bytes]:
    """A DOCTYPE declaring ``entities``, and ``use`` set as the COMMENT of the third observation."""

    def change(data: bytes) -> bytes:
        declared = data.replace(
            b"<mes:StructureSpecificData",
            f"<!DOCTYPE mes:StructureSpecificData [{entities}]>\n<mes:StructureSpecificData".encode(),
            1,
        )
        return _obs(declared, 2, _attr("COMMENT", use.encode()))

    return change


_LAUGHS = '<!ENTITY a "haha">' + "".join(
    f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(9)
)
_ML: tuple[tuple[str, Callable[[bytes], bytes], Callable[[], object]], ...] = (
    ("pristine", lambda b: b, lambda: Loads(reference=REFERENCE)),
    (
        "action-delete",
        lambda b: b.replace(b"<mes:DataSet ", b'<mes:DataSet action="Delete" ', 1),
        lambda: Refused("LoadError", names=(ML_NAME,)),
    ),
    (
        "action-replace",
        lambda b: b.replace(b"<mes:DataSet ", b'<mes:DataSet action="Replace" ', 1),
        lambda: Loads(reference=REFERENCE),
    ),
    (
        "action-append",
        lambda b: b.replace(b"<mes:DataSet ", b'<mes:DataSet action="Append" ', 1),
        lambda: Loads(reference=REFERENCE),
    ),
    (
        "action-unknown",
        lambda b: b.replace(b"<mes:DataSet ", b'<mes:DataSet action="Obliterate" ', 1),
        lambda: Refused("LoadError", names=(ML_NAME,)),
    ),
    (
        "wrong-message-namespace",
        lambda b: b.replace(MESSAGE_NS, b"http://example.invalid/not-sdmx/message"),
        lambda: Refused("LoadError", names=(ML_NAME,)),
    ),
    (
        "undeclared-prefix",
        lambda b: b.replace(b' xmlns:mes="' + MESSAGE_NS + b'"', b""),
        lambda: Refused("LoadError", names=(ML_NAME,)),
    ),
    (
        "obs-without-time-period",
        lambda b: _obs(b, 2, _attr("TIME_PERIOD", None)),
        lambda: Refused("LoadError", names=(ML_NAME,), column=("TIME_PERIOD",)),
    ),
    (
        "obs-without-ref-area",
        lambda b: _obs(b, 2, _attr("REF_AREA", None)),
        lambda: Refused("LoadError", names=(ML_NAME,), column=("REF_AREA",)),
    ),
    (
        "obs-without-indicator",
        lambda b: _obs(b, 2, _attr("INDICATOR", None)),
        lambda: Refused("LoadError", names=(ML_NAME,), column=("INDICATOR",)),
    ),
    (
        "obs-value-1e308",
        lambda b: _obs(b, 2, _attr("OBS_VALUE", b"1e308")),
        lambda: Refused("LoadError", column=("OBS_VALUE",)),
    ),
    (
        "obs-value-inf",
        lambda b: _obs(b, 2, _attr("OBS_VALUE", b"INF")),
        lambda: Refused("LoadError", column=("OBS_VALUE",)),
    ),
    (
        "time-period-fullwidth",
        lambda b: _obs(b, 2, _fullwidth_attr("TIME_PERIOD")),
        lambda: Either(Refused("LoadError", column=("TIME_PERIOD",)), Loads(reference=REFERENCE)),
    ),
    (
        "names-fullwidth",
        lambda b: _fullwidth_names(b, ("REF_AREA", "SEX", "TIME_PERIOD", "OBS_VALUE")),
        lambda: Loads(reference=REFERENCE),
    ),
    ("dims-semicolon", lambda b: _obs(b, 2, _attr("SEX", b"F;sex=M")), lambda: Refused("LoadError", column=("SEX",))),
    (
        "comment-c1-control",
        lambda b: _obs(b, 2, _attr("COMMENT", b"x&#x9b;y")),
        lambda: Refused("LoadError", column=("COMMENT",)),
    ),
    (
        "comment-nul-reference",
        lambda b: _obs(b, 2, _attr("COMMENT", b"x&#0;y")),
        lambda: Refused("LoadError", names=(ML_NAME,)),
    ),
    ("billion-laughs", _dtd(_LAUGHS, "&j;"), lambda: Refused("LoadError", names=(ML_NAME,))),
    (
        "external-entity",
        _dtd('<!ENTITY x SYSTEM "file:///etc/hostname">', "&x;"),
        lambda: Either(Refused("LoadError", names=(ML_NAME,)), Loads(reference=REFERENCE)),
    ),
    ("truncated", lambda b: b[: len(b) // 2], lambda: Refused("LoadError", names=(ML_NAME,))),
    (
        "no-observations",
        lambda b: b[: b.index(b"<Obs ")] + b[b.rindex(b"/>") + 2 :],
        lambda: Refused("LoadError", names=(ML_NAME,)),
    ),
    (
        "utf16",
        lambda b: b.replace(b"encoding='utf-8'", b"encoding='utf-16'").decode("utf-8").encode("utf-16"),
        lambda: Either(Refused("LoadError", names=(ML_NAME,)), Loads(reference=REFERENCE)),
    ),
    (
        "obs-conflicting-duplicate",
        lambda b: _obs(b, 2, lambda o: o + b"\n    " + _attr("OBS_VALUE", b"12.5")(o)),
        lambda: Refused("LoadError", column=("OBS_VALUE",)),
    ),
    ("text-after-root", lambda b: b + b"<trailing/>", lambda: Refused("LoadError", names=(ML_NAME,))),
)
_ISOLATED = {"billion-laughs": (1 << 30, 20.0)}


def _ml_case(name: str, change: Callable[[bytes], bytes], expect: Callable[[], object]) -> Case:
    def make(folder: Path) -> LoadCall:
        path = folder / ML_NAME
        path.write_bytes(change(exports()["ml"]))
        return LoadCall(path, {"vintage": "2024-10-24"})

    memory, seconds = _ISOLATED.get(name, (None, 10.0))
    return Case(f"{SDMX_FAMILY}/ml/{name}", make, expect(), isolate=memory, seconds=seconds)  # type: ignore[arg-type]


def _export_case(version: str) -> Case:
    """sandyq's own SDMX-CSV export of the samples loads back as the samples."""

    def make(folder: Path) -> LoadCall:
        path = folder / f"export-{version}.csv"
        path.write_bytes(exports()[version])
        return LoadCall(path, {"vintage": "2024-10-24"})

    return Case(f"{SDMX_FAMILY}/export-{version}/pristine", make, Loads(reference=REFERENCE))


def sdmx_cases() -> list[Case]:
    """Every SDMX case: the SDMX-CSV tables' mutations, sandyq's exports, the SDMX-ML edits."""
    return [
        *_csv_cases(),
        _export_case("1.0"),
        _export_case("2.0"),
        *(_ml_case(name, change, expect) for name, change, expect in _ML),
    ]
