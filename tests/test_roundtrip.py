"""Export → load round trip: what ``sandyq export`` writes, ``Monitor.load`` reads back as the same observations.

Real bundled observations (from the store ``sandyq.init`` builds) are exported
in every format that has a reader and loaded into a fresh store through the one
importer dispatch, with no option but what the format needs: the kind and
layout are detected.  Every column of the key and of the figure must survive:
indicator, geo, period, dims, value, unit, status, source and note (values
exactly, except in Excel, which keeps 16 significant digits).

A data package (folder or zip) is not a kind the importer opens; what it holds
is its ``data/observations.csv``, which is loaded here as the file a user would.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import sandyq
from sandyq.outputs.export import export

KEY = ["indicator", "geo", "period", "dims", "source"]
COMPARED = [*KEY, "value", "unit", "status", "note"]
#: Disaggregated (17-8-1 by sex and area, 4-4-1 by age and skill) over many regions; estimates with notes
#: (kz.internet_users, kz.cybersecurity_specialists_trained); one indicator from two sources (SP.POP.TOTL).
INDICATORS = ["17-8-1", "4-4-1", "kz.internet_users", "kz.cybersecurity_specialists_trained", "SP.POP.TOTL"]
START, END = 2015, 2019
CASES = [
    ("csv", "", "out.csv"),
    ("xlsx", "", "out.xlsx"),
    ("sdmx-csv", "1.0", "out.csv"),
    ("sdmx-csv", "2.0", "out.csv"),
    ("sdmx-ml", "", "out.xml"),
    ("datapackage", "", "package"),
    ("zip", "", "out.zip"),
]


@pytest.fixture(scope="module")
def bundled(default_db: Path) -> Iterator[sandyq.Monitor]:
    with sandyq.connect(default_db, read_only=True) as m:
        yield m


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[COMPARED].astype({"value": "float64"}).astype({c: "object" for c in COMPARED if c != "value"})
    return out.where(out.notna(), None).sort_values(KEY).reset_index(drop=True)


def _readable(fmt: str, path: Path, tmp_path: Path) -> Path:
    """The file to load: the export itself, or the data file a data package holds."""
    if fmt == "datapackage":
        return path / "data" / "observations.csv"
    if fmt == "zip":
        with zipfile.ZipFile(path) as zf:
            target = tmp_path / "observations.csv"
            target.write_bytes(zf.read("data/observations.csv"))
        return target
    return path


def _assert_varied(obs: pd.DataFrame) -> None:
    """The sample exercises every column: disaggregations, regions, years, sources, statuses and notes."""
    assert set(obs["indicator"]) == set(INDICATORS)
    assert obs["geo"].nunique() > 20 and obs["period"].nunique() == 5 and obs["dims"].nunique() > 10
    assert set(obs["source"]) >= {"kz-sdg", "seed-000", "seed-004", "wdi"}
    assert obs["status"].notna().any() and obs["note"].notna().any()
    assert obs["note"].str.contains('"', na=False).any()  # a note with quotes must survive CSV and XML


@pytest.mark.parametrize(("fmt", "version", "name"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_export_loads_back_through_monitor_load(
    bundled: sandyq.Monitor, tmp_path: Path, fmt: str, version: str, name: str
) -> None:
    path = tmp_path / name
    report = export(bundled, path, fmt, indicator=INDICATORS, sdmx_version=version or "2.0", start=START, end=END)
    expected = _norm(bundled.store.observations(INDICATORS, dims=None, start=START, end=END))
    _assert_varied(expected)
    assert report.rows == len(expected)
    with sandyq.connect(tmp_path / "fresh.duckdb") as fresh:
        reports = fresh.load(_readable(fmt, path, tmp_path), vintage="2030-01-01")
        assert [(r.added, r.revised) for r in reports] == [(len(expected), 0)]
        loaded = _norm(fresh.store.observations(dims=None))
    # openpyxl writes numbers with 16 significant digits ("%.16g"), so an .xlsx export can lose the 17th digit
    # of a double (1.4454324538951013 → 1.445432453895101): every other format must give the very same value.
    exact = fmt != "xlsx"
    pd.testing.assert_frame_equal(loaded, expected, check_exact=exact, rtol=1e-15, atol=0.0)
