"""``sandyq evaluate`` on the default store: the text report in three languages and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sandyq.outputs.cli import app

runner = CliRunner()


def test_evaluate_prints_weights_gaps_placebos_and_verdict(default_db: Path) -> None:
    result = runner.invoke(
        app,
        [
            "--db",
            str(default_db),
            "evaluate",
            "IT.NET.USER.ZS",
            "--treated",
            "KAZ",
            "--from",
            "2018",
            "--donors",
            "cis",
            "--method",
            "sc",
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for part in (
        "Donor weights",
        "Gap by year",
        " *2018",
        "Placebo distribution",
        "p = ",
        "Caveats",
        "not a randomised trial",
    ):
        assert part in out


def test_evaluate_json_in_russian(default_db: Path) -> None:
    result = runner.invoke(
        app,
        [
            "--db",
            str(default_db),
            "-l",
            "ru",
            "evaluate",
            "IT.NET.USER.ZS",
            "--treated",
            "KAZ",
            "--from",
            "2018",
            "--donors",
            "umc",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["language"] == "ru" and d["verdict"].startswith("Оценка эффекта")
    assert set(d) >= {"effect", "weights", "gap", "periods", "placebo", "p_value", "se", "dropped", "caveats"}


def test_evaluate_refuses_an_unknown_indicator(default_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "evaluate", "NOPE", "--treated", "KAZ", "--from", "2018"])
    assert result.exit_code == 2 and "unknown" in result.output
