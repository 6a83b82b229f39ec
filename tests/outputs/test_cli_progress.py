"""``sandyq progress``, ``assess`` and ``backtest`` on published worked examples and the default store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sandyq
from sandyq.outputs.cli import app
from tests.conftest import SDG_RAW

runner = CliRunner()


@pytest.mark.parametrize(
    ("values", "target", "year", "polarity", "ratio", "status"),
    [
        # Eurostat 2018, renewable energy share: 8.5 % (2004) → 17 % (2016) against 20 % by 2020.
        ("2004:8.5,2016:17", "20", "2020", "higher", 1.08, "significant_progress"),
        # Digital Decade, basic digital skills: 54 % (2021) → 55.6 % (2023) against 80 % by 2030.
        ("2021:54,2023:55.6", "80", "2030", "higher", 0.33, "insufficient_progress"),
    ],
)
def test_assess_published_examples(
    values: str, target: str, year: str, polarity: str, ratio: float, status: str
) -> None:
    result = runner.invoke(
        app,
        [
            "assess",
            "--values",
            values,
            "--target",
            target,
            "--target-year",
            year,
            "--polarity",
            polarity,
            "--unit",
            "PT",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)["status"]
    assert out["status"] == status
    assert out["ratio"] == pytest.approx(ratio, abs=0.005)


def test_assess_bad_values_is_a_message() -> None:
    result = runner.invoke(app, ["assess", "--values", "2004-8.5", "--target", "20", "--target-year", "2020"])
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr


def test_progress_lists_every_target(default_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "progress", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["targets"]) == 21  # none dropped, with or without data (21 since issue 12)
    idi = next(t for t in report["targets"] if t["indicator_id"] == "ITU.IDI.RANK")
    assert [(m["year"], m["target"]) for m in idi["assessment"]["milestones"]] == [(2022, 30), (2025, 25), (2050, 15)]
    assert idi["assessment"]["status"]["polarity"] == "lower"  # a rank: lower is better
    assert sum(report["counts"].values()) == 21


def test_progress_as_of_before_any_publication(default_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "progress", "--as-of", "2015-01-01", "--format", "json"])
    report = json.loads(result.stdout)
    assert report["counts"].get("no_data", 0) + report["counts"].get("insufficient_data", 0) == 21


def test_backtest_saves_a_calibration_used_by_progress(tmp_path: Path) -> None:
    db = tmp_path / "bt.duckdb"
    with sandyq.connect(db) as m:
        for name in ("indicator_17-8-1.csv", "indicator_5-b-1.csv"):
            m.load(SDG_RAW / name, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
        assert m.calibration() is None
    result = runner.invoke(app, ["--db", str(db), "backtest", "--save", "--format", "json"])
    assert result.exit_code == 0, result.output
    with sandyq.connect(db, read_only=True) as m:
        assert m.calibration() is not None


def test_progress_rows_carry_unit_source_and_vintage(default_db: Path) -> None:
    import csv
    import io

    result = runner.invoke(app, ["--db", str(default_db), "progress", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"unit", "source", "vintage"} <= set(rows[0])
    literacy = next(r for r in rows if r["target"] == "dk-digital-literacy-2018")
    # issue 12: judged on BNS's digital-literacy series (ages 6–74), whose 2021 and 2023 figures were published in 2024
    assert (literacy["unit"], literacy["source"], literacy["vintage"]) == ("PT", "kz-bns-survey", "2024-12-31")
    assert all(r["unit"] for r in rows)
