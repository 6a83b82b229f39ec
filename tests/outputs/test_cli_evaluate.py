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


def test_evaluate_a_csv_reproduces_proposition_99() -> None:
    from importlib import resources

    path = resources.files("sandyq") / "content" / "data" / "policy-evaluation" / "california_prop99.csv"
    with resources.as_file(path) as csv:
        result = runner.invoke(
            app,
            [
                "evaluate",
                "PacksPerCapita",
                "--csv",
                str(csv),
                "--treated",
                "California",
                "--from",
                "1989",
                "--format",
                "json",
            ],
        )
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert round(d["effect"], 1) == -15.6 and d["p_value"] == 1 / 39 and len(d["donors"]) == 38


def test_evaluate_csv_refuses_store_options_and_bad_spans(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("u,t,y\nA,1,1\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "y", "--csv", str(csv), "--treated", "A", "--from", "1", "--donors", "x"])
    assert result.exit_code == 2 and "--csv" in result.output
    result = runner.invoke(
        app,
        [
            "evaluate",
            "y",
            "--csv",
            str(csv),
            "--treated",
            "A",
            "--from",
            "1",
            "--method",
            "adh",
            "--predictors",
            "19x0",
        ],
    )
    assert result.exit_code == 2 and "--predictors" in result.output
