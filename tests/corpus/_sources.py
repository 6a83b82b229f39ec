"""The real inputs the corpus mutates: samples of sandyq's bundled data files, with their manifest options.

Each :class:`Table` is a deterministic sample (seeded by its name) of a file of ``src/sandyq/content/data``,
loaded with the options ``content/manifest.yaml`` gives it, and knows the role of each column (indicator,
geography, period, value, dimensions, note), so that a mutation can say which cell it broke and the case can
expect the error to name that row and column.
"""

from __future__ import annotations

import csv
import functools
import io
import random
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["CONTENT", "SAMPLES", "Roles", "Table", "csv_bytes", "manifest_options", "rng", "sample", "tables"]

CONTENT = Path(str(resources.files("sandyq") / "content"))
#: sandyq's canonical name for each role's column, which an error may use instead of the file's header.
CANONICAL = {
    "indicator": "INDICATOR",
    "geo": "REF_AREA",
    "period": "TIME_PERIOD",
    "value": "OBS_VALUE",
    "note": "COMMENT",
    "status": "OBS_STATUS",
    "unit": "UNIT_MEASURE",
}


def rng(*names: object) -> random.Random:
    """A random generator seeded by ``names`` (the same names give the same numbers on every run)."""
    return random.Random("corpus:" + "/".join(str(n) for n in names))


@dataclass(frozen=True)
class Roles:
    """Which column of a table plays which role (None: the table has no such column)."""

    period: str
    values: tuple[str, ...]
    geo: str | None = None
    indicator: str | None = None
    dims: tuple[str, ...] = ()
    note: str | None = None
    status: str | None = None
    unit: str | None = None
    layout: str = "tidy"


@dataclass(frozen=True)
class Table:
    """A sample of a real file: header, rows of text cells, the file name and the options to load it with."""

    key: str
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    roles: Roles
    options: dict[str, Any] = field(default_factory=dict)

    def col(self, name: str) -> int:
        return self.header.index(name)

    def names(self, role: str, column: str | None = None) -> tuple[str, ...]:
        """The names an error may give the column of ``role`` (the file's header and sandyq's own)."""
        own = column or getattr(self.roles, role, None) or ""
        canonical = CANONICAL.get(role)
        if role == "value" and self.roles.layout != "tidy":
            canonical = None  # a panel or wide table names the value's own column
        return tuple(n for n in (own, canonical) if n)

    def with_rows(self, rows: list[list[str]] | list[tuple[str, ...]], header: list[str] | None = None) -> Table:
        return replace(self, rows=tuple(tuple(r) for r in rows), header=tuple(header or self.header))

    def csv(self, *, quote_all: bool = False) -> bytes:
        return csv_bytes(list(self.header), [list(r) for r in self.rows], quote_all=quote_all)


def csv_bytes(header: list[str], rows: list[list[str]], *, quote_all: bool = False, newline: str = "\n") -> bytes:
    """CSV text (UTF-8) of a header and rows, quoted as needed (or every field)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@functools.cache
def _manifest() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((CONTENT / "manifest.yaml").read_text(encoding="utf-8"))
    out = {}
    for entry in data["loads"]:
        opts = {k: v for k, v in entry.items() if k not in ("file", "note")}
        if "vintage" in opts:
            opts["vintage"] = str(opts["vintage"])
        out[entry["file"]] = opts
    return out


def manifest_options(file: str) -> dict[str, Any]:
    """The options ``content/manifest.yaml`` loads ``file`` (relative to ``content/``) with."""
    return dict(_manifest()[file])


@functools.cache
def _read(file: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    with (CONTENT / file).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return tuple(rows[0]), tuple(tuple(r) for r in rows[1:] if r)


def sample(key: str, file: str, n: int, roles: Roles, *, name: str | None = None) -> Table:
    """``n`` rows of ``file`` chosen at random (seeded by ``key``), in file order."""
    header, rows = _read(file)
    picked = sorted(rng("sample", key).sample(range(len(rows)), min(n, len(rows))))
    return Table(
        key=key,
        name=name or Path(file).name,
        header=header,
        rows=tuple(rows[i] for i in picked),
        roles=roles,
        options=manifest_options(file),
    )


def _wide_years() -> Table:
    """A World Bank download layout (one column per year) made from the bundled aggregates of the WDI."""
    header, rows = _read("data/country-panel/wdi_aggregates_long.csv")
    years = [str(y) for y in range(2015, 2021)]
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for agg, _name, ind, _short, year, value in rows:
        if agg in ("EAS", "ECS", "WLD") and ind in ("IT.NET.USER.ZS", "IT.CEL.SETS.P2") and year in years:
            cells.setdefault((agg, ind), {})[year] = value
    head = ["Country Code", "Series Code", *(f"{y} [YR{y}]" for y in years)]
    body = [(agg, ind, *(v.get(y, "..") for y in years)) for (agg, ind), v in sorted(cells.items())]
    return Table(
        key="wide-years",
        name="wdi_wide.csv",
        header=tuple(head),
        rows=tuple(body),
        roles=Roles(
            period="",
            values=tuple(head[2:]),
            geo="Country Code",
            indicator="Series Code",
            layout="wide-years",
        ),
        options={"source": "wdi", "vintage": "2026-07-01"},
    )


SDG = "data/kz-sdg-ict/raw/"


@functools.cache
def tables() -> dict[str, Table]:
    """Every sample, by key."""
    out = [
        sample(
            "seed000",
            "data/seeds/seed000.csv",
            10,
            Roles(
                period="TIME_PERIOD",
                values=("OBS_VALUE",),
                geo="REF_AREA",
                indicator="INDICATOR",
                dims=("WINDOW",),
                note="COMMENT",
                status="OBS_STATUS",
                unit="UNIT_MEASURE",
            ),
        ),
        sample(
            "sdg-17-8-1",
            SDG + "indicator_17-8-1.csv",
            12,
            Roles(period="Year", values=("Value",), geo="REF_AREA", dims=("URBANISATION", "SEX"), unit="UNIT_MEASURE"),
        ),
        sample(
            "sdg-5-b-1",
            SDG + "indicator_5-b-1.csv",
            12,
            Roles(period="Year", values=("Value",), geo="REF_AREA", dims=("URBANISATION", "SEX"), unit="UNIT_MEASURE"),
        ),
        sample(
            "wdi-agg",
            "data/country-panel/wdi_aggregates_long.csv",
            10,
            Roles(period="year", values=("value",), geo="agg_code", indicator="indicator_code"),
        ),
        sample(
            "panel",
            "data/country-panel/digital_panel_wide.csv",
            5,
            Roles(
                period="year",
                values=("internet_users_pct", "mobile_subs_per100", "gdp_per_capita_usd", "population"),
                geo="iso3",
                layout="panel",
            ),
        ),
        sample(
            "egdi",
            "data/egdi/egdi_2010_2022_long.csv",
            6,
            Roles(period="year", values=("e-gov-index", "osi", "hci"), geo="country-code", layout="panel"),
        ),
        sample(
            "bns",
            "data/kz-bns-ict-national/kz_bns_ict_national.csv",
            10,
            Roles(period="year", values=("value",), indicator="indicator"),
        ),
        _wide_years(),
    ]
    return {t.key: t for t in out}


#: The keys of the samples, in a fixed order.
SAMPLES = ("seed000", "sdg-17-8-1", "sdg-5-b-1", "wdi-agg", "panel", "egdi", "bns", "wide-years")
