"""``sandyq index`` on COINr's ASEM example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandyq.outputs.cli import app

ASEM = Path(__file__).resolve().parents[2] / "examples" / "coinr-asem" / "asem.yaml"
runner = CliRunner()


def test_index_build_json_reproduces_coinr() -> None:
    result = runner.invoke(app, ["index", "build", str(ASEM), "--format", "json"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "68.38" in text or "68.38" in json.dumps(json.loads(text))
    assert "CHE" in text and "IND" in text


def test_index_uncertainty_prints_rank_intervals() -> None:
    result = runner.invoke(app, ["index", "uncertainty", str(ASEM), "--runs", "200", "--seed", "2"])
    assert result.exit_code == 0, result.output
    che = next(line for line in result.stdout.splitlines() if line.startswith("CHE"))
    assert [float(x) for x in che.split()[-5:]] == [1.0] * 5  # nominal, mean, median, Q5, Q95


def test_index_bad_spec_is_a_message(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("name: x\nsteps: [{normalise: {method: nonsense}}]\n", encoding="utf-8")
    result = runner.invoke(app, ["index", "build", str(spec)])
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr


def test_index_of_the_store_reads_the_db_it_is_given(default_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "index", "build", "kz-regions", "--year", "2022"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("sandyq Regional Digital Index of Kazakhstan (KZDI) — 2022")
    assert "Data: " in result.stdout and "(vintage " in result.stdout


def test_index_of_a_file_opens_no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "index", "build", str(ASEM)])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_index_uncertainty_ctrl_c_reports_the_runs_done(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from sandyq.analytics.composite._montecarlo import MonteCarlo

    block = MonteCarlo._block

    def press_ctrl_c_after_a_block(self: MonteCarlo, *args: object) -> None:
        block(self, *args)  # type: ignore[arg-type]
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(MonteCarlo, "_block", press_ctrl_c_after_a_block)
    result = runner.invoke(app, ["index", "uncertainty", str(ASEM), "--runs", "1000000000", "--memory-mb", "8"])
    assert result.exit_code == 0, result.output
    assert "of the 1,000,000,000 runs asked for were done" in result.stdout
    che = next(line for line in result.stdout.splitlines() if line.startswith("CHE"))
    assert float(che.split()[-5]) == 1.0  # nominal rank, then the statistics of the runs done


@pytest.mark.parametrize(("option", "value"), [("--runs", "0"), ("--runs", "-3"), ("--memory-mb", "0")])
def test_index_uncertainty_refuses_impossible_options(option: str, value: str) -> None:
    result = runner.invoke(app, ["index", "uncertainty", str(ASEM), option, value])
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr
    assert ("at least 3 runs" in result.stderr) if option == "--runs" else ("--memory-mb" in result.stderr)


def test_index_uncertainty_memory_option_default_is_the_library_default() -> None:
    import inspect

    from sandyq.analytics.composite._montecarlo import DEFAULT_MEMORY_MB
    from sandyq.outputs.cli._index import uncertainty

    assert inspect.signature(uncertainty).parameters["memory_mb"].default == DEFAULT_MEMORY_MB
