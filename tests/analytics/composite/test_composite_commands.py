"""The functions behind ``sandyq index build | audit | uncertainty``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from sandyq.analytics.composite import audit_command, build_command, uncertainty_command
from sandyq.errors import SandyqError

SPEC = Path(__file__).resolve().parents[3] / "examples" / "coinr-asem" / "asem.yaml"


def test_build_table() -> None:
    text = build_command(SPEC)
    lines = text.splitlines()
    assert lines[0] == "ASEM Sustainable Connectivity (COINr example) — 2018"
    rows = [line.split() for line in lines[4:10]]
    assert [r[0] for r in rows] == ["CHE", "NLD", "DNK", "NOR", "BEL", "SWE"]
    assert rows[0][1:4] == ["Switzerland", "1", "68.38"]


def test_build_csv_and_json() -> None:
    csv = pd.read_csv(io.StringIO(build_command(SPEC, fmt="csv")), index_col="uCode")
    assert round(float(csv.loc["IND", "Index"]), 2) == 39.79 and csv.loc["IND", "Rank"] == 45
    payload = json.loads(build_command(SPEC, fmt="json"))
    assert payload["period"] == 2018 and payload["units"] == 51
    assert payload["results"][0]["uCode"] == "CHE" and round(payload["results"][0]["Index"], 2) == 68.38


def test_build_rejects_unknown_format_and_year() -> None:
    with pytest.raises(SandyqError, match="format"):
        build_command(SPEC, fmt="xml")
    with pytest.raises(SandyqError, match="2030"):
        build_command(SPEC, year=2030)


def test_audit_text_mentions_every_check() -> None:
    text = audit_command(SPEC)
    for words in (
        "statistical flags",
        "Outlier treatment: 15 indicators treated",
        "Correlation with parent",
        "Cronbach",
        "dropped",
    ):
        assert words in text


def test_uncertainty_text() -> None:
    text = uncertainty_command(SPEC, runs=50, progress=False)
    assert text.startswith("Uncertainty analysis of Index: 50 runs")
    assert "CHE" in text and "Q95" in text
    text = uncertainty_command(SPEC, runs=16, sensitivity=True, progress=False)
    assert "Sobol'" in text and "Aggregation" in text
