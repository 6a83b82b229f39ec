"""The three layouts (tidy, wide-years, panel) in CSV and XLSX give the same observations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sandyq import load_file
from sandyq.framework import Framework
from sandyq.ingest import detect_format
from sandyq.store import Store
from tests.conftest import CONTENT

# Kazakhstan's mobile subscriptions per 100 (World Bank IT.CEL.SETS.P2), as in the bundled panel.
PANEL = CONTENT / "data" / "country-panel" / "digital_panel_wide.csv"


def _kaz_mobile() -> pd.Series:
    panel = pd.read_csv(PANEL)
    kaz = panel[(panel["iso3"] == "KAZ") & panel["mobile_subs_per100"].notna()]
    return kaz.set_index("year")["mobile_subs_per100"]


def _wide_years_file(tmp_path: Path, suffix: str) -> Path:
    s = _kaz_mobile()
    row = (
        {
            "Country Name": "Kazakhstan",
            "Country Code": "KAZ",
            "Indicator Name": "Mobile cellular subscriptions",
            "Indicator Code": "IT.CEL.SETS.P2",
        }
        | {str(y): v for y, v in s.items()}
        | {"1999": ".."}
    )
    frame = pd.DataFrame([row])
    path = tmp_path / f"wb{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.astype(str).to_excel(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_world_bank_wide_years(store: Store, framework: Framework, tmp_path: Path, suffix: str) -> None:
    path = _wide_years_file(tmp_path, suffix)
    (report,) = load_file(store, path, framework, source="wdi", vintage="2026-07-01")
    expected = _kaz_mobile()
    assert report.added == len(expected) and report.rows_read == len(expected)  # '..' is a blank, not an error
    got = store.observations("IT.CEL.SETS.P2", "KAZ").set_index("year")["value"]
    pd.testing.assert_series_equal(got, expected, check_names=False, check_index_type=False)
    assert store.loads()["format"].tolist() == ["wide-years"]


def test_world_bank_long_file_takes_indicator_from_name(store: Store, framework: Framework, tmp_path: Path) -> None:
    s = _kaz_mobile()
    path = tmp_path / "IT.CEL.SETS.P2.csv"
    pd.DataFrame({"Country Name": "Kazakhstan", "Country Code": "KAZ", "Year": s.index, "Value": s.values}).to_csv(
        path, index=False
    )
    load_file(store, path, framework, source="wdi", vintage="2026-07-01")
    assert store.observations("IT.CEL.SETS.P2", "KAZ")["value"].tolist() == s.tolist()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_panel_layout(store: Store, framework: Framework, tmp_path: Path, suffix: str) -> None:
    panel = pd.read_csv(PANEL, dtype=str, keep_default_na=False)
    panel = panel[panel["iso3"].isin(["KAZ", "UZB", "KGZ"])][
        ["iso3", "country", "year", "internet_users_pct", "gdp_per_capita_usd"]
    ]
    path = tmp_path / f"panel{suffix}"
    if suffix == ".csv":
        panel.to_csv(path, index=False)
    else:
        panel.to_excel(path, index=False)
    assert detect_format(panel) == "panel"
    load_file(
        store,
        path,
        framework,
        format="panel",
        ignore=["country"],
        vintage="2026-07-01",
        columns={"internet_users_pct": "IT.NET.USER.ZS", "gdp_per_capita_usd": "NY.GDP.PCAP.CD"},
    )
    kaz = store.observations("IT.NET.USER.ZS", "KAZ").set_index("year")["value"]
    assert kaz.loc[2023] == pytest.approx(92.88, abs=0.01)  # Kazakhstan 2023 per the SOURCE note: 92.9
    assert set(store.observations("NY.GDP.PCAP.CD")["source"]) == {"wdi"}  # each indicator's own source
    assert set(store.observations("IT.NET.USER.ZS")["source"]) == {"gapminder"}


def test_tidy_open_sdg_layout_maps_codes_and_blank_area(store: Store, framework: Framework) -> None:
    path = CONTENT / "data" / "kz-sdg-ict" / "raw" / "indicator_17-6-2.csv"
    load_file(store, path, framework, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
    kaz = store.observations("17-6-2", "KAZ", start=2012, end=2012, dims=None)
    assert kaz.loc[kaz["dims"] == "", "value"].item() == pytest.approx(1571.7)
    assert "series=_L_KZ_170602_1C" in set(kaz["dims"])
    assert set(store.observations("17-6-2")["unit"]) == {"TH_UNITS"}


def test_set_aside_policy_records_out_of_range_values(store: Store, framework: Framework) -> None:
    path = CONTENT / "data" / "kz-sdg-ict" / "raw" / "indicator_4-4-1.csv"
    (report,) = load_file(
        store, path, framework, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24", out_of_range="set_aside"
    )
    assert len(report.issues) == 7 and all(p.column == "OBS_VALUE" for p in report.issues)
    issues = store.load_issues()
    assert set(issues["kind"]) == {"out_of_range"} and set(issues["geo"]) == {"KZ-75"}
    assert issues["value"].max() == pytest.approx(368.9099097)
    assert store.observations("4-4-1")["value"].max() <= 100
