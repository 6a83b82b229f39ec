"""``sandyq progress``, ``assess`` and ``backtest`` on published worked examples and the default store."""

from __future__ import annotations

import csv
import io
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


def test_progress_as_of_a_date_time_is_its_day(default_db: Path) -> None:
    """``--as-of`` takes an ISO 8601 date-time, as its help says (it used to refuse one in ``progress``)."""
    args = ["--db", str(default_db), "progress", "--format", "json", "--as-of"]
    by_day = runner.invoke(app, [*args, "2019-12-31"])
    by_time = runner.invoke(app, [*args, "2020-01-01T04:00:00+05:00"])  # 2019-12-31 23:00 UTC
    assert by_time.exit_code == 0, by_time.output
    assert json.loads(by_time.stdout)["counts"] == json.loads(by_day.stdout)["counts"]


def test_backtest_saves_a_calibration_used_by_progress(tmp_path: Path) -> None:
    db = tmp_path / "bt.duckdb"
    with sandyq.connect(db) as m:
        for name in ("indicator_17-8-1.csv", "indicator_5-b-1.csv"):
            m.load(SDG_RAW / name, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
        assert m.calibration() is None
    result = runner.invoke(app, ["--db", str(db), "backtest", "--save", "--format", "json"])
    assert result.exit_code == 0, result.output
    # issue 13: the Brier scores and the reliability table of the threshold-event backtest are in the output
    events = json.loads(result.stdout)["events"]
    assert events["events"] > 0 and {"brier", "brier_base_rate", "brier_drift", "skill_vs_base_rate"} <= set(events)
    assert all({"bin", "events", "probability", "observed"} <= set(b) for b in events["reliability"])
    with sandyq.connect(db, read_only=True) as m:
        cal = m.calibration()
        assert cal is not None and cal.events["brier"] == events["brier"]


def test_progress_rows_carry_unit_source_and_vintage(default_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "progress", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"unit", "source", "vintage"} <= set(rows[0])
    literacy = next(r for r in rows if r["target"] == "dk-digital-literacy-2018")
    # issue 12: judged on BNS's digital-literacy series (ages 6–74), whose 2021 and 2023 figures were published in 2024
    assert (literacy["unit"], literacy["source"], literacy["vintage"]) == ("PT", "kz-bns-survey", "2024-12-31")
    assert all(r["unit"] for r in rows)


def test_progress_answers_every_target_with_units_and_sources(default_db: Path) -> None:
    """Issue 12: a data-backed status for at least 10 targets; units on values; the other publisher beside each."""
    result = runner.invoke(app, ["--db", str(default_db), "progress"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "targets that can be judged achieved" in text and "cannot be judged (" in text
    # digital literacy: 87.3 % (BNS, 2021) with the ages-6+ figure beside it, against 83 % by 2022
    block = text[text.index("dk-digital-literacy: ") :].split("\n    dk-")[0]
    assert "Latest: 87.3 % (2021; source kz-bns-survey" in block and "also: kz-bns-6plus 85.3 % (2021)" in block
    assert "Target: 83 % by 2022 (milestones 2018: 77 % met, 2021: 81.5 % met, 2022: 83 % met)" in block
    assert "Owner of the data: Bureau of National Statistics" in block
    assert "Latest: 0.4961 trillion tenge (2019" in text and "Target: 2 trillion tenge by 2025" in text

    report = json.loads(runner.invoke(app, ["--db", str(default_db), "progress", "--format", "json"]).stdout)
    backed = [t for t in report["targets"] if t["status"] != "no_data"]
    assert len(backed) >= 10
    for t in report["targets"]:
        assert t["shows_projection"] or t["projection_note"], t["target_id"]


def test_progress_as_of_2019_and_other_programmes(default_db: Path) -> None:
    as_of = runner.invoke(app, ["--db", str(default_db), "progress", "--as-of", "2019-06-30", "--format", "csv"])
    assert as_of.exit_code == 0, as_of.output
    rows = list(csv.DictReader(io.StringIO(as_of.stdout)))
    assert all(not r["vintage"] or r["vintage"] <= "2019-06-30" for r in rows)
    idi = next(r for r in rows if r["target"] == "dk-idi-rank")
    assert (idi["status"], idi["latest_value"], idi["source"]) == ("insufficient_progress", "52.0", "itu-mis")
    draft = runner.invoke(app, ["--db", str(default_db), "progress", "--programme", "digital-kazakhstan-2020-draft"])
    assert "Superseded by digital-kazakhstan; kept for history." in draft.stdout
    exports = runner.invoke(app, ["--db", str(default_db), "progress", "--programme", "presidential-it-commitments"])
    assert "also: wdi-bop 855.3 million US dollars (2024)" in exports.stdout


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_progress_reads_in_kazakh_and_russian(default_db: Path, language: str) -> None:
    # The example: "Цифрлық Қазақстан … — progress as of … no data" mixed languages; now every line reads
    # in the language, with its numbers in the locale's format (decimal comma).
    from sandyq.outputs._language import english_runs

    result = runner.invoke(app, ["--db", str(default_db), "--language", language, "progress"])
    assert result.exit_code == 0, result.output
    assert english_runs(result.stdout) == []
    head = {"ru": "прогресс на", "kk": "жағдай бойынша ілгерілеу"}[language]
    assert head in result.stdout.splitlines()[0] and "81,3 %" in result.stdout
